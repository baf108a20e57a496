"""The REST API, in-process (FastAPI's TestClient): endpoints, filters, pages, evidence, safety, ingest."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from dyads.api import MAX_BODY, create_app
from dyads.cli import app as cli
from dyads.store import Store
from eventstore import make_store

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's note on its httpx client
    from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("api") / "events.duckdb")


@pytest.fixture(scope="module")
def client(db):
    api = create_app(db)
    yield TestClient(api)
    api.state.store.close()


def test_openapi_lists_the_endpoints(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/events", "/api/events/{event_id}", "/api/actors", "/api/dyads", "/api/series",
            "/api/shifts", "/api/places", "/api/timeline"} <= set(paths)  # fmt: skip
    assert "/api/articles" not in paths  # read-only unless --allow-ingest
    names = {p["name"] for p in paths["/api/events"]["get"]["parameters"]}
    assert {"actor", "either_sector", "cameo", "bbox", "min_confidence", "text", "limit", "offset"} <= names


def test_events_filtered_and_paged(client):
    got = client.get("/api/events", params={"either": "ner"}).json()
    assert got["total"] == 2 and [e["event"] for e in got["events"]] == ["PROTEST", "CONSULT"]
    page = client.get("/api/events", params={"factuality": "all", "limit": 2, "offset": 2}).json()
    assert page["total"] == 5 and [e["event"] for e in page["events"]] == ["ASSAULT", "AID"]
    box = client.get("/api/events", params={"bbox": "-10,10,0,15", "since": "2024-05-01"}).json()
    assert [e["event_loc"]["name"] for e in box["events"]] == ["Bamako"]


def test_sentence_marks_from_the_evidence(client):
    protest = client.get("/api/events", params={"type": "PROTEST"}).json()["events"][0]
    text = protest["text"]
    shown = {m["kind"]: text[m["start"] : m["end"]] for m in protest["marks"]}
    assert shown == {"actor": "Farmers", "trigger": "marched", "recipient": "the French embassy",
                     "place": "Niamey", "date": "on Friday"}  # fmt: skip


def test_one_event_with_evidence_and_article(client):
    first = client.get("/api/events", params={"type": "AID"}).json()["events"][0]
    rec = client.get(f"/api/events/{first['id']}").json()
    assert rec["evidence"]["trigger"] == "pledged" and rec["article"]["source"] == "Example Wire"
    assert "mentions" not in rec
    assert client.get("/api/events/0000").status_code == 404


def test_a_real_event_reported_twice_is_one_record_with_its_mentions(db, tmp_path):
    merged = tmp_path / "merged.duckdb"
    shutil.copy(db, merged)
    with Store(merged) as st:  # two stories' reports grouped as one real event
        pick = "SELECT id FROM events WHERE event = ?"
        aid, talks = (st.con.execute(pick, [t]).fetchone()[0] for t in ("AID", "CONSULT"))
        st.set_groups({aid: "g1", talks: "g1"})
    api = create_app(merged)
    client = TestClient(api)
    rec = client.get(f"/api/events/{aid}").json()
    listed = client.get("/api/events").json()
    every = client.get("/api/events", params={"mentions": "true"}).json()
    api.state.store.close()
    assert rec["group_id"] == "g1" and {m["id"] for m in rec["mentions"]} == {aid, talks}
    assert all("evidence" in m for m in rec["mentions"])
    assert every["total"] == listed["total"] + 1
    grouped = [e for e in listed["events"] if e["group_id"] == "g1"]
    assert len(grouped) == 1 and grouped[0]["num_mentions"] == 2 and grouped[0]["num_articles"] == 2


def test_actors_network_places_timeline(client):
    assert {"code": "MLI", "sector": "MIL", "events": 2, "as_actor": 1, "as_recipient": 1} in client.get(
        "/api/actors"
    ).json()
    edges = client.get("/api/dyads").json()
    assert {(e["actor"], e["recipient"]) for e in edges} == {("NER", "FRA"), ("RUS", "MLI"), ("NER", "RUS")}
    places = client.get("/api/places").json()
    assert [(p["name"], p["events"]) for p in places] == [("Niamey", 2), ("Bamako", 1)]
    months = client.get("/api/timeline", params={"by": "month"}).json()
    assert [(m["period"], m["events"]) for m in months] == [
        ("2024-03-01", 1),
        ("2024-05-01", 2),
        ("2024-06-01", 1),
    ]


def test_series_and_shifts(client):
    series = client.get("/api/series", params={"a": "NER", "b": "RUS"}).json()
    assert series == [
        {"period": "2024-06-01", "events": 1, "cooperation": 1, "conflict": 0, "goldstein": 2.8}
    ]
    found = client.get("/api/shifts", params={"from": "2024-Q1", "to": "2024-Q2", "min_events": 1}).json()
    # the farmers' protest (Q1) has no sequel in Q2: France and Niger move toward 0 from -6.5
    assert [(f["pair"], f["change"]) for f in found] == [(["FRA", "NER"], 6.5), (["MLI", "RUS"], 5.2),
                                                         (["NER", "RUS"], 2.8)]  # fmt: skip
    assert client.get("/api/shifts", params={"from": "soon", "to": "2024"}).status_code == 422


@pytest.mark.parametrize(
    "params",
    [
        {"text": "x') OR 1=1 --"},
        {"actor_name": "'; DROP TABLE events; --"},
        {"place": "%' OR '%'='"},
        {"type": "PROTEST' OR 'a'='a"},
    ],
)
def test_filters_are_values_not_sql(client, params):
    res = client.get("/api/events", params=params)
    assert res.status_code == 200 and res.json()["total"] == 0
    assert client.get("/api/events", params={"factuality": "all"}).json()["total"] == 5


@pytest.mark.parametrize(
    "params",
    [{"actor": "NER' --"}, {"cameo": "1;"}, {"limit": 100000}, {"bbox": "a,b,c,d"}, {"bbox": "0,20,5,10"},
     {"factuality": "rumour"}, {"since": "yesterday"}],
)  # fmt: skip
def test_bad_values_are_422(client, params):
    assert client.get("/api/events", params=params).status_code == 422


def test_page_assets_and_headers(client):
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "script-src 'self'" in page.headers["content-security-policy"]
    for asset in ("d3.v7.9.2.min.js", "topojson-client.v3.1.0.min.js", "countries-110m.v2.0.2.json"):
        assert client.get(f"/static/vendor/{asset}").status_code == 200
    for path in ("/static/../api.py", "/static/%2e%2e/api.py", "/static/..%2fapi.py"):
        assert client.get(path).status_code == 404


def test_read_only_store(client):
    assert client.post("/api/articles", content=b'{"id": "x", "text": "y"}').status_code in (404, 405)
    with pytest.raises(duckdb.Error):
        client.app.state.store.con.execute("DELETE FROM events")


def test_oversize_body_is_refused(client):
    res = client.post("/api/events", content=b"x" * (MAX_BODY + 1))
    assert res.status_code == 413


def test_ingest_codes_posted_articles(db, tmp_path):
    target = tmp_path / "ingest.duckdb"
    shutil.copy(db, target)
    api = create_app(target, allow_ingest=True)
    client = TestClient(api)
    assert "/api/articles" in client.get("/openapi.json").json()["paths"]
    text = "Chad expelled the Sudanese ambassador on Monday, the foreign ministry said."
    story = {"id": "posted", "published": "2024-09-03", "text": text}
    res = client.post("/api/articles", content=json.dumps(story) + "\n")
    assert res.status_code == 200, res.text
    assert res.json()["articles"] == 1 and res.json()["events"] >= 1
    assert client.get("/api/events", params={"either": "TCD"}).json()["total"] >= 1
    bad = client.post("/api/articles", content=b'{"id": "x"}\n')
    assert bad.status_code == 422 and "request:1" in bad.text and "missing 'text'" in bad.text
    api.state.store.close()


def test_serve_refuses_a_missing_store(tmp_path):
    res = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "none.duckdb")])
    assert res.exit_code == 1 and "no such database" in res.stderr


def test_the_answer_cache_keeps_its_bytes_and_forgets_the_oldest(db):
    probe = create_app(db, cache_mb=0)
    size = len(TestClient(probe).get("/api/events", params={"either": "NER"}).content)
    probe.state.store.close()
    api = create_app(db, cache_mb=1.5 * size / 2**20)  # room for one such answer, not two
    client = TestClient(api, raise_server_exceptions=False)
    first = client.get("/api/events", params={"either": "NER"})
    second = client.get("/api/events", params={"either": "MLI"})
    assert first.status_code == second.status_code == 200 and len(second.content) <= size
    api.state.store.con.close()  # what is not kept must now be asked of a closed store
    assert client.get("/api/events", params={"either": "MLI"}).content == second.content
    assert client.get("/api/events", params={"either": "NER"}).status_code == 500
    api.state.store.close()


def test_the_pages_of_one_list_share_one_count(db, tmp_path, monkeypatch):
    import dyads.api

    counted = []
    real = dyads.api.count
    monkeypatch.setattr(dyads.api, "count", lambda *a, **k: counted.append(a[1]) or real(*a, **k))
    api = create_app(db, cache_mb=0)
    client = TestClient(api)
    pages = [client.get("/api/events", params={"factuality": "all", "limit": 2, "offset": o}).json()
             for o in (0, 2, 4)]  # fmt: skip
    assert [p["total"] for p in pages] == [5, 5, 5] and len(counted) == 1
    assert client.get("/api/events", params={"either": "NER"}).json()["total"] == 2 and len(counted) == 2
    api.state.store.close()
    writable = tmp_path / "rw.duckdb"
    shutil.copy(db, writable)
    api = create_app(writable, allow_ingest=True)  # a store that is written may change between pages
    client = TestClient(api)
    for offset in (0, 2):
        client.get("/api/events", params={"factuality": "all", "limit": 2, "offset": offset})
    assert len(counted) == 4
    api.state.store.close()


def test_serve_with_ingest_takes_one_worker(db):
    res = CliRunner().invoke(cli, ["serve", "--db", str(db), "--allow-ingest", "--workers", "2"])
    assert res.exit_code == 1 and "--allow-ingest takes one worker" in res.stderr


def _descendants(pid: int) -> set[int]:
    """The living processes under ``pid`` (from /proc)."""
    parents = {}
    for entry in os.listdir("/proc"):
        try:
            parents[int(entry)] = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (ValueError, OSError, IndexError):
            continue
    found, grew = {pid}, True
    while grew:
        more = {p for p, parent in parents.items() if parent in found} - found
        found |= more
        grew = bool(more)
    return found - {pid}


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads processes from /proc")
def test_serve_answers_from_several_worker_processes(db):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = "from dyads.cli import app; app()"
    server = subprocess.Popen(
        [sys.executable, "-c", command, "serve", "--db", str(db), "--port", str(port), "--workers", "2"],
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/events?either=NER", timeout=5) as res:
                    got = json.loads(res.read())
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "the server did not come up"
                time.sleep(0.2)
        assert got["total"] == 2 and [e["event"] for e in got["events"]] == ["PROTEST", "CONSULT"]
        commands = [Path(f"/proc/{p}/cmdline").read_bytes() for p in _descendants(server.pid)]
        assert sum(b"spawn_main" in c for c in commands) == 2  # uvicorn's worker processes
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    said = " ".join(err.decode().split())  # as the console wrapped it
    assert "(read-only, from events.duckdb.snapshot, 2 workers)" in said and "Traceback" not in said
