"""The gazetteer: the bundled GeoNames table, building a table from GeoNames dumps, adding it with
DYADS_GAZETTEER, and one-line errors for bad files. The dumps here are invented rows in GeoNames' format."""

from __future__ import annotations

import gzip

import pytest
from typer.testing import CliRunner

from dyads.attributes import gazetteer as gz
from dyads.cli import app

runner = CliRunner()


def dump_row(gid: int, name: str, fclass: str, fcode: str, cc: str, a1: str, a2: str = "", **kw) -> str:
    cols = [str(gid), name, kw.get("ascii", name), kw.get("alts", ""), str(kw.get("lat", 10.0))]
    cols += [str(kw.get("lon", 1.0)), fclass, fcode, cc, "", a1, a2, "", "", str(kw.get("pop", 0))]
    return "\t".join(cols + ["", "", "Africa/Bamako", "2024-01-01"]) + "\n"


@pytest.fixture
def dumps(tmp_path):
    """A made-up country dump (a region, its seat town of the same name, a village, a well, a bakery
    the build leaves out) and an admin1 code table naming a second region no dump locates."""
    country = tmp_path / "ML.txt"
    country.write_text(
        dump_row(
            900001,
            "Tiraldou Region",
            "A",
            "ADM1",
            "ML",
            "91",
            alts="Tiraldou,Région de Tiraldou",
            lat=15.0,
            lon=-2.0,
        )
        + dump_row(900002, "Tiraldou", "P", "PPLA", "ML", "91", pop=40000, lat=15.1, lon=-2.1)
        + dump_row(900003, "Tondibaro", "P", "PPL", "ML", "91", alts="Tondi Baro,TNB", lat=15.3, lon=-2.4)
        + dump_row(900004, "Puits de Tondibaro", "H", "WLL", "ML", "91", lat=15.31, lon=-2.41)
        + dump_row(900005, "Boulangerie Tiraldou", "S", "BKRY", "ML", "91")
        + dump_row(900006, "Kelessi", "P", "PPL", "ML", "92", pop=20000, lat=12.0, lon=-6.0)
        + dump_row(900007, "Kelessi Sud", "P", "PPL", "ML", "92", pop=5000, lat=12.2, lon=-6.2),
        encoding="utf-8",
    )
    admin1 = tmp_path / "admin1CodesASCII.txt"
    admin1.write_text(
        "ML.91\tTiraldou\tTiraldou\t900001\nML.92\tKelessi\tKelessi\t900010\n", encoding="utf-8"
    )
    return [country, admin1]


def test_build_keeps_places_areas_and_event_sites_and_places_unlocated_areas(dumps):
    rows = {(r[1], r[3]): r for r in gz.build_table(dumps, {"ML": "MLI"})}
    assert "Boulangerie Tiraldou" not in {name for name, _ in rows}  # a bakery is no place events happen at
    assert ("Puits de Tondibaro", "WLL") in rows and rows["Tondibaro", "PPL"][4] == "MLI"
    assert rows["Tondibaro", "PPL"][2] == "tondi baro"  # folded other names, codes ("TNB") left out
    assert rows["Tiraldou Region", "ADM1"][0] == "900001"  # the dump's own row, not the code table's
    kelessi = rows["Kelessi", "ADM1"]  # an area no dump has: at its towns' population-weighted mean
    assert kelessi[3] == "ADM1" and kelessi[5] == "ML.92"
    assert float(kelessi[7]) == pytest.approx(12.04, abs=0.01)
    assert [r[3] for r in rows.values()][:2] == ["ADM1", "ADM1"]  # areas first, then towns by size


def test_a_users_table_adds_its_places_and_an_area_yields_its_bare_name_to_its_town(
    dumps, tmp_path, monkeypatch
):
    table = tmp_path / "mine.tsv.gz"
    gz.write_table(gz.build_table(dumps, {"ML": "MLI"}), table)
    assert gzip.decompress(table.read_bytes()).decode().startswith(f"# Derived from {gz.CREDIT}")
    monkeypatch.setenv(gz.ENV_VAR, str(table))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    gz.load_gazetteer.cache_clear()
    try:
        gaz = gz.load_gazetteer()
        names = lambda text: [(gaz.name[r], gaz.feature[r]) for r, _ in gaz.candidates(text)]  # noqa: E731
        assert names("Tondibaro")[0] == ("Tondibaro", "PPL")
        assert names("Tiraldou") == [("Tiraldou", "PPLA")]  # the town, not the region around it
        assert ("Tiraldou Region", "ADM1") in names("Tiraldou region")
        assert ("Kelessi", "ADM1") in names("Kelessi Region") and ("Kelessi", "PPL") in names("Kelessi")
        row = gaz.candidates("Tondibaro")[0][0]
        assert (gaz.country[row], gaz.admin1[row]) == ("MLI", "Tiraldou Region")
        assert gz.load_gazetteer() is gaz
    finally:
        gz.load_gazetteer.cache_clear()


def test_bundled_table_knows_sahel_villages_and_credits_geonames():
    with gzip.open(gz.GEONAMES, "rt", encoding="utf-8") as f:
        assert gz.CREDIT in f.readline()
    gaz = gz.load_gazetteer()
    boni = {(gaz.country[r], gaz.admin1[r]) for r, _ in gaz.candidates("Boni")}
    assert ("MLI", "Mopti Region") in boni and ("NER", "Tillaberi Region") in boni
    assert [gaz.feature[r] for r, _ in gaz.candidates("Mopti")][0] == "PPLA"
    assert "ADM1" in [gaz.feature[r] for r, _ in gaz.candidates("Mopti region")]
    assert any(gaz.feature[r] == "WLL" and gaz.country[r] == "MRT" for r in range(len(gaz.feature)))


def test_a_malformed_row_is_an_error_naming_file_and_line(tmp_path):
    bad = tmp_path / "NE.txt"
    bad.write_text(dump_row(1, "Anou", "P", "PPL", "NE", "01") + "2\tTassa\tP\n", encoding="utf-8")
    with pytest.raises(gz.GazetteerError, match=r"NE\.txt:2: 3 tab-separated columns"):
        gz.build_table([bad])
    result = runner.invoke(app, ["gazetteer", "build", str(bad), "--out", str(tmp_path / "g.tsv")])
    assert result.exit_code == 1 and "NE.txt:2:" in result.output and len(result.output.splitlines()) == 1


def test_cli_builds_a_table_and_says_how_to_use_it(dumps, tmp_path):
    out = tmp_path / "sahel.tsv.gz"
    result = runner.invoke(app, ["gazetteer", "build", *map(str, dumps), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (
        "wrote 7 places (4 populated places, 2 countries and admin areas, 1 other features)" in result.output
    )
    assert f"{gz.ENV_VAR}=" in result.output and out.is_file()


def test_a_missing_user_table_is_a_one_line_error(tmp_path, monkeypatch):
    monkeypatch.setenv(gz.ENV_VAR, str(tmp_path / "absent.tsv.gz"))
    result = runner.invoke(app, ["places", str(tmp_path)])
    assert result.exit_code == 1 and "absent.tsv.gz: no such file" in result.output
