"""The prepared tables a snapshot carries (``dyads.store.prepare``): a page of events and a pair's series read
from them are the answers the store's own tables give, on a small store of our own events."""

from __future__ import annotations

import shutil
import warnings
from datetime import date
from itertools import product

import orjson
import pytest

from dyads.analysis import BY, trend
from dyads.api import create_app
from dyads.model import FACTUALITY, Actor, Article
from dyads.queries import Filters, count, events, listed, prepared
from dyads.store import Store, snapshot_path
from eventstore import NIAMEY, _event
from eventstore import events as stored_events

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's note on its httpx client
    from fastapi.testclient import TestClient

PACT = Article(
    "p1",
    "Niger and Mali signed a pact with each other in Niamey. Chad was said to have mocked the pact.",
    date(2024, 6, 21), "Pact", None, "Third Wire",
)  # fmt: skip
NIGER, MALI = Actor("Niger", "NER", "GOV"), Actor("Mali", "MLI", "GOV")


def _more() -> list:
    """Events that test the corners: both countries on both sides (one event, not two, for the pair either
    way), an undated event and one with no Goldstein score."""
    first, second = PACT.text.split(". ")
    return [
        (PACT, [
            _event(PACT, first + ".", "signed", event="AGREE", cameo="057", quad_code=1, goldstein=8.0,
                   actor=[NIGER, MALI], recipient=[MALI, NIGER], date=date(2024, 6, 20),
                   date_precision="day", event_loc=NIAMEY, confidence=0.9),
            _event(PACT, second, "mocked", event="ACCUSE", cameo="112", quad_code=3, goldstein=None,
                   actor=[Actor("Chad", "TCD", "GOV")], recipient=[NIGER], factuality="claimed",
                   confidence=0.4),
        ]),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """The store (with two reports of one real event grouped) and its published snapshot, both open."""
    db = tmp_path_factory.mktemp("prepared") / "events.duckdb"
    with Store(db) as st:
        st.write_many(stored_events() + _more())
        pick = "SELECT id FROM events WHERE event = ?"
        aid, talks = (st.con.execute(pick, [t]).fetchone()[0] for t in ("AID", "CONSULT"))
        st.set_groups({aid: "g1", talks: "g1"})
        st.publish()
    plain, snap = Store(db, read_only=True), Store(snapshot_path(db), read_only=True)
    yield db, plain, snap
    plain.close()
    snap.close()


FILTERS = [
    Filters(),
    Filters(factuality=None),
    Filters(factuality="claimed"),
    Filters(either="ner"),
    Filters(actor="MLI", recipient="NER"),
    Filters(either_sector="GOV", factuality="all"),
    Filters(recipient_name="army"),
    Filters(type="assault"),
    Filters(cameo="1"),
    Filters(since=date(2024, 5, 1), until=date(2024, 6, 19)),
    Filters(place="niam"),
    Filters(bbox=(-10, 10, 5, 20), factuality=None),
    Filters(bbox=(0, 40, -170, 60), place_country="fra", factuality=None),  # across the antimeridian
    Filters(min_confidence=0.8),
    Filters(text="pact"),
]


@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize("merged", [True, False])
def test_a_page_from_the_listing_is_the_queried_page(stores, filters, merged):
    _, plain, snap = stores
    assert prepared(snap.con) and not prepared(plain.con)  # only a snapshot carries them
    for limit, offset in [(50, 0), (2, 0), (2, 1), (3, 5), (10, 100)]:
        expected = events(plain.con, filters, limit, offset, merged=merged)
        assert listed(snap.con, filters, limit, offset, merged) == expected
    assert count(snap.con, filters, merged, listed=True) == count(plain.con, filters, merged=merged)


def test_the_merged_listing_shows_one_record_per_real_event(stores):
    _, _, snap = stores
    page = listed(snap.con, Filters(factuality=None), merged=True)
    total, every = (
        count(snap.con, Filters(factuality=None), merged, listed=True) for merged in (True, False)
    )
    assert total == every - 1
    grouped = [rec for rec in page if rec["group_id"] == "g1"]
    assert len(grouped) == 1 and grouped[0]["num_mentions"] == 2 and grouped[0]["event"] == "CONSULT"


def test_a_series_from_the_pairs_is_the_queried_series(stores):
    _, plain, snap = stores
    codes = ["NER", "MLI", "RUS", "FRA", "TCD", "USA"]
    checked = 0
    for a, b, by, directed, factuality in product(codes, codes, BY, [False, True], [*FACTUALITY, "all"]):
        f = Filters(factuality=factuality)
        expected = trend(plain.con, a, b, by, directed, f)
        assert trend(snap.con, a.lower(), b, by, directed, f, prepared=True) == expected
        checked += bool(expected)
    assert checked > 50  # most of these pairs have events: the comparison is not of empty lists
    pact = trend(snap.con, "NER", "MLI", "day", False, Filters(), prepared=True)
    assert pact[-1] == {
        "period": "2024-06-20",
        "events": 1,
        "cooperation": 1,
        "conflict": 0,
        "goldstein": 8.0,
    }


def test_a_prepared_series_takes_no_other_filter(stores):
    _, _, snap = stores
    with pytest.raises(ValueError, match="factuality only"):
        trend(snap.con, "NER", "MLI", filters=Filters(type="AGREE"), prepared=True)


def test_the_server_answers_alike_from_the_snapshot_and_the_store(stores, tmp_path):
    db, _, _ = stores
    writable = tmp_path / "copy.duckdb"
    shutil.copy(db, writable)
    fast, plain = create_app(db, cache_mb=0), create_app(writable, allow_ingest=True)
    assert fast.state.source.cursor()[1] and not plain.state.source.cursor()[1]
    asked = [
        ("/api/events", {}), ("/api/events", {"factuality": "all", "limit": 3, "offset": 1}),
        ("/api/events", {"either": "NER", "mentions": "true"}), ("/api/events", {"text": "pact"}),
        ("/api/series", {"a": "NER", "b": "MLI"}), ("/api/series", {"a": "mli", "b": "NER", "by": "day"}),
        ("/api/series", {"a": "RUS", "b": "MLI", "directed": "true", "factuality": "all"}),
    ]  # fmt: skip
    try:
        with TestClient(fast) as a, TestClient(plain) as b:
            for path, params in asked:
                got, expected = a.get(path, params=params), b.get(path, params=params)
                assert got.status_code == expected.status_code == 200
                assert orjson.loads(got.content) == orjson.loads(expected.content), (path, params)
    finally:
        fast.state.store.close()
        plain.state.store.close()


def test_a_snapshot_served_as_a_store_is_prepared_again(stores):
    db, _, _ = stores
    api = create_app(snapshot_path(db), cache_mb=0)  # its own snapshot copies the prepared tables it has
    try:
        with TestClient(api) as client:
            got = client.get("/api/events", params={"text": "signed a pact"}).json()
        assert got["total"] == 1 and got["events"][0]["event"] == "AGREE"
    finally:
        api.state.store.close()
