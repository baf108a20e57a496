"""The DuckDB store: articles and their coded events, idempotent writes, queries.

Re-coding an article replaces its events in one transaction, so a store never holds an
event twice and a failed write leaves what was stored before untouched. One process holds
a store for writing at a time (DuckDB's file lock); ``read_only=True`` lets several readers share it.
DuckDB lets no other process read while one writes, so a writer publishes a snapshot (``FILE.snapshot``,
``Store.publish``) that a server reads instead (``fresh_snapshot``); a snapshot also carries prepared tables
(``prepare``) that make a server's most asked questions cheap reads.
"""

from __future__ import annotations

import glob
import json
import os
import re
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice
from pathlib import Path

import duckdb
import pyarrow as pa

from dyads.model import Article, Event

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id VARCHAR PRIMARY KEY, published DATE, title VARCHAR, url VARCHAR, source VARCHAR, text VARCHAR
);
CREATE TABLE IF NOT EXISTS events (
    id VARCHAR PRIMARY KEY, article_id VARCHAR NOT NULL, event VARCHAR NOT NULL, cameo VARCHAR,
    mode VARCHAR, context VARCHAR[], quad_code INTEGER, goldstein DOUBLE,
    actor JSON, recipient JSON, actor_code VARCHAR, recipient_code VARCHAR,
    actor_codes VARCHAR[], recipient_codes VARCHAR[],
    date DATE, date_end DATE, date_precision VARCHAR, date_text VARCHAR, event_loc JSON,
    factuality VARCHAR, event_text VARCHAR, text VARCHAR, span INTEGER[], confidence DOUBLE, evidence JSON,
    root BOOLEAN
);
CREATE INDEX IF NOT EXISTS events_article ON events (article_id);
CREATE TABLE IF NOT EXISTS article_links (article_id VARCHAR PRIMARY KEY, duplicate_of VARCHAR, minhash BLOB);
CREATE TABLE IF NOT EXISTS article_bands (key BIGINT NOT NULL, article_id VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS event_groups (
    event_id VARCHAR PRIMARY KEY, group_id VARCHAR NOT NULL, lead BOOLEAN, num_mentions INTEGER,
    num_articles INTEGER, num_sources INTEGER, first_seen DATE, last_seen DATE
);
CREATE TABLE IF NOT EXISTS changes (written BIGINT, merged BIGINT, published BIGINT);
INSERT INTO changes SELECT 0, -1, -1 WHERE NOT EXISTS (SELECT * FROM changes);
"""
# ``changes`` counts the writes to the store, and records after which one its events were last merged and
# its snapshot last published: a run that stores nothing new (an ingest run again) redoes neither, which
# would otherwise cost the whole store's size however little the run read.

# What DuckDB may keep in memory for a writer (its cache of the store's pages, a sort, a snapshot being
# built; beyond it, it spills to disk). Left to DuckDB (80% of the machine) the writer of an ingest grew with
# the store; every query a writer runs streams or spills, so a small budget holds for any store (a synthetic
# one of a million events merges and publishes within it: bench/RESULTS.md), and a larger one only buys cache.
WRITER_MEMORY = os.environ.get("DYADS_WRITER_MEMORY", "128MB")
LINKS_ARROW = pa.schema(
    [("article_id", pa.string()), ("duplicate_of", pa.string()), ("minhash", pa.binary())]
)
BANDS_ARROW = pa.schema([("key", pa.int64()), ("article_id", pa.string())])
# an article's link: the article it copies (or None), its MinHash signature, and the band keys that find it
# as an original (none for a copy)
Link = tuple[str | None, bytes, list[int]]
GROUPS_ARROW = pa.schema([("event_id", pa.string()), ("group_id", pa.string())])
# The real events that more than one mention reports, and what their mentions add up to, tallied once when
# the groups are set (``linked_groups``: event_id, group_id, for the mentions linked to another): its surest
# mention leads each. A mention linked to none has no row: it is a real event of its own (``MERGED``), so the
# tallies cost what merging linked, not the store's size. Plain GROUP BYs, which DuckDB spills to disk
# beyond its memory limit, where counts of distinct values and a window over every group did not.
TALLIED = """
WITH g AS (
    SELECT event_id, group_id FROM linked_groups
    UNION SELECT group_id, group_id FROM linked_groups  -- the mention a group is named after
), m AS (
    SELECT g.event_id, g.group_id, e.confidence, e.date, e.article_id, a.published AS seen,
           coalesce(a.source, regexp_extract(a.url, '//([^/]+)', 1), a.id) AS outlet
    FROM g JOIN events e ON e.id = g.event_id LEFT JOIN articles a ON a.id = e.article_id
), tally AS (
    SELECT group_id, count(*) AS num_mentions, min(seen) AS first_seen, max(seen) AS last_seen,
           arg_min(event_id, (-coalesce(confidence, -1e308), coalesce(date, DATE '9999-12-31'), event_id))
               AS lead_id
    FROM m GROUP BY group_id
), articles_of AS (
    SELECT group_id, count(*) AS num_articles FROM (SELECT DISTINCT group_id, article_id FROM m) GROUP BY 1
), sources_of AS (
    SELECT group_id, count(*) AS num_sources FROM (SELECT DISTINCT group_id, outlet FROM m) GROUP BY 1
)
SELECT m.event_id, m.group_id, m.event_id = t.lead_id, t.num_mentions, n.num_articles, s.num_sources,
       t.first_seen, t.last_seen
FROM m JOIN tally t USING (group_id) JOIN articles_of n USING (group_id) JOIN sources_of s USING (group_id)
"""
# What an event's real event adds up to, and whether the event leads it, from ``REAL_EVENT_FROM``: an event
# in no group (linked to no other, or coded by ``dyads code --db`` and not merged) is a real event of its own.
REAL_EVENT = """
    g.lead OR g.event_id IS NULL AS lead, coalesce(g.group_id, e.id) AS group_id,
    coalesce(g.num_mentions, 1) AS num_mentions, coalesce(g.num_articles, 1) AS num_articles,
    coalesce(g.num_sources, 1) AS num_sources, coalesce(g.first_seen, a.published) AS first_seen,
    coalesce(g.last_seen, a.published) AS last_seen
"""
REAL_EVENT_FROM = (
    "events e LEFT JOIN event_groups g ON g.event_id = e.id LEFT JOIN articles a ON a.id = e.article_id"
)
# One row per real event: its lead mention with the tallies.
MERGED = f"""(
    SELECT * EXCLUDE (lead) FROM (SELECT e.*, {REAL_EVENT} FROM {REAL_EVENT_FROM}) WHERE lead
) AS events"""
# the store keeps these for its own indexing; records carry the full actor lists instead
INDEX_COLUMNS = ("actor_code", "recipient_code", "actor_codes", "recipient_codes")
MERGED_FIELDS = ["group_id", "num_mentions", "num_articles", "num_sources", "first_seen", "last_seen"]
# What a snapshot carries besides the store's tables, so that a server's most asked questions are cheap reads
# (``prepare``): ``listing`` holds every event in listing order (``pos``) with whether it is a real event's
# row (``lead``, as ``MERGED`` picks them), its place's lower-cased name, country and coordinates out of
# their JSON, and its ``record`` as JSON, ready (a real event's row with the tallies of its mentions), so a
# page is a filtered slice of it read from one column, not a join, a sort and a record built from many;
# ``dyad_events`` holds each event once per pair of countries it links (``pair``: 'A>B' for a directed
# pair, 'A-B' with A <= B for either direction), sorted and indexed by pair, so a pair's series reads its
# own rows only. ``listing_order`` holds each event's place in the listing and its real event, narrow, so that
# a slice of the listing joins the events it lists and nothing else.
LISTING_ORDER = f"""
CREATE OR REPLACE TEMP TABLE listing_order AS
SELECT e.id, row_number() OVER (ORDER BY e.date NULLS LAST, e.article_id, e.span[1], e.id) AS pos,
       {REAL_EVENT}
FROM {REAL_EVENT_FROM}
"""
LISTING_ROWS = """
SELECT o.pos, o.lead, e.*,
       lower(e.event_loc ->> 'name') AS place_name, e.event_loc ->> 'country' AS place_country,
       CAST(e.event_loc ->> 'lat' AS DOUBLE) AS place_lat, CAST(e.event_loc ->> 'lon' AS DOUBLE) AS place_lon,
       CASE WHEN o.lead THEN to_json(struct_pack({record}, {tallies}))
            ELSE to_json(struct_pack({record})) END AS record
FROM listing_order o JOIN events e ON e.id = o.id
WHERE o.pos > $1 AND o.pos <= $2
ORDER BY o.pos
"""
LISTING_SLICE = 20_000  # rows of the listing built at a time: sorting them all at once took 500 MB for 150k
DYAD_EVENTS = """
CREATE OR REPLACE TABLE dyad_events AS
WITH d AS (
    SELECT DISTINCT id, a, r, date, factuality, quad_code, goldstein
    FROM events, unnest(actor_codes) AS t1(a), unnest(recipient_codes) AS t2(r)
    WHERE date IS NOT NULL
)
SELECT pair, date, factuality, quad_code, goldstein FROM (
    SELECT a || '>' || r AS pair, date, factuality, quad_code, goldstein FROM d
    UNION ALL
    SELECT pair, date, factuality, quad_code, goldstein FROM (
        SELECT DISTINCT id, least(a, r) || '-' || greatest(a, r) AS pair, date, factuality, quad_code,
               goldstein
        FROM d
    )
) ORDER BY pair, date;
CREATE INDEX dyad_events_pair ON dyad_events (pair);
"""
PREPARED_TABLES = ("listing", "dyad_events")
ARTICLES_ARROW = pa.schema(
    [("id", pa.string()), ("published", pa.date32())]
    + [(k, pa.string()) for k in ("title", "url", "source", "text")]
)
ARTICLE_COLUMNS = ARTICLES_ARROW.names
RECORD_FIELDS = [
    "id", "article_id", "event", "cameo", "mode", "context", "quad_code", "goldstein", "actor", "recipient",
    "date", "date_end", "date_precision", "date_text", "event_loc", "factuality", "event_text", "text",
    "span", "confidence", "evidence", "root",
]  # fmt: skip
JSON_FIELDS = ("actor", "recipient", "event_loc", "evidence")
_TYPES = {
    "context": pa.list_(pa.string()), "quad_code": pa.int32(), "goldstein": pa.float64(),
    "date": pa.date32(), "date_end": pa.date32(), "span": pa.list_(pa.int32()), "confidence": pa.float64(),
    "root": pa.bool_(), "actor_codes": pa.list_(pa.string()), "recipient_codes": pa.list_(pa.string()),
}  # fmt: skip
EVENT_COLUMNS = RECORD_FIELDS + ["actor_code", "recipient_code", "actor_codes", "recipient_codes"]
EVENTS_ARROW = pa.schema([(k, _TYPES.get(k, pa.string())) for k in EVENT_COLUMNS])


class StoreError(Exception):
    """The store cannot be opened or read (in use by another process, missing, not a DuckDB file,
    damaged); its message is one line that names the file."""


class StoreInUse(StoreError):
    """Another process holds the store for writing (or, to a writer, holds it at all)."""


def store_error(path: str | Path, exc: duckdb.Error) -> StoreError:
    """The one place DuckDB's errors on a store become a one-line ``StoreError``."""
    msg = str(exc).strip()
    low = msg.lower()
    if re.search(r"\block\b", low):  # "could not set lock", not an allocation's "block"
        return StoreInUse(f"{path}: the store is in use by another process")
    if "not a valid duckdb database file" in low:
        why = "not a DuckDB database file"
    elif "no space left" in low or "file too large" in low or "could not write" in low:
        why = f"cannot write (is the disk full?): {msg.splitlines()[0][:200]}"
    elif "could not read enough bytes" in low or "corrupt" in low or "checksum" in low:
        why = f"the store is damaged (truncated or corrupt): {msg.splitlines()[0][:200]}"
    elif isinstance(exc, duckdb.OutOfMemoryException):
        why = (
            f"DuckDB ran out of memory ({msg.splitlines()[0][:200]}); a writer may have more than "
            f"{WRITER_MEMORY} with DYADS_WRITER_MEMORY, e.g. DYADS_WRITER_MEMORY=1GB"
        )
    else:
        why = (msg.splitlines() or [type(exc).__name__])[0][:300]
    return StoreError(f"{path}: {why}")


def snapshot_path(path: str | Path) -> Path:
    """Where the read-only copy of the store at ``path`` is published: ``FILE.snapshot`` beside it."""
    return Path(f"{path}.snapshot")


def _temporary(target: Path) -> Path:
    return target.with_name(f"{target.name}.{os.getpid()}.tmp")


def _discard(tmp: Path) -> None:
    """Remove a snapshot that was not finished, and the log DuckDB may have left beside it."""
    tmp.unlink(missing_ok=True)
    Path(f"{tmp}.wal").unlink(missing_ok=True)


def fresh_snapshot(path: str | Path) -> Path:
    """The store's snapshot, made now from the store itself when there is none or it is older than the
    store and no writer holds the store (a read-only attach, a copy to a temporary file, an atomic rename);
    a store held by a writer is served from the last snapshot that writer published. Where no file can be
    written beside the store (a read-only folder), the store itself."""
    path, target = Path(path), snapshot_path(path)
    if not path.exists():
        raise StoreError(f"{path}: no such database")
    if not os.access(path.parent, os.W_OK):
        return path
    if target.exists() and target.stat().st_mtime_ns >= path.stat().st_mtime_ns:
        return target
    tmp = _temporary(target)
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS src (READ_ONLY)", [str(path)])
        _discard(tmp)
        _copy(con, "src", tmp)
        os.replace(tmp, target)
    except duckdb.Error as e:
        _discard(tmp)
        if "lock" in str(e).lower() and target.exists():
            return target  # a writer holds the store: its last snapshot is what there is to read
        raise store_error(path, e) from None
    except OSError as e:
        _discard(tmp)
        raise StoreError(f"{target}: cannot write the snapshot ({e.strerror})") from None
    finally:
        con.close()
    return target


def _copy(con: duckdb.DuckDBPyConnection, database: str, to: Path) -> None:
    """Copy the attached ``database`` (schema, rows, indexes) into a new DuckDB file ``to``."""
    con.execute("ATTACH ? AS dyads_copy", [str(to)])
    try:
        con.execute(f'COPY FROM DATABASE "{database}" TO dyads_copy')
        con.execute("USE dyads_copy")
        try:
            prepare(con)
        finally:
            con.execute(f'USE "{database}"')
    finally:
        con.execute("DETACH dyads_copy")


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    """Add the prepared tables (``listing``, ``dyad_events``) to the database ``con`` uses, a snapshot.
    A record holds the events table's columns but those kept for indexing, as ``dyads.queries`` gives it."""
    names = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'events' "
        "AND table_catalog = current_database() ORDER BY ordinal_position"
    ).fetchall()
    record = ", ".join(f'"{n}" := e."{n}"' for (n,) in names if n not in INDEX_COLUMNS)
    tallies = ", ".join(f'"{n}" := o."{n}"' for n in MERGED_FIELDS)
    rows = LISTING_ROWS.format(record=record, tallies=tallies)
    con.execute("SET preserve_insertion_order = true")  # DuckDB's default: pages are read off the row order
    con.execute(LISTING_ORDER)
    total = con.execute("SELECT count(*) FROM listing_order").fetchone()[0]
    con.execute(f"CREATE OR REPLACE TABLE listing AS {rows}", [0, 0])  # the columns, no rows yet
    for low in range(0, total, LISTING_SLICE):  # in slices, in order: a page is read off pos
        con.execute(f"INSERT INTO listing {rows}", [low, low + LISTING_SLICE])
    con.execute("DROP TABLE listing_order")
    con.execute(DYAD_EVENTS)


def _codes(actors: list[dict]) -> list[str]:
    return [a["code"] for a in actors if a.get("code")]


def _event_row(event: Event) -> dict:
    rec = event.to_dict()
    actor_codes, recipient_codes = _codes(rec["actor"]), _codes(rec["recipient"])
    row = {k: rec[k] for k in RECORD_FIELDS}
    for k in JSON_FIELDS:
        row[k] = json.dumps(rec[k]) if rec[k] is not None else None
    row["date"], row["date_end"] = event.date, event.date_end
    return row | {
        "actor_code": actor_codes[0] if actor_codes else None,
        "recipient_code": recipient_codes[0] if recipient_codes else None,
        "actor_codes": actor_codes,
        "recipient_codes": recipient_codes,
    }


def tables(pairs: list[tuple[Article, list[Event]]]) -> tuple[pa.Table, pa.Table]:
    """The Arrow tables of articles and of their events that ``Store.write_tables`` stores."""
    latest = {article.id: (article, events) for article, events in pairs}  # last one wins
    articles = pa.Table.from_pylist(
        [{k: getattr(a, k) for k in ARTICLE_COLUMNS} for a, _ in latest.values()], schema=ARTICLES_ARROW
    )
    rows = {}
    for _, events in latest.values():
        for event in events:
            rows.setdefault(event.id, _event_row(event))  # the same event twice is one event
    return articles, pa.Table.from_pylist(list(rows.values()), schema=EVENTS_ARROW)


def _filters(
    type: str | None,
    actor: str | None,
    recipient: str | None,
    factuality: str | None,
    since: date | None,
    until: date | None,
) -> tuple[list[str], list]:
    where, args = [], []
    for clause, value in (
        ("event = ?", type.upper() if type else None),
        ("list_contains(actor_codes, ?)", actor.upper() if actor else None),
        ("list_contains(recipient_codes, ?)", recipient.upper() if recipient else None),
        ("factuality = ?", factuality),
        ("date >= ?", since),
        ("date <= ?", until),
    ):
        if value is not None:
            where.append(clause)
            args.append(value)
    return where, args


def _record(columns: list[str], row: tuple) -> dict:
    rec = dict(zip(columns, row, strict=True))
    for k in JSON_FIELDS:
        rec[k] = json.loads(rec[k]) if rec[k] is not None else None
    for k in ("date", "date_end"):
        rec[k] = rec[k].isoformat() if rec[k] else None
    return rec


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Undo the open transaction; where that fails too (the disk is full, the database invalidated), the
    error that caused it is the one to report, and DuckDB never applies an uncommitted transaction."""
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass


class Store:
    """A DuckDB file of articles and events. Use as a context manager."""

    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        self.path = str(path)
        if read_only and not Path(self.path).exists():
            raise StoreError(f"{self.path}: no such database")
        try:
            config = {} if read_only else {"memory_limit": WRITER_MEMORY}
            self.con = duckdb.connect(self.path, read_only=read_only, config=config)
            self.con.execute("SET enable_progress_bar = false")  # a long query must not draw on the terminal
        except duckdb.Error as e:
            raise store_error(self.path, e) from None
        if not read_only:
            try:
                self.con.execute(SCHEMA)
                # a store written before events had ``root`` gains the column (NULL for the events it holds)
                self.con.execute("ALTER TABLE events ADD COLUMN IF NOT EXISTS root BOOLEAN")
            except duckdb.Error as e:
                self.con.close()
                raise store_error(self.path, e) from None
        elif self._lacks_root():
            self.con.close()
            raise StoreError(
                f"{self.path}: written by an older dyads (events have no 'root' column); "
                "open it once for writing to upgrade it"
            )

    def _lacks_root(self) -> bool:
        cols = self.con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'events'"
        ).fetchall()
        return bool(cols) and ("root",) not in cols

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    def publish(self) -> Path:
        """Publish what the store holds now as its snapshot, which readers in other processes can open
        while this one writes: DuckDB copies the database into a temporary file, which is renamed over the
        snapshot (atomic: a reader sees the old snapshot or the new one, whole). The copy goes through
        DuckDB, not the file system: a POSIX lock dies with any descriptor its process closes on the file,
        so copying the store's file would free it for a second writer."""
        target = snapshot_path(self.path)
        tmp = _temporary(target)
        for stale in target.parent.glob(f"{glob.escape(target.name)}.*.tmp"):
            _discard(stale)  # left by a process killed while it copied: no copy runs while this one writes
        try:
            _copy(self.con, self.con.execute("SELECT current_database()").fetchone()[0], tmp)
            os.replace(tmp, target)
            self.con.execute("UPDATE changes SET published = written")
        except duckdb.Error as e:
            _discard(tmp)
            raise store_error(target, e) from None
        except OSError as e:
            _discard(tmp)
            raise StoreError(f"{target}: cannot write the snapshot ({e.strerror})") from None
        return target

    def stale(self, what: str) -> bool:
        """Whether the store was written after its events were last ``merged`` or its snapshot last
        ``published`` (or the snapshot is gone)."""
        if what not in ("merged", "published"):
            raise ValueError(f"no such change: {what!r}")
        if what == "published" and not snapshot_path(self.path).exists():
            return True
        return self.con.execute(f"SELECT written > {what} FROM changes").fetchone()[0]

    def write(self, article: Article, events: list[Event]) -> None:
        """Store one article and its events, replacing whatever an earlier run stored for it."""
        self._write_batch([(article, events)])

    def write_chunk(
        self, pairs: list[tuple[Article, list[Event]]], links: dict[str, Link]
    ) -> int:
        """Store articles, their events and their links (``Link``)
        in one transaction; returns events written."""
        return self._write_batch(pairs, links)

    def write_many(self, pairs: Iterable[tuple[Article, list[Event]]], batch: int = 500) -> int:
        """Store (article, events) pairs, ``batch`` articles per transaction; returns events written."""
        it = iter(pairs)
        written = 0
        while chunk := list(islice(it, batch)):
            written += self._write_batch(chunk)
        return written

    def known_articles(self, ids: list[str]) -> set[str]:
        """Those of ``ids`` the store holds: an ingest skips them before parsing."""
        rows = self.con.execute("SELECT id FROM articles WHERE id IN (SELECT unnest(?))", [ids]).fetchall()
        return {r[0] for r in rows}

    def _write_batch(
        self,
        pairs: list[tuple[Article, list[Event]]],
        links: dict[str, Link] | None = None,
    ) -> int:
        return self.write_tables(*tables(pairs), links or {})

    def write_tables(
        self, articles: pa.Table, events_table: pa.Table, links: dict[str, Link]
    ) -> int:
        """Store the tables ``tables`` made (here or on another machine, through Parquet) and the articles'
        links in one transaction, replacing what the store held for those articles; returns events written."""
        ids = articles.column("id").to_pylist()
        rows = events_table.column("id").to_pylist()
        # an event's id is made from its article's, so clearing the articles clears any stored copy of
        # an event written again: no look-up by event id, which scanned every stored event (20 ms a write
        # at a million events, against 1.5 ms by article)
        cleared = list(set(ids).union(events_table.column("article_id").to_pylist()))
        links_table = pa.Table.from_pylist(
            [{"article_id": k, "duplicate_of": d, "minhash": h} for k, (d, h, _) in links.items()],
            schema=LINKS_ARROW,
        )
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute("DELETE FROM events WHERE article_id IN (SELECT unnest(?))", [cleared])
            con.execute("DELETE FROM articles WHERE id IN (SELECT unnest(?))", [ids])
            con.execute("DELETE FROM article_links WHERE article_id IN (SELECT unnest(?))", [list(links)])
            con.execute("DELETE FROM article_bands WHERE article_id IN (SELECT unnest(?))", [list(links)])
            con.register("new_articles", articles)
            con.register("new_events", events_table)
            con.register("new_links", links_table)
            con.execute("INSERT INTO article_links SELECT * FROM new_links")
            self.add_bands({k: keys for k, (_, _, keys) in links.items()})
            con.execute(f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}) SELECT * FROM new_articles")
            con.execute(f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}) SELECT * FROM new_events")
            con.execute("UPDATE changes SET written = written + 1")
            con.execute("COMMIT")
        except BaseException:
            _rollback(con)
            raise
        finally:
            con.unregister("new_articles")
            con.unregister("new_events")
            con.unregister("new_links")
        return len(rows)

    def band_matches(self, keys: list[int]) -> list[tuple[int, str, bytes]]:
        """The stored originals that have one of these band keys: (key, article id, MinHash signature)."""
        return self.con.execute(
            "SELECT b.key, l.article_id, l.minhash FROM article_bands b "
            "JOIN article_links l USING (article_id) WHERE b.key IN (SELECT unnest(?::BIGINT[]))",
            [keys],
        ).fetchall()

    def unbanded(self, limit: int) -> list[tuple[str, bytes]]:
        """Up to ``limit`` stored originals that have no band keys (a store written before they were kept):
        article id and MinHash signature."""
        return self.con.execute(
            "SELECT article_id, minhash FROM article_links WHERE duplicate_of IS NULL "
            "AND minhash IS NOT NULL AND article_id NOT IN (SELECT article_id FROM article_bands) LIMIT ?",
            [limit],
        ).fetchall()

    def add_bands(self, keys: dict[str, list[int]]) -> None:
        """Store band keys of originals (``Link``)."""
        table = pa.Table.from_pylist(
            [{"key": key, "article_id": k} for k, ks in keys.items() for key in ks], schema=BANDS_ARROW
        )
        self.con.register("new_bands", table)
        try:
            self.con.execute("INSERT INTO article_bands SELECT * FROM new_bands")
        finally:
            self.con.unregister("new_bands")

    def merge_stream(self, batch: int = 10_000) -> Iterator[tuple]:
        """What merging reads of the dated events, once for each party coded on either side (its block),
        sorted by type, factuality, party, date and id, read ``batch`` rows at a time: the party, then the
        event's id, article, type, factuality, dates, codes and place."""
        cur = self.con.cursor()
        rows = cur.sql(
            "SELECT code, id, article_id, event, factuality, date, date_end, date_precision, actor_codes, "
            "recipient_codes, event_loc->>'lat', event_loc->>'lon', event_loc->>'country', "
            "event_loc->>'admin1', event_loc->>'feature_code' "
            "FROM (SELECT *, unnest(list_distinct(list_concat(coalesce(actor_codes, []), "
            "coalesce(recipient_codes, [])))) AS code FROM events WHERE date IS NOT NULL) "
            "ORDER BY event, factuality, code, date, id"
        )
        try:  # in Arrow batches: a quarter faster than rows fetched from DuckDB
            for part in rows.to_arrow_reader(batch):
                yield from zip(*(column.to_pylist() for column in part.columns), strict=True)
        finally:
            cur.close()

    def set_groups(self, linked: dict[str, str]) -> None:
        """Replace every event's group (the real event it is a mention of), with its real event's tallies,
        in one transaction: ``linked`` maps each event linked to another to its group; an event it names
        neither as an event nor as a group is a real event of its own."""
        table = pa.Table.from_pydict(
            {"event_id": list(linked), "group_id": list(linked.values())}, schema=GROUPS_ARROW
        )
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute("DELETE FROM event_groups")
            con.register("linked_groups", table)
            con.execute(f"INSERT INTO event_groups {TALLIED}")
            con.execute("UPDATE changes SET merged = written")
            con.execute("COMMIT")
        except BaseException:
            _rollback(con)
            raise
        finally:
            con.unregister("linked_groups")

    def duplicates(self) -> dict[str, str]:
        """Each stored article that copies another, and the one it copies."""
        rows = self.con.execute(
            "SELECT article_id, duplicate_of FROM article_links WHERE duplicate_of IS NOT NULL"
        ).fetchall()
        return dict(rows)

    def events(
        self,
        type: str | None = None,
        actor: str | None = None,
        recipient: str | None = None,
        factuality: str | None = "asserted",
        since: date | None = None,
        until: date | None = None,
        limit: int | None = None,
        group: str | None = None,
    ) -> list[dict]:
        """Event records (``Event.to_dict()`` form), each one mention, matching every filter given; None
        means any. ``group`` keeps the mentions of one real event (``dyads.queries`` shows real events).

        ``actor``/``recipient`` match any coded entity on that side; ``since``/``until`` bound the
        event date (inclusive), so undated events drop out when either is given.
        """
        where, args = _filters(type, actor, recipient, factuality, since, until)
        sql = f"SELECT {', '.join(RECORD_FIELDS)} FROM events"
        if group is not None:
            where.append("coalesce((SELECT group_id FROM event_groups WHERE event_id = id), id) = ?")
            args.append(group)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY date NULLS LAST, article_id, span[1], id"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        return [_record(RECORD_FIELDS, row) for row in self.con.execute(sql, args).fetchall()]

    def summary(self, top: int = 10) -> dict:
        """Counts: articles, events, events by type and by factuality, and the ``top`` coded dyads."""
        q = self.con.execute
        by_type = q("SELECT event, count(*) FROM events GROUP BY event ORDER BY 2 DESC, 1").fetchall()
        by_fact = q("SELECT factuality, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC, 1").fetchall()
        dyads = q(
            "SELECT actor_code, recipient_code, count(*) FROM events "
            "WHERE actor_code IS NOT NULL AND recipient_code IS NOT NULL "
            "GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT ?",
            [top],
        ).fetchall()
        return {
            "articles": q("SELECT count(*) FROM articles").fetchone()[0],
            "events": q("SELECT count(*) FROM events").fetchone()[0],
            "by_type": dict(by_type),
            "by_factuality": dict(by_fact),
            "top_dyads": [{"actor": a, "recipient": r, "count": n} for a, r, n in dyads],
        }

    def relations(self, country: str, partners: list[str]) -> list[dict]:
        """How ``country``'s relations with each of ``partners`` moved: per half-year, the asserted events
        between them (either direction, or both acting together), how many were cooperation (quad 1–2)
        and conflict (quad 3–4), and the mean Goldstein score."""
        rows = self.con.execute(
            """
            WITH pairs AS (
                SELECT unnest(list_distinct(
                           list_filter(list_concat(actor_codes, recipient_codes), lambda x: x <> $c)
                       )) AS partner,
                       year(date) || '-H' || CASE WHEN month(date) <= 6 THEN 1 ELSE 2 END AS half,
                       quad_code, goldstein
                FROM events
                WHERE factuality = 'asserted' AND date IS NOT NULL
                  AND (list_contains(actor_codes, $c) OR list_contains(recipient_codes, $c))
            )
            SELECT partner, half, count(*), count(*) FILTER (quad_code IN (1, 2)),
                   count(*) FILTER (quad_code IN (3, 4)), round(avg(goldstein), 1)
            FROM pairs WHERE list_contains($p, partner)
            GROUP BY 1, 2 ORDER BY list_position($p, partner), 2
            """,
            {"c": country, "p": partners},
        ).fetchall()
        keys = ("partner", "period", "events", "cooperation", "conflict", "goldstein")
        return [dict(zip(keys, r, strict=True)) for r in rows]
