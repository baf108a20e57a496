"""Hostile requests to ``dyads serve``: SQL in every filter, path traversal, oversize and lying bodies,
and a fuzz of every endpoint from the API's own OpenAPI schema (schemathesis) that must never get a 500."""

from __future__ import annotations

import json
import shutil
import warnings

import hypothesis
import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode

from dyads.api import MAX_BODY, create_app
from eventstore import make_store

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's note on its httpx client
    from fastapi.testclient import TestClient

INJECTIONS = [
    "' OR '1'='1",
    "x'); DROP TABLE events; --",
    "1 UNION SELECT id, text FROM articles --",
    "%' OR '%'='",
    '" OR ""="',
    "NER' --",
    "\\'; SELECT 1; --",
    "' || (SELECT count(*) FROM events) || '",
]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("hostile") / "events.duckdb")


@pytest.fixture(scope="module")
def client(db):
    api = create_app(db)
    yield TestClient(api)
    api.state.store.close()


def _filter_names(client) -> list[str]:
    params = client.get("/openapi.json").json()["paths"]["/api/events"]["get"]["parameters"]
    return [p["name"] for p in params if p["name"] not in ("limit", "offset")]


def test_sql_in_every_filter_is_a_value(client):
    """Every filter of every filtered endpoint, with each injection: a 200 that matches nothing (the
    payload is a value no event holds) or a 422; never a 500, and the store is as it was."""
    before = client.get("/api/events", params={"factuality": "all"}).json()["total"]
    names = _filter_names(client)
    assert len(names) >= 18
    for path in ("/api/events", "/api/actors", "/api/dyads", "/api/timeline", "/api/places"):
        for name in names:
            for payload in INJECTIONS:
                res = client.get(path, params={name: payload, "factuality": "all"} if name != "factuality"
                                 else {name: payload})  # fmt: skip
                assert res.status_code in (200, 422), (path, name, payload, res.status_code)
                if res.status_code == 200 and path == "/api/events":
                    assert res.json()["total"] == 0, (name, payload)
    assert client.get("/api/events", params={"factuality": "all"}).json()["total"] == before


@pytest.mark.parametrize("payload", INJECTIONS)
def test_sql_in_path_and_analysis_parameters(client, payload):
    assert client.get(f"/api/events/{payload}").status_code in (404, 422)
    assert client.get("/api/series", params={"a": payload, "b": "FRA"}).status_code == 422
    assert client.get("/api/shifts", params={"from": payload, "to": "2024"}).status_code == 422


@pytest.mark.parametrize(
    "path",
    [
        "/static/../api.py", "/static/%2e%2e/api.py", "/static/..%2fapi.py", "/static/%252e%252e/api.py",
        "/static/..%5capi.py", "/static/vendor/../../api.py", "/static/%2e%2e/%2e%2e/pyproject.toml",
        "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/static/vendor/%00.js", "/static/..;/api.py",
        "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
    ],
)  # fmt: skip
def test_no_path_leaves_the_static_folder(client, path):
    res = client.get(path)
    assert res.status_code in (400, 404, 405), res.status_code
    assert "import" not in res.text and "root:" not in res.text


def test_oversize_query_string_and_lying_lengths(client):
    assert client.get("/api/events", params={"text": "x" * 60_000}).status_code == 422
    assert client.get("/api/events", params=[("actor", "NER")] * 2000).status_code in (200, 422)
    res = client.post("/api/events", content=b"{}", headers={"content-length": "not-a-number"})
    assert res.status_code in (400, 413)


@pytest.fixture
def ingest(db, tmp_path):
    target = tmp_path / "ingest.duckdb"
    shutil.copy(db, target)
    api = create_app(target, allow_ingest=True)
    yield TestClient(api)
    api.state.store.close()


def test_a_streamed_body_is_cut_off_at_the_limit(ingest):
    """No Content-Length to check up front: the body is counted as it comes, and nothing is coded."""

    def chunks():
        line = (json.dumps({"id": "s", "text": "Talks began. " * 500}) + "\n").encode()
        for _ in range(MAX_BODY // len(line) + 2):
            yield line

    before = ingest.get("/api/events", params={"factuality": "all"}).json()["total"]
    res = ingest.post("/api/articles", content=chunks())
    assert res.status_code == 413
    assert ingest.get("/api/events", params={"factuality": "all"}).json()["total"] == before


@pytest.mark.parametrize(
    "body",
    [b"\x00\x01\x02" * 100, b"[1, 2, 3]\n", b'{"id": "x", "text": 123}\n', b"\xff\xfe{" * 50, b"{" * 10_000],
)
def test_hostile_ingest_bodies_are_422(ingest, body):
    res = ingest.post("/api/articles", content=body)
    assert res.status_code == 422 and "request" in res.text


FUZZ = hypothesis.settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(hypothesis.HealthCheck),
    database=None,
)


@pytest.mark.parametrize("mode", list(GenerationMode))
def test_fuzz_every_endpoint_from_the_schema(db, mode):
    """Requests built from /openapi.json, valid ones and invalid ones, a bounded number per endpoint:
    none may make the server fail (5xx)."""
    api = create_app(db)
    schema = schemathesis.openapi.from_asgi("/openapi.json", api)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8
    try:
        for operation in operations:
            if mode is GenerationMode.NEGATIVE and operation.path == "/api/status":
                continue  # it takes no parameter to make invalid

            @FUZZ
            @hypothesis.given(operation.as_strategy(generation_mode=mode))
            def call(case) -> None:
                case.call_and_validate(checks=[not_a_server_error])

            call()
    finally:
        api.state.store.close()


def test_read_only_answers_are_kept_and_served_with_the_same_headers(db):
    api = create_app(db, cache_mb=1)
    client = TestClient(api)
    try:
        assert client.get("/api/events", params={"limit": 0}).status_code == 422
        first = client.get("/api/events", params={"either": "NER"})
        api.state.store.con.close()  # asked again, the answer must come without the store
        again = client.get("/api/events", params={"either": "NER"})
        assert again.status_code == 200 and again.content == first.content
        assert again.headers["content-security-policy"] == first.headers["content-security-policy"]
        assert again.headers["x-content-type-options"] == "nosniff"
    finally:
        api.state.store.close()
