"""The DuckDB store: round trips, idempotent re-coding, filters, summary, failed writes, exports."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from dataclasses import replace
from datetime import date

import duckdb
import pyarrow.parquet as pq
import pytest

from dyads.export import write_records
from dyads.model import Actor, Article, Event, Location
from dyads.store import Store, StoreError

TEXT = "Thousands of demonstrators protested against US forces in Niamey. Russia and China signed a deal."


def protest(article_id: str = "a1", **kw) -> Event:
    fields = dict(
        article_id=article_id, event="PROTEST", cameo="141", mode="demonstrate", context=["military"],
        quad_code=4, goldstein=-6.5,
        actor=[Actor("Thousands of demonstrators", "NER", "CVL")],
        recipient=[Actor("US forces", "USA", "MIL")],
        date=date(2024, 4, 13), date_end=date(2024, 4, 14), date_precision="weekend", date_text="Saturday",
        event_loc=Location("Niamey", "NER", "Niamey", 13.51, 2.11, 2440485, "PPLC"),
        event_text="protested", text=TEXT[:65], span=(0, 65), confidence=0.87,
        evidence={"trigger": "protested", "trigger_span": (27, 36), "rule": "verb:protest", "model": None},
    )  # fmt: skip
    return Event(**(fields | kw))


def agree(article_id: str = "a1", **kw) -> Event:
    fields = dict(
        article_id=article_id, event="AGREE", cameo="057", quad_code=1, goldstein=8.0,
        actor=[Actor("Russia", "RUS", None), Actor("China", "CHN", None)], recipient=[],
        date=date(2024, 4, 15), date_precision="day", text=TEXT[66:], span=(66, 98), confidence=0.6,
        factuality="future", evidence={"trigger": "signed", "trigger_span": (83, 89), "rule": "verb:sign"},
    )  # fmt: skip
    return Event(**(fields | kw))


@pytest.fixture
def db(tmp_path):
    return tmp_path / "events.duckdb"


def test_round_trip_is_the_record(db):
    article = Article("a1", TEXT, date(2024, 4, 15), "Protest", "https://example.org/a1", "Wire")
    with Store(db) as st:
        st.write(article, [protest(), agree()])
        got = st.events(factuality=None)
        stored = st.con.execute("SELECT id, published, title, url, source, text FROM articles").fetchall()
    assert got == [protest().to_dict(), agree().to_dict()]
    assert stored == [("a1", date(2024, 4, 15), "Protest", "https://example.org/a1", "Wire", TEXT)]


def test_recoding_replaces_never_duplicates(db):
    article = Article("a1", TEXT, date(2024, 4, 15))
    with Store(db) as st:
        st.write(article, [protest(), agree()])
        st.write(article, [protest(), agree()])
        assert st.summary()["events"] == 2
        st.write(replace(article, title="v2"), [protest(confidence=0.5)])  # re-coded: the AGREE is gone
        assert [(r["event"], r["confidence"]) for r in st.events(factuality=None)] == [("PROTEST", 0.5)]
        assert st.con.execute("SELECT title FROM articles").fetchall() == [("v2",)]


def test_write_many_batches_and_counts(db):
    pairs = [(Article(f"a{i}", TEXT), [protest(f"a{i}"), agree(f"a{i}")]) for i in range(7)]
    with Store(db) as st:
        assert st.write_many(iter(pairs), batch=3) == 14
        assert st.write_many(iter(pairs[:2]), batch=3) == 4
        s = st.summary()
    assert (s["articles"], s["events"]) == (7, 14)


def test_a_failed_write_keeps_what_was_stored(db):
    with Store(db) as st:
        st.write(Article("a1", TEXT), [protest()])
        bad = agree("a2", event=None)  # violates NOT NULL: fails inside the transaction, after the deletes
        with pytest.raises(duckdb.ConstraintException):
            st.write_many([(Article("a1", TEXT), []), (Article("a2", TEXT), [bad])])
        assert [r["article_id"] for r in st.events()] == ["a1"]
        assert st.summary()["articles"] == 1
    with Store(db) as st:  # and the file is still good after reopening
        assert len(st.events()) == 1


def test_filters(db):
    with Store(db) as st:
        st.write(Article("a1", TEXT), [protest(), agree()])
        st.write(
            Article("a2", TEXT), [protest("a2", date=date(2024, 5, 1), recipient=[Actor("France", "FRA")])]
        )
        assert len(st.events()) == 2  # asserted only, by default
        assert [r["event"] for r in st.events(factuality=None)] == ["PROTEST", "AGREE", "PROTEST"]
        assert [r["event"] for r in st.events(factuality="future")] == ["AGREE"]
        assert [r["article_id"] for r in st.events(type="protest", recipient="usa")] == ["a1"]
        assert [r["article_id"] for r in st.events(actor="CHN", factuality=None)] == ["a1"]  # second actor
        assert [r["article_id"] for r in st.events(since=date(2024, 4, 20))] == ["a2"]
        assert [r["article_id"] for r in st.events(until=date(2024, 4, 20))] == ["a1"]
        assert len(st.events(factuality=None, limit=1)) == 1
        assert st.events(type="ASSAULT") == []


def test_summary(db):
    with Store(db) as st:
        st.write(Article("a1", TEXT), [protest(), agree()])
        st.write(Article("a2", TEXT), [protest("a2")])
        st.write(Article("a3", "Nothing happened."), [])
        s = st.summary()
    assert s == {
        "articles": 3,
        "events": 3,
        "by_type": {"PROTEST": 2, "AGREE": 1},
        "by_factuality": {"asserted": 2, "future": 1},
        "top_dyads": [{"actor": "NER", "recipient": "USA", "count": 2}],
    }


def test_read_only_and_locked(db, tmp_path):
    with pytest.raises(StoreError, match="no such database"):
        Store(tmp_path / "missing.duckdb", read_only=True)
    with Store(db) as st:
        st.write(Article("a1", TEXT), [protest()])
    with Store(db, read_only=True) as st:
        assert len(st.events()) == 1
    holder = (
        "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); sys.stdin.read()"
    )
    with subprocess.Popen(
        [sys.executable, "-c", holder, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as other:
        assert other.stdout.readline().strip() == "ready"
        with pytest.raises(StoreError, match="in use by another process"):
            Store(db)
        other.stdin.close()


def test_export_formats(tmp_path):
    events = [
        protest(recipient=[Actor("US forces", "USA", "MIL"), Actor("French troops", "FRA", "MIL")]),
        agree(),
    ]
    buf = io.StringIO()
    write_records(events, "jsonl", buf)
    assert [json.loads(line) for line in buf.getvalue().splitlines()] == [e.to_dict() for e in events]

    buf = io.StringIO()
    write_records(events, "csv", buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert (rows[0]["recipient_code"], rows[0]["lat"], rows[0]["trigger"]) == (
        "USA; FRA",
        "13.51",
        "protested",
    )
    assert (rows[1]["actor_code"], rows[1]["recipient_code"], rows[1]["cameo"]) == ("RUS; CHN", "", "057")

    buf = io.StringIO()
    write_records([e.to_dict() for e in events], "tsv", buf)
    header, *lines = [line.split("\t") for line in buf.getvalue().splitlines()]
    rows = [dict(zip(header, line, strict=True)) for line in lines]
    # one row per dyad: 1 actor x 2 recipients, then 2 actors x no recipient
    assert [(r["Actor1Code"], r["Actor2Code"]) for r in rows] == [
        ("NERCVL", "USAMIL"), ("NERCVL", "FRAMIL"), ("RUS", ""), ("CHN", ""),
    ]  # fmt: skip
    assert (rows[0]["SQLDATE"], rows[0]["EventRootCode"], rows[0]["QuadClass"], rows[0]["ActionGeo_Lat"]) == (
        "20240413", "14", "4", "13.51",
    )  # fmt: skip
    assert len({r["EventID"] for r in rows}) == 4

    write_records(events, "parquet", tmp_path / "e.parquet")
    table = pq.read_table(tmp_path / "e.parquet").to_pylist()
    assert table[0]["recipient"][1]["code"] == "FRA" and table[0]["date"] == date(2024, 4, 13)
    assert json.loads(table[1]["evidence"])["trigger"] == "signed"

    with pytest.raises(ValueError, match="unknown format"):
        write_records(events, "xlsx", io.StringIO())


def test_relations_by_partner_and_half_year(db):
    article = Article("a1", TEXT, date(2024, 4, 15))
    july = date(2024, 7, 2)
    events = [
        protest(),  # NER -> USA, conflict, 2024-H1
        protest(evidence={"trigger_span": (1, 2)}, date=july, quad_code=1, goldstein=3.0),  # coop, 2024-H2
        protest(
            evidence={"trigger_span": (3, 4)}, recipient=[Actor("Russia", "RUS")], quad_code=2, goldstein=7.0
        ),
        protest(evidence={"trigger_span": (5, 6)}, factuality="future"),  # not asserted: left out
        agree(factuality="asserted"),  # no Niger in it
        agree(  # Niger and Russia together, towards France: counts for both partners
            evidence={"trigger_span": (7, 8)},
            factuality="asserted",
            date=july,
            actor=[Actor("Niger", "NER"), Actor("Russia", "RUS")],
            recipient=[Actor("France", "FRA")],
        ),  # fmt: skip
    ]
    with Store(db) as st:
        st.write(article, events)
        rows = st.relations("NER", ["USA", "RUS", "FRA"])
    got = [tuple(r.values()) for r in rows]
    assert list(rows[0]) == ["partner", "period", "events", "cooperation", "conflict", "goldstein"]
    assert got == [
        ("USA", "2024-H1", 1, 0, 1, -6.5),
        ("USA", "2024-H2", 1, 1, 0, 3.0),
        ("RUS", "2024-H1", 1, 1, 0, 7.0),
        ("RUS", "2024-H2", 1, 1, 0, 8.0),
        ("FRA", "2024-H2", 1, 1, 0, 8.0),
    ]


def test_store_from_before_root_gains_the_column(db):
    """A store written before events had ``root``: opened for writing it gains the column (NULL for what it
    held) and keeps its events; opened read-only it fails with a one-line reason."""
    from dyads.store import SCHEMA

    con = duckdb.connect(str(db))
    con.execute(SCHEMA.replace(",\n    root BOOLEAN", ""))
    con.execute("INSERT INTO events (id, article_id, event) VALUES ('old1', 'a0', 'PROTEST')")
    con.close()
    with pytest.raises(StoreError, match="older dyads"):
        Store(db, read_only=True)
    with Store(db) as st:
        st.write(Article("a1", TEXT), [protest(root=True)])
        assert st.con.execute("SELECT root FROM events WHERE id = 'old1'").fetchall() == [(None,)]
        assert [e["root"] for e in st.events()] == [True]
    with Store(db, read_only=True) as st:
        assert len(st.events(factuality=None)) == 2


def test_root_in_every_export(tmp_path):
    events = [protest(root=True), agree()]
    buf = io.StringIO()
    write_records(events, "tsv", buf)
    header, *lines = [line.split("\t") for line in buf.getvalue().splitlines()]
    assert [dict(zip(header, line, strict=True))["IsRootEvent"] for line in lines] == ["1", "0", "0"]
    buf = io.StringIO()
    write_records(events, "csv", buf)
    assert [r["root"] for r in csv.DictReader(io.StringIO(buf.getvalue()))] == ["True", "False"]
    write_records(events, "parquet", tmp_path / "e.parquet")
    assert [r["root"] for r in pq.read_table(tmp_path / "e.parquet").to_pylist()] == [True, False]


def test_an_allocation_failure_is_not_reported_as_a_store_in_use():
    from dyads.store import StoreInUse, store_error

    oom = store_error("x.duckdb", duckdb.OutOfMemoryException("could not allocate block of size 256.0 KiB"))
    assert isinstance(oom, StoreError) and not isinstance(oom, StoreInUse)
    assert "could not allocate block" in str(oom) and "DYADS_WRITER_MEMORY" in str(oom)
    locked = duckdb.IOException('Could not set lock on file "x.duckdb": Conflicting lock is held')
    held = store_error("x.duckdb", locked)
    assert isinstance(held, StoreInUse)


def test_a_real_event_tallies_its_mentions_and_its_surest_mention_leads_it(db):
    """Three reports of one protest by two outlets (the first named by its url) and an event linked to none:
    the tallies count mentions, articles and outlets; of two equally sure mentions the earlier leads; the
    lone event keeps no group row and is a real event of its own."""
    from dyads.queries import Filters, events

    reports = [
        (Article("a1", TEXT, date(2024, 4, 14), None, "https://paper.ex/1", None), 0.7, date(2024, 4, 13)),
        (Article("a2", TEXT, date(2024, 4, 15), None, None, "Wire"), 0.9, date(2024, 4, 14)),
        (Article("a3", TEXT, date(2024, 4, 16), None, None, "Wire"), 0.9, date(2024, 4, 13)),
    ]
    mentions = [protest(a.id, confidence=c, date=d, date_end=None) for a, c, d in reports]
    lone = agree("a1")
    with Store(db) as st:
        for (article, _, _), mention in zip(reports, mentions, strict=True):
            st.write(article, [mention] + ([lone] if article.id == "a1" else []))
        first = mentions[0].id
        st.set_groups({mentions[1].id: first, mentions[2].id: first})  # the group is named after its first
        rows = st.con.execute("SELECT event_id FROM event_groups ORDER BY 1").fetchall()
        merged = {r["event"]: r for r in events(st.con, Filters(factuality=None), merged=True)}
    assert sorted(r[0] for r in rows) == sorted(m.id for m in mentions)
    assert set(merged) == {"PROTEST", "AGREE"}
    real = merged["PROTEST"]
    assert real["id"] == mentions[2].id and real["group_id"] == first
    assert (real["num_mentions"], real["num_articles"], real["num_sources"]) == (3, 3, 2)
    assert (real["first_seen"], real["last_seen"]) == ("2024-04-14", "2024-04-16")
    alone = merged["AGREE"]
    assert (alone["group_id"], alone["num_mentions"], alone["num_sources"]) == (lone.id, 1, 1)
