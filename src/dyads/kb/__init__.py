"""The actor knowledge base: codes a noun phrase from the news as country + PLOVER sector, time-aware.

``load_kb().code_actor("Nigerien Prime Minister Ali Lamine Zeine")`` -> ``Coded("NER", "GOV", ...)``.

Conventions (see ``data/kb/README.md``):
* ``code`` is ISO 3166 alpha-3, ``IGO`` for intergovernmental organisations, or None; never guessed.
* A country, demonym or IGO alone has sector None (unless the body has one: ICJ -> JUD); a capital alone
  is its government (``Moscow`` -> RUS GOV); another city alone is its population (``Mariupol`` -> UKR CVL).
* A person is coded by the role held on the date asked; after their last role they are ``ELI``;
  a junta in power is ``GOV`` (so ``Tchiani`` after 2023-07-26 is NER GOV).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from dyads.kb.lexicon import Hit, Lexicon
from dyads.kb.patterns import entity_patterns
from dyads.kb.tables import Entity, Role

TENURED = frozenset({"GOV", "MIL", "LEG", "JUD", "COP", "SPY", "PTY", "IGO"})


@dataclass(frozen=True)
class Coded:
    code: str | None
    sector: str | None
    name: str | None
    kb_id: str | None


NONE = Coded(None, None, None, None)


class KB:
    """Lookups over the tables; build once with :func:`load_kb`."""

    def __init__(self) -> None:
        self.lex = Lexicon()

    def country(self, text: str) -> str | None:
        """A country's name, short name, demonym or capital -> ISO3 (``Nigerien`` -> ``NER``)."""
        return self.lex.country(text)

    def entity_patterns(self) -> list[dict]:
        """spaCy EntityRuler patterns (GPE, NORP, ORG, PERSON), exact case, title/upper variants."""
        return entity_patterns(self.lex)

    def code_actor(self, text: str, on: date | None = None) -> Coded:
        """Code a whole noun phrase as country/IGO + sector, for the date ``on`` (default: today)."""
        when = on.date() if isinstance(on, datetime) else on or date.today()
        hits = self.lex.scan(text)
        if not hits:
            return NONE
        former = any(h.kind == "former" for h in hits)
        head = _head_sector(hits)
        for h in hits:
            if h.kind == "person" and not self._other_country_titled(h, hits):
                coded = self._person(h, when, head)
                if coded is not None:
                    in_office = coded.kb_id is not None and bool(_active(self.lex.roles[coded.kb_id], when))
                    return coded if in_office else _retire(coded, former)
        ent = next((h for h in hits if h.kind == "entity"), None)
        if ent is not None and not self._country_first(ent, hits):
            coded = self._entity(ent, when, hits, head)
            if coded is not None:
                return _retire(coded, former)
        place = next((h for h in hits if h.kind in ("country", "capital")), None)
        place = place or next((h for h in hits if h.kind == "city"), None)
        if place is not None:
            sector = head
            if sector is None and ent is not None:
                sector = self.lex.entities[ent.ref][0].sector
            if sector is None and _alone(hits, place):
                sector = {"capital": "GOV", "city": "CVL"}.get(place.kind)
            return _retire(Coded(place.ref, sector, None, f"country:{place.ref}"), former)
        if head is not None:
            return _retire(Coded(None, head, None, None), former)
        return NONE

    def _person(self, hit: Hit, when: date, head: str | None) -> Coded | None:
        candidates = [self.lex.roles[pid] for pid in hit.refs]
        if len(candidates) > 1:
            active = [c for c in candidates if _active(c, when)]
            if len(active) == 1:
                candidates = active
            elif len({c[0].code for c in candidates}) == 1:
                return Coded(candidates[0][0].code, head, None, None)
            else:
                return None
        roles = candidates[0]
        now = _active(roles, when)
        past = [r for r in roles if r.end is not None and r.end <= when]
        if now:
            role = max(now, key=lambda r: r.start or date.min)  # the latest appointment
            sector = role.sector
        elif past:
            role, sector = max(past, key=lambda r: r.end or when), "ELI"
        else:
            role, sector = roles[0], head
        return Coded(role.code, sector, role.name, role.kb_id)

    def _other_country_titled(self, person: Hit, hits: list[Hit]) -> bool:
        """A country and a title before a name in the same chunk ("Russian President Boris ...") outweigh a
        name match whose every candidate is from another country (an IGO role is no country)."""
        before = [h for h in hits if h.chunk == person.chunk and h.end <= person.start]
        named = {h.ref for h in before if h.kind in ("country", "capital")}
        if not named or not any(h.kind == "sector" and h.strong for h in before):
            return False
        codes = {r.code for pid in person.refs for r in self.lex.roles[pid]}
        return not (codes & named) and "IGO" not in codes

    def _country_first(self, ent: Hit, hits: list[Hit]) -> bool:
        """A country named before an IGO or another country's institution makes the actor national:
        "the U.S. ambassador to the UN", "Chile's Defense Department". Armed groups keep their code."""
        row = self.lex.entities[ent.ref][0]
        if row.kb_id.startswith("group:"):
            return False
        places = ("country", "capital")
        return any(h.kind in places and h.start < ent.start and h.ref != row.code for h in hits)

    def _entity(self, hit: Hit, when: date, hits: list[Hit], head: str | None) -> Coded | None:
        rows = self.lex.entities[hit.ref]
        row = _dated(rows, when)
        strong_here = [h.ref for h in hits if h.kind == "sector" and h.strong and h.chunk == hit.chunk]
        if row.kb_id.startswith("group:"):
            sector = row.sector or head or "CVL"  # a people has the sector its phrase gives it
        elif row.sector is not None:
            sector = strong_here[-1] if strong_here else row.sector
        else:
            sector = head
        if row.code is None and sector is None:
            return None
        name = row.name if row.code == "IGO" or row.kb_id.startswith("group:") else None
        return Coded(row.code, sector, name, row.kb_id)


def _active(roles: list[Role], when: date) -> list[Role]:
    return [r for r in roles if (r.start is None or r.start <= when) and (r.end is None or when < r.end)]


def _dated(rows: list[Entity], when: date) -> Entity:
    """The row of a dated entity in force on ``when`` (else the nearest one)."""
    for r in rows:
        if (r.start is None or r.start <= when) and (r.end is None or when < r.end):
            return r
    return rows[0] if rows[0].start and when < rows[0].start else rows[-1]


def _head_sector(hits: list[Hit]) -> str | None:
    """English heads come last: the last strong sector word of the first chunk that has one, else weak."""
    for strong in (True, False):
        found = [h for h in hits if h.kind == "sector" and h.strong == strong]
        if found:
            chunk = found[0].chunk
            return [h for h in found if h.chunk == chunk][-1].ref
    return None


def _alone(hits: list[Hit], place: Hit) -> bool:
    return all(h is place or h.kind == "filler" for h in hits)


def _retire(coded: Coded, former: bool) -> Coded:
    if former and coded.sector in TENURED:
        return Coded(coded.code, "ELI", coded.name, coded.kb_id)
    if former and coded.sector is None and coded.kb_id and coded.kb_id.startswith("person:"):
        return Coded(coded.code, "ELI", coded.name, coded.kb_id)
    return coded


@lru_cache(maxsize=1)
def load_kb() -> KB:
    """The knowledge base, loaded once per process."""
    return KB()


__all__ = ["KB", "Coded", "load_kb"]
