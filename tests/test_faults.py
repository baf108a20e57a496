"""Faults the command meets: a closing summary and an exit status that says whether anything failed; what
was coded before the parser gave up is stored; a damaged, foreign or busy store, and a missing export
folder, each cost one line, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dyads.cli import app
from dyads.model import Article, Event
from dyads.store import Store

runner = CliRunner()
ENGLISH = (
    "The ministers of the two countries met in the capital on Tuesday and agreed to reopen the border, "
    "which had been closed for a year after clashes between their armies."
)


def one_event(article: Article) -> list[Event]:
    text = article.text.split(".")[0]
    return [Event(article_id=article.id, event="AGREE", cameo="057", text=text, span=(0, len(text)))]


@pytest.fixture
def pipeline(monkeypatch):
    """Stands in for ``dyads.pipeline``: one event an article, and the parser gives up on an article whose
    text says BREAK (as spaCy does on a text over its length limit)."""

    def code_articles(articles, batch_size=16, on_error=None):
        for a in articles:
            if "BREAK" in a.text:
                raise ValueError("[E088] Text of length 2000000 exceeds maximum\nof 1000000.")
            yield a, one_event(a)

    module = types.ModuleType("dyads.pipeline")
    module.code_articles = code_articles
    monkeypatch.setitem(sys.modules, "dyads.pipeline", module)


def corpus(tmp_path: Path, *texts: str) -> list[str]:
    paths = []
    for i, text in enumerate(texts):
        paths.append(tmp_path / f"s{i}.txt")
        paths[-1].write_text(text, encoding="utf-8")
    return [str(p) for p in paths]


def test_summary_counts_coded_skipped_and_failed(tmp_path, pipeline):
    paths = corpus(tmp_path, ENGLISH, "", "Les ministres se sont réunis. " * 10, ENGLISH)
    result = runner.invoke(app, ["code", *paths, str(tmp_path / "gone.txt")])
    assert result.exit_code == 1  # a file is missing
    assert result.stderr.splitlines()[-1] == "dyads code: 2 article(s) coded (2 events), 2 skipped, 1 failed"
    skipped_only = runner.invoke(app, ["code", paths[0], paths[1]])
    assert skipped_only.exit_code == 0  # skipping an empty file is not a failure
    assert skipped_only.stderr.splitlines()[-1].endswith("1 skipped, 0 failed")


def test_an_article_the_parser_gives_up_on_fails_alone(tmp_path, pipeline):
    paths = corpus(tmp_path, ENGLISH, ENGLISH.replace("Tuesday", "Monday"), "BREAK " + ENGLISH, ENGLISH)
    db = tmp_path / "s.duckdb"
    result = runner.invoke(app, ["code", *paths, "--db", str(db)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    [failed] = [line for line in result.stderr.splitlines() if "could not be coded" in line]
    assert failed.startswith("error: article s2:") and "[E088] Text of length" in failed
    with Store(db, read_only=True) as st:  # the articles before and after it are coded and stored
        assert st.summary()["articles"] == 3 and st.summary()["events"] == 3


@pytest.fixture
def stored(tmp_path) -> Path:
    db = tmp_path / "good.duckdb"
    with Store(db) as st:
        st.con.execute(
            "INSERT INTO articles (id, text) "
            "SELECT 'a' || i, repeat(md5(i::VARCHAR), 40) FROM range(5000) t(i)"
        )
        st.con.execute(
            "INSERT INTO events (id, article_id, event, factuality, text, evidence) "
            "SELECT 'e' || i, 'a' || i, 'AGREE', 'asserted', repeat(md5(i::VARCHAR), 20), '{}' "
            "FROM range(5000) t(i)"
        )
    return db


def damaged(db: Path, how: str) -> Path:
    data = db.read_bytes()
    bad = db.with_name(f"{how}.duckdb")
    if how == "truncated":
        bad.write_bytes(data[: len(data) // 2])
    elif how == "header":
        bad.write_bytes(data[:4096])
    elif how == "corrupt":  # the file headers intact, every block after them overwritten
        bad.write_bytes(data[:12288] + os.urandom(len(data) - 12288))
    else:
        bad.write_bytes(b"just some text, not a database\n" * 200)
    return bad


COMMANDS = {
    "events": lambda db, tmp: ["events", "--db", str(db)],
    "export": lambda db, tmp: ["export", "--db", str(db), "-f", "jsonl", "--out", str(tmp / "x.jsonl")],
    "code": lambda db, tmp: ["code", *corpus(tmp, ENGLISH), "--db", str(db)],
}


@pytest.mark.parametrize("how", ["truncated", "header", "corrupt", "foreign"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_damaged_store_costs_one_line(stored, tmp_path, pipeline, how, command):
    bad = damaged(stored, how)
    result = runner.invoke(app, COMMANDS[command](bad, tmp_path))
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert len(lines) == 1 and str(bad) in lines[0]
    assert any(words in lines[0] for words in ("damaged", "not a DuckDB database file")), lines[0]


def test_a_store_in_use_costs_one_line(stored, tmp_path, pipeline):
    holder = (
        "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); sys.stdin.read()"
    )
    with subprocess.Popen(
        [sys.executable, "-c", holder, str(stored)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as other:
        assert other.stdout.readline().strip() == "ready"
        for command in COMMANDS.values():
            result = runner.invoke(app, command(stored, tmp_path))
            assert result.exit_code == 1 and "Traceback" not in result.output
            assert f"{stored}: the store is in use by another process" in result.stderr
        other.stdin.close()


def test_readers_share_a_store(stored, tmp_path):
    with Store(stored, read_only=True):
        result = runner.invoke(app, ["events", "--db", str(stored), "--limit", "2"])
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 2


def test_export_creates_its_folder_or_says_why_not(stored, tmp_path):
    out = tmp_path / "new" / "deeper" / "events.jsonl"
    result = runner.invoke(app, ["export", "--db", str(stored), "-f", "jsonl", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert len(out.read_text().splitlines()) == 5000 and json.loads(out.read_text().splitlines()[0])["id"]
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = runner.invoke(app, ["export", "--db", str(stored), "-f", "csv", "--out", str(blocker / "e.csv")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith(f"error: {blocker / 'e.csv'}: cannot write")


def test_closed_standard_input_is_one_line(tmp_path):
    """``dyads code - <&-``, run for real in a shell: one line, exit 1, no traceback."""
    script = f'"{sys.executable}" -c "from dyads.cli import app; app()" code - <&-'
    env = os.environ | {"PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "<stdin>: standard input is closed" in done.stderr
