"""How relations move: a dyad's events per period (``trend``), and the dyads whose relationship changed most
between two periods (``shifts``), with the events that drove the change.

A relationship in a period is read from the events between two countries in either direction: how many,
how many were cooperation (quad 1–2) and conflict (quad 3–4), and their mean Goldstein score (-10 to +10;
0 where the two had no event). Both take the event filters of ``dyads.queries`` (asserted events by default).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb

from dyads.queries import DEFAULT, Filters

BY = ("day", "week", "month")
PERIOD = re.compile(r"^(\d{4})(?:-(?:H([12])|Q([1-4])|(\d{2})(?:-(\d{2}))?))?$")


class PeriodError(ValueError):
    """A period that is not YYYY, YYYY-H1, YYYY-Q3, YYYY-MM, YYYY-MM-DD or FROM..TO of those."""


def period(text: str) -> tuple[date, date]:
    """The first and last day of a period: ``2024``, ``2024-H1``, ``2024-Q2``, ``2024-04``, ``2024-04-13``,
    or ``A..B`` (from the first day of A to the last of B)."""
    if ".." in text:
        first, _, last = text.partition("..")
        start, end = period(first)[0], period(last)[1]
        if end < start:
            raise PeriodError(f"{text!r}: ends before it starts")
        return start, end
    m = PERIOD.match(text.strip())
    if not m:
        raise PeriodError(f"{text!r}: expected YYYY, YYYY-H1, YYYY-Q3, YYYY-MM, YYYY-MM-DD or FROM..TO")
    year, half, quarter, month, day = m.groups()
    y = int(year)
    try:
        if day:
            d = date(y, int(month), int(day))
            return d, d
        if month:
            first_month = last_month = int(month)
        elif quarter:
            first_month, last_month = 3 * int(quarter) - 2, 3 * int(quarter)
        elif half:
            first_month, last_month = 6 * int(half) - 5, 6 * int(half)
        else:
            first_month, last_month = 1, 12
        return date(y, first_month, 1), date(y, last_month, calendar.monthrange(y, last_month)[1])
    except ValueError:
        raise PeriodError(f"{text!r}: no such date") from None


def trend(
    con: duckdb.DuckDBPyConnection,
    a: str,
    b: str,
    by: str = "month",
    directed: bool = False,
    filters: Filters = DEFAULT,
    prepared: bool = False,
) -> list[dict]:
    """Per period (the first day of each day, ISO week or month, from the first with events to the last,
    none skipped): the events between countries ``a`` and ``b`` (``a`` acting on ``b`` only, when
    ``directed``), cooperation, conflict and mean Goldstein (None in a period without events). With
    ``prepared`` (a snapshot's ``dyad_events``, ``dyads.store.prepare``; filters on factuality only) the
    pair's own rows are read, not every event."""
    if by not in BY:
        raise ValueError(f"by: expected one of {', '.join(BY)}")
    a, b = a.upper(), b.upper()
    if prepared:
        if filters != Filters(factuality=filters.factuality):
            raise ValueError("a prepared series filters on factuality only")
        pair = f"{a}>{b}" if directed else "-".join(sorted((a, b)))
        where, args = filters.where()
        source, args = f"dyad_events WHERE pair = ? AND {where}", [pair, *args]
    else:
        where, args = filters.where()
        pair = "(list_contains(actor_codes, ?) AND list_contains(recipient_codes, ?))"
        sides = pair if directed else f"({pair} OR {pair})"
        source = f"events WHERE {where} AND date IS NOT NULL AND {sides}"
        args += [a, b] + ([] if directed else [b, a])
    rows = con.execute(
        f"""
        SELECT CAST(date_trunc('{by}', date) AS DATE), count(*), count(*) FILTER (quad_code IN (1, 2)),
               count(*) FILTER (quad_code IN (3, 4)), round(avg(goldstein), 2)
        FROM {source} GROUP BY 1 ORDER BY 1
        """,
        args,
    ).fetchall()
    keys = ("period", "events", "cooperation", "conflict", "goldstein")
    found = {r[0]: r[1:] for r in rows}
    return [
        dict(zip(keys, (p.isoformat(), *found.get(p, (0, 0, 0, None))), strict=True))
        for p in (_periods(rows[0][0], rows[-1][0], by) if rows else [])
    ]


def _periods(first: date, last: date, by: str) -> Iterator[date]:
    """The first day of every day, ISO week or month from ``first`` to ``last`` (first days of theirs)."""
    while first <= last:
        yield first
        if by == "month":
            first = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        else:
            first += timedelta(days=7 if by == "week" else 1)


@dataclass
class Shift:
    """How the relationship of a pair of countries moved from one period to the other."""

    pair: tuple[str, str]
    before: dict  # events, cooperation, conflict, goldstein in the first period
    after: dict  # the same in the second
    change: float  # mean Goldstein after minus before
    drivers: list[dict]  # the events that moved it most: id, date, event, goldstein, actor, recipient, text

    def to_dict(self) -> dict:
        return {
            "pair": list(self.pair), "before": self.before, "after": self.after,
            "change": self.change, "drivers": self.drivers,
        }  # fmt: skip


def _stats(rows: list[tuple]) -> dict:
    goldstein = [r[4] for r in rows if r[4] is not None]
    return {
        "events": len(rows),
        "cooperation": sum(r[3] in (1, 2) for r in rows),
        "conflict": sum(r[3] in (3, 4) for r in rows),
        "goldstein": round(sum(goldstein) / len(goldstein), 2) if goldstein else 0.0,
    }


def shifts(
    con: duckdb.DuckDBPyConnection,
    before: tuple[date, date],
    after: tuple[date, date],
    top: int = 10,
    min_events: int = 3,
    drivers: int = 3,
    filters: Filters = DEFAULT,
) -> list[Shift]:
    """The ``top`` country pairs (either direction) whose mean Goldstein moved most from ``before`` to
    ``after`` (each a first and last day), among pairs with at least ``min_events`` events in the two
    periods together; each with the ``drivers`` events of the later period that pushed hardest in the
    direction of the change (or, where that period has none, of the earlier one that pushed against it)."""
    where, args = filters.where()
    rows = con.execute(
        f"""
        SELECT DISTINCT least(a, r), greatest(a, r), date BETWEEN ? AND ?, quad_code, goldstein,
               id, date, event, actor_codes, recipient_codes, text, article_id, span[1]
        FROM events, unnest(actor_codes) AS t1(a), unnest(recipient_codes) AS t2(r)
        WHERE {where} AND a <> r AND (date BETWEEN ? AND ? OR date BETWEEN ? AND ?)
        ORDER BY date, article_id, span[1], id
        """,
        [*after, *args, *before, *after],
    ).fetchall()
    by_pair: dict[tuple[str, str], tuple[list, list]] = {}
    for row in rows:
        by_pair.setdefault((row[0], row[1]), ([], []))[row[2]].append(row)
    found = []
    for pair, (old, new) in by_pair.items():
        if len(old) + len(new) < min_events:
            continue
        was, now = _stats(old), _stats(new)
        change = round(now["goldstein"] - was["goldstein"], 2)
        sign = 1 if change >= 0 else -1
        pushed = sorted((r for r in new if (r[4] or 0) * sign > 0), key=lambda r: -abs(r[4]))
        if not pushed:
            pushed = sorted((r for r in old if (r[4] or 0) * sign < 0), key=lambda r: -abs(r[4]))
        shown = [
            {"id": r[5], "date": r[6].isoformat(), "event": r[7], "goldstein": r[4],
             "actor": r[8], "recipient": r[9], "text": r[10]}
            for r in pushed[:drivers]
        ]  # fmt: skip
        found.append(Shift(pair, was, now, change, shown))
    found.sort(key=lambda s: (-abs(s.change), s.pair))
    return found[:top]
