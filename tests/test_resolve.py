"""One real event, many stories: near-duplicate articles and merged event mentions."""

from __future__ import annotations

import json
from datetime import date

from typer.testing import CliRunner

from dyads.cli import app
from dyads.queries import Filters, events
from dyads.read import read_paths
from dyads.resolve import Duplicates, Mention, groups, same_event, signature
from dyads.scale import ingest
from dyads.store import Store

GAO = (16.27, -0.04)
TIMBUKTU = (16.77, -3.01)


def mention(id_: str, **kw) -> Mention:
    base = dict(
        id=id_, article_id=f"art-{id_}", event="ASSAULT", factuality="asserted", start=date(2024, 2, 10),
        end=None, reported=False, actors=frozenset(), recipients=frozenset({"MLI"}), lat=GAO[0], lon=GAO[1],
        country="MLI", admin1="ML.09", wide=False,
    )  # fmt: skip
    return Mention(**(base | kw))


def test_reports_of_one_attack_merge_and_look_alikes_do_not():
    a = mention("a")
    b = mention("b", lat=GAO[0] + 0.1)  # a few kilometres off: the army camp outside the town
    elsewhere = mention("c", lat=TIMBUKTU[0], lon=TIMBUKTU[1], admin1="ML.06")
    a_week_later = mention("d", start=date(2024, 2, 17))
    other_kind = mention("e", event="PROTEST")
    assert same_event(a, b)
    assert not same_event(a, elsewhere)
    assert not same_event(a, a_week_later)
    assert not same_event(a, other_kind)
    assert groups([a, b, elsewhere, a_week_later]) == {"a": "a", "b": "a", "c": "c", "d": "d"}


def test_a_reported_date_may_be_a_day_off_and_a_country_holds_its_towns():
    a = mention("a")
    next_day = mention("b", start=date(2024, 2, 11), reported=True)
    in_mali = mention("c", lat=17.0, lon=-4.0, wide=True, admin1=None)
    assert same_event(a, next_day)
    assert same_event(a, in_mali)


def test_parties_that_contradict_keep_events_apart_but_talks_may_be_named_either_way_round():
    visit = mention("a", event="CONSULT", actors=frozenset({"IND"}), recipients=frozenset({"RUS"}))
    hosted = mention("b", event="CONSULT", actors=frozenset({"RUS"}), recipients=frozenset({"IND"}))
    other = mention("c", event="CONSULT", actors=frozenset({"IND"}), recipients=frozenset({"UKR"}))
    assert same_event(visit, hosted)
    assert not same_event(visit, other)
    attack = mention("d", actors=frozenset({"RUS"}), recipients=frozenset({"UKR"}))
    counter = mention("e", actors=frozenset({"UKR"}), recipients=frozenset({"RUS"}))
    assert not same_event(attack, counter)


def test_a_lightly_edited_copy_is_a_duplicate_and_a_new_story_is_not():
    story = (
        "Heavy rains flooded the lower quarters of the river port overnight, and the regional governor "
        "ordered schools closed while rescue teams moved families to higher ground on Sunday morning."
    )
    seen = Duplicates()
    assert seen.original("first", signature(story)) is None
    update = story.replace("Sunday morning", "Sunday morning, officials said")
    assert seen.original("update", signature(update)) == "first"
    other = "The finance minister presented a budget that raises spending on roads and clinics next year."
    assert seen.original("other", signature(other)) is None


LEVY = "Thousands of protesters marched through Mombasa on Tuesday against a new fuel levy"
REPORTS = [
    ("wire-1", "Coast Wire", LEVY + "."),
    (
        "paper-1",
        "Harbour Post",
        "Crowds rallied in the Kenyan port city of Mombasa on Tuesday to oppose the levy.",
    ),
    ("wire-1-copy", "Town Crier", LEVY + ", organisers said."),
]


def test_ingest_links_copies_and_merges_reports_into_one_event_with_its_mentions(tmp_path):
    corpus = tmp_path / "reports.jsonl"
    corpus.write_text(
        "".join(
            json.dumps({"id": i, "source": s, "published": "2024-05-14", "text": t}) + "\n"
            for i, s, t in REPORTS
        ),
        encoding="utf-8",
    )
    db = tmp_path / "store.duckdb"
    with Store(db) as st:
        done = ingest(read_paths([str(corpus)]), st, workers=1)
        assert (done.coded, done.copies) == (2, 1)
        assert st.duplicates() == {"wire-1-copy": "wire-1"}
        protests = events(st.con, Filters(type="PROTEST"), merged=True)
    assert len(protests) == 1
    merged = protests[0]
    assert (merged["num_mentions"], merged["num_articles"], merged["num_sources"]) == (2, 2, 2)
    result = CliRunner().invoke(
        app, ["events", "--db", str(db), "--group", merged["group_id"], "--type", "PROTEST"]
    )
    assert result.exit_code == 0
    mentions = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(m["article_id"] for m in mentions) == ["paper-1", "wire-1"]
    assert all(m["evidence"]["trigger"] for m in mentions)  # each mention keeps its own evidence
