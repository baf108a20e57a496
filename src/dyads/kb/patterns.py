"""spaCy EntityRuler patterns from the tables: exact-case strings, with title- and upper-case variants."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dyads.kb.text import is_acronym

if TYPE_CHECKING:
    from dyads.kb.lexicon import Lexicon

_DETERMINERS = ("the ", "The ")
# demonym forms that are more often ordinary words or first names in running text: coded, but not tagged
_UNTAGGED = frozenset({"Kiwi", "Swede", "Pole", "Dane", "Brit", "Finn", "Turk", "Lao", "Aussie", "Magyar"})


def _variants(alias: str) -> list[str]:
    """The alias as written, without a leading "the", plus title/upper case forms (never lower case)."""
    for det in _DETERMINERS:
        if alias.startswith(det):
            alias = alias[len(det) :]
    if is_acronym(alias) or len(alias) < 2:
        return [alias] if alias.isupper() and len(alias) >= 2 else []
    out = [alias, alias.upper()]
    if alias[:1].islower():
        out.append(alias[:1].upper() + alias[1:])
    return out


def _plural(demonym: str) -> list[str]:
    return [demonym + "s"] if demonym.endswith(("an", "i")) else []


def entity_patterns(lex: Lexicon) -> list[dict]:
    """GPE for countries/capitals, NORP for demonyms, ORG for IGOs/institutions/groups, PERSON for people."""
    seen: set[str] = set()
    out: list[dict] = []

    def add(label: str, alias: str, kb_id: str) -> None:
        for form in _variants(alias):
            if form not in seen and form not in _UNTAGGED:
                seen.add(form)
                out.append({"label": label, "pattern": form, "id": kb_id})

    for c in lex.countries:
        for alias in (c.name, *c.aliases, *c.capitals):
            add("GPE", alias, f"country:{c.iso3}")
        for dem in c.demonyms:
            for form in (dem, *_plural(dem)):
                add("NORP", form, f"country:{c.iso3}")
    for kb_id, rows in lex.entities.items():
        label = "GPE" if rows[0].sector == "PRE" else "ORG"
        for alias in {a for r in rows for a in (r.name, *r.aliases)}:
            add(label, alias, kb_id)
    for kb_id, roles in lex.roles.items():
        for alias in {a for r in roles for a in (r.name, *r.aliases)}:
            add("PERSON", alias, kb_id)
    return out
