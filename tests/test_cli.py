"""The ``dyads`` command: thin over the library; bad input is a one-line error and exit status 1."""

from __future__ import annotations

import json
import subprocess
import sys
import types
from datetime import date

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from dyads.cli import app
from dyads.eval.common import SuiteResult
from dyads.model import Actor, Article, Event, Location
from dyads.store import Store

runner = CliRunner()


def canned(article: Article) -> list[Event]:
    """One event per article, built from its text: enough to follow the plumbing end to end."""
    first = article.text.split(".")[0]
    return [
        Event(
            article_id=article.id, event="PROTEST", cameo="141", actor=[Actor("demonstrators", "NER", "CVL")],
            recipient=[Actor("US forces", "USA", "MIL")], date=article.published, date_precision="day",
            event_loc=Location("Niamey", "NER", lat=13.51, lon=2.11), text=first, span=(0, len(first)),
            confidence=0.8, evidence={"trigger": first.split()[-1], "rule": "test"},
        )
    ]  # fmt: skip


@pytest.fixture
def fake_pipeline(monkeypatch):
    """Stands in for ``dyads.pipeline`` so these tests follow the CLI, not the NLP."""
    module = types.ModuleType("dyads.pipeline")
    module.code_articles = lambda articles, batch_size=16, on_error=None: ((a, canned(a)) for a in articles)
    module.article_places = lambda articles, batch_size=16: ((a, []) for a in articles)
    monkeypatch.setitem(sys.modules, "dyads.pipeline", module)


def test_help_is_light():
    code = (
        "import sys, dyads.cli; print(sorted(m for m in ('spacy', 'duckdb', 'pandas') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("code", "places", "demo", "events", "export", "eval"):
        assert command in result.stdout


def test_code_reports_bad_files_and_codes_the_rest(tmp_path, fake_pipeline):
    good = tmp_path / "good.txt"
    good.write_text("Demonstrators marched in Niamey. More text.", encoding="utf-8")
    lines = tmp_path / "batch.jsonl"
    lines.write_text('{"id": "j1", "text": "Crowds protested."}\n{oops\n', encoding="utf-8")
    db = tmp_path / "out.duckdb"
    args = [
        "code",
        str(good),
        str(tmp_path / "missing.txt"),
        str(lines),
        "--published",
        "2024-04-15",
        "--db",
        str(db),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    *errors, summary = result.stderr.strip().splitlines()
    assert len(errors) == 2
    assert summary == "dyads code: 2 article(s) coded (2 events), 0 skipped, 2 failed"
    assert str(tmp_path / "missing.txt") in errors[0] and "no such file" in errors[0]
    assert f"{lines}:2: invalid JSON" in errors[1]
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["article_id"], r["date"]) for r in records] == [("good", "2024-04-15"), ("j1", "2024-04-15")]
    with Store(db, read_only=True) as st:
        assert [r["id"] for r in st.events()] == [r["id"] for r in records]


def test_code_clean_run_exits_zero_and_tables(tmp_path, fake_pipeline):
    f = tmp_path / "a.txt"
    f.write_text("Demonstrators marched in Niamey.", encoding="utf-8")
    result = runner.invoke(app, ["code", str(f), "--format", "table"])
    assert result.exit_code == 0, result.output
    assert "PROTEST" in result.stdout and "marched" in result.stdout
    assert result.stderr == "dyads code: 1 article(s) coded (1 events), 0 skipped, 0 failed\n"


def test_code_bad_date_is_a_usage_error(tmp_path, fake_pipeline):
    result = runner.invoke(app, ["code", "x.txt", "--published", "15/04/2024"])
    assert result.exit_code == 2


@pytest.fixture
def stored(tmp_path):
    db = tmp_path / "s.duckdb"
    with Store(db) as st:
        for i, (day, fact) in enumerate([(date(2024, 4, 1), "asserted"), (date(2024, 5, 1), "future")]):
            article = Article(f"a{i}", "Crowds protested against US forces.", day)
            st.write(article, [Event(**{**canned(article)[0].__dict__, "factuality": fact})])
    return db


def test_events_filters(stored):
    def ids(*extra):
        result = runner.invoke(app, ["events", "--db", str(stored), *extra])
        assert result.exit_code == 0, result.output
        return [json.loads(line)["article_id"] for line in result.stdout.splitlines()]

    assert ids() == ["a0"]
    assert ids("--factuality", "all") == ["a0", "a1"]
    assert ids("--factuality", "all", "--since", "2024-04-15") == ["a1"]
    assert ids("--factuality", "all", "--actor", "ner", "--recipient", "USA", "--type", "PROTEST") == [
        "a0",
        "a1",
    ]
    assert ids("--factuality", "all", "--recipient", "FRA") == []
    table = runner.invoke(app, ["events", "--db", str(stored), "--format", "table"])
    assert "a0" not in table.stdout and "PROTEST" in table.stdout
    assert runner.invoke(app, ["events", "--db", str(stored), "--factuality", "maybe"]).exit_code == 2


def test_events_missing_db_is_one_line(tmp_path):
    result = runner.invoke(app, ["events", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1
    assert "no such database" in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "tsv", "parquet"])
def test_export(stored, tmp_path, fmt):
    out = tmp_path / f"events.{fmt}"
    result = runner.invoke(app, ["export", "--db", str(stored), "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    if fmt == "parquet":
        assert pq.read_table(out).num_rows == 2
    else:
        assert len(out.read_text(encoding="utf-8").splitlines()) == (2 if fmt == "jsonl" else 3)  # + header


def test_demo_codes_the_bundled_corpus(tmp_path, monkeypatch, fake_pipeline):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    with Store(tmp_path / "dyads-demo.duckdb", read_only=True) as st:
        n = st.summary()["articles"]
    assert n > 0
    for heading in ("Events by type", "Top dyads", "Example events", "NER", "USA"):
        assert heading in result.stdout
    again = runner.invoke(app, ["demo"])  # idempotent: the same articles, not twice as many
    with Store(tmp_path / "dyads-demo.duckdb", read_only=True) as st:
        assert st.summary()["events"] == n
    assert again.exit_code == 0


def test_eval_prints_and_writes_json(tmp_path, monkeypatch):
    import dyads.eval as ev

    asked = []
    result_ = SuiteResult("plover", {"type_micro_f1": 0.5}, 10, "report")
    monkeypatch.setattr(ev, "run", lambda names, part: asked.append((names, part)) or [result_])
    out = tmp_path / "eval.json"
    result = runner.invoke(app, ["eval", "plover", "--json", str(out), "--part", "check"])
    assert result.exit_code == 0, result.output
    assert asked == [(["plover"], "check")]
    assert ev.render([result_]).strip().splitlines()[0] in result.stdout
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(json.dumps(ev.to_json([result_])))


def test_eval_readme_needs_both_parts():
    result = runner.invoke(app, ["eval", "--readme", "--part", "tune"])
    assert result.exit_code != 0 and "both parts" in result.output


def test_eval_unknown_suite_is_one_line():
    result = runner.invoke(app, ["eval", "no-such-suite"])
    assert result.exit_code == 1
    assert "unknown suite" in result.stderr and "Traceback" not in result.output


def test_code_real_pipeline(tmp_path):
    f = tmp_path / "niger.txt"
    f.write_text(
        "Thousands of demonstrators protested in Niamey on Saturday against the presence of US troops.",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["code", str(f), "--published", "2024-04-15"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert "PROTEST" in {r["event"] for r in records}


def test_places_real_pipeline(tmp_path):
    f = tmp_path / "n.jsonl"
    f.write_text(json.dumps({"id": "n1", "text": "Protesters marched in Niamey, capital of Niger."}) + "\n")
    result = runner.invoke(app, ["places", str(f)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    niamey = [r for r in records if r["text"] == "Niamey"]
    assert niamey and niamey[0]["article_id"] == "n1" and niamey[0]["country"] == "NER"
    assert niamey[0]["span"] == [22, 28]
