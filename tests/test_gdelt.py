"""The GDELT 2.0 event table export: 61 columns in GDELT's order, its code conventions, loadable as GDELT."""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.dataset as ds
import pytest
from typer.testing import CliRunner

from dyads.cli import app
from dyads.export import GDELT_COLUMNS, fips, gdelt_type, write_gdelt
from dyads.queries import Filters, events
from dyads.store import Store
from eventstore import make_store

runner = CliRunner()
# how GDELT readers type the table (the codes are text: "043" keeps its zero)
GDELT_TEXT = [
    c for c in GDELT_COLUMNS if c.endswith(("Code", "Name", "FullName", "FeatureID")) or c == "SOURCEURL"
]
GDELT_INT = ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "IsRootEvent", "QuadClass", "NumMentions",
             "NumSources", "NumArticles", "ActionGeo_Type", "DATEADDED"]  # fmt: skip
GDELT_FLOAT = ["FractionDate", "GoldsteinScale", "AvgTone", "ActionGeo_Lat", "ActionGeo_Long"]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("gdelt") / "events.duckdb")


def export(db: Path, *extra: str) -> str:
    res = runner.invoke(app, ["export", "--db", str(db), "--format", "gdelt", "--out", "-", *extra])
    assert res.exit_code == 0, res.output
    return res.stdout


def test_columns_in_gdelts_order():
    assert len(GDELT_COLUMNS) == 61 == len(set(GDELT_COLUMNS))
    assert GDELT_COLUMNS[:6] == [
        "GLOBALEVENTID",
        "SQLDATE",
        "MonthYear",
        "Year",
        "FractionDate",
        "Actor1Code",
    ]
    assert GDELT_COLUMNS[24:35] == [
        "Actor2Type3Code", "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
        "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone",
    ]  # fmt: skip
    assert GDELT_COLUMNS[51:] == [
        "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
        "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
        "DATEADDED", "SOURCEURL",
    ]  # fmt: skip


def test_a_gdelt_reader_loads_it(db):
    text = export(db, "--no-header")
    lines = text.splitlines()
    assert len(lines) == 4  # the asserted events; the announced recall (future) is no GDELT event
    assert all(line.count("\t") == 60 for line in lines) and text.endswith("\n")
    df = pd.read_csv(
        io.StringIO(text), sep="\t", header=None, names=GDELT_COLUMNS, dtype={c: str for c in GDELT_TEXT}
    )
    assert df.shape == (4, 61)
    for c in GDELT_INT:
        assert pd.api.types.is_integer_dtype(df[c]), c
    for c in GDELT_FLOAT:
        assert pd.api.types.is_float_dtype(df[c]), c
    assert df["GLOBALEVENTID"].is_unique


def test_gdelt_conventions(db):
    df = pd.read_csv(io.StringIO(export(db)), sep="\t", dtype={c: str for c in GDELT_TEXT})
    assert list(df.columns) == GDELT_COLUMNS
    protest = df[df["EventCode"] == "141"].iloc[0]
    assert (protest["SQLDATE"], protest["MonthYear"], protest["Year"]) == (20240301, 202403, 2024)
    assert protest["FractionDate"] == pytest.approx(2024 + 61 / 365, abs=1e-4)
    assert (protest["Actor1Code"], protest["Actor1CountryCode"], protest["Actor1Type1Code"]) == (
        "NERCVL",
        "NER",
        "CVL",
    )
    assert (protest["Actor2Code"], protest["Actor2Name"]) == ("FRAGOV", "THE FRENCH EMBASSY")
    assert (protest["EventBaseCode"], protest["EventRootCode"], protest["QuadClass"]) == ("141", "14", 4)
    # the geography blocks speak FIPS 10-4: Niger is NG, and Niamey (NE.08 in GeoNames) is NG08, a world city
    assert (protest["ActionGeo_CountryCode"], protest["ActionGeo_ADM1Code"], protest["ActionGeo_Type"]) == (
        "NG",
        "NG08",
        4,
    )
    assert protest["ActionGeo_FullName"] == "Niamey, Niger" and protest["ActionGeo_FeatureID"] == "2440485"
    assert protest["IsRootEvent"] == 1 and protest["DATEADDED"] == 20240302000000  # lead sentence; published
    assert protest["SOURCEURL"] == "https://example.org/a1" and protest["NumMentions"] == 1
    aid = df[df["EventCode"] == "0312"].iloc[0]
    assert (aid["IsRootEvent"], aid["QuadClass"], aid["ActionGeo_Type"]) == (
        1,
        2,
        0,
    )  # its sentence's main event (the record's root), though not the lead's; no place
    assert aid["SOURCEURL"] == "Example Wire"  # no url: the source's name, as GDELT does for non-web sources
    consult = df[df["EventCode"] == "043"].iloc[0]
    assert consult["Actor2Code"] == "RUSMIL" and consult["ActionGeo_CountryCode"] == "NG"


def test_root_field_wins_and_statements_are_verbal_cooperation(db):
    with Store(db, read_only=True) as st:
        records = events(st.con, Filters(type="PROTEST"), article=True)
    out = io.StringIO()
    write_gdelt([rec | {"root": False, "quad_code": 0} for rec in records], out, header=False)
    row = dict(zip(GDELT_COLUMNS, out.getvalue().rstrip("\n").split("\t"), strict=True))
    assert row["IsRootEvent"] == "0" and row["QuadClass"] == "1"


def test_code_tables():
    assert [fips(c) for c in ("NER", "NGA", "DEU", "GBR", "BFA", "XXX", None)] == [
        "NG",
        "NI",
        "GM",
        "UK",
        "UV",
        "",
        "",
    ]
    assert [gdelt_type(s) for s in ("GOV", "JRN", "MED", "PRM", None)] == ["GOV", "MED", "HLH", "MIL", ""]
    sectors = Path(__file__).resolve().parents[1] / "src" / "dyads" / "data" / "kb" / "sectors.tsv"
    ours = {
        ln.split("\t")[0] for ln in sectors.read_text(encoding="utf-8").splitlines() if ln and ln[0] != "#"
    }
    table = Path(__file__).resolve().parents[1] / "src" / "dyads" / "data" / "gdelt_types.tsv"
    mapped = {ln.split("\t")[0] for ln in table.read_text(encoding="utf-8").splitlines()[3:]}
    assert ours <= mapped  # every sector the coder can give has a GDELT row


def test_duckdb_reads_the_file(db, tmp_path):
    out = tmp_path / "events.tsv"
    res = runner.invoke(app, ["export", "--db", str(db), "--format", "gdelt", "--out", str(out)])
    assert res.exit_code == 0, res.output
    rel = duckdb.sql(f"SELECT * FROM read_csv('{out}', delim='\t', header=true)")
    assert len(rel.columns) == 61 and len(rel.fetchall()) == 4


def test_parquet_by_month(db, tmp_path):
    out = tmp_path / "by_month"
    res = runner.invoke(
        app, ["export", "--db", str(db), "--format", "parquet", "--by-month", "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == ["month=2024-03", "month=2024-05", "month=2024-06"]
    table = ds.dataset(out, format="parquet", partitioning="hive").to_table()
    assert table.num_rows == 5 and sorted(set(table["month"].to_pylist())) == [
        "2024-03",
        "2024-05",
        "2024-06",
    ]
    res = runner.invoke(app, ["export", "--db", str(db), "--format", "csv", "--by-month", "--out", str(out)])
    assert res.exit_code == 2
