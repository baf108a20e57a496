"""Dates: relative expressions against the publication date, the date of one trigger, datelines."""

from __future__ import annotations

from datetime import date

import pytest

from dyads.attributes.dates import Shift, date_for_trigger, dateline_date, resolve
from dyads.dateline import find_dateline

D = date
SAT = D(2024, 4, 20)  # the seed story's publication day, a Saturday

# (expression, published, future, expected date, expected date_end, precision)
TABLE = [
    # days and weekdays
    ("yesterday", SAT, False, D(2024, 4, 19), None, "day"),
    ("yesterday", D(2024, 3, 1), False, D(2024, 2, 29), None, "day"),  # leap year
    ("yesterday", D(2023, 3, 1), False, D(2023, 2, 28), None, "day"),
    ("yesterday", D(2024, 1, 1), False, D(2023, 12, 31), None, "day"),
    ("today", SAT, False, SAT, None, "day"),
    ("tomorrow", D(2024, 12, 31), False, D(2025, 1, 1), None, "day"),
    ("three days ago", D(2024, 3, 2), False, D(2024, 2, 28), None, "day"),
    ("on Tuesday", SAT, False, D(2024, 4, 16), None, "day"),
    ("Tuesday", D(2024, 4, 16), False, D(2024, 4, 16), None, "day"),  # same weekday: that day
    ("last Tuesday", D(2024, 4, 16), False, D(2024, 4, 9), None, "day"),
    ("Tuesday", D(2024, 4, 15), False, D(2024, 4, 9), None, "day"),  # a Monday: the Tuesday before
    ("on Tuesday", D(2024, 4, 16), True, D(2024, 4, 23), None, "day"),  # future clause
    ("next Friday", SAT, False, D(2024, 4, 26), None, "day"),
    ("Sunday night", D(2024, 3, 5), False, D(2024, 3, 3), None, "day"),
    # weekends: Saturday, Sunday, Monday and midweek publication
    ("last weekend", SAT, False, D(2024, 4, 13), D(2024, 4, 14), "weekend"),
    ("last weekend", D(2024, 4, 21), False, D(2024, 4, 13), D(2024, 4, 14), "weekend"),
    ("last weekend", D(2024, 4, 22), False, D(2024, 4, 20), D(2024, 4, 21), "weekend"),
    ("Last weekend", D(2024, 4, 17), False, D(2024, 4, 13), D(2024, 4, 14), "weekend"),
    ("last weekend", D(2024, 3, 4), False, D(2024, 3, 2), D(2024, 3, 3), "weekend"),  # across Feb 29
    ("this weekend", SAT, False, D(2024, 4, 20), D(2024, 4, 21), "weekend"),
    ("this weekend", D(2024, 4, 21), False, D(2024, 4, 20), D(2024, 4, 21), "weekend"),
    ("this weekend", D(2024, 4, 17), False, D(2024, 4, 20), D(2024, 4, 21), "weekend"),
    ("over the weekend", D(2024, 4, 22), False, D(2024, 4, 20), D(2024, 4, 21), "weekend"),
    ("this weekend", D(2024, 4, 22), True, D(2024, 4, 27), D(2024, 4, 28), "weekend"),
    ("next weekend", SAT, False, D(2024, 4, 27), D(2024, 4, 28), "weekend"),
    ("the weekend of 13-14 April", SAT, False, D(2024, 4, 13), D(2024, 4, 14), "weekend"),
    # weeks (Monday-Sunday)
    ("last week", SAT, False, D(2024, 4, 8), D(2024, 4, 14), "week"),
    ("this week", SAT, False, D(2024, 4, 15), D(2024, 4, 21), "week"),
    ("next week", SAT, False, D(2024, 4, 22), D(2024, 4, 28), "week"),
    ("last week", D(2024, 1, 3), False, D(2023, 12, 25), D(2023, 12, 31), "week"),
    ("two weeks ago", D(2024, 4, 17), False, D(2024, 4, 1), D(2024, 4, 7), "week"),
    ("a fortnight ago", SAT, False, D(2024, 4, 1), D(2024, 4, 7), "week"),
    ("the first week of April", SAT, False, D(2024, 4, 1), D(2024, 4, 7), "week"),
    ("the last week of February", SAT, False, D(2024, 2, 23), D(2024, 2, 29), "week"),
    ("in the upcoming days", SAT, False, D(2024, 4, 21), D(2024, 4, 27), "week"),
    ("in the coming days", D(2024, 12, 29), False, D(2024, 12, 30), D(2025, 1, 5), "week"),
    # months
    ("last month", SAT, False, D(2024, 3, 1), D(2024, 3, 31), "month"),
    ("last month", D(2024, 3, 31), False, D(2024, 2, 1), D(2024, 2, 29), "month"),
    ("last month", D(2024, 1, 15), False, D(2023, 12, 1), D(2023, 12, 31), "month"),
    ("next month", D(2024, 12, 3), False, D(2025, 1, 1), D(2025, 1, 31), "month"),
    ("three months ago", D(2024, 1, 31), False, D(2023, 10, 1), D(2023, 10, 31), "month"),
    ("earlier this month", SAT, False, D(2024, 4, 1), SAT, "month"),
    ("in March", SAT, False, D(2024, 3, 1), D(2024, 3, 31), "month"),
    ("in May", SAT, False, D(2023, 5, 1), D(2023, 5, 31), "month"),  # not after publication...
    ("in May", SAT, True, D(2024, 5, 1), D(2024, 5, 31), "month"),  # ...unless the clause is future
    ("in April", SAT, False, D(2024, 4, 1), D(2024, 4, 30), "month"),
    ("in December", D(2024, 1, 5), False, D(2023, 12, 1), D(2023, 12, 31), "month"),
    ("March 2024", SAT, False, D(2024, 3, 1), D(2024, 3, 31), "month"),
    ("mid-March", SAT, False, D(2024, 3, 11), D(2024, 3, 20), "month"),
    ("late February", D(2024, 4, 1), False, D(2024, 2, 21), D(2024, 2, 29), "month"),
    ("since March", SAT, False, D(2024, 3, 1), SAT, "month"),
    # years
    ("in 2021", SAT, False, D(2021, 1, 1), D(2021, 12, 31), "year"),
    ("last year", SAT, False, D(2023, 1, 1), D(2023, 12, 31), "year"),
    ("next year", SAT, False, D(2025, 1, 1), D(2025, 12, 31), "year"),
    ("two years ago", SAT, False, D(2022, 1, 1), D(2022, 12, 31), "year"),
    ("earlier this year", SAT, False, D(2024, 1, 1), SAT, "year"),
    ("late 2023", SAT, False, D(2023, 9, 1), D(2023, 12, 31), "year"),
    ("in the summer of 2022", SAT, False, D(2022, 6, 1), D(2022, 8, 31), "month"),
    ("over the past decade", SAT, False, D(2014, 4, 20), SAT, "year"),
    ("the past decade", D(2024, 2, 29), False, D(2014, 2, 28), D(2024, 2, 29), "year"),
    ("the 1990s", SAT, False, D(1990, 1, 1), D(1999, 12, 31), "year"),
    # explicit dates
    ("April 13, 2024", SAT, False, D(2024, 4, 13), None, "day"),
    ("13 April 2024", SAT, False, D(2024, 4, 13), None, "day"),
    ("2024-04-13", SAT, False, D(2024, 4, 13), None, "day"),
    ("13/04/2024", SAT, False, D(2024, 4, 13), None, "day"),  # day-first...
    ("05/04/2024", SAT, False, D(2024, 4, 5), None, "day"),  # ...also when both could be months
    ("04/13/2024", SAT, False, D(2024, 4, 13), None, "day"),  # month-first only when day-first is impossible
    ("Sept. 3", SAT, False, D(2023, 9, 3), None, "day"),
    ("Tuesday, April 16", SAT, False, D(2024, 4, 16), None, "day"),
    ("the 13th of April", SAT, False, D(2024, 4, 13), None, "day"),
    ("Feb. 29", D(2025, 3, 1), False, D(2024, 2, 29), None, "day"),  # leap day: nearest leap year
    ("April 22", SAT, True, D(2024, 4, 22), None, "day"),
    ("April 22", SAT, False, D(2023, 4, 22), None, "day"),
    ("early Tuesday", SAT, False, D(2024, 4, 16), None, "day"),
    # a day with no year: the latest such day on or before publication (the same day counts)
    ("On October 27", D(2024, 1, 9), False, D(2023, 10, 27), None, "day"),
    ("on 5 May", D(2024, 5, 5), False, D(2024, 5, 5), None, "day"),
    ("on 6 May", D(2024, 5, 5), False, D(2023, 5, 6), None, "day"),
    ("July 25", D(2024, 7, 31), False, D(2024, 7, 25), None, "day"),
    ("on or around 12 May", D(2024, 6, 1), False, D(2024, 5, 12), None, "day"),
    ("the night of 3 May", D(2024, 6, 1), False, D(2024, 5, 3), None, "day"),
    # day ranges: the first night counts, the range is kept
    ("between 3 and 5 May", D(2024, 6, 1), False, D(2024, 5, 3), D(2024, 5, 5), "day"),
    ("overnight 4 to 5 June", D(2024, 6, 9), False, D(2024, 6, 4), D(2024, 6, 5), "day"),
    ("Overnight between 27 and 28 December 2023", SAT, False, D(2023, 12, 27), D(2023, 12, 28), "day"),
    ("between 20 - 22 November", D(2024, 1, 9), False, D(2023, 11, 20), D(2023, 11, 22), "day"),
    ("early May", D(2024, 6, 1), False, D(2024, 5, 1), D(2024, 5, 10), "month"),
    ("late May", D(2024, 6, 1), False, D(2024, 5, 21), D(2024, 5, 31), "month"),
    # ranges wider than a month keep their bounds and take precision year
    ("the first quarter of 2024", SAT, False, D(2024, 1, 1), D(2024, 3, 31), "year"),
    ("Q4 2023", SAT, False, D(2023, 10, 1), D(2023, 12, 31), "year"),
    ("between January and March", SAT, False, D(2024, 1, 1), D(2024, 3, 31), "year"),
    ("November to February", SAT, False, D(2023, 11, 1), D(2024, 2, 29), "year"),
]


@pytest.mark.parametrize(("expr", "published", "future", "start", "end", "precision"), TABLE)
def test_resolve_table(expr, published, future, start, end, precision):
    got = resolve(expr, published, future=future)
    assert got is not None, expr
    assert (got.date, got.date_end, got.precision) == (start, end, precision)
    assert got.text == expr
    assert got.rule  # every resolved date names the rule that resolved it


@pytest.mark.parametrize(
    ("expr", "rule"),
    [
        ("April 13, 2024", "explicit-day"),
        ("April 13", "day-without-year"),
        ("on Tuesday", "weekday-relative"),
        ("last weekend", "weekend-relative"),
        ("last month", "calendar-unit-relative"),
        ("between 3 and 5 April", "day-range"),
        ("since March", "since"),
    ],
)
def test_resolve_names_its_rule(expr, rule):
    got = resolve(expr, SAT)
    assert got is not None and got.rule == rule


@pytest.mark.parametrize(
    "expr",
    [
        "several weeks later",
        "the next day",
        "the previous day",
        "for two weeks",
        "30 years",
        "before March",
        "annual",
        "",
    ],
)
def test_resolve_refuses_what_is_not_anchored_on_publication(expr):
    assert resolve(expr, SAT) is None


def test_resolve_returns_a_fresh_record_each_call():
    first = resolve("last month", SAT)
    assert first is not None
    first.date = D(1900, 1, 1)
    again = resolve("last month", SAT)
    assert again is not None and again.date == D(2024, 3, 1)


def test_resolve_falls_back_to_dateparser_for_formats_the_rules_lack():
    got = resolve("3 Sept 2023 at noon", SAT)
    assert got is not None and got.date == D(2023, 9, 3) and got.precision == "day"


# --- date_for_trigger on the seed story -------------------------------------------------------------


@pytest.fixture(scope="module")
def nlp():
    from dyads.nlp import load  # the pipeline users get

    return load()


def _date_of(nlp, sentence: str, trigger: str, published: date = SAT):
    doc = nlp(sentence)
    token = next(t for t in doc if t.text == trigger)
    return date_for_trigger(token, published)


SEED_LAST_WEEKEND = (
    "Last weekend in Niamey, government officials and thousands of demonstrators gathered at a protest, "
    "demanding the withdrawal of US forces from the country."
)
SEED_LAST_MONTH = (
    "The country's transitional leader, Abdourahamane Tchiani, engaged in discussions with Russian President "
    "Vladimir Putin last month to explore closer cooperation."
)
SEED_LATER = (
    "According to local media reports, Russian military instructors arrived in Niamey with a cargo of "
    "equipment several weeks later."
)
SEED_UPCOMING = (
    "A delegation from the United States will be traveling to the capital of Niger in the upcoming days "
    "to discuss the withdrawal."
)
SEED_EXPELLED = (
    "Mali and Burkina Faso, both of which experienced the overthrow of their Western-backed governments in "
    "2021 and 2022 respectively, have expelled French forces."
)


@pytest.mark.parametrize("trigger", ["gathered", "protest", "demanding"])
def test_fronted_last_weekend_dates_the_main_verb_and_its_event_noun(nlp, trigger):
    got = _date_of(nlp, SEED_LAST_WEEKEND, trigger)
    assert (got.date, got.date_end, got.precision, got.text) == (
        D(2024, 4, 13),
        D(2024, 4, 14),
        "weekend",
        "Last weekend",
    )


@pytest.mark.parametrize("trigger", ["discussions", "engaged"])
def test_last_month_attaches_to_the_talks(nlp, trigger):
    got = _date_of(nlp, SEED_LAST_MONTH, trigger)
    assert (got.date, got.date_end, got.precision) == (D(2024, 3, 1), D(2024, 3, 31), "month")


def test_later_relative_to_another_event_is_a_vague_shift(nlp):
    got = _date_of(nlp, SEED_LATER, "arrived")
    assert isinstance(got, Shift) and got.days is None and got.text == "several weeks later"


def test_upcoming_days_after_publication(nlp):
    got = _date_of(nlp, SEED_UPCOMING, "traveling")
    assert (got.date, got.date_end, got.precision) == (D(2024, 4, 21), D(2024, 4, 27), "week")


def test_years_inside_a_relative_clause_do_not_date_the_main_verb(nlp):
    assert _date_of(nlp, SEED_EXPELLED, "expelled") is None
    inner = _date_of(nlp, SEED_EXPELLED, "experienced")
    assert inner.date == D(2021, 1, 1) and inner.precision == "year"


def test_each_clause_keeps_its_own_date(nlp):
    sentence = "On Tuesday, the minister said the troops that arrived in March would leave next week."
    said = _date_of(nlp, sentence, "said")
    arrived = _date_of(nlp, sentence, "arrived")
    leave = _date_of(nlp, sentence, "leave")
    assert (said.date, said.precision) == (D(2024, 4, 16), "day")
    assert (arrived.date, arrived.precision) == (D(2024, 3, 1), "month")
    assert (leave.date, leave.date_end, leave.precision) == (D(2024, 4, 22), D(2024, 4, 28), "week")


def test_conjoined_verb_shares_the_date_and_future_clause_looks_forward(nlp):
    marched = _date_of(nlp, "Protesters gathered last weekend and marched to the embassy.", "marched")
    assert (marched.date, marched.precision) == (D(2024, 4, 13), "weekend")
    hold = _date_of(nlp, "The government plans to hold elections in March.", "hold", D(2024, 4, 20))
    assert (hold.date, hold.precision) == (D(2025, 3, 1), "month")


def test_noun_modifier_year_does_not_date_the_event(nlp):
    assert _date_of(nlp, "The talks failed to reach an agreement about the 2021 coup.", "failed") is None


# --- datelines ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published", "place", "day", "body"),
    [
        ("NIAMEY, April 20 (Reuters) - The junta said", SAT, "NIAMEY", D(2024, 4, 20), "The junta said"),
        ("NIAMEY, April 20 (Reuters) - The junta said", None, "NIAMEY", None, "The junta said"),
        ("NIAMEY, Niger (AP) — The junta", SAT, "NIAMEY, Niger", None, "The junta"),
        ("DAKAR, Senegal, March 3, 2024 (AFP) - Troops", None, "DAKAR, Senegal", D(2024, 3, 3), "Troops"),
        ("  WASHINGTON — The Pentagon", SAT, "WASHINGTON", None, "The Pentagon"),
        ("Niamey (AFP) - Soldiers", SAT, "Niamey", None, "Soldiers"),
        ("NIAMEY, April 21 (Reuters) - x", SAT, "NIAMEY", D(2024, 4, 21), "x"),  # local time ahead of UTC
        ("NIAMEY, Dec. 31 (Reuters) - x", D(2024, 1, 1), "NIAMEY", D(2023, 12, 31), "x"),
    ],
)
def test_dateline(text, published, place, day, body):
    got = find_dateline(text)
    assert got is not None
    assert (got.place, dateline_date(got.date_text, published)) == (place, day)
    assert text[got.body_start :] == body


@pytest.mark.parametrize(
    "text",
    [
        "Last weekend in Niamey, government officials gathered.",
        "The US - and France - disagreed.",
        "US-China talks - began today",
        "BREAKING — troops leave",
    ],
)
def test_no_dateline(text):
    assert find_dateline(text) is None


def test_time_of_day_predicative_participle_and_shared_conjunct(nlp):
    found = _date_of(nlp, "The mayor was found shot dead at his home on Sunday evening.", "shot")
    assert (found.date, found.precision, found.text) == (D(2024, 4, 14), "day", "on Sunday evening")
    raid = "The photographer was shot and wounded in a police raid March 28."
    shot = _date_of(nlp, raid, "shot")
    assert (shot.date, shot.precision) == (D(2024, 3, 28), "day")


def test_fronted_date_of_a_chronology_line(nlp):
    got = _date_of(nlp, "1986 - An American pilot is captured by soldiers in Nicaragua.", "captured")
    assert (got.date, got.date_end, got.precision) == (D(1986, 1, 1), D(1986, 12, 31), "year")


# --- the date of every record, and story time --------------------------------------------------------


def _dated(text: str, published: str) -> list[tuple[str, date | None, str, str | None]]:
    """(trigger, date, precision, date_rule) of each coded event, in the order the pipeline gives them."""
    import dyads

    return [
        (e.evidence["trigger"], e.date, e.date_precision, e.evidence["date_rule"])
        for e in dyads.code(text, published=published)
    ]


def _one(rows, trigger):
    return next(r for r in rows if r[0] == trigger)[1:]


def test_a_sentence_without_a_time_continues_the_incident_an_earlier_one_dated():
    rows = _dated(
        "On 14 March, rebels attacked an army base near Tessit. They killed four soldiers and a driver.",
        "2023-03-20",
    )
    assert _one(rows, "attacked") == (D(2023, 3, 14), "day", "day-without-year")
    assert _one(rows, "killed") == (D(2023, 3, 14), "day", "inherited-from-story")


def test_the_inherited_time_keeps_its_precision():
    rows = _dated(
        "Last week, gunmen raided a cattle market in Ansongo. They abducted three herders.", "2024-04-20"
    )
    assert _one(rows, "abducted") == (D(2024, 4, 8), "week", "inherited-from-story")


def test_an_event_of_the_dated_sentence_takes_the_sentence_time():
    rows = _dated(
        "On 2 June, soldiers repelled an assault on the camp at Dioura, the army said.", "2022-06-05"
    )
    assert all(when == D(2022, 6, 2) for _, when, _, _ in rows)
    assert all(rule in ("day-without-year", "inherited-from-sentence") for _, _, _, rule in rows)


def test_a_story_without_a_time_is_dated_to_publication():
    rows = _dated("Gunmen attacked a bus near Ansongo. They killed two passengers.", "2023-09-10")
    assert rows and all(r[1:] == (D(2023, 9, 10), "reported", "publication-date") for r in rows)


@pytest.mark.parametrize(
    "background",
    [
        "In 2012, rebels seized the town of Tessalit.",  # a year: history, not the incident
        "Since 2019, militants have attacked dozens of schools in the region.",  # a stretch up to now
        "On 4 May 2015, rebels attacked the town of Tessalit.",  # a day years before publication
    ],
)
def test_background_does_not_pass_its_time_on(background):
    rows = _dated(background + " Police arrested two suspects.", "2024-04-20")
    assert _one(rows, "arrested") == (D(2024, 4, 20), "reported", "publication-date")


def test_a_perfect_relative_clause_takes_no_time():
    rows = _dated(
        "On 3 May, police in Gao detained a preacher who has attacked the government in his sermons.",
        "2024-05-10",
    )
    assert _one(rows, "detained") == (D(2024, 5, 3), "day", "day-without-year")
    assert _one(rows, "attacked") == (D(2024, 5, 10), "reported", "publication-date")


def test_the_day_before_shifts_the_story_time():
    rows = _dated(
        "On 5 May, soldiers arrested two traders in Ansongo. Gunmen attacked the market the day before.",
        "2024-05-12",
    )
    assert _one(rows, "arrested") == (D(2024, 5, 5), "day", "day-without-year")
    assert _one(rows, "attacked") == (D(2024, 5, 4), "day", "shift-from-story")


@pytest.mark.parametrize(
    ("sentence", "trigger", "day"),
    [
        ("The two ministers met on Tuesday in Niamey.", "met", D(2024, 4, 16)),  # past: the latest one
        ("The two ministers will meet on Tuesday in Niamey.", "meet", D(2024, 4, 23)),  # future: the next
    ],
)
def test_a_weekday_looks_the_way_its_clause_does(sentence, trigger, day):
    assert _one(_dated(sentence, "2024-04-20"), trigger)[:2] == (day, "day")


def test_a_split_explicit_day_is_read_whole():
    rows = _dated(
        "Around 9 February 2021 (as reported), soldiers arrested six smugglers near Menaka.", "2021-03-01"
    )
    assert _one(rows, "arrested") == (D(2021, 2, 9), "day", "explicit-day")


def test_a_date_fronted_by_on_needs_no_comma():
    rows = _dated("On 6 June teachers protested in front of the ministry in Kayes.", "2021-06-20")
    assert _one(rows, "protested")[:2] == (D(2021, 6, 6), "day")


def test_nlp_does_not_import_the_stages_above_it():
    import ast
    import inspect

    import dyads.nlp

    tree = ast.parse(inspect.getsource(dyads.nlp))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    above = ("dyads.events", "dyads.attributes", "dyads.pipeline")
    assert not [m for m in imported if m.startswith(above)]


@pytest.mark.parametrize(
    ("later", "when", "precision", "rule"),
    [
        ("Two days later", D(2024, 5, 7), "day", "shift-from-story"),
        ("The next day", D(2024, 5, 6), "day", "shift-from-story"),
        ("Weeks later", D(2024, 5, 20), "reported", "publication-date"),  # too vague to date
    ],
)
def test_a_time_told_from_the_story_time(later, when, precision, rule):
    rows = _dated(
        f"On 5 May, gunmen attacked the market in Ansongo. {later}, soldiers arrested four men.", "2024-05-20"
    )
    assert _one(rows, "arrested") == (when, precision, rule)
