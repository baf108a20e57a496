"""Reads the knowledge-base tables under ``dyads/data/kb/`` (tab-separated, ``#`` comments, ``|`` lists)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "kb"


@dataclass(frozen=True)
class Country:
    iso3: str
    name: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    capitals: tuple[str, ...]


@dataclass(frozen=True)
class Entity:
    """An IGO, institution (metonym), group or territory: a fixed code and a default sector."""

    kb_id: str
    name: str
    aliases: tuple[str, ...]
    code: str | None
    sector: str | None
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class Role:
    """One dated role of a person; ``end`` None means ongoing."""

    kb_id: str
    name: str
    aliases: tuple[str, ...]
    code: str
    role: str
    sector: str
    start: date | None
    end: date | None


def _rows(name: str, width: int) -> list[list[str]]:
    path = DATA / name
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) > width or len(cells) < 2:
            raise ValueError(f"{path}:{n}: expected up to {width} tab-separated cells, got {len(cells)}")
        out.append(cells + [""] * (width - len(cells)))
    return out


def _list(cell: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in cell.split("|") if x.strip())


def _date(cell: str, where: str) -> date | None:
    if not cell:
        return None
    try:
        return date.fromisoformat(cell)
    except ValueError as err:
        raise ValueError(f"{where}: bad date {cell!r}") from err


def countries() -> list[Country]:
    """``countries.tsv``: iso3, name, aliases, demonyms, capitals/seats of government."""
    return [Country(r[0], r[1], _list(r[2]), _list(r[3]), _list(r[4])) for r in _rows("countries.tsv", 5)]


def entities(name: str, prefix: str) -> list[Entity]:
    """``igos.tsv``/``metonyms.tsv``/``groups.tsv``: id, name, aliases, code, sector, start, end."""
    out = []
    for r in _rows(name, 7):
        where = f"{name}:{r[0]}"
        out.append(
            Entity(
                f"{prefix}:{r[0]}",
                r[1],
                _list(r[2]),
                r[3] or None,
                r[4] or None,
                _date(r[5], where),
                _date(r[6], where),
            )
        )
    return out


def regions() -> list[Entity]:
    """``regions.tsv``: regions and peoples (id, name, aliases, iso3); no iso3 = spans several states."""
    return [Entity(f"region:{r[0]}", r[1], _list(r[2]), r[3] or None, None) for r in _rows("regions.tsv", 4)]


def people() -> list[Role]:
    """``people_*.tsv``: id, name, aliases, country, role, sector, start, end (one row per role held)."""
    out = []
    for path in sorted(DATA.glob("people_*.tsv")):
        for r in _rows(path.name, 8):
            where = f"{path.name}:{r[0]}"
            out.append(
                Role(
                    f"person:{r[0]}",
                    r[1],
                    _list(r[2]),
                    r[3],
                    r[4],
                    r[5],
                    _date(r[6], where),
                    _date(r[7], where),
                )
            )
    return out


def sectors() -> dict[str, tuple[str, bool]]:
    """``sectors.tsv``: sector code, strength (``strong``/``weak``), words/phrases (singular, lower case).

    A weak word (``official``, ``spokesman``) gives its sector only when nothing stronger is in the phrase.
    """
    out: dict[str, tuple[str, bool]] = {}
    for r in _rows("sectors.tsv", 3):
        if r[1] not in ("strong", "weak"):
            raise ValueError(f"sectors.tsv: {r[0]}: strength must be strong or weak, not {r[1]!r}")
        for word in _list(r[2]):
            out[word.lower()] = (r[0], r[1] == "strong")
    return out
