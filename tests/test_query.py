"""Event queries: each filter of dyads.queries.Filters, in SQL, through the CLI and the Python API."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from typer.testing import CliRunner

import dyads
from dyads.cli import app
from dyads.queries import Filters, QueryError, actors, count, event, events
from dyads.queries import dyads as pairs
from dyads.store import Store
from eventstore import make_store


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("query") / "events.duckdb")


@pytest.fixture(scope="module")
def con(db):
    with Store(db, read_only=True) as st:
        yield st.con


def kinds(con, **kw) -> list[str]:
    return [r["event"] for r in events(con, Filters(**kw))]


def test_default_is_asserted_in_date_order(con):
    assert kinds(con) == ["PROTEST", "ASSAULT", "AID", "CONSULT"]
    assert kinds(con, factuality="all") == ["PROTEST", "REJECT", "ASSAULT", "AID", "CONSULT"]
    assert kinds(con, factuality="future") == ["REJECT"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"actor": "ner"}, ["PROTEST", "CONSULT"]),
        ({"recipient": "MLI"}, ["ASSAULT", "AID"]),
        ({"either": "RUS"}, ["AID", "CONSULT"]),
        ({"actor_sector": "mil"}, ["ASSAULT"]),
        ({"either_sector": "MIL"}, ["ASSAULT", "AID", "CONSULT"]),
        ({"actor_name": "national council"}, ["CONSULT"]),  # the knowledge-base name
        ({"recipient_name": "EMBASSY"}, ["PROTEST"]),  # the entity's text
        ({"recipient": "MLI", "recipient_sector": "REB"}, ["ASSAULT"]),
        ({"recipient": "MLI", "recipient_sector": "GOV"}, []),  # code and sector of one entity
        ({"type": "aid"}, ["AID"]),
        ({"mode": "meet"}, ["CONSULT"]),
        ({"cameo": "14"}, ["PROTEST"]),
        ({"cameo": "03"}, ["AID"]),
        ({"since": date(2024, 5, 9), "until": "2024-05-10"}, ["ASSAULT", "AID"]),
        ({"place": "niam"}, ["PROTEST", "CONSULT"]),
        ({"place_country": "mli"}, ["ASSAULT"]),
        ({"bbox": (0, 10, 5, 15)}, ["PROTEST", "CONSULT"]),
        ({"bbox": (-10, 10, 0, 15)}, ["ASSAULT"]),
        ({"min_confidence": 0.85}, ["PROTEST", "CONSULT"]),
        ({"text": "HELICOPTERS"}, ["AID"]),
        ({"text": 'rule": "test'}, ["PROTEST", "ASSAULT", "AID", "CONSULT"]),  # the evidence too
    ],
)
def test_filters(con, filters, expected):
    assert kinds(con, **filters) == expected
    assert count(con, Filters(**filters)) == len(expected)


def test_values_are_parameters_not_sql(con):
    assert kinds(con, actor="NER' OR '1'='1") == []
    assert kinds(con, text="'; DROP TABLE events; --") == []
    assert count(con, Filters(factuality="all")) == 5


def test_pages(con):
    everything = [r["id"] for r in events(con, Filters(factuality="all"))]
    pages = [r["id"] for o in (0, 2, 4) for r in events(con, Filters(factuality="all"), limit=2, offset=o)]
    assert pages == everything


def test_bad_values_are_refused():
    with pytest.raises(QueryError, match="factuality"):
        Filters(factuality="rumoured")
    with pytest.raises(QueryError, match="bbox"):
        Filters(bbox=(0, 20, 5, 10))
    with pytest.raises(QueryError, match="since"):
        Filters(since="last year")


def test_one_event_with_its_article(con):
    first = events(con, Filters(type="PROTEST"))[0]
    rec = event(con, first["id"])
    assert rec["article"]["title"] == "Farmers march" and rec["evidence"]["trigger"] == "marched"
    assert "mentions" not in rec  # this store has no mentions table
    assert event(con, "no-such-id") is None


def test_actors_and_dyads(con):
    top = actors(con, Filters(factuality="all"))
    assert {"code": "NER", "sector": "GOV", "events": 2, "as_actor": 1, "as_recipient": 1} in top
    directed = {(d["actor"], d["recipient"]): d for d in pairs(con)}
    # the Malian army shelling Malian rebels is no pair of countries
    assert set(directed) == {("NER", "FRA"), ("RUS", "MLI"), ("NER", "RUS")}
    assert directed[("NER", "FRA")]["conflict"] == 1 and directed[("RUS", "MLI")]["cooperation"] == 1


def test_python_api_returns_a_dataframe(db):
    df = dyads.query(db, either="NER")
    assert list(df["event"]) == ["PROTEST", "CONSULT"]
    assert list(df["recipient_codes"]) == [["FRA"], ["RUS"]]
    assert str(df["date"].dtype).startswith("datetime64")
    assert dyads.query(db, type="SANCTION").empty


def test_cli_formats(db):
    runner = CliRunner()
    res = runner.invoke(app, ["events", "--db", str(db), "--either", "RUS", "--since", "2024-06-01"])
    assert res.exit_code == 0, res.output
    assert [json.loads(line)["event"] for line in res.stdout.splitlines()] == ["CONSULT"]
    res = runner.invoke(app, ["events", "--db", str(db), "--bbox", "-10,10,0,15", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert [(r["event"], r["loc_name"]) for r in rows] == [("ASSAULT", "Bamako")]
    res = runner.invoke(app, ["events", "--db", str(db), "--factuality", "all", "--format", "table"])
    assert "5 events" in res.stdout and "REJECT" in res.stdout


def test_cli_bad_values_are_one_line(db):
    runner = CliRunner()
    res = runner.invoke(app, ["events", "--db", str(db), "--since", "2024-06-01", "--until", "2024-02-01"])
    assert res.exit_code == 0 and res.stdout == ""
    res = runner.invoke(app, ["events", "--db", str(db), "--bbox", "1,2"])
    assert res.exit_code == 2 and "--bbox" in res.output
    res = runner.invoke(app, ["events", "--db", str(db), "--bbox", "0,20,5,10"])
    assert res.exit_code == 1 and "bbox" in res.stderr and "Traceback" not in res.output
