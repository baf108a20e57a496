"""Questions to a store: one set of event filters, turned into parameterised SQL.

The ``dyads events`` command, the Python API (``dyads.query``) and the web server all ask through
:class:`Filters`, so a filter means the same thing everywhere. Values only ever travel as query
parameters; the SQL text is built from fixed fragments.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import TYPE_CHECKING

import duckdb
import orjson

from dyads.model import FACTUALITY
from dyads.store import INDEX_COLUMNS, JSON_FIELDS, MERGED, MERGED_FIELDS, PREPARED_TABLES

if TYPE_CHECKING:
    import pandas as pd

ORDER = "date NULLS LAST, article_id, span[1], id"
ENTITY = '[{"entity_text": "VARCHAR", "code": "VARCHAR", "sector": "VARCHAR", "name": "VARCHAR"}]'
SIDES = ("actor", "recipient", "either")
# where a filter finds the place's lower-cased name, country and coordinates: in the stored JSON, or in the
# columns a snapshot's listing has them in (``dyads.store.LISTING_ROWS``), read without decoding JSON
PLACE = {
    "name": "lower(event_loc ->> 'name')", "country": "event_loc ->> 'country'",
    "lat": "CAST(event_loc ->> 'lat' AS DOUBLE)", "lon": "CAST(event_loc ->> 'lon' AS DOUBLE)",
}  # fmt: skip
LISTED_PLACE = {k: f"place_{k}" for k in PLACE}


class QueryError(ValueError):
    """A filter value that cannot mean anything (unknown factuality, a malformed bounding box)."""


@dataclass(frozen=True)
class Filters:
    """Event filters; ``None`` means any. All given filters must hold.

    For each side (``actor``, ``recipient``, or ``either`` side) a country code (ISO3 or ``IGO``), a
    PLOVER sector and a name (a case-insensitive part of the entity's text or its knowledge-base name)
    must all hold for one entity. ``cameo`` matches a code and the codes under it (``"14"`` is every
    protest). ``since``/``until`` bound the event date, inclusive. ``place`` is part of the place name,
    ``place_country`` its ISO3 code, ``bbox`` (west, south, east, north) in degrees. ``text`` is searched
    in the sentence, the trigger phrase and the evidence. ``factuality`` defaults to ``asserted``; ``all``
    or ``None`` takes every one.
    """

    actor: str | None = None
    actor_sector: str | None = None
    actor_name: str | None = None
    recipient: str | None = None
    recipient_sector: str | None = None
    recipient_name: str | None = None
    either: str | None = None
    either_sector: str | None = None
    either_name: str | None = None
    type: str | None = None
    mode: str | None = None
    cameo: str | None = None
    since: date | None = None
    until: date | None = None
    place: str | None = None
    place_country: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    factuality: str | None = "asserted"
    min_confidence: float | None = None
    text: str | None = None

    def __post_init__(self) -> None:
        for k in ("since", "until"):  # the Python API and the web take ISO strings too
            value = getattr(self, k)
            if isinstance(value, str):
                try:
                    object.__setattr__(self, k, date.fromisoformat(value))
                except ValueError:
                    raise QueryError(f"{k}: expected YYYY-MM-DD, got {value!r}") from None
            elif isinstance(value, datetime):
                object.__setattr__(self, k, value.date())
        if self.bbox is not None:
            object.__setattr__(self, "bbox", tuple(float(x) for x in self.bbox))
        if self.factuality not in (*FACTUALITY, "all", None):
            raise QueryError(f"factuality: expected one of {', '.join(FACTUALITY)} or all")
        if self.bbox is not None:
            if len(self.bbox) != 4:
                raise QueryError("bbox: expected west,south,east,north")
            west, south, east, north = self.bbox
            if not (-90 <= south <= north <= 90 and -180 <= west <= 180 and -180 <= east <= 180):
                raise QueryError("bbox: expected west,south,east,north in degrees, south <= north")

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    def where(self, place: dict[str, str] = PLACE) -> tuple[str, list]:
        """The SQL condition (``TRUE`` when nothing is filtered) and its parameters, in order; ``place``
        says where the place's fields are (``PLACE`` or ``LISTED_PLACE``)."""
        clauses: list[str] = []
        args: list = []

        def add(clause: str, *values: object) -> None:
            clauses.append(clause)
            args.extend(values)

        for side in SIDES:
            code, sector, name = (getattr(self, f) for f in (side, f"{side}_sector", f"{side}_name"))
            columns = ("actor", "recipient") if side == "either" else (side,)
            if code:  # the stored code lists answer a code alone, and cut the rows to decode otherwise
                tests = [f"list_contains({c}_codes, ?)" for c in columns]
                add("(" + " OR ".join(tests) + ")", *[code.upper()] * len(columns))
            if sector or name:
                entity, values = _entity_match(code, sector, name)
                tests = [
                    f"len(list_filter(from_json({c}, '{ENTITY}'), lambda e: {entity})) > 0" for c in columns
                ]
                add("(" + " OR ".join(tests) + ")", *(values * len(columns)))
        if self.type:
            add("event = ?", self.type.upper())
        if self.mode:
            add("mode = ?", self.mode.lower())
        if self.cameo:
            add("starts_with(cameo, ?)", self.cameo)
        if self.since:
            add("date >= ?", self.since)
        if self.until:
            add("date <= ?", self.until)
        if self.place:
            add(f"contains({place['name']}, lower(?))", self.place)
        if self.place_country:
            add(f"{place['country']} = ?", self.place_country.upper())
        if self.bbox:
            west, south, east, north = self.bbox
            lon = place["lon"]
            add(f"{place['lat']} BETWEEN ? AND ?", south, north)
            if west <= east:
                add(f"{lon} BETWEEN ? AND ?", west, east)
            else:  # the box crosses the antimeridian
                add(f"({lon} >= ? OR {lon} <= ?)", west, east)
        if self.factuality and self.factuality != "all":
            add("factuality = ?", self.factuality)
        if self.min_confidence is not None:
            add("confidence >= ?", self.min_confidence)
        if self.text:
            add(
                "contains(lower(concat_ws(' ', text, event_text, CAST(evidence AS VARCHAR))), lower(?))",
                self.text,
            )
        return " AND ".join(clauses) or "TRUE", args


DEFAULT = Filters()  # asserted events, nothing else filtered


def _entity_match(code: str | None, sector: str | None, name: str | None) -> tuple[str, list]:
    parts, values = [], []
    if code:
        parts.append("e.code = ?")
        values.append(code.upper())
    if sector:
        parts.append("e.sector = ?")
        values.append(sector.upper())
    if name:
        parts.append("contains(lower(concat_ws(' ', e.name, e.entity_text)), lower(?))")
        values.append(name)
    return " AND ".join(parts), values


def columns(con: duckdb.DuckDBPyConnection, table: str = "events") -> list[str]:
    """The columns a store's table has (empty when it has no such table): a newer store may carry more."""
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


def record(names: list[str], row: tuple) -> dict:
    """One stored row as a record: JSON columns decoded, dates as ISO strings."""
    rec = dict(zip(names, row, strict=True))
    for k, v in rec.items():
        if k in JSON_FIELDS and isinstance(v, str):
            rec[k] = json.loads(v)
        elif isinstance(v, date | datetime):
            rec[k] = v.isoformat()
    return rec


def _source(con: duckdb.DuckDBPyConnection, merged: bool) -> tuple[str, list[str]]:
    """What to select events from, and the columns it adds: with ``merged`` (and a store that groups its
    events) one row per real event, its surest mention, with num_mentions, num_articles, num_sources and
    first/last seen; else one row per mention."""
    if merged and "lead" in columns(con, "event_groups"):
        return MERGED, MERGED_FIELDS
    return "events", []


def _in_group(con: duckdb.DuckDBPyConnection, group: str | None) -> tuple[str, list]:
    if group is None:
        return "", []
    if not columns(con, "event_groups"):
        return " AND events.id = ?", [group]
    grouped = "coalesce((SELECT g.group_id FROM event_groups g WHERE g.event_id = events.id), events.id)"
    return f" AND {grouped} = ?", [group]


def events(
    con: duckdb.DuckDBPyConnection,
    filters: Filters = DEFAULT,
    limit: int | None = None,
    offset: int = 0,
    article: bool = False,
    merged: bool = False,
    group: str | None = None,
) -> list[dict]:
    """The records matching ``filters``, in date order (undated last); ``limit``/``offset`` page them.
    With ``merged`` one record per real event (see ``_source``); ``group`` keeps the mentions of one real
    event (its ``group_id``). With ``article`` each record carries its article's ``published``, ``url`` and
    ``source``."""
    names = [c for c in columns(con) if c not in INDEX_COLUMNS]
    source, extra = _source(con, merged)
    where, args = filters.where()
    in_group, group_args = _in_group(con, group)
    names += extra
    selected = ", ".join(f"events.{n}" for n in names)
    if article:
        selected += (
            ", (SELECT {published: a.published, url: a.url, source: a.source} FROM articles a"
            " WHERE a.id = events.article_id) AS article"
        )
    sql = f"SELECT {selected} FROM {source} WHERE {where}{in_group} ORDER BY {ORDER}"
    args += group_args
    if limit is not None:
        sql += " LIMIT ?"
        args.append(limit)
    if offset:
        sql += " OFFSET ?"
        args.append(offset)
    names += ["article"] if article else []
    rows = con.execute(sql, args).fetchall()
    if article:
        for row in rows:
            if row[-1] and row[-1]["published"]:
                row[-1]["published"] = row[-1]["published"].isoformat()
    return [record(names, row) for row in rows]


def count(
    con: duckdb.DuckDBPyConnection, filters: Filters = DEFAULT, merged: bool = False, listed: bool = False
) -> int:
    """How many records ``events(con, filters, merged=merged)`` gives; ``listed``: counted in a snapshot's
    listing (see ``prepared``)."""
    if listed:
        source, (where, args) = "listing", _listed_where(filters, merged)
    else:
        where, args = filters.where()
        source, _ = _source(con, merged)
    return con.execute(f"SELECT count(*) FROM {source} WHERE {where}", args).fetchone()[0]


def event(con: duckdb.DuckDBPyConnection, event_id: str) -> dict | None:
    """One record by id, with its article's title, source, url and date, and the ``mentions`` of the real
    event it belongs to where other stories reported it too (each mention with its own evidence)."""
    names = [c for c in columns(con) if c not in INDEX_COLUMNS]
    row = con.execute(f"SELECT {', '.join(names)} FROM events WHERE id = ?", [event_id]).fetchone()
    if row is None:
        return None
    rec = record(names, row)
    article = con.execute(
        "SELECT title, source, url, published FROM articles WHERE id = ?", [rec["article_id"]]
    ).fetchone()
    if article:
        rec["article"] = record(["title", "source", "url", "published"], article)
    if columns(con, "event_groups"):
        found = con.execute("SELECT group_id FROM event_groups WHERE event_id = ?", [event_id]).fetchone()
        if found is not None:
            mentions = events(con, Filters(factuality=None), article=True, group=found[0])
            if len(mentions) > 1:
                rec["group_id"] = found[0]
                shown = ("id", "article_id", "article", "date", "text", "confidence", "evidence")
                rec["mentions"] = [{k: m[k] for k in shown} for m in mentions]
    return rec


def prepared(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the database has the prepared tables of a snapshot (``dyads.store.prepare``), which
    ``listed`` and ``dyads.analysis.trend`` read for the answers the store's own tables give, at the cost
    of a slice (a store, or a snapshot of an older dyads, has none)."""
    return all(columns(con, table) for table in PREPARED_TABLES)


def _listed_where(filters: Filters, merged: bool) -> tuple[str, list]:
    """The condition on a snapshot's listing, and its parameters: with ``merged``, real events' rows only."""
    where, args = filters.where(LISTED_PLACE)
    return (f"lead AND {where}" if merged else where), args


def listed(
    con: duckdb.DuckDBPyConnection,
    filters: Filters = DEFAULT,
    limit: int = 50,
    offset: int = 0,
    merged: bool = False,
) -> list[dict]:
    """From a snapshot's listing: the page that ``events(con, filters, limit, offset, merged=merged)``
    gives."""
    where, args = _listed_where(filters, merged)
    # no ORDER BY: the listing was inserted in pos order, and DuckDB keeps a table's order through a scan,
    # WHERE, LIMIT and OFFSET (its documented order preservation), so the page needs no sort of every match
    sql = f"SELECT record FROM listing WHERE {where} LIMIT ? OFFSET ?"
    rows = con.execute(sql, [*args, limit, offset]).fetchall()
    page = [orjson.loads(r[0]) for r in rows]
    if not merged:  # a real event's row carries its tallies; a mention shows none
        for rec in page:
            for k in MERGED_FIELDS:
                rec.pop(k, None)
    return page


def actors(con: duckdb.DuckDBPyConnection, filters: Filters = DEFAULT, limit: int = 100) -> list[dict]:
    """Coded actors (country code and sector) of the matching events, by how many events they take part in."""
    where, args = filters.where()
    rows = con.execute(
        f"""
        WITH sides AS (
            SELECT id, unnest(from_json(actor, '{ENTITY}')) AS e, 'actor' AS side FROM events WHERE {where}
            UNION ALL
            SELECT id, unnest(from_json(recipient, '{ENTITY}')) AS e, 'recipient' FROM events WHERE {where}
        )
        SELECT e.code, e.sector, count(DISTINCT id),
               count(DISTINCT id) FILTER (side = 'actor'), count(DISTINCT id) FILTER (side = 'recipient')
        FROM sides WHERE e.code IS NOT NULL
        GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 NULLS FIRST LIMIT ?
        """,
        args + args + [limit],
    ).fetchall()
    keys = ("code", "sector", "events", "as_actor", "as_recipient")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def dyads(con: duckdb.DuckDBPyConnection, filters: Filters = DEFAULT, limit: int = 200) -> list[dict]:
    """Directed country dyads of the matching events: count, cooperation (quad 1–2), conflict (quad 3–4),
    mean Goldstein. An event with several coded actors or recipients counts for each pair."""
    where, args = filters.where()
    rows = con.execute(
        f"""
        WITH pairs AS (
            SELECT DISTINCT id, a, r, quad_code, goldstein
            FROM events, unnest(actor_codes) AS t1(a), unnest(recipient_codes) AS t2(r)
            WHERE {where} AND a <> r
        )
        SELECT a, r, count(*), count(*) FILTER (quad_code IN (1, 2)), count(*) FILTER (quad_code IN (3, 4)),
               round(avg(goldstein), 2)
        FROM pairs GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT ?
        """,
        args + [limit],
    ).fetchall()
    keys = ("actor", "recipient", "events", "cooperation", "conflict", "goldstein")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def frame(records: list[dict]) -> pd.DataFrame:
    """Records as a pandas DataFrame: one row an event, with ``actor_codes``/``recipient_codes`` lists and
    ``date``/``date_end`` as datetimes, the nested fields kept as Python lists and dicts."""
    import pandas as pd

    df = pd.DataFrame.from_records(records)
    if df.empty:
        return df
    for side in ("actor", "recipient"):
        df[f"{side}_codes"] = [[e["code"] for e in ents if e.get("code")] for ents in df[side]]
    for k in ("date", "date_end"):
        df[k] = pd.to_datetime(df[k])
    return df
