"""The evaluation harness: metrics on hand-made inputs, loaders on the dev data, one suite end to end."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

import dyads.eval as ev
from dyads.eval.common import SuiteResult, evaldata_dir, part, run_parts
from dyads.eval.events import (
    PETRARCH_FILE,
    PLOVER_FILE,
    QUAD_FILE,
    MechanicsGold,
    PloverGold,
    label_prf,
    load_mechanics,
    load_plover,
    load_quad,
    main_event,
    penta_class,
    score_mechanics,
    score_plover,
    score_quad,
    set_prf,
)
from dyads.model import Actor, Event, Location

CURRENT_TYPES = {
    "AGREE", "REQUEST", "REJECT", "THREATEN", "PROTEST", "COERCE", "ASSAULT", "ACCUSE",
    "RETREAT", "SANCTION", "SUPPORT", "CONCEDE", "CONSULT", "AID", "MOBILIZE", "COOPERATE",
}  # fmt: skip


def _ev(event="AGREE", cameo="030", conf=0.5, actor=(), recipient=(), quad=None) -> Event:
    return Event(
        article_id="t",
        event=event,
        cameo=cameo,
        quad_code=quad,
        confidence=conf,
        actor=[Actor(entity_text=c, code=c, sector=s) for c, s in actor],
        recipient=[Actor(entity_text=c, code=c, sector=s) for c, s in recipient],
    )


def _dev() -> Path:
    dev = evaldata_dir()
    if not dev.is_dir():
        pytest.skip(f"evaluation data absent ({dev})")
    return dev


# ---------------------------------------------------------------- metrics


def test_label_prf_counts_misses_and_wrong_types():
    per, micro, macro = label_prf(["A", "A", "B", "C"], ["A", "B", "B", None])
    assert (per["A"].precision, per["A"].recall) == (1.0, 0.5)
    assert (per["B"].precision, per["B"].recall) == (0.5, 1.0)
    assert per["A"].f1 == pytest.approx(2 / 3) and per["B"].f1 == pytest.approx(2 / 3)
    assert per["C"].f1 == 0.0
    assert (micro.tp, micro.fp, micro.fn) == (2, 1, 2)
    assert micro.f1 == pytest.approx(4 / 7)
    assert macro == pytest.approx(4 / 9)


def test_set_prf():
    gold = {(0, "actor", "USA"), (0, "recipient", "RUS"), (1, "actor", "FRA")}
    s = set_prf(gold, {(0, "actor", "USA"), (1, "actor", "DEU")})
    assert (s.precision, s.recall, s.f1) == (0.5, pytest.approx(1 / 3), pytest.approx(0.4))


def test_main_event_is_the_main_clause():
    import dyads

    events = dyads.code(
        "Thousands of students marched in Dakar on Friday, demanding the release of opposition leaders.",
        published="2024-03-02",
    )
    assert {e.event for e in events} >= {"PROTEST", "REQUEST"}
    assert main_event(events).event == "PROTEST"
    assert main_event([]) is None


def test_penta_class():
    codes = ("010", "036", "061", "112", "160", "141", "190")
    assert [penta_class(c) for c in codes] == [0, 1, 2, 3, 3, 4, 4]


def test_score_plover_by_hand():
    gold = [
        PloverGold("s0", "AGREE", (("USA", "GOV"),), (("RUS", None),)),
        PloverGold("s1", "ASSAULT", (("ISR", "MIL"),), (("PSE", "CVL"),)),
        PloverGold("s2", "REQUEST", (("FRA", None),), ()),
    ]
    coded = [
        [_ev("AGREE", conf=0.9, actor=[("USA", "GOV")], recipient=[("RUS", None)])],
        [_ev("COERCE", conf=0.4, actor=[("ISR", "GOV")]), _ev("ACCUSE", conf=0.2, actor=[("ISR", "MIL")])],
        [],
    ]
    r = score_plover(gold, coded)
    # types: AGREE tp; ASSAULT fn + COERCE fp; REQUEST fn → micro P 1/2, R 1/3, F1 0.4
    assert r.headline["type_micro_f1"] == pytest.approx(0.4)
    assert r.headline["type_macro_f1"] == pytest.approx(1 / 4)  # AGREE 1, ASSAULT 0, COERCE 0, REQUEST 0
    # actor triples: gold 5, predicted 3 (USA, RUS, ISR), correct 3 → P 1, R 0.6
    assert r.headline["actor_country_f1"] == pytest.approx(0.75)
    # sectors: USA GOV hit, ISR MIL miss (main event says GOV), PSE CVL miss
    assert r.headline["sector_acc"] == pytest.approx(1 / 3)
    # the whole record right: only s0 (s1's type is wrong, s2 has no event)
    assert r.headline["record_acc"] == pytest.approx(1 / 3)
    assert r.n == 3
    assert r.calibration == [(0.9, True), (0.4, False)]
    assert "ASSAULT→COERCE 1" in r.report and "REQUEST 1" in r.report


def test_record_acc_needs_every_country_on_each_side():
    gold = [PloverGold("s0", "CONSULT", (("FRA", None), ("DEU", None)), ())]
    one_side = [[_ev("CONSULT", actor=[("FRA", None)], recipient=[("DEU", None)])]]
    both = [[_ev("CONSULT", actor=[("FRA", None), ("DEU", None)])]]
    assert score_plover(gold, one_side).headline["record_acc"] == 0
    assert score_plover(gold, both).headline["record_acc"] == 1


def test_score_quad_by_hand():
    gold = [("a", 0), ("b", 3), ("c", 4), ("d", 1)]
    coded = [[_ev(cameo="010", quad=0)], [_ev(cameo="190", quad=4)], [], [_ev(cameo="036", quad=1)]]
    r = score_quad(gold, coded)
    assert r.headline["accuracy"] == 0.5
    # "c" has no event, so it is predicted a statement: class 0 P 1/2 R 1 F1 2/3, class 1 F1 1, 2–4 zero
    assert r.headline["macro_f1"] == pytest.approx((2 / 3 + 1) / 5)
    assert "no event coded: 1" in r.report
    assert r.n == 4


def test_score_mechanics_by_hand():
    gold = [
        MechanicsGold("a", "", (("USAGOV", "KOR", "194"),)),
        MechanicsGold("b", "", ()),
        MechanicsGold("c", "", (("PHL", "FRA", "030"), ("FRA", "PHL", "030"))),
        MechanicsGold("d", "", (("RUSCOP", "LBY", "173"),)),
        MechanicsGold("e", "", ()),
    ]
    coded = [
        [_ev(cameo="190", actor=[("USA", "GOV")], recipient=[("KOR", None)])],
        [],
        [_ev(cameo="036", actor=[("PHL", None), ("FRA", None)])],  # reciprocal: both actors, no recipient
        [_ev(cameo="173", actor=[("RUS", "GOV")], recipient=[("LBY", None)])],  # agent COP ≠ GOV
        [_ev(cameo="010")],
    ]
    r = score_mechanics(gold, coded)
    assert r.n == 6
    assert r.headline["root_acc"] == pytest.approx(5 / 6)
    assert r.headline["dyad_acc"] == pytest.approx(4 / 6)
    assert "too few" in r.report


# ---------------------------------------------------------------- calibration and reporting


def test_calibration_ece_by_hand():
    rows, ece = ev.calibration([(0.95, True), (0.95, False), (0.15, False), (0.15, False)])
    assert ece == pytest.approx(0.5 * 0.45 + 0.5 * 0.15)
    assert len(rows) == 10 and [r["n"] for r in rows] == [0, 2, 0, 0, 0, 0, 0, 0, 0, 2]
    assert rows[9]["accuracy"] == 0.5 and rows[1]["confidence"] == pytest.approx(0.15)
    assert rows[0]["accuracy"] is None


def test_calibration_perfect_and_edges():
    rows, ece = ev.calibration([(0.75, True)] * 3 + [(0.75, False)] + [(1.0, True)])
    assert ece == pytest.approx(0.0)
    assert rows[9]["n"] == 1  # confidence 1.0 falls in the last bin
    with pytest.raises(ValueError):
        ev.calibration([])


def _split(name, tune: dict, check: dict, n=(7, 3), cal=((), ())) -> SuiteResult:
    """A result scored on both parts; the whole's figures are the tune part's (not what is tested)."""
    parts = {
        "tune": SuiteResult(name, tune, n[0], f"{name} tune report", list(cal[0])),
        "check": SuiteResult(name, check, n[1], f"{name} check report", list(cal[1])),
    }
    return SuiteResult(name, dict(tune), sum(n), f"{name} report", [*cal[0], *cal[1]], parts)


def _results() -> list[SuiteResult]:
    return [
        _split("quad", {"accuracy": 0.5, "macro_f1": 0.25}, {"accuracy": 0.25, "macro_f1": 0.3}),
        _split(
            "plover",
            {"type_micro_f1": 0.8},
            {"type_micro_f1": 0.7},
            cal=([(0.9, True), (0.9, False)], [(0.2, False)]),
        ),
    ]


def test_render_shows_both_parts_and_the_tune_report():
    text = ev.render([*_results(), _split("geoparse", {"passed": 16}, {"passed": 5}, (15, 6))])
    # the summary table is the check part, with the tune − check gap
    assert "| quad | 3 | accuracy 0.250 (+0.250) · macro_f1 0.300 (-0.050) |" in text
    assert "| geoparse | 6 | passed 5 |" in text  # a count has no gap: the parts differ in size
    assert "| calibration | 1 | ece 0.200 (+0.200) |" in text  # tune ECE 0.4, check 0.2
    # each suite: both parts' figures, and the tune part's report (rules are written on tune errors)
    assert "| tune | 7 | accuracy 0.500 · macro_f1 0.250 |" in text
    assert "| check | 3 | accuracy 0.250 · macro_f1 0.300 |" in text
    assert "quad tune report" in text and "quad check report" not in text
    assert "tune: 2 events, expected calibration error 0.400" in text
    assert "| 0.9–1.0 | 2 | 0.900 | 0.500 |" in text


def test_render_one_part_or_unsplit():
    check_only = _results()[0]
    del check_only.parts["tune"]
    text = ev.render([check_only])
    assert "quad check report" in text and "| check | 3 |" in text and "| tune |" not in text
    whole = SuiteResult("quad", {"accuracy": 0.5}, 4, "quad report")
    text = ev.render([whole])
    assert "| quad | 4 | accuracy 0.500 |" in text and "report (all part)" in text


def test_json_holds_both_parts():
    data = ev.to_json(_results())
    json.dumps(data)
    assert data["suites"]["quad"]["tune"] == {"n": 7, "accuracy": 0.5, "macro_f1": 0.25}
    assert data["suites"]["quad"]["check"] == {"n": 3, "accuracy": 0.25, "macro_f1": 0.3}
    assert data["suites"]["quad"]["n"] == 10
    assert data["calibration"]["tune"] == {"n": 2, "ece": 0.4}
    assert data["calibration"]["check"] == {"n": 1, "ece": 0.2}
    assert len(data["date"]) == 10


def test_update_readme_replaces_only_the_block(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# dyads\n\nintro\n<!-- eval:start -->\nold table\n<!-- eval:end -->\n\nafter\n")
    ev.update_readme(_results(), readme)
    text = readme.read_text()
    assert text.startswith("# dyads\n\nintro\n<!-- eval:start -->\n| suite | n (check) |")
    assert text.endswith("<!-- eval:end -->\n\nafter\n")
    assert "old table" not in text and "| quad | 3 |" in text
    ev.update_readme(_results(), readme)
    assert readme.read_text() == text


def test_update_readme_appends_block_when_missing_and_needs_both_parts(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# dyads\n")
    ev.update_readme(_results(), readme)
    assert readme.read_text().startswith("# dyads\n\n<!-- eval:start -->\n| suite")
    with pytest.raises(ev.EvalError, match="both parts"):
        ev.update_readme([SuiteResult("quad", {"accuracy": 0.5}, 4, "quad report")], readme)


def test_run_parts_scores_each_part_once_coded():
    items = [f"item {i}" for i in range(40)]
    coded_calls = []

    def code(kept):
        coded_calls.append(list(kept))
        return [len(k) for k in kept]

    def score(kept, outputs):
        return SuiteResult("t", {"sum": sum(outputs)}, len(kept), ",".join(kept))

    r = run_parts(items, lambda s: s, None, code, score)
    assert coded_calls == [items]  # dyads runs once over all items, the parts are scored from that
    assert set(r.parts) == {"tune", "check"} and r.n == 40
    assert r.parts["tune"].n + r.parts["check"].n == 40
    assert all(part(k) == "check" for k in r.parts["check"].report.split(","))
    assert all(part(k) == "tune" for k in r.parts["tune"].report.split(","))
    only = run_parts(items, lambda s: s, "check", code, score)
    assert coded_calls[-1] == [k for k in items if part(k) == "check"]  # only that part is coded
    assert set(only.parts) == {"check"} and only.n == r.parts["check"].n
    with pytest.raises(ValueError, match="unknown part"):
        run_parts(items, lambda s: s, "dev", code, score)


def test_part_is_stable_and_near_thirty_percent():
    keys = [f"sentence number {i}" for i in range(2000)]
    share = sum(part(k) == "check" for k in keys) / len(keys)
    assert 0.27 < share < 0.33
    assert [part(k) for k in keys[:50]] == [part(k) for k in keys[:50]]
    assert part("ABC123") == part("ABC123") and {part(k) for k in keys} == {"tune", "check"}


def test_run_rejects_unknown_suite_and_missing_data(monkeypatch, tmp_path):
    with pytest.raises(ev.EvalError, match="unknown suite"):
        ev.run(["nope"])
    monkeypatch.setenv("DYADS_EVALDATA", str(tmp_path / "absent"))
    with pytest.raises(ev.EvalError, match="not found"):
        ev.run(["quad"])
    assert set(ev.SUITES) == {
        "plover", "quad", "actors", "mechanics", "event_loc", "geoparse", "toponyms", "acled_sahel"
    }  # fmt: skip


# ---------------------------------------------------------------- loaders on the dev data


def test_load_plover():
    gold = load_plover(_dev() / PLOVER_FILE)
    assert len(gold) == 322
    assert {g.event for g in gold} == CURRENT_TYPES
    assert all(code for g in gold for code, _ in g.actor + g.recipient)
    assert all(s is None or (len(s) == 3 and s.isupper()) for g in gold for _, s in g.actor + g.recipient)
    first = gold[0]
    assert first.event == "AGREE" and first.actor == (("HUN", "GOV"), ("ROU", "GOV"))


def test_load_quad():
    path = _dev() / QUAD_FILE
    rows = load_quad(path)
    assert len(rows) == sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    assert {label for _, label in rows} == {0, 1, 2, 3, 4}


def test_load_mechanics_keeps_only_real_country_records():
    gold = {g.id: g for g in load_mechanics(_dev() / PETRARCH_FILE)}
    assert len(gold) >= 15
    assert gold["ACTOR-14"].triples == (("PRK", "KOR", "194"),)  # Pyongyang, Seoul: capitals name countries
    assert gold["COMPOUND-39"].triples == (("PHL", "FRA", "030"), ("FRA", "PHL", "030"))
    assert gold["AFP0808011903-3"].triples == ()  # a no-event record naming only real places
    for fictional in ("DEMO-00", "DEMO-24", "ACTOR-11", "PATTERN-29", "ACTOR-06", "ABOUT-01", "VERB-01"):
        assert fictional not in gold


def test_run_quad_end_to_end():
    dev = _dev()
    (r,) = ev.run(["quad"])
    assert r.n == len(load_quad(dev / QUAD_FILE))
    assert set(r.headline) == {"accuracy", "macro_f1"}
    assert all(0.0 <= v <= 1.0 for v in r.headline.values())


# ---------------------------------------------------------------- acled_sahel scoring (records we make up)


def _acled(event_type="Battles", sub="Armed clash", day="2021-03-10", precision=1, lat=14.0, lon=-2.0):
    from dyads.eval.acled import AcledGold

    return AcledGold("X1", "note", date.fromisoformat(day), precision, event_type, sub, lat, lon, "ours")


def _located(event="ASSAULT", lat=None, lon=None, day=None, end=None, precision="day", span=(0, 10)):
    e = _ev(event)
    e.event_loc = Location("somewhere", lat=lat, lon=lon) if lat is not None else None
    e.date = date.fromisoformat(day) if day else None
    e.date_end = date.fromisoformat(end) if end else None
    e.date_precision = precision
    e.span = span
    return e


def test_acled_table_covers_the_taxonomy_with_plover_types():
    from dyads.eval.acled import allowed_types, load_table, plover_types

    table = load_table()
    assert {t for t, _ in table} == {
        "Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
        "Strategic developments",
    }  # fmt: skip
    assert all(v is None or v <= plover_types() for v in table.values())
    assert allowed_types("Explosions/Remote violence", "Air/drone strike") == {"ASSAULT"}
    assert allowed_types("Strategic developments", "Other") is None  # the catch-all allows any type
    # without a sub-type (older ACLED data): any of the type's rows
    assert allowed_types("Protests", None) >= {"PROTEST", "COERCE", "ASSAULT"}


def test_acled_table_rejects_bad_rows(tmp_path):
    from dyads.eval.acled import TABLE_HEADER, AcledError, load_table

    head = "\t".join(TABLE_HEADER) + "\n"
    bad = {
        "unknown type": head + "Battles\tArmed clash\tFIGHT\tno such PLOVER type\n",
        "twice": head + "Battles\tArmed clash\tASSAULT\t\nBattles\tArmed clash\tCOERCE\t\n",
        "short": head + "Battles\tArmed clash\n",
        "header": "type\tsub\tplover\tnote\nBattles\tArmed clash\tASSAULT\t\n",
    }
    for name, text in bad.items():
        path = tmp_path / f"{name.replace(' ', '_')}.tsv"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(AcledError, match=rf"{path.name}:\d+"):
            load_table(path)


def test_acled_type_ok_and_unknown_subtype():
    from dyads.eval.acled import AcledError, type_ok

    assert type_ok(_located("ASSAULT"), _acled())
    assert not type_ok(_located("PROTEST"), _acled())
    assert not type_ok(None, _acled())  # no event coded is a miss
    assert type_ok(_located("COERCE"), _acled("Strategic developments", "Arrests"))
    with pytest.raises(AcledError, match="no row"):
        type_ok(_located(), _acled("Battles", "Made-up sub-type"))


def test_main_event_is_in_the_first_sentence_with_an_event():
    from dyads.eval.common import main_event

    first = _located("ASSAULT", span=(0, 40))
    same_sentence = _located("COERCE", span=(0, 40))
    later = _located("PROTEST", span=(41, 80))
    assert main_event([first, same_sentence, later]) is first
    assert main_event([]) is None
    same_sentence.root = True  # a record marked as its sentence's main event wins in that sentence
    assert main_event([first, same_sentence, later]) is same_sentence


def test_acled_distance_is_great_circle():
    from dyads.eval.acled import distance_km

    assert distance_km((0.0, 0.0), (0.0, 1.0)) == pytest.approx(111.19, abs=0.05)  # a degree on the equator
    assert distance_km((60.0, 10.0), (60.0, 11.0)) == pytest.approx(55.6, abs=0.1)  # half as far at 60°N
    assert distance_km((14.5, -2.2), (14.5, -2.2)) == 0.0


def test_acled_gold_range_by_time_precision():
    from dyads.eval.acled import gold_range

    d = date(2020, 2, 14)
    assert gold_range(d, 1) == (d, d)
    assert gold_range(d, 2) == (date(2020, 2, 11), date(2020, 2, 20))
    assert gold_range(d, 3) == (date(2020, 2, 1), date(2020, 2, 29))  # a leap year's February


def test_acled_date_ok_overlap_and_precision():
    from dyads.eval.acled import date_ok

    day = _acled(day="2021-03-10")
    assert date_ok(_located(day="2021-03-10"), day)
    assert not date_ok(_located(day="2021-03-11"), day)
    assert date_ok(_located(day="2021-03-08", end="2021-03-14", precision="week"), day)
    assert date_ok(_located(day="2021-03-01", end="2021-03-31", precision="month"), day)
    assert not date_ok(_located(day="2021-01-01", end="2021-12-31", precision="year"), day)  # too coarse
    assert not date_ok(_located(day="2021-03-10", precision="reported"), day)  # the publication date
    assert not date_ok(_located(), day)  # no date
    assert date_ok(_located(day="2021-03-12"), _acled(day="2021-03-10", precision=2))


def test_score_acled_by_hand():
    from dyads.eval.acled import score_acled

    gold = [_acled(lat=14.0, lon=-2.0), _acled("Protests", "Peaceful protest"), _acled(), _acled()]
    coded = [
        [_located("ASSAULT", lat=14.1, lon=-2.1, day="2021-03-10")],  # ~15 km off, right day
        [_located("PROTEST", lat=16.0, lon=-2.0, day="2021-03-10")],  # ~222 km off
        [_located("COERCE", day="2021-03-09")],  # wrong type, no place, wrong day
        [],
    ]
    r = score_acled(gold, coded)
    assert r.n == 4
    assert r.headline == {
        "type": 0.5, "located": 0.5, "within_50km": 0.5, "within_50km_all": 0.25, "date": 0.5,
    }  # fmt: skip
    assert "ours" in r.report and "Armed clash → COERCE 1" in r.report and "Armed clash → - 1" in r.report
    assert "date wrong: " in r.report and "outside ACLED's range 1" in r.report and "no event 1" in r.report


@pytest.mark.evaldata
def test_acled_suite_loads_and_covers_the_table():
    from dyads.eval.acled import EVENTS_FILE, allowed_types, load_events

    path = _dev() / EVENTS_FILE
    if not path.is_file():
        pytest.skip(f"ACLED Sahel data absent ({path})")
    gold = load_events(path)
    assert len({g.id for g in gold}) == len(gold) > 0
    for g in gold:  # every ACLED type and sub-type in the data has a row in our table
        allowed_types(g.kind, g.subkind)
    assert {g.time_precision for g in gold} <= {1, 2, 3}


# ---------------------------------------------------------------- the pipeline's site of a given trigger


def test_site_at_is_where_the_coded_event_is_placed():
    import dyads
    from dyads.model import Article
    from dyads.pipeline import parse, site_at

    text = (
        "Gunmen attacked a police post in Gao on Monday, and the governor later spoke to reporters in Bamako."
    )
    article = Article("a", text, published=date(2024, 5, 10))
    ((article, doc),) = list(parse([article]))
    attacked = next(t for t in doc if t.text == "attacked")
    site = site_at(article, doc, attacked)
    assert site is not None and site.text == "Gao"
    coded = [e for e in dyads.code(text, published="2024-05-10") if e.evidence["trigger"] == "attacked"]
    assert coded and coded[0].event_loc is not None and coded[0].event_loc.lat == site.lat
    spoke = next(t for t in doc if t.text == "spoke")
    assert site_at(article, doc, spoke).text == "Bamako"  # each event of the sentence at its own place


def test_site_at_a_verb_in_a_sense_that_is_no_event_is_nowhere():
    from dyads.model import Article
    from dyads.pipeline import parse, site_at

    article = Article("b", "The local team captured the regional title in Mopti.")
    ((article, doc),) = list(parse([article]))
    captured = next(t for t in doc if t.text == "captured")
    assert site_at(article, doc, captured) is None
