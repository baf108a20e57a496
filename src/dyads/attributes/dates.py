"""When did it happen: temporal expressions resolved against the publication date, story time, datelines.

The entry points:

* :func:`resolve` turns one expression ("last weekend", "in March", "April 13, 2024", "two years ago")
  into a :class:`~dyads.model.ResolvedDate` anchored on the publication date, naming the rule that
  resolved it (``rule``: "explicit-day", "day-without-year", "weekday-relative", ...). Our own regex
  rules run first; ``dateparser`` is only a fallback for explicit dates the rules do not know.
* :func:`own_time` (through :func:`date_for_trigger`) finds the expression that modifies one event's
  predicate in a spaCy parse and resolves it, or reads it as a :class:`Shift` from the story's time
  ("the day before").
* :class:`StoryTime` dates every event of an article, one sentence after the other: its own time, else
  the time of the incident its sentence or an earlier sentence fixed, else the publication date
  (precision ``reported``); each date names its rule (``evidence.date_rule`` on the record).
* :func:`dateline_date` reads the date of a wire dateline ("NIAMEY, April 20 (Reuters) - ...") that
  ``dyads.dateline`` found.

Conventions (the choices the rules make):

* Weeks run Monday to Sunday; a weekend is Saturday and Sunday.
* "last weekend" is the most recent Saturday-Sunday that lies wholly before publication and does not
  contain it: published Monday 22 Apr 2024 -> 20-21 Apr; Saturday 20 or Sunday 21 Apr -> 13-14 Apr.
  "this weekend"/"the weekend": the weekend containing publication if it falls on one; otherwise the
  coming weekend, except on a Monday in a past-tense clause (the weekend just gone).
* A bare weekday ("Tuesday", "on Tuesday") is the most recent one on or before publication (the same
  weekday is that day); "last Tuesday" is strictly before; "next Tuesday", or any weekday in a future
  clause (``future=True``), is the first one strictly after publication.
* A bare month or year-less day ("in March", "April 13") is the most recent one not after publication;
  in a future clause the first one not before it.
* Numeric dates: ISO ``2024-04-13``; slashed ``13/04/2024`` reads day-first unless the first number
  cannot be a day-of-month pair that way (``04/13/2024`` is then month-first).
* Vague ranges ("in the coming days", "several weeks ago", "over the past decade") get honest bounds
  and the precision of their width: up to 7 days -> week, up to 31 -> month, else year. "early/mid/late
  March" narrow the range to days 1-10/11-20/21-end but keep precision month.
* A season of a year ("the summer of 2022") is its three months; "the first week of April" is days 1-7,
  "the last week of April" its last seven days; "a fortnight ago" is the week two weeks back.
* Expressions anchored on another event ("several weeks later", "the next day", "the previous day") and
  durations ("for two weeks") do not resolve: :func:`resolve` returns ``None`` and the event is dated
  ``reported``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache

from spacy.tokens import Span, Token

from dyads.ents import ents_in
from dyads.model import ResolvedDate

_MONTHS = {
    name: i for i in range(1, 13) for name in (calendar.month_name[i].lower(), calendar.month_abbr[i].lower())
}
_MONTHS["sept"] = 9
_WEEKDAYS = {calendar.day_name[i].lower(): i for i in range(7)}
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "a couple of": 2,
    "couple of": 2,
}
_FEW = ("a few", "few", "several", "some")
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365, "decade": 3652}

_MON = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WD = r"(?P<wd>" + "|".join(_WEEKDAYS) + r")"
_NUM = r"(?P<n>\d+|" + "|".join(sorted([*_NUMBERS, *_FEW], key=len, reverse=True)) + r")"
_UNIT = r"(?P<unit>day|week|month|year|decade)s?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_PART = r"(?P<part>early|mid|middle|late|(?:the )?(?:beginning|start|end|middle) of(?: the)?)"

# ---------------------------------------------------------------------------------------------------
# calendar arithmetic


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _add_months(d: date, n: int) -> tuple[int, int]:
    k = d.year * 12 + d.month - 1 + n
    return k // 12, k % 12 + 1


def _month(y: int, m: int, text: str) -> ResolvedDate:
    return ResolvedDate(date(y, m, 1), _month_end(y, m), "month", text)


def _year(y: int, text: str) -> ResolvedDate:
    return ResolvedDate(date(y, 1, 1), date(y, 12, 31), "year", text)


def _week(d: date, text: str) -> ResolvedDate:
    monday = d - timedelta(days=d.weekday())
    return ResolvedDate(monday, monday + timedelta(days=6), "week", text)


def _weekend(saturday: date, text: str) -> ResolvedDate:
    return ResolvedDate(saturday, saturday + timedelta(days=1), "weekend", text)


def _span(start: date, end: date, text: str) -> ResolvedDate:
    """A vague range, with the precision its width earns."""
    width = (end - start).days
    precision = "day" if width == 0 else "week" if width <= 7 else "month" if width <= 31 else "year"
    return ResolvedDate(start, end if width else None, precision, text)


def _day(d: date, text: str) -> ResolvedDate:
    return ResolvedDate(d, None, "day", text)


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _count(word: str) -> int | None:
    return int(word) if word.isdigit() else _NUMBERS.get(word)


def _recent_year_for(m: int, d: int, p: date, future: bool) -> date | None:
    """The year-less month/day nearest publication on the side the clause's tense points to.

    A 29 February goes to the nearest leap year on that side."""
    step = 1 if future else -1
    for y in range(p.year, p.year + 9 * step, step):
        cand = _safe_date(y, m, d)
        if cand and (cand >= p if future else cand <= p):
            return cand
    return None


# ---------------------------------------------------------------------------------------------------
# the rules: (pattern, handler(match, published, future, text)) tried in order on the normalised text

Rule = Callable[[re.Match, date, bool, str], ResolvedDate | None]
_RULES: list[tuple[re.Pattern, Rule, str]] = []


def _rule(pattern: str, name: str) -> Callable[[Rule], Rule]:
    """Register a rule; ``name`` is the ``date_rule`` of its dates, unless the handler names a finer one."""

    def register(fn: Rule) -> Rule:
        _RULES.append((re.compile(pattern + r"$"), fn, name))
        return fn

    return register


@_rule(r"(?:today|tonight|this (?:morning|afternoon|evening))", "today")
def _today(m: re.Match, p: date, future: bool, text: str) -> ResolvedDate:
    return _day(p, text)


@_rule(
    r"(?P<w>(?:the day before )?yesterday|last night|tomorrow)(?: (?:morning|afternoon|evening|night))?",
    "day-relative",
)
def _yesterday(m: re.Match, p: date, future: bool, text: str) -> ResolvedDate:
    offset = {"yesterday": -1, "last night": -1, "tomorrow": 1}.get(m["w"], -2)
    return _day(p + timedelta(days=offset), text)


@_rule(
    r"(?:(?P<mod>last|this|next|past|early|late) )?" + _WD + r"(?: (?:morning|afternoon|evening|night))?",
    "weekday-relative",
)
def _weekday(m: re.Match, p: date, future: bool, text: str) -> ResolvedDate:
    back = (p.weekday() - _WEEKDAYS[m["wd"]]) % 7
    mod = m["mod"]
    if mod == "next" or (future and mod not in ("last", "past")):
        return _day(p + timedelta(days=(7 - back) % 7 or 7), text)
    if mod in ("last", "past"):
        back = back or 7
    return _day(p - timedelta(days=back), text)


@_rule(r"(?:(?P<mod>last|this|next|past|previous|coming|upcoming) )?weekend", "weekend-relative")
def _weekend_rule(m: re.Match, p: date, future: bool, text: str) -> ResolvedDate:
    wd, mod = p.weekday(), m["mod"]
    last_sunday = p - timedelta(days=(wd + 1) % 7 or 7)
    next_saturday = p + timedelta(days=(5 - wd) % 7 or 7)
    if mod in ("last", "past", "previous"):
        return _weekend(last_sunday - timedelta(days=1), text)
    if mod in ("next", "coming", "upcoming"):
        return _weekend(next_saturday, text)
    if wd >= 5:  # "this weekend"/"the weekend" on a Saturday or Sunday: the one we are in
        return _weekend(p - timedelta(days=wd - 5), text)
    if wd == 0 and not future:
        return _weekend(last_sunday - timedelta(days=1), text)
    return _weekend(next_saturday, text)


@_rule(
    r"(?:(?P<mod>last|this|next|past|previous|coming|current) )?(?P<unit>week|month|year)",
    "calendar-unit-relative",
)
def _calendar_unit(m: re.Match, p: date, future: bool, text: str) -> ResolvedDate | None:
    if m["mod"] is None:
        return None
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(m["mod"], 0)
    if m["unit"] == "week":
        return _week(p + timedelta(days=7 * step), text)
    if m["unit"] == "month":
        return _month(*_add_months(p, step), text)
    return _year(p.year + step, text)


@_rule(r"(?P<when>earlier|later) (?:this|in the) (?P<unit>week|month|year)", "earlier-later-this")
def _earlier_later(m: re.Match, p: date, future: bool, text: str) -> ResolvedDate:
    if m["unit"] == "week":
        cur = _week(p, text)
    elif m["unit"] == "month":
        cur = _month(p.year, p.month, text)
    else:
        cur = _year(p.year, text)
    if m["when"] == "earlier":
        return ResolvedDate(cur.date, p, cur.precision, text)
    return ResolvedDate(p, cur.date_end, cur.precision, text)


@_rule(_NUM + r" " + _UNIT + r" ago", "units-ago")
def _ago(m: re.Match, p: date, future: bool, text: str) -> ResolvedDate | None:
    unit, n = m["unit"], _count(m["n"])
    if n is None:  # "a few/several days ago": between two and six units back
        days = _UNIT_DAYS[unit]
        return _span(p - timedelta(days=6 * days), p - timedelta(days=2 * days), text)
    if unit == "day":
        return _day(p - timedelta(days=n), text)
    if unit == "week":
        return _week(p - timedelta(days=7 * n), text)
    if unit == "month":
        return _month(*_add_months(p, -n), text)
    return _year(p.year - n * (10 if unit == "decade" else 1), text)


@_rule(r"(?:a|one) fortnight ago", "units-ago")
def _fortnight_ago(m: re.Match, p: date, future: bool, text: str) -> ResolvedDate:
    return _week(p - timedelta(days=14), text)


@_rule(r"(?:the )?(?:past|last|previous) (?:" + _NUM + r" )?" + _UNIT, "past-units")
def _past_n(m: re.Match, p: date, future: bool, text: str) -> ResolvedDate | None:
    if "previous" in m[0] and m["unit"] == "day" and not m["n"]:
        return None  # "the previous day": the day before another event, like "the next day"
    n = _count(m["n"]) if m["n"] else 1
    n = 4 if n is None else n  # "the past few weeks"
    if m["unit"] in ("month", "year", "decade"):
        months = n * {"month": 1, "year": 12, "decade": 120}[m["unit"]]
        y, mo = _add_months(p, -months)
        return _span(_safe_date(y, mo, p.day) or _month_end(y, mo), p, text)
    return _span(p - timedelta(days=n * _UNIT_DAYS[m["unit"]]), p, text)


@_rule(
    r"(?:the )?(?:coming|upcoming|next|following)(?: " + _NUM + r")? (?P<unit>day|week|month)s",
    "coming-units",
)
def _coming(m: re.Match, p: date, future: bool, text: str) -> ResolvedDate:
    n = _count(m["n"]) if m["n"] else None
    default = {"day": 7, "week": 28, "month": 180}[m["unit"]]
    days = n * _UNIT_DAYS[m["unit"]] if n else default
    return _span(p + timedelta(days=1), p + timedelta(days=days), text)


@_rule(r"recent (?P<unit>day|week|month|year)s", "recent-units")
def _recent(m: re.Match, p: date, future: bool, text: str) -> ResolvedDate:
    days = {"day": 7, "week": 30, "month": 180, "year": 1825}[m["unit"]]
    return _span(p - timedelta(days=days), p, text)


@_rule(
    r"(?:the )?weekend of (?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:-|–| and | to )"
    + _DAY
    + " "
    + _MON
    + r"(?:,? "
    + _YEAR
    + r")?",
    "day-range",
)
def _weekend_of(m: re.Match, p: date, future: bool, text: str) -> ResolvedDate | None:
    return _day_range(m, p, future, text)


@_rule(
    r"(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:-|–| and | to )" + _DAY + " " + _MON + r"(?:,? " + _YEAR + r")?",
    "day-range",
)
def _day_range_dm(m: re.Match, p: date, future: bool, text: str) -> ResolvedDate | None:
    return _day_range(m, p, future, text)


@_rule(
    _MON + r" (?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:-|–| and | to )" + _DAY + r"(?:,? " + _YEAR + r")?",
    "day-range",
)
def _day_range_md(m: re.Match, p: date, future: bool, text: str) -> ResolvedDate | None:
    return _day_range(m, p, future, text)


def _day_range(m: re.Match, p: date, future: bool, text: str) -> ResolvedDate | None:
    mon, d1, d2 = _MONTHS[m["mon"]], int(m["d1"]), int(m["day"])
    if m["year"]:
        start = _safe_date(int(m["year"]), mon, d1)
    else:
        start = _recent_year_for(mon, d1, p, future)
    end = _safe_date(start.year, mon, d2) if start else None
    if start is None or end is None or end < start:
        return None
    if start.weekday() == 5 and (end - start).days == 1:
        return _weekend(start, text)
    return ResolvedDate(start, end, "day", text)


@_rule(r"(?:(?P<wd>[a-z]+),? )?" + _MON + r" " + _DAY + r"(?:,? " + _YEAR + r")?", "explicit-day")
def _month_day(m: re.Match, p: date, future: bool, text: str) -> ResolvedDate | None:
    return _explicit_day(m, p, future, text)


@_rule(
    r"(?:(?P<wd>[a-z]+),? )?(?:the )?" + _DAY + r" (?:of )?" + _MON + r"(?:,? " + _YEAR + r")?",
    "explicit-day",
)
def _day_month(m: re.Match, p: date, future: bool, text: str) -> ResolvedDate | None:
    return _explicit_day(m, p, future, text)


def _explicit_day(m: re.Match, p: date, future: bool, text: str) -> ResolvedDate | None:
    if m["wd"] and m["wd"] not in _WEEKDAYS:
        return None
    mon, day = _MONTHS[m["mon"]], int(m["day"])
    if m["year"]:
        d = _safe_date(int(m["year"]), mon, day)
        return _day(d, text) if d else None
    d = _recent_year_for(mon, day, p, future)
    return replace(_day(d, text), rule="day-without-year") if d else None


@_rule(_YEAR + r"-(?P<mon>\d{1,2})-" + _DAY, "explicit-day")
def _iso(m: re.Match, p: date, future: bool, text: str) -> ResolvedDate | None:
    d = _safe_date(int(m["year"]), int(m["mon"]), int(m["day"]))
    return _day(d, text) if d else None


@_rule(r"(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<year>(?:1[89]|20)?\d\d)", "explicit-day")
def _slashed(m: re.Match, p: date, future: bool, text: str) -> ResolvedDate | None:
    a, b, y = int(m["a"]), int(m["b"]), int(m["year"])
    y = y if y >= 100 else 2000 + y
    d = _safe_date(y, b, a) or _safe_date(y, a, b)  # day-first unless impossible
    return _day(d, text) if d else None


@_rule(r"(?:(?P<mod>last|this|next|past) )?" + _MON + r"(?:,? " + _YEAR + r")?", "month")
def _month_name(m: re.Match, p: date, future: bool, text: str) -> ResolvedDate | None:
    mon = _MONTHS[m["mon"]]
    if m["year"]:
        return _month(int(m["year"]), mon, text)
    mod = m.groupdict().get("mod")
    if mod == "next" or (future and mod not in ("last", "past")):
        y = p.year if mon > p.month or (mon == p.month and mod != "next") else p.year + 1
    else:
        y = p.year if mon < p.month or (mon == p.month and mod not in ("last", "past")) else p.year - 1
    return _month(y, mon, text)


@_rule(
    _PART
    + r" (?:(?P<mod>last|this|next) )?(?:"
    + _MON
    + r"(?:,? "
    + _YEAR
    + r")?|"
    + r"(?P<y2>(?:1[89]|20)\d\d)|(?P<unit>year|month|week))",
    "part-of-period",
)
def _part_of(m: re.Match, p: date, future: bool, text: str) -> ResolvedDate | None:
    if m["mon"]:
        whole = _month_name(m, p, future, text)
    elif m["y2"]:
        whole = _year(int(m["y2"]), text)
    elif m["mod"]:
        whole = _calendar_unit(m, p, future, text)
    else:
        return None
    assert whole is not None and whole.date_end is not None
    part = next(w for w in m["part"].split() if w not in ("the", "of"))
    third = {"early": 0, "beginning": 0, "start": 0, "mid": 1, "middle": 1}.get(part, 2)
    start, end = whole.date, whole.date_end
    if whole.precision == "year":  # January-April, May-August, September-December
        start, end = date(start.year, 4 * third + 1, 1), _month_end(start.year, 4 * third + 4)
    elif whole.precision == "month":  # days 1-10, 11-20, 21-end
        start = start + timedelta(days=10 * third)
        end = start + timedelta(days=9) if third < 2 else end
    else:  # a week: Monday-Tuesday, Wednesday-Thursday, Friday-Sunday
        start = start + timedelta(days=2 * third)
        end = start + timedelta(days=1) if third < 2 else end
    return ResolvedDate(start, end, whole.precision, text)


@_rule(
    r"(?:the )?(?P<mod>last|this|next|past|previous) (?P<season>spring|summer|autumn|fall|winter)",
    "season-relative",
)
def _season(m: re.Match, p: date, future: bool, text: str) -> ResolvedDate:
    """Northern-hemisphere meteorological seasons (winter = December to February)."""
    first = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}[m["season"]]
    starts = [date(y, first, 1) for y in range(p.year - 2, p.year + 2)]
    seasons = [(s, _month_end(*_add_months(s, 2))) for s in starts]
    if m["mod"] == "next":
        start, end = next(s for s in seasons if s[0] > p)
    elif m["mod"] == "this" and (future or any(s[0] <= p <= s[1] for s in seasons)):
        start, end = next(s for s in seasons if s[1] >= p)
    else:
        start, end = [s for s in seasons if s[1] < p][-1]
    return ResolvedDate(start, end, "month", text)


@_rule(r"(?:the )?(?P<season>spring|summer|autumn|fall|winter)(?: of)? " + _YEAR, "season")
def _season_of(m: re.Match, p: date, future: bool, text: str) -> ResolvedDate:
    """ "the summer of 2022": June to August; "winter 2023" runs from December 2023 to February 2024."""
    start = date(
        int(m["year"]), {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}[m["season"]], 1
    )
    return ResolvedDate(start, _month_end(*_add_months(start, 2)), "month", text)


@_rule(
    r"(?:the )?(?P<ord>first|second|third|fourth|last) week (?:of|in) " + _MON + r"(?:,? " + _YEAR + r")?",
    "week-of-month",
)
def _week_of_month(m: re.Match, p: date, future: bool, text: str) -> ResolvedDate | None:
    """ "the first week of April": days 1-7; "the last week of April": its last seven days."""
    mon = _MONTHS[m["mon"]]
    first = _safe_date(int(m["year"]), mon, 1) if m["year"] else _recent_year_for(mon, 1, p, future)
    if first is None:
        return None
    end_of_month = _month_end(first.year, mon)
    if m["ord"] == "last":
        return ResolvedDate(end_of_month - timedelta(days=6), end_of_month, "week", text)
    start = first + timedelta(days=7 * ("first", "second", "third", "fourth").index(m["ord"]))
    return ResolvedDate(start, start + timedelta(days=6), "week", text)


@_rule(r"(?:q(?P<q>[1-4])|(?P<ord>first|second|third|fourth) quarter(?: of)?),? " + _YEAR, "quarter")
def _quarter(m: re.Match, p: date, future: bool, text: str) -> ResolvedDate:
    q = int(m["q"]) if m["q"] else ("first", "second", "third", "fourth").index(m["ord"]) + 1
    y = int(m["year"])
    return _span(date(y, 3 * q - 2, 1), _month_end(y, 3 * q), text)


@_rule(
    r"(?:between )?(?P<m1>"
    + "|".join(_MONTHS)
    + r")\.? (?:and|to|through|-) "
    + _MON
    + r"(?:,? "
    + _YEAR
    + r")?",
    "month-range",
)
def _month_range(m: re.Match, p: date, future: bool, text: str) -> ResolvedDate | None:
    last = _month_name(m, p, future, text)
    assert last is not None and last.date_end is not None
    first = _MONTHS[m["m1"]]
    y = last.date.year if first <= last.date.month else last.date.year - 1
    return _span(date(y, first, 1), last.date_end, text)


@_rule(_YEAR, "year")
def _bare_year(m: re.Match, p: date, future: bool, text: str) -> ResolvedDate:
    return _year(int(m["year"]), text)


@_rule(r"(?:(?:the|early|mid|late) )?(?P<dec>(?:1[89]|20)\d)0'?s", "decade")
def _decade(m: re.Match, p: date, future: bool, text: str) -> ResolvedDate:
    y = int(m["dec"]) * 10
    return ResolvedDate(date(y, 1, 1), date(y + 9, 12, 31), "year", text)


@_rule(r"(?:between )?" + _YEAR + r" (?:and|to|-|–) (?P<y2>(?:1[89]|20)\d\d)", "year-range")
def _year_range(m: re.Match, p: date, future: bool, text: str) -> ResolvedDate | None:
    a, b = int(m["year"]), int(m["y2"])
    return ResolvedDate(date(a, 1, 1), date(b, 12, 31), "year", text) if a <= b else None


# ---------------------------------------------------------------------------------------------------
# resolve

# What may stand before a date without changing it: "on", "between 3 and 5 May", "overnight 4 to 5 June",
# "on or around 12 May", "the night of 3 May". Stripped one at a time ("overnight between ...").
_STRIP_PREP = re.compile(
    r"^(?:in|on|during|at|over|throughout|as of|around|about|from|between|overnight|(?:the )?night of"
    r"|or (?:around|about)|(?:the )?(?:morning|afternoon|evening) of)\s+"
)
_SINCE = re.compile(r"^since\s+")
_REJECT = re.compile(
    r"^(?:before|after|until|till|by|for|within|prior to)\b|\b(?:later|earlier|before|after|prior)$"
)
_HAS_DATE_WORD = re.compile(r"\d{1,4}[/.-]\d{1,2}|\b(?:" + "|".join(_MONTHS) + r")\b")


def _normalise(expr: str) -> str:
    s = expr.lower().replace("’", "'").replace("\u2013", "-")
    s = re.sub(r"\s+", " ", s).strip(" ,.;:")
    s = re.sub(r"'s$", "", s)
    s = re.sub(r"\s*-\s*(?=\d)|(?<=\d)\s*-\s*", "-", s)
    s = re.sub(r"\b(early|mid|late)-", r"\1 ", s)
    return re.sub(r"^the (?!day before|weekend of|beginning|start|end|middle)", "", s)


@lru_cache(maxsize=65536)
def _resolve_cached(expr: str, published: date, future: bool) -> ResolvedDate | None:
    try:
        return _resolve_uncached(expr, published, future)
    except (ValueError, OverflowError):  # "3000 years ago", "99999999 days ago": no calendar date
        return None


def _resolve_uncached(expr: str, published: date, future: bool) -> ResolvedDate | None:
    s = _normalise(expr)
    if _SINCE.match(s):
        start = _resolve_cached(s[6:], published, False)
        if start is None or start.date > published:
            return None
        return ResolvedDate(start.date, published, start.precision, expr, "since")
    while (stripped := _normalise(_STRIP_PREP.sub("", s))) != s:
        s = stripped
    if not s or _REJECT.search(s):
        return None
    for pattern, handler, name in _RULES:
        m = pattern.match(s)
        if m:
            found = handler(m, published, future, expr)
            if found is not None:
                return found if found.rule else replace(found, rule=name)
    return _dateparser_fallback(s, published, future, expr)


@lru_cache(maxsize=64)
def _date_parser(p: date, future: bool):
    from dateparser.date import DateDataParser  # slow to import and to build: only when needed, once a day

    settings = {
        "RELATIVE_BASE": datetime(p.year, p.month, p.day),
        "PREFER_DATES_FROM": "future" if future else "past",
    }
    return DateDataParser(languages=["en"], settings=settings)


def _dateparser_fallback(s: str, p: date, future: bool, text: str) -> ResolvedDate | None:
    """Explicit dates in formats the rules do not know; nothing without a month name or a number."""
    if not _HAS_DATE_WORD.search(s) or re.fullmatch(r"[\d ,]+|\d+ \w+", s):
        return None
    data = _date_parser(p, future).get_date_data(s)
    if data.date_obj is None:
        return None
    d = data.date_obj.date()
    if data.period == "month":
        found = _month(d.year, d.month, text)
    elif data.period == "year":
        found = _year(d.year, text)
    elif data.period == "week":
        found = _week(d, text)
    else:
        found = _day(d, text)
    return replace(found, rule="dateparser")


def resolve(expr: str, published: date, *, future: bool = False) -> ResolvedDate | None:
    """Resolve one temporal expression against the publication date.

    ``future`` says the clause looks forward ("will travel in March"), which flips bare months and
    weekdays to the next occurrence. Returns None for what is not a date of its own (durations,
    "several weeks later", "before March"). ``text`` on the result is ``expr`` as given.
    """
    found = _resolve_cached(expr, published, future)
    return replace(found) if found is not None else None  # a copy: the cached record stays intact


# ---------------------------------------------------------------------------------------------------
# date_for_trigger

_CLAUSE_DEPS = {"relcl", "acl", "advcl", "ccomp", "xcomp", "csubj", "csubjpass", "conj", "parataxis", "pcomp"}
_TEMPORAL_PREPS = {"in", "on", "at", "during", "since", "over", "throughout", "around", "from", "between"}
_NOUN_MODS = {"compound", "poss", "nmod", "amod", "nummod"}
_FUTURE_AUX = {"will", "shall", "would", "'ll", "wo"}  # "would travel in March" looks forward too
_FUTURE_GOVERNORS = {"plan", "expect", "schedule", "intend", "aim", "hope", "prepare", "going"}
_CAP_MON = r"(?-i:(?:" + "|".join(sorted({m.capitalize() for m in _MONTHS}, key=len, reverse=True)) + r")\.?)"
_DAY_NUM = r"\d{1,2}(?:st|nd|rd|th)?(?:\s*(?:-|–|and|to)\s*\d{1,2}(?:st|nd|rd|th)?)?"
# The relative expressions the NER tends to miss, and explicit days it splits ("10 February 2020" read as
# "February 2020", "18 and 19 March" as "March").
_MISSED = re.compile(
    r"\b(?:"
    + _DAY_NUM
    + r" (?:of )?"
    + _CAP_MON
    + r"(?:,? \d{4})?|"
    + _CAP_MON
    + " "
    + _DAY_NUM
    + r"(?:,? \d{4})?"
    r"|(?:last|this|next|past|the) weekend"
    r"|the (?:coming|upcoming|next few|following) (?:days|weeks|months)"
    r"|(?:earlier|later) this (?:week|month|year)|(?:last|this|next) (?:week|month|year)"
    r"|yesterday|today|tomorrow|(?:\w+ )(?:days|weeks|months|years) ago"
    r"|(?:last |this |next )?(?:" + "|".join(_WEEKDAYS) + r"))\b",
    re.IGNORECASE,
)


def _has_subject(tok: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in tok.children)


def _is_clause_head(tok: Token) -> bool:
    return tok.dep_ == "ROOT" or (tok.pos_ in ("VERB", "AUX") and tok.dep_ in _CLAUSE_DEPS)


def _clause_head(tok: Token) -> Token:
    while not _is_clause_head(tok) and tok.head != tok:
        tok = tok.head
    return tok


def _date_spans(sent: Span) -> list[Span]:
    """DATE entities of the sentence plus the relative expressions the NER tends to miss."""
    spans = [e for e in ents_in(sent) if e.label_ == "DATE"]
    doc = sent.doc
    for m in _MISSED.finditer(sent.text):
        span = doc.char_span(sent.start_char + m.start(), sent.start_char + m.end(), alignment_mode="expand")
        if span is None:
            continue
        overlapping = [e for e in spans if e.start < span.end and span.start < e.end]
        if all(span.start <= e.start and e.end <= span.end for e in overlapping):
            spans = [e for e in spans if e not in overlapping] + [span]
    return spans


_TIME_OF_DAY = {"morning", "afternoon", "evening", "night", "day"}


def _widen(span: Span) -> tuple[Span, Span, Token | None]:
    """The date widened to its time of day ("Saturday evening"); that again widened to its governing
    preposition ("on Saturday evening", "since 2021"), the text to resolve; and the preposition."""
    root = span.root
    if root.head.i == span.end and root.head.lower_ in _TIME_OF_DAY:
        root = root.head
        span = span.doc[span.start : root.i + 1]
    prep = root.head if root.dep_ == "pobj" and root.head.dep_ == "prep" else None
    if prep is not None and prep.i == span.start - 1:
        return span, span.doc[prep.i : span.end], prep
    return span, span, prep


_DELIMITERS = {",", "-", "–", "—", ":"}


# Prepositions that front a date even without a comma: "On 6 June workers marched ...".
_BARE_OPENERS = {"on", "overnight", "between"}


def _sentence_initial(span: Span, sent: Span) -> bool:
    """A fronted adverbial: the date opens the sentence (after at most a preposition) and no verb comes
    before the first comma (or the dash of a chronology line, "1986 - ..."); or the date sits anywhere
    before that comma and the main verb after it ("As reported on 3 May, ..."). A date the parse hangs on a
    noun ("1986 - An American pilot ...") must be followed by the delimiter itself. "On 6 June" needs no
    comma."""
    lead = span.start - sent.start
    opener = lead == 0 or (lead == 1 and sent[0].pos_ in ("ADP", "ADV"))
    if lead == 1 and sent[0].lower_ in _BARE_OPENERS:
        return True
    if span.root.dep_ in _NOUN_MODS and (span.end >= sent.end or span.doc[span.end].text not in _DELIMITERS):
        return False
    first = next((tok.i for tok in sent if tok.text in _DELIMITERS), None)
    if first is None or first < span.end:
        return False
    if sent.root.i > first:
        return True
    return opener and not any(
        tok.pos_ == "VERB" and tok.dep_ != "prep" for tok in sent.doc[sent.start : first]
    )


def _is_future(head: Token) -> bool:
    tok = head
    for _ in range(3):
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in _FUTURE_AUX for c in tok.children):
            return True
        if tok != head and (tok.lemma_ in _FUTURE_GOVERNORS or tok.lower_ in _FUTURE_GOVERNORS):
            return True
        if tok.dep_ != "xcomp" or tok.head == tok:
            return False
        tok = tok.head
    return False


def _candidates(trigger: Token) -> list[tuple[int, int, Span]]:
    """(rank, distance, span) for every date that modifies the trigger's predicate; lower rank wins."""
    sent = trigger.sent
    head = trigger if _is_clause_head(trigger) else _clause_head(trigger)
    found = []
    for span in _date_spans(sent):
        span, text_span, prep = _widen(span)
        if prep is not None and prep.lower_ not in _TEMPORAL_PREPS:
            continue
        attached = prep.head if prep is not None else span.root.head
        initial = _sentence_initial(span, sent)
        if (
            not initial
            and span.root.dep_ in _NOUN_MODS
            and attached.pos_ in ("NOUN", "PROPN")
            and attached != trigger
            and span.end <= attached.i
            and not (attached.dep_ == "pobj" and attached.head.lower_ == "during")
        ):
            continue  # "the 2021 coup": a year before a noun describes that noun (unless "during the ...")
        owner = sent.root if initial else _clause_head(attached)
        if attached == trigger or span.root.head == trigger:
            rank = 0
        elif owner == head and attached == head:
            rank = 1
        elif owner == head:
            rank = 2
        elif trigger.pos_ in ("NOUN", "PROPN") and owner.head == trigger and owner.dep_ in ("relcl", "acl"):
            rank = 2  # "the talks, which were held last month"
        elif owner.dep_ == "conj" and owner.head == head and not _has_subject(owner):
            rank = 3  # "was shot and wounded ... March 28": the verbs share the modifier
        else:
            continue
        found.append((rank, abs(span.root.i - trigger.i), text_span))
    return sorted(found, key=lambda c: (c[0], c[1]))


# Expressions anchored on the story's own time: "the day before", "two days later", "the next day" shift the
# incident's day; "weeks later", "the following month" move it by an amount too vague to date.
_SHIFT = re.compile(
    r"^(?:(?:the )?(?P<dir1>next|following|previous|preceding|same) (?:day|morning|afternoon|evening|night)"
    r"|(?:(?P<the>the )|(?P<n>" + "|".join(sorted([*_NUMBERS, *_FEW], key=len, reverse=True)) + r"|\d+) )?"
    r"(?P<u2>hour|day|week|month|year|night)s? (?P<dir2>later|after|afterwards|earlier|before)"
    r"|(?:the )?(?P<u3>next|following|previous|preceding) (?:week|month|year|weeks|months|days)"
    r"|that (?:same )?(?:day|morning|afternoon|evening|night))$"
)


@dataclass(frozen=True)
class Shift:
    """A time told from the story's own time: ``days`` after it (negative: before), None when too vague."""

    days: int | None
    text: str


def _shift(expr: str) -> Shift | None:
    m = _SHIFT.match(_normalise(_STRIP_PREP.sub("", _normalise(expr))))
    if m is None:
        return None
    if m["dir1"]:
        return Shift({"next": 1, "following": 1, "previous": -1, "preceding": -1}.get(m["dir1"], 0), expr)
    if m["u2"] in ("hour", "day", "night"):
        n = 0 if m["u2"] == "hour" else 1 if m["the"] else _count(m["n"]) if m["n"] else None
        sign = -1 if m["dir2"] in ("earlier", "before") else 1
        return Shift(None if n is None else sign * n, expr)
    return Shift(0 if m[0].startswith("that") else None, expr)


@dataclass(frozen=True)
class OwnTime:
    """What a predicate's own words say about when it happened: a date resolved against publication, a shift
    from the story's time, or (both None) nothing."""

    date: ResolvedDate | None = None
    shift: Shift | None = None


def date_for_trigger(trigger: Token, published: date) -> ResolvedDate | Shift | None:
    """The time that ``trigger``'s own words give the event it denotes (a verb or an event noun).

    Takes the temporal expression that modifies this predicate in the dependency parse (its own
    modifiers, then its clause's, then a fronted sentence-initial adverbial for the main verb); dates
    inside nested clauses with their own verb are not taken. A conjoined verb or a subjectless
    participle clause ("..., demanding ...") shares its governing clause's date. An expression told from
    another time ("the day before") is a :class:`Shift`; with nothing found, None.
    """
    head = trigger if _is_clause_head(trigger) else _clause_head(trigger)
    future = _is_future(head)
    for _, _, span in _candidates(trigger):
        found = resolve(span.text, published, future=future) or _shift(span.text)
        if found is not None:
            return found
    inherits = (
        head.dep_ == "conj"
        or (head.dep_ in ("xcomp", "oprd") and head.tag_ == "VBN")  # "was found murdered"
        or (
            head.dep_ == "advcl"
            and head.tag_ in ("VBG", "VBN")
            and not any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in head.children)
        )
    )
    if inherits and head.head != head:
        return date_for_trigger(head.head, published)
    return None


def own_time(trigger: Token, anchor: Token, published: date | None) -> OwnTime:
    """The event's own time: the expression on the verb that carries it, else on the trigger itself."""
    if published is None:
        return OwnTime()
    found = date_for_trigger(anchor, published)
    if found is None and anchor != trigger:
        found = date_for_trigger(trigger, published)
    return OwnTime(shift=found) if isinstance(found, Shift) else OwnTime(date=found)


# ---------------------------------------------------------------------------------------------------
# story time: a sentence without a time of its own continues the incident an earlier sentence dated

# What an event whose factuality is one of these says happened, and may take or give the story's time.
_HAPPENED = {"asserted", "claimed", "negated"}
# Dates that fix an incident's time; a year, or a stretch running up to publication ("since 2012", "over
# the past week"), sets the background, not the incident.
_INCIDENT_PRECISION = {"day", "weekend", "week", "month"}
_ONGOING_RULES = {"since", "past-units", "recent-units", "coming-units"}
_PERFECT_AUX = {"has", "have", "had", "'s", "'ve", "'d"}


def _clause(anchor: Token) -> Token:
    return anchor if _is_clause_head(anchor) else _clause_head(anchor)


def _relative(anchor: Token) -> bool:
    """In a relative clause ("the group, which attacked ...", "gunmen, who fled")."""
    tok = _clause(anchor)
    for _ in range(4):
        if tok.dep_ == "relcl":
            return True
        if tok.dep_ not in ("conj", "xcomp", "advcl") or tok.head == tok:
            return False
        tok = tok.head
    return False


def _perfect(anchor: Token) -> bool:
    """A perfect tense ("has attacked", "had seized", "claimed to have killed"): before its reference time."""
    head = _clause(anchor)
    return head.tag_ == "VBN" and any(c.dep_ == "aux" and c.lower_ in _PERFECT_AUX for c in head.children)


def _present(anchor: Token) -> bool:
    """A clause in the present tense ("the army says", "is reported"): about the time of writing."""
    head = _clause(anchor)
    return head.tag_ in ("VBZ", "VBP") or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBZ", "VBP") for c in head.children
    )


class StoryTime:
    """The time of the incident a story tells, carried from one sentence to the next.

    A sentence's *scene* is the date of its first event that happened and is told in the simple past or
    present outside a relative clause (else the date of its main verb): "On 27 October, gunmen attacked
    Tako". Its events without a time of their own take the scene (``inherited-from-sentence``), unless
    they are background: a relative clause in a perfect or present tense ("the group, which has attacked
    ..."). With no scene, an event in the simple past outside a relative clause takes the time an earlier
    sentence fixed (``inherited-from-story``); anything else is dated to publication (``publication-date``,
    precision ``reported``). "The day before" shifts the story's time. One pass over the article, one
    sentence at a time."""

    def __init__(self, published: date | None) -> None:
        self.published = published
        self.current: ResolvedDate | None = None  # the incident's time, as the last sentence that set it said

    def _incident(self, when: ResolvedDate | None, fact: str) -> bool:
        assert self.published is not None
        return (
            when is not None
            and fact in _HAPPENED
            and when.precision in _INCIDENT_PRECISION
            and when.rule not in _ONGOING_RULES
            and when.date <= self.published
        )

    def _shifted(self, shift: Shift) -> ResolvedDate | None:
        base = self.current
        if shift.days is None or base is None or base.precision != "day":
            return None
        return ResolvedDate(
            base.date + timedelta(days=shift.days), None, "day", shift.text, "shift-from-story"
        )

    def settle(
        self, sent: Span, anchors: list[Token], owns: list[OwnTime], facts: list[str]
    ) -> list[ResolvedDate | None]:
        """The date of each event of ``sent`` (given in order, with its own time and factuality); moves the
        story's time to this sentence's scene. None for every event of an article without a date."""
        if self.published is None:
            return [None] * len(owns)
        dates = [own.date or (self._shifted(own.shift) if own.shift else None) for own in owns]
        # (relative clause, perfect, present) of each event's clause
        tenses = [(_relative(a), _perfect(a), _present(a)) for a in anchors]
        scene = next(
            (
                d
                for d, (rel, perf, _), f in zip(dates, tenses, facts, strict=True)
                if not rel and not perf and self._incident(d, f)
            ),
            None,
        )
        root = sent.root
        if scene is None and not _relative(root) and not _perfect(root) and not _is_future(root):
            main = date_for_trigger(root, self.published)  # "On 3 May, ...": the main clause's date
            fact = next((f for a, f in zip(anchors, facts, strict=True) if a == root), "asserted")
            scene = main if isinstance(main, ResolvedDate) and self._incident(main, fact) else None
        out: list[ResolvedDate | None] = []
        for d, own, fact, (rel, perf, pres) in zip(dates, owns, facts, tenses, strict=True):
            if d is None and own.shift is None and fact in _HAPPENED:
                if scene is not None and not (rel and (perf or pres)):
                    d = replace(scene, rule="inherited-from-sentence")
                elif scene is None and self.current is not None and not (rel or perf or pres):
                    d = replace(self.current, rule="inherited-from-story")
            out.append(d or ResolvedDate(self.published, None, "reported", None, "publication-date"))
        if scene is not None:
            self.current = scene
        return out


# ---------------------------------------------------------------------------------------------------
# the date a dateline gives ("NIAMEY, April 20 (Reuters) -"; the line itself is found by ``dyads.dateline``)


def dateline_date(text: str | None, published: date | None = None) -> date | None:
    """The day a dateline's date names. Without a year it takes the most recent such day not after the day
    after ``published`` (a dateline may be local time ahead of a UTC timestamp); without either, None."""
    if not text:
        return None
    has_year = re.search(r"\d{4}$", text)
    if published is None and (not has_year or not 1 <= int(has_year[0]) <= 9999):
        return None
    anchor = published + timedelta(days=1) if published else date(int(has_year[0]), 12, 31)
    found = resolve(text, anchor)
    return found.date if found is not None and found.precision == "day" else None


def dates_in(sent: Span, published: date | None) -> list[ResolvedDate]:
    """Every date expression of a sentence (its DATE entities), resolved against ``published``."""
    if published is None:
        return []
    out = []
    for ent in ents_in(sent):
        if ent.label_ == "DATE":
            r = resolve(ent.text, published)
            if r is not None:
                out.append(r)
    return out
