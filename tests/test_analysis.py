"""Trends and shifts: periods, a dyad's series, the pairs that moved most (the demo's story), charts."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from dyads.analysis import PeriodError, period, shifts, trend
from dyads.cli import DEMO_DIR, app
from dyads.pipeline import code_articles
from dyads.read import read_paths
from dyads.store import Store
from eventstore import make_store

runner = CliRunner()


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2024", date(2024, 1, 1), date(2024, 12, 31)),
        ("2024-H2", date(2024, 7, 1), date(2024, 12, 31)),
        ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2024-02-10", date(2024, 2, 10), date(2024, 2, 10)),
        ("2023-11..2024-Q1", date(2023, 11, 1), date(2024, 3, 31)),
    ],
)
def test_periods(text, first, last):
    assert period(text) == (first, last)


@pytest.mark.parametrize("text", ["2024-Q5", "2024-13", "spring", "2024-02-30", "2024..2023"])
def test_bad_periods(text):
    with pytest.raises(PeriodError):
        period(text)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("trend") / "events.duckdb")


def test_trend_fills_the_months_between(small):
    with Store(small, read_only=True) as st:
        either = trend(st.con, "rus", "NER")
        directed = trend(st.con, "RUS", "NER", directed=True)
        monthly = trend(st.con, "MLI", "RUS", by="month")
    assert either == [
        {"period": "2024-06-01", "events": 1, "cooperation": 1, "conflict": 0, "goldstein": 2.8}
    ]
    assert directed == []  # the Nigerien junta hosted the Russians: NER acted on RUS
    assert [r["period"] for r in monthly] == ["2024-05-01"] and monthly[0]["goldstein"] == 5.2


def test_trend_cli_and_chart(small, tmp_path):
    chart = tmp_path / "trend.svg"
    res = runner.invoke(
        app, ["trend", "NER", "FRA", "--db", str(small), "--by", "week", "--chart", str(chart)]
    )
    assert res.exit_code == 0, res.output
    assert "2024-02-26" in res.stdout  # the ISO week of Friday 1 March
    assert chart.read_text(encoding="utf-8").lstrip().startswith("<?xml") and "<svg" in chart.read_text()
    res = runner.invoke(app, ["trend", "NER", "FRA", "--db", str(small), "--chart", str(tmp_path / "x.pdf")])
    assert res.exit_code == 2


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The bundled demo corpus, coded once."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    articles = [a for a in read_paths([str(p) for p in sorted(DEMO_DIR.glob("*.jsonl"))], None)]
    with Store(path) as st:
        st.write_many(code_articles(articles))
    return path


def test_demo_shifts_tell_the_seed_story(demo):
    """From the coup's quarter to a year later, Niger's relations with the US and France turn toward
    conflict while its cooperation with Russia grows."""
    with Store(demo, read_only=True) as st:
        found = {s.pair: s for s in shifts(st.con, period("2023-Q3"), period("2024-Q2"), top=6)}
    assert {("NER", "USA"), ("FRA", "NER"), ("NER", "RUS")} <= set(found)
    for west in (("NER", "USA"), ("FRA", "NER")):
        s = found[west]
        assert s.change < 0 and s.after["conflict"] > s.after["cooperation"], s
        assert s.drivers and all(d["goldstein"] < 0 for d in s.drivers)
    russia = found[("NER", "RUS")]
    assert russia.change > 0 and russia.after["cooperation"] > russia.before["cooperation"]
    assert russia.drivers and all(d["goldstein"] > 0 and "Russia" in d["text"] for d in russia.drivers)


def test_shifts_cli_and_chart(demo, tmp_path):
    chart = tmp_path / "shifts.png"
    args = ["shifts", "--db", str(demo), "--from", "2023-Q3", "--to", "2024-Q2", "--chart", str(chart)]
    res = runner.invoke(app, [*args, "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert '"pair": ["NER", "RUS"]' in res.stdout
    res = runner.invoke(app, ["shifts", "--db", str(demo), "--from", "2023-Q9", "--to", "2024"])
    assert res.exit_code == 1 and "2023-Q9" in res.stderr
