"""One real event, many stories: near-duplicate articles and merged event mentions."""

from __future__ import annotations

import json
from datetime import date

from typer.testing import CliRunner

from dyads.cli import app
from dyads.model import Article
from dyads.queries import Filters, events
from dyads.read import read_paths
from dyads.resolve import BANDS, Duplicates, Mention, band_keys, groups, same_event, signature, to_bytes
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


FLOOD = (
    "Heavy rains flooded the lower quarters of the river port overnight, and the regional governor ordered "
    "schools closed while rescue teams moved families to higher ground on Sunday morning."
)


EDITED = FLOOD.replace("Sunday morning", "Sunday morning, officials said")


def test_a_lightly_edited_copy_is_a_duplicate_and_a_new_story_is_not():
    other = "The finance minister presented a budget that raises spending on roads and clinics next year."
    batch = [(k, signature(text)) for k, text in (("first", FLOOD), ("update", EDITED), ("other", other))]
    assert Duplicates().originals(batch) == [None, "first", None]


def test_an_original_once_stored_is_found_through_the_store_and_no_longer_held():
    stored: dict[int, list[tuple[str, bytes]]] = {}
    seen = Duplicates(lambda keys: [(k, i, raw) for k in keys for i, raw in stored.get(k, [])])
    first = signature(FLOOD)
    assert seen.originals([("first", first)]) == [None]
    for key in band_keys(first.hashvalues):
        stored.setdefault(key, []).append(("first", to_bytes(first)))
    seen.forget(["first"])
    assert not seen.pending and not seen.bands
    assert seen.originals([("update", signature(EDITED))]) == ["first"]


def test_a_copy_of_an_article_an_earlier_run_stored_is_found_in_the_store(tmp_path):
    first = Article("first", FLOOD, date(2024, 8, 4))
    update = Article("update", EDITED, date(2024, 8, 4))
    with Store(tmp_path / "store.duckdb") as st:
        ingest([first], st, workers=1)
        assert st.con.execute("SELECT count(*) FROM article_bands").fetchone()[0] == BANDS
        done = ingest([update], st, workers=1)
        assert done.copies == 1 and st.duplicates() == {"update": "first"}
        assert st.con.execute("SELECT count(*) FROM article_bands").fetchone()[0] == BANDS  # a copy has none


def test_a_store_kept_without_band_keys_gains_them_and_its_articles_are_found(tmp_path):
    with Store(tmp_path / "store.duckdb") as st:
        ingest([Article("first", FLOOD, date(2024, 8, 4))], st, workers=1)
        st.con.execute("DELETE FROM article_bands")  # as a store written before they were kept
        again = Article("again", FLOOD + " Schools reopen on Wednesday.", date(2024, 8, 5))
        done = ingest([again], st, workers=1)
        assert done.copies == 1 and st.duplicates() == {"again": "first"}
        assert st.con.execute("SELECT count(*) FROM article_bands").fetchone()[0] == BANDS


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
