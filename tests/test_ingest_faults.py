"""Faults around an ingest, with real processes: a second writer, a server reading while the ingest writes,
a disk that fills up, kill -9 while a server reads. The ingest runs ``dyads`` in a subprocess with a stand-in
pipeline (one event an article, chunks of two), which can hold before a given article until told to go on,
so each test stops the writer at a known point with chunks committed before it."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import types
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dyads import api
from dyads.api import create_app
from dyads.cli import app
from dyads.model import Event
from dyads.store import snapshot_path

FAKE = """
import functools, os, resource, signal, sys, time, types
from pathlib import Path
from dyads import scale
from dyads.model import Event

def code_articles(articles, batch_size=16, on_error=None):
    for a in articles:
        if a.id == os.environ.get("HOLD_AT"):
            Path(os.environ["HOLD"] + ".waiting").touch()
            while not Path(os.environ["HOLD"]).exists():
                time.sleep(0.02)
        text = a.text.split(".")[0]
        yield a, [Event(article_id=a.id, event="AGREE", cameo="057", text=text, span=(0, len(text)))]

module = types.ModuleType("dyads.pipeline")
module.code_articles = code_articles
sys.modules["dyads.pipeline"] = module
scale.ingest = functools.partial(scale.ingest, chunk=2)
scale.PUBLISH_EVERY = 0.0  # a snapshot after every chunk
scale.PUBLISH_SHARE = 1e9
if limit := os.environ.get("FILE_LIMIT"):  # the store may grow no further: a full disk, to DuckDB
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (int(limit), int(limit)))
from dyads.cli import app
app(prog_name="dyads")
"""
COUNTRIES = ["Ghana", "Peru", "Nepal", "Chile", "Kenya", "Laos", "Oman", "Fiji"]
TABLES = ("articles", "events", "article_links", "event_groups")


def write_corpus(folder: Path, filler: int = 0) -> Path:
    path = folder / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for i, country in enumerate(COUNTRIES):
            text = f"The foreign ministers of {country} and its neighbour agreed on a new trade pact. "
            text += f"Officials of {country} described the talks as calm and useful. " * filler
            record = {"id": f"story-{i}", "published": f"2024-06-0{1 + i % 9}", "text": text}
            f.write(json.dumps(record) + "\n")
    return path


def contents(db: Path) -> list:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return [con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() for table in TABLES]
    finally:
        con.close()


class Ingest:
    """``dyads ingest`` in a subprocess (its own process group), held before article ``hold_at`` if given."""

    def __init__(self, tmp: Path, corpus: Path, db: Path, hold_at: str | None = None, **env: str) -> None:
        script = tmp / "fake_dyads.py"
        script.write_text(FAKE, encoding="utf-8")
        self.go = tmp / f"go-{db.name}"
        environ = os.environ | {"PYTHONPATH": os.pathsep.join(sys.path), "HOLD": str(self.go)} | env
        if hold_at:
            environ["HOLD_AT"] = hold_at
        self.proc = subprocess.Popen(
            [sys.executable, str(script), "ingest", str(corpus), "--db", str(db), "--workers", "1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environ,
            start_new_session=True,
        )

    def held(self, timeout: float = 60) -> None:
        """Wait until it holds (chunks before the held article are committed and published)."""
        waiting = Path(f"{self.go}.waiting")
        end = time.monotonic() + timeout
        while not waiting.exists():
            assert self.proc.poll() is None, self.proc.communicate()
            assert time.monotonic() < end, "the ingest never reached the held article"
            time.sleep(0.05)

    def finish(self) -> tuple[int, str, str]:
        self.go.touch()
        out, err = self.proc.communicate(timeout=120)
        return self.proc.returncode, out, err

    def kill(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.communicate()


@pytest.fixture
def pipeline(monkeypatch):
    """The stand-in pipeline in this process too (a command that fails must not load spaCy first)."""

    def code_articles(articles, batch_size=16, on_error=None):
        for a in articles:
            yield a, [Event(article_id=a.id, event="AGREE", cameo="057", text=a.text, span=(0, len(a.text)))]

    module = types.ModuleType("dyads.pipeline")
    module.code_articles = code_articles
    monkeypatch.setitem(sys.modules, "dyads.pipeline", module)


@pytest.fixture
def clean(tmp_path) -> tuple[Path, list]:
    """The corpus and the store an uninterrupted ingest of it gives."""
    corpus = write_corpus(tmp_path)
    db = tmp_path / "clean.duckdb"
    rc, _, err = Ingest(tmp_path, corpus, db).finish()
    assert rc == 0, err
    return corpus, contents(db)


def test_a_second_writer_gets_one_line_at_once_and_readers_get_the_snapshot(tmp_path, clean, pipeline):
    corpus, expected = clean
    db = tmp_path / "store.duckdb"
    writer = Ingest(tmp_path, corpus, db, hold_at="story-4")
    try:
        writer.held()
        runner = CliRunner()
        for command in (["ingest", str(corpus)], ["code", str(corpus)]):
            started = time.monotonic()
            result = runner.invoke(app, [*command, "--db", str(db), "--workers", "1"])
            assert result.exit_code == 1 and "Traceback" not in result.output
            assert result.stderr.strip() == f"error: {db}: the store is in use by another process"
            assert time.monotonic() - started < 5  # no waiting for the lock
        result = runner.invoke(app, ["events", "--db", str(db), "--mentions", "--limit", "100"])
        assert result.exit_code == 0, result.output
        assert "a writer holds the store; reading its snapshot" in result.stderr
        assert len(result.stdout.splitlines()) == 4  # the two chunks committed before the held article
    finally:
        rc, _, err = writer.finish()
    assert rc == 0, err
    assert contents(db) == expected


def test_the_server_answers_while_an_ingest_writes(tmp_path, clean, monkeypatch):
    corpus, expected = clean
    db = tmp_path / "store.duckdb"
    monkeypatch.setattr(api, "LOOK_EVERY", 0.0)
    writer = Ingest(tmp_path, corpus, db, hold_at="story-4")
    try:
        writer.held()
        server = create_app(db)
        client = TestClient(server)
        status = client.get("/api/status").json()
        assert status["serving"] == "snapshot" and status["file"] == snapshot_path(db).name
        first = client.get("/api/events", params={"mentions": "true", "limit": 100})
        assert first.status_code == 200 and len(first.json()["events"]) == 4
    finally:
        rc, _, err = writer.finish()
    assert rc == 0, err
    after = client.get("/api/events", params={"mentions": "true", "limit": 100})
    assert len(after.json()["events"]) == len(COUNTRIES)  # it moved to the snapshot published at the end
    assert client.get("/api/status").json()["published"] >= status["published"]
    server.state.source.current().close()
    assert contents(db) == expected


def test_kill_9_while_a_server_reads_then_a_restart_gives_the_clean_store(tmp_path, clean):
    corpus, expected = clean
    db = tmp_path / "store.duckdb"
    writer = Ingest(tmp_path, corpus, db, hold_at="story-6")
    writer.held()
    server = create_app(db)
    client = TestClient(server)
    writer.kill()
    assert client.get("/api/events", params={"mentions": "true"}).status_code == 200
    stale = tmp_path / f"{snapshot_path(db).name}.99999.tmp"  # as a kill in the middle of a copy leaves
    stale.write_bytes(b"half a snapshot")
    rc, out, err = Ingest(tmp_path, corpus, db).finish()  # the server still has the snapshot open
    assert rc == 0 and "6 already stored" in out, err
    assert not stale.exists()
    assert client.get("/api/events").status_code == 200
    server.state.source.current().close()
    assert contents(db) == expected


def test_a_full_disk_stops_the_ingest_with_one_line_and_keeps_the_committed_chunks(tmp_path):
    corpus = write_corpus(tmp_path, filler=400)  # articles of ~25 kB: the store outgrows the limit soon
    clean = tmp_path / "clean.duckdb"
    assert Ingest(tmp_path, corpus, clean).finish()[0] == 0
    db = tmp_path / "store.duckdb"
    rc, _, err = Ingest(tmp_path, corpus, db, FILE_LIMIT=str(600_000)).finish()
    lines = [line for line in err.splitlines() if line.strip()]
    assert rc == 1 and "Traceback" not in err
    # the store, or the snapshot published beside it, could not grow
    assert len(lines) == 1 and re.match(
        rf"error: {re.escape(str(db))}(\.snapshot)?: cannot write \(is the disk full\?\)", lines[0]
    )
    assert not list(tmp_path.glob("*.tmp*"))  # no half-written snapshot left behind
    stored = [row[0] for row in contents(db)[0]]
    assert stored and len(stored) % 2 == 0 and len(stored) < len(COUNTRIES)  # whole chunks, not all
    assert stored == [f"story-{i}" for i in range(len(stored))]
    assert len(contents(db)[1]) == len(stored)  # each with its event
    rc, out, err = Ingest(tmp_path, corpus, db).finish()  # space freed
    assert rc == 0, err
    assert contents(db) == contents(clean)


def test_a_server_where_no_snapshot_can_be_written_reads_the_store(tmp_path, clean, monkeypatch):
    corpus, _ = clean
    db = tmp_path / "clean.duckdb"
    snapshot_path(db).unlink()
    monkeypatch.setattr("dyads.store.os.access", lambda path, mode: False)  # a read-only folder
    server = create_app(db)
    client = TestClient(server)
    assert client.get("/api/status").json()["serving"] == "store"
    assert len(client.get("/api/events", params={"mentions": "true"}).json()["events"]) == len(COUNTRIES)
    assert not snapshot_path(db).exists()
    server.state.store.close()
