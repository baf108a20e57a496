"""The ``acled_sahel`` suite: short conflict reports from the Sahel, coded by ACLED, coded again by dyads.

Each event's ``notes`` is coded as one article through the public pipeline (``dyads.pipeline.code_articles``),
published seven days after ACLED's event date (a weekly report's lag: dates must resolve from the text, not
from the publication date). The note's main event (``common.main_event``: in the first sentence that has
an event, the one marked ``root``, else the first) is scored on:

- **type**: its PLOVER type is one that ACLED's type and sub-type allow (``data/acled_plover.tsv``); a note
  with no event coded counts as wrong;
- **located**: it has coordinates (``event_loc`` with a latitude and longitude);
- **within 50 km**: those coordinates are within 50 km of ACLED's (great-circle distance), over the located
  events and over all notes;
- **date**: the dyads date range overlaps ACLED's (``gold_range``) and is no coarser than a month.

The data is read in place from ``acled_sahel/events.jsonl`` (ACLED, acleddata.com; never copied here).
The split key is the event id.
"""

from __future__ import annotations

import calendar
import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from dyads.eval.common import SuiteResult, main_event, run_parts
from dyads.model import Article, Event

EVENTS_FILE = Path("acled_sahel") / "events.jsonl"
TABLE = Path(__file__).resolve().parents[1] / "data" / "acled_plover.tsv"
SCHEMA = Path(__file__).resolve().parents[1] / "data" / "event.schema.json"
TABLE_HEADER = ["event_type", "sub_event_type", "plover", "note"]
REPORT_LAG = timedelta(days=7)  # published a week after the event, as a weekly situation report
NEAR_KM = 50.0
EARTH_KM = 6371.0088  # mean Earth radius
FINE_PRECISIONS = ("day", "weekend", "week", "month")  # a dyads date no coarser than a month


class AcledError(ValueError):
    """A malformed row of the data or of the type table: names the file and line."""


@dataclass(frozen=True)
class AcledGold:
    id: str
    notes: str
    event_date: date
    time_precision: int  # ACLED's code: a day (1), a week (2) or a month (3)
    kind: str  # ACLED's event type
    subkind: str | None  # its sub-event type (None in the pre-2019 taxonomy)
    lat: float
    lon: float
    source_file: str


# ---------------------------------------------------------------- loading


def load_events(path: Path) -> list[AcledGold]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            r = json.loads(line)
            out.append(
                AcledGold(
                    id=str(r["id"]),
                    notes=r["notes"],
                    event_date=date.fromisoformat(r["event_date"]),
                    time_precision=int(r.get("time_precision") or 1),
                    kind=r["event_type"],
                    subkind=r.get("sub_event_type"),
                    lat=float(r["latitude"]),
                    lon=float(r["longitude"]),
                    source_file=str(r.get("source_file") or "?"),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise AcledError(f"{path}:{n}: {exc.__class__.__name__}: {exc}") from None
    return out


@lru_cache(maxsize=1)
def plover_types() -> frozenset[str]:
    """The PLOVER event types, as the event schema lists them."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return frozenset(schema["properties"]["event"]["enum"])


def load_table(path: Path = TABLE) -> dict[tuple[str, str], frozenset[str] | None]:
    """(ACLED type, sub-type) → the PLOVER types allowed (None: any). Checked: the header, four cells a row,
    known PLOVER types, no row twice."""
    known = plover_types()
    table: dict[tuple[str, str], frozenset[str] | None] = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [(n, line) for n, line in enumerate(lines, 1) if line.strip() and not line.startswith("#")]
    if not rows or rows[0][1].split("\t") != TABLE_HEADER:
        raise AcledError(f"{path}:1: the header must be {' / '.join(TABLE_HEADER)}")
    for n, line in rows[1:]:
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) != len(TABLE_HEADER) or not all(cells[:3]):
            raise AcledError(f"{path}:{n}: expected type, sub-type, PLOVER types and a note")
        key = (cells[0], cells[1])
        if key in table:
            raise AcledError(f"{path}:{n}: {key[0]} / {key[1]} is twice in the table")
        if cells[2] == "*":
            table[key] = None
            continue
        allowed = frozenset(t.strip() for t in cells[2].split(","))
        if not allowed <= known:
            raise AcledError(f"{path}:{n}: not PLOVER types: {', '.join(sorted(allowed - known))}")
        table[key] = allowed
    return table


@lru_cache(maxsize=1)
def _table() -> dict[tuple[str, str], frozenset[str] | None]:
    return load_table()


def allowed_types(kind: str, subkind: str | None) -> frozenset[str] | None:
    """The PLOVER types a coding of this ACLED event may have (None: any). Without a sub-type, any of the
    type's rows; an ACLED type or sub-type the table does not have is an error, not a silent pass."""
    table = _table()
    if subkind is not None:
        if (kind, subkind) not in table:
            raise AcledError(f"{TABLE.name}: no row for {kind} / {subkind}")
        return table[(kind, subkind)]
    rows = [v for (t, _), v in table.items() if t == kind]
    if not rows:
        raise AcledError(f"{TABLE.name}: no row for ACLED type {kind}")
    if any(v is None for v in rows):
        return None
    return frozenset().union(*rows)  # type: ignore[arg-type]


# ---------------------------------------------------------------- scoring one event


def type_ok(event: Event | None, gold: AcledGold) -> bool:
    if event is None:
        return False
    allowed = allowed_types(gold.kind, gold.subkind)
    return allowed is None or event.event in allowed


def coordinates(event: Event | None) -> tuple[float, float] | None:
    loc = event.event_loc if event is not None else None
    if loc is None or loc.lat is None or loc.lon is None:
        return None
    return loc.lat, loc.lon


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle (haversine) distance between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(h))


def gold_range(event_date: date, time_precision: int) -> tuple[date, date]:
    """The days ACLED's coding allows: precision 1 the day itself; 2 a week around it, three days before to
    six after (ACLED dates an event known to a range of days by the range's middle or its first day); 3 the
    calendar month."""
    if time_precision <= 1:
        return event_date, event_date
    if time_precision == 2:
        return event_date - timedelta(days=3), event_date + timedelta(days=6)
    last = calendar.monthrange(event_date.year, event_date.month)[1]
    return event_date.replace(day=1), event_date.replace(day=last)


def date_ok(event: Event | None, gold: AcledGold) -> bool:
    """Right when dyads resolved a date no coarser than a month (day, weekend, week, month; not a year, not
    the publication date) and its range [date, date_end] overlaps ACLED's (``gold_range``)."""
    if event is None or event.date is None or event.date_precision not in FINE_PRECISIONS:
        return False
    start, end = gold_range(gold.event_date, gold.time_precision)
    return event.date <= end and (event.date_end or event.date) >= start


# ---------------------------------------------------------------- the suite


def _rate(hits: int, n: int) -> float:
    return round(hits / n, 4) if n else 0.0


def score_acled(gold: Sequence[AcledGold], coded: Sequence[Sequence[Event]]) -> SuiteResult:
    """Figures over the notes ``gold`` with the events dyads coded from each (see the module docstring)."""
    mains = [main_event(evs) for evs in coded]
    rows = []  # (gold, main event, type ok, coordinates, within 50 km, date ok)
    for g, m in zip(gold, mains, strict=True):
        where = coordinates(m)
        near = where is not None and distance_km(where, (g.lat, g.lon)) <= NEAR_KM
        rows.append((g, m, type_ok(m, g), where is not None, near, date_ok(m, g)))
    n = len(rows)
    coded_n = sum(m is not None for _, m, *_ in rows)
    located = sum(r[3] for r in rows)
    near = sum(r[4] for r in rows)
    headline = {
        "type": _rate(sum(r[2] for r in rows), n),
        "located": _rate(located, n),
        "within_50km": _rate(near, located),
        "within_50km_all": _rate(near, n),
        "date": _rate(sum(r[5] for r in rows), n),
    }
    by_type: dict[str, Counter] = {}
    for g, m, *_ in rows:
        by_type.setdefault(g.kind, Counter())[m.event if m else "-"] += 1
    wrong = Counter(
        (g.subkind or g.kind, m.event if m else "-") for g, m, ok, *_ in rows if not ok
    )
    by_source: dict[str, list[tuple]] = {}
    for r in rows:
        by_source.setdefault(r[0].source_file, []).append(r)
    lines = [
        f"notes {n}, with an event {coded_n}; located {located}, within {NEAR_KM:.0f} km {near}",
        "  " + " · ".join(f"{k} {v:.3f}" for k, v in headline.items()),
        "main event's PLOVER type by ACLED type ('-': no event):",
        *(
            f"  {t:<28} " + ", ".join(f"{p} {c}" for p, c in cnt.most_common(6))
            for t, cnt in sorted(by_type.items())
        ),
        "wrong type, most frequent (ACLED sub-type → PLOVER): "
        + (", ".join(f"{a} → {p} {c}" for (a, p), c in wrong.most_common(8)) or "none"),
        f"type over the notes with an event: {_rate(sum(r[2] for r in rows), coded_n):.3f}",
        "date wrong: " + ", ".join(f"{k} {v}" for k, v in _date_misses(rows).most_common()),
        f"  {'source_file':<17} {'n':>5} {'type':>6} {'located':>8} {'50km':>6} {'date':>6}",
        *(
            f"  {src:<17} {len(rs):>5} {_rate(sum(r[2] for r in rs), len(rs)):>6.3f}"
            f" {_rate(sum(r[3] for r in rs), len(rs)):>8.3f}"
            f" {_rate(sum(r[4] for r in rs), sum(r[3] for r in rs)):>6.3f}"
            f" {_rate(sum(r[5] for r in rs), len(rs)):>6.3f}"
            for src, rs in sorted(by_source.items(), key=lambda kv: -len(kv[1]))
        ),
    ]
    return SuiteResult(name="acled_sahel", headline=headline, n=n, report="\n".join(lines))


def _date_misses(rows: list[tuple]) -> Counter:
    """Why the wrong dates are wrong: no event, no date or only the publication date, a year, or a range
    that misses ACLED's."""
    out: Counter = Counter()
    for _, m, *_, ok in rows:
        if ok:
            continue
        if m is None:
            out["no event"] += 1
        elif m.date is None or m.date_precision not in FINE_PRECISIONS:
            out[f"precision {m.date_precision}" if m.date else "no date"] += 1
        else:
            out["outside ACLED's range"] += 1
    return out


def code_notes(gold: Sequence[AcledGold]) -> list[list[Event]]:
    """Each note coded as one article, published ``REPORT_LAG`` after the event; a note the pipeline cannot
    code gets no events (and so scores as missed)."""
    from dyads.pipeline import code_articles

    articles = [Article(id=g.id, text=g.notes, published=g.event_date + REPORT_LAG) for g in gold]
    coded: dict[str, list[Event]] = {}
    for article, events in code_articles(articles, batch_size=64, on_error=lambda a, e: None):
        coded[article.id] = list(events)
    return [coded.get(g.id, []) for g in gold]


def run(dev: Path, only: str | None = None) -> SuiteResult:
    """Score the notes of part ``only`` (both parts when None); the split key is the event id."""
    return run_parts(load_events(dev / EVENTS_FILE), lambda g: g.id, only, code_notes, score_acled)
