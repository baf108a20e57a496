"""The REST API and the web page (``dyads serve``): FastAPI, thin over ``dyads.queries`` and ``analysis``.

Read-only unless ``allow_ingest`` (which opens the store for writing and adds ``POST /api/articles`` to code
posted articles into it): a read-only server reads the store's snapshot (``dyads.store.fresh_snapshot``),
never the store, so an ingest can write the store meanwhile (DuckDB keeps readers in other processes out
while one writes), and it moves to the newer snapshot the ingest publishes; ``/api/status`` says how fresh.
A page of events and a pair's series come from the snapshot's prepared tables (``dyads.store.prepare``)
and go out as JSON made by orjson.

Safe by construction: every value reaches SQL as a parameter; the page
puts article text into the document as text, never as markup, under a Content-Security-Policy that
allows only the server's own scripts; no request names a file (the static folder is fixed); request
bodies and page sizes are bounded.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Literal

import duckdb
import orjson
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dyads.analysis import PeriodError, period, shifts, trend
from dyads.model import FACTUALITY
from dyads.queries import Filters, QueryError, actors, count, dyads, event, events, listed, prepared
from dyads.read import ReadError, read_bytes
from dyads.store import Store, StoreError, fresh_snapshot

WEB = Path(__file__).parent / "web"
MAX_BODY = 1 << 20  # bytes a request may send (the posted articles)
MAX_PAGE = 500
CACHE_MB = 64  # megabytes of API answers a read-only server process keeps
MAX_CACHED = 1 << 20  # bytes: a larger answer is not kept
COUNTS_KEPT = 10_000  # filters whose number of matching events a read-only server process keeps
MAX_WORKERS = 8  # server processes `dyads serve` starts unless told
SERVED = "DYADS_SERVE"  # what `served` makes: the settings `dyads serve` gives its worker processes
LOOK_EVERY = 2.0  # seconds between two looks for a newer snapshot
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
RAW_SECURITY_HEADERS = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
RAW_SECURITY_NAMES = {k for k, _ in RAW_SECURITY_HEADERS}
Factuality = Literal[*FACTUALITY, "all"]
Code = Annotated[str | None, Query(max_length=16, pattern=r"^[A-Za-z]{3}$")]
Words = Annotated[str | None, Query(max_length=200)]


def filters(
    actor: Code = None,
    actor_sector: Code = None,
    actor_name: Words = None,
    recipient: Code = None,
    recipient_sector: Code = None,
    recipient_name: Words = None,
    either: Code = None,
    either_sector: Code = None,
    either_name: Words = None,
    type: Annotated[str | None, Query(max_length=32)] = None,
    mode: Annotated[str | None, Query(max_length=32)] = None,
    cameo: Annotated[str | None, Query(max_length=4, pattern=r"^\d{1,4}$")] = None,
    since: date | None = None,
    until: date | None = None,
    place: Words = None,
    place_country: Code = None,
    bbox: Annotated[str | None, Query(description="west,south,east,north in degrees", max_length=100)] = None,
    factuality: Factuality = "asserted",
    min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
    text: Words = None,
) -> Filters:
    """The event filters of ``dyads events``, as query parameters."""
    box = None
    if bbox:
        try:
            box = tuple(float(x) for x in bbox.split(","))
        except ValueError:
            raise HTTPException(422, "bbox: expected west,south,east,north") from None
    given = locals() | {"bbox": box}  # the parameters are named as the filters
    try:
        return Filters(**{name: given[name] for name in Filters.names()})
    except QueryError as e:
        raise HTTPException(422, str(e)) from None


Filtered = Annotated[Filters, Depends(filters)]


class Source:
    """What a server reads. Read-only: the store's snapshot, and the newer one as soon as a writer publishes
    it (one look at its mtime every ``LOOK_EVERY`` seconds, when a request comes); the snapshot it leaves
    stays open a while for the requests still reading it. Read-write, or where no snapshot can be written
    beside the store: the store itself. Each thread that answers requests reads through a cursor of its
    own (a DuckDB connection is not shared between threads), made once per snapshot, not per request.
    Read-only, it keeps the number of events each filter matches in what it reads (``counted``): the
    pages of one list share it."""

    def __init__(self, db: str | Path, read_only: bool, query_threads: int | None = None) -> None:
        self.path = fresh_snapshot(db) if read_only else Path(db)
        self.query_threads = query_threads
        self.snapshot = read_only and self.path != Path(db)  # so it looks for newer ones
        self.read_only = read_only
        self.lock = threading.Lock()
        self.opened = itertools.count()
        self.version = 0
        store = self._open() if self.snapshot else Store(db, read_only=read_only)
        self.reading = self._reading(store)  # swapped whole
        self.left: list[Store] = []
        self.looked = time.monotonic()
        self.threads = threading.local()

    @property
    def store(self) -> Store:
        return self.reading[0]

    def _open(self) -> Store:
        """The snapshot, open; through a link of a name of its own, since DuckDB hands a process that
        opens a path again the database it opened there before, which would be the snapshot replaced."""
        alias = self.path.with_name(f"{self.path.name}.{os.getpid()}-{next(self.opened)}")
        os.link(self.path, alias)
        try:
            self.version = alias.stat().st_mtime_ns
            return Store(alias, read_only=True)
        finally:
            alias.unlink()

    def _reading(self, store: Store) -> tuple[Store, bool, dict]:
        """What a server reads: the store (or snapshot), whether it has prepared tables, its counts."""
        if self.query_threads:
            store.con.execute(f"SET threads = {int(self.query_threads)}")
        return store, self.read_only and prepared(store.con), {}

    def current(self) -> Store:
        """The store (or snapshot) to read."""
        return self._look()[0]

    def _look(self) -> tuple[Store, bool, dict]:
        """The store (or snapshot) to read, whether it has prepared tables, and its counts so far."""
        if self.snapshot and time.monotonic() - self.looked >= LOOK_EVERY:
            with self.lock:
                self.looked = time.monotonic()
                try:
                    if self.path.stat().st_mtime_ns != self.version:
                        store = self._open()
                        self.left.append(self.store)
                        self.reading = self._reading(store)
                except (OSError, StoreError, duckdb.Error):
                    pass  # the snapshot it has stays what it serves
                while len(self.left) > 2:
                    self.left.pop(0).close()
        return self.reading

    def cursor(self) -> tuple[duckdb.DuckDBPyConnection, bool]:
        """This thread's cursor of the current store, and whether the store has prepared tables."""
        reading = self._look()
        mine = getattr(self.threads, "cursor", None)
        if mine is None or mine[0] is not reading:
            with self.lock:
                mine = (reading, reading[0].con.cursor())
            self.threads.cursor = mine
        return mine[1], reading[1]

    def counted(self, key: Hashable, count: Callable[[], int]) -> int:
        """``count()``, for what this thread's cursor reads; read-only, kept under ``key`` (up to
        ``COUNTS_KEPT`` of them) while that is read, since nothing changes it."""
        if not self.read_only:
            return count()
        counts = self.threads.cursor[0][2]
        if key not in counts:
            if len(counts) >= COUNTS_KEPT:
                counts.clear()
            counts[key] = count()
        return counts[key]

    def status(self) -> dict:
        published = (self.version if self.snapshot else self.path.stat().st_mtime_ns) / 1e9
        return {
            "serving": "snapshot" if self.snapshot else "store",
            "file": self.path.name,
            "published": datetime.fromtimestamp(published, UTC).isoformat(timespec="seconds"),
            "age_s": round(max(0.0, time.time() - published), 1),
        }


async def source(request: Request) -> Source:
    """The app's source; an endpoint asks it for a cursor in the thread that answers the request."""
    return request.app.state.source


Read = Annotated[Source, Depends(source)]


class Guard:
    """What every request passes (plain ASGI: Starlette's ``BaseHTTPMiddleware`` costs a task and a stream a
    request): a declared body over ``MAX_BODY`` is refused, every answer gets ``SECURITY_HEADERS``, and a
    read-only server keeps its last API answers of each snapshot, ``cache`` bytes of them (nothing changes
    a snapshot, so a question asked again gets the same answer at once)."""

    def __init__(self, app: ASGIApp, source: Source, cache: int) -> None:
        self.app, self.source, self.cache = app, source, cache
        self.answers: OrderedDict[str, bytes] = OrderedDict()
        self.kept = 0  # bytes in answers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = next((v for k, v in scope["headers"] if k == b"content-length"), None)
        if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
            answer = JSONResponse(
                {"detail": f"request body over {MAX_BODY} bytes"}, status_code=413, headers=SECURITY_HEADERS
            )
            await answer(scope, receive, send)
            return
        path, key = scope["path"], None
        if self.cache and scope["method"] == "GET" and path.startswith("/api/") and path != "/api/status":
            self.source.current()
            key = f"{self.source.version}:{path}?{scope['query_string'].decode('latin-1')}"
            if key in self.answers:
                self.answers.move_to_end(key)
                answer = Response(self.answers[key], media_type="application/json", headers=SECURITY_HEADERS)
                await answer(scope, receive, send)
                return
        status, body = 0, bytearray()

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in RAW_SECURITY_NAMES]
                message["headers"] = kept + RAW_SECURITY_HEADERS
            elif key is not None and status == 200 and message["type"] == "http.response.body":
                body.extend(message.get("body", b""))
                if not message.get("more_body") and len(body) <= min(MAX_CACHED, self.cache):
                    self.kept += len(body) - len(self.answers.pop(key, b""))
                    self.answers[key] = bytes(body)
                    while self.kept > self.cache:
                        self.kept -= len(self.answers.popitem(last=False)[1])
            await send(message)

        await self.app(scope, receive, sending)


def json_response(value: object) -> Response:
    return Response(orjson.dumps(value), media_type="application/json")


def marks(rec: dict) -> list[dict]:
    """What to highlight in the event's sentence: ``[start, end)`` in the sentence and what it is
    (trigger, actor, recipient, date, place). Spans the evidence gives (``trigger_span``, and any other
    ``*_span``) count in the article, like the sentence's; the rest is found by its text."""
    text, start = rec["text"] or "", rec["span"][0]
    found: list[dict] = []

    def add(kind: str, lo: int, hi: int) -> None:
        if 0 <= lo < hi <= len(text) and not any(lo < m["end"] and m["start"] < hi for m in found):
            found.append({"start": lo, "end": hi, "kind": kind})

    def find(kind: str, words: str | None) -> None:
        if words:
            lo = text.lower().find(words.lower())
            if lo >= 0:
                add(kind, lo, lo + len(words))

    for key, span in (rec.get("evidence") or {}).items():
        if key.endswith("_span") and isinstance(span, list) and len(span) == 2:
            kind = key.removesuffix("_span")
            add(
                kind if kind in ("actor", "recipient", "date", "place") else "trigger",
                span[0] - start,
                span[1] - start,
            )
    for kind in ("actor", "recipient"):
        for entity in rec.get(kind) or []:
            find(kind, entity.get("entity_text"))
    find("date", rec.get("date_text"))
    find("place", (rec.get("event_loc") or {}).get("name"))
    find("trigger", (rec.get("evidence") or {}).get("trigger"))
    return sorted(found, key=lambda m: m["start"])


def create_app(
    db: str | Path, allow_ingest: bool = False, cache_mb: float = CACHE_MB, query_threads: int | None = None
) -> FastAPI:
    """The app over the store ``db`` (which must exist; read-only, on its snapshot, unless
    ``allow_ingest``). A read-only app keeps its last ``cache_mb`` megabytes of API answers of each
    snapshot: nothing changes a snapshot, so a question asked again gets the same answer at once.
    ``query_threads``: the threads DuckDB may use for one query (default: all cores), fewer where several
    server processes share the cores."""
    source = Source(db, read_only=not allow_ingest, query_threads=query_threads)
    store = source.store
    writing = threading.Lock()
    app = FastAPI(
        title="dyads",
        summary="Political event data: who did what to whom, when, where, and how sure.",
        version="0.1.0",
    )
    app.state.source = source
    app.state.store = store  # the one it opened first

    app.add_middleware(Guard, source=source, cache=0 if allow_ingest else int(cache_mb * 2**20))

    @app.get("/api/status", summary="What the server reads (the store, or its snapshot) and how fresh")
    def status() -> dict:
        source.current()
        return source.status()

    @app.get("/api/events", summary="Events matching the filters, one page at a time", response_model=dict)
    def list_events(
        src: Read,
        f: Filtered,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
        mentions: Annotated[bool, Query(description="Every mention, not one record per real event.")] = False,
    ) -> Response:
        con, ready = src.cursor()
        merged = not mentions
        total = src.counted((f, merged), lambda: count(con, f, merged=merged, listed=ready))
        page = (
            listed(con, f, limit, offset, merged) if ready else events(con, f, limit, offset, merged=merged)
        )
        for rec in page:
            rec["marks"] = marks(rec)
        return json_response({"total": total, "limit": limit, "offset": offset, "events": page})

    @app.get("/api/events/{event_id}", summary="One event with its evidence, article and mentions")
    def one_event(src: Read, event_id: Annotated[str, PathParam(max_length=64)]) -> dict:
        con, _ = src.cursor()
        rec = event(con, event_id)
        if rec is None:
            raise HTTPException(404, "no such event")
        rec["marks"] = marks(rec)
        return rec

    @app.get("/api/actors", summary="Coded actors of the matching events, by number of events")
    def list_actors(
        src: Read, f: Filtered, limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100
    ) -> list[dict]:
        con, _ = src.cursor()
        return actors(con, f, limit)

    @app.get("/api/dyads", summary="Directed country pairs of the matching events: the actor network")
    def list_dyads(
        src: Read, f: Filtered, limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 200
    ) -> list[dict]:
        con, _ = src.cursor()
        return dyads(con, f, limit)

    @app.get("/api/timeline", summary="Matching events per period: cooperation, conflict, mean Goldstein")
    def timeline(src: Read, f: Filtered, by: Literal["day", "week", "month"] = "month") -> list[dict]:
        con, _ = src.cursor()
        where, args = f.where()
        rows = con.execute(
            f"SELECT CAST(date_trunc('{by}', date) AS DATE), count(*), count(*) FILTER (quad_code IN (1, 2)),"
            f" count(*) FILTER (quad_code IN (3, 4)), round(avg(goldstein), 2) FROM events"
            f" WHERE {where} AND date IS NOT NULL GROUP BY 1 ORDER BY 1",
            args,
        ).fetchall()
        keys = ("period", "events", "cooperation", "conflict", "goldstein")
        return [dict(zip(keys, (r[0].isoformat(), *r[1:]), strict=True)) for r in rows]

    @app.get("/api/places", summary="Where the matching events happened: one row a place")
    def places(src: Read, f: Filtered, limit: Annotated[int, Query(ge=1, le=2000)] = 1000) -> list[dict]:
        con, _ = src.cursor()
        where, args = f.where()
        rows = con.execute(
            f"""
            SELECT event_loc ->> 'name', event_loc ->> 'country', CAST(event_loc ->> 'lat' AS DOUBLE),
                   CAST(event_loc ->> 'lon' AS DOUBLE), count(*), count(*) FILTER (quad_code IN (1, 2)),
                   count(*) FILTER (quad_code IN (3, 4))
            FROM events WHERE {where} AND event_loc ->> 'lat' IS NOT NULL
            GROUP BY 1, 2, 3, 4 ORDER BY 5 DESC, 1 LIMIT ?
            """,
            args + [limit],
        ).fetchall()
        keys = ("name", "country", "lat", "lon", "events", "cooperation", "conflict")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    @app.get(
        "/api/series", summary="Two countries' events per period (dyads trend)", response_model=list[dict]
    )
    def series(
        src: Read,
        a: Annotated[str, Query(pattern=r"^[A-Za-z]{3}$")],
        b: Annotated[str, Query(pattern=r"^[A-Za-z]{3}$")],
        by: Literal["day", "week", "month"] = "month",
        directed: bool = False,
        factuality: Factuality = "asserted",
    ) -> Response:
        con, ready = src.cursor()
        return json_response(trend(con, a, b, by, directed, Filters(factuality=factuality), ready))

    @app.get(
        "/api/shifts", summary="Pairs whose relationship changed most between two periods (dyads shifts)"
    )
    def list_shifts(
        src: Read,
        before: Annotated[str, Query(alias="from", max_length=40, description="YYYY, YYYY-H1, YYYY-Q3, …")],
        after: Annotated[str, Query(alias="to", max_length=40)],
        top: Annotated[int, Query(ge=1, le=100)] = 10,
        min_events: Annotated[int, Query(ge=1)] = 3,
        factuality: Factuality = "asserted",
    ) -> list[dict]:
        try:
            first, second = period(before), period(after)
        except PeriodError as e:
            raise HTTPException(422, str(e)) from None
        con, _ = src.cursor()
        return [
            s.to_dict()
            for s in shifts(con, first, second, top, min_events, filters=Filters(factuality=factuality))
        ]

    if allow_ingest:

        @app.post(
            "/api/articles",
            summary="Code posted articles (JSON Lines: id, text, published, title, url, source).",
        )
        async def ingest(request: Request) -> dict:
            body = bytearray()
            async for chunk in request.stream():
                body += chunk
                if len(body) > MAX_BODY:
                    raise HTTPException(413, f"request body over {MAX_BODY} bytes")
            articles, errors, warnings = [], [], []
            for item in read_bytes("request", bytes(body), "jsonl", warn=warnings.append):
                (errors if isinstance(item, ReadError) else articles).append(item)
            if errors:
                raise HTTPException(422, [str(e) for e in errors])
            if not articles:
                raise HTTPException(422, "no article in the request (JSON Lines: one article a line)")
            from dyads.pipeline import code_articles

            coded = list(code_articles(articles))
            with writing:
                written = store.write_many(coded)
            return {
                "articles": len(coded),
                "events": written,
                "ids": [e.id for _, evs in coded for e in evs],
                "warnings": [str(w) for w in warnings],
            }

    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(WEB / "index.html")

    return app


def served() -> FastAPI:
    """The app of one of `dyads serve`'s worker processes: ``create_app`` with the settings the command put
    in the environment variable ``SERVED`` (JSON: ``create_app``'s keyword arguments)."""
    return create_app(**orjson.loads(os.environ[SERVED]))
