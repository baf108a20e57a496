"""Parties by place: what the place of an event says about who took part in it.

Two rules, applied once the event's site is known:

- ``local_parties``: an actor of a domestic sector with no country of its own ("demonstrators", "police")
  belongs to the country where the event happened (the sectors are the ``domestic_sector`` word class).
- ``host``: a material event with no one named on its receiving end is done to the country it took place
  in ("imposed a curfew in Abidjan", "troops arrived in Bosnia"); a visit, to the country visited when it is
  not the visitor's. Talks held in Geneva are not held with Switzerland.

And one rule that needs no place: ``own_government``: a protest that names no one it is aimed at ("dockers
in Ruvana began a strike") presses the protesters' own government (the types are the
``aimed_at_own_government`` word class).
"""

from __future__ import annotations

from dataclasses import replace

from dyads.events.lexicon import CameoInfo
from dyads.model import Actor, Location
from dyads.wordclasses import words

MATERIAL_QUADS = (2, 4)  # quad classes: material cooperation, material conflict
VISIT_MODE = "visit"  # the PLOVER mode of a visit (cameo.tsv)


def local_parties(actors: list[Actor], loc: Location | None) -> list[Actor]:
    """The actors, a domestic one with no country given the country of ``loc``."""
    if loc is None or not loc.country:
        return actors
    domestic = words("domestic_sector")
    return [
        replace(a, code=loc.country) if a.code is None and a.sector and a.sector.lower() in domestic else a
        for a in actors
    ]


def host(info: CameoInfo, actor: list[Actor], loc: Location | None) -> list[Actor]:
    """The country of ``loc`` as the event's recipient where the event is done to it, else nothing."""
    if loc is None or not loc.country:
        return []
    if info.mode == VISIT_MODE:
        if any(a.code == loc.country for a in actor):
            return []
    elif info.quad_code not in MATERIAL_QUADS:
        return []
    return [Actor(loc.name, loc.country, None, None, f"place:{loc.geonameid}" if loc.geonameid else None)]


def own_government(info: CameoInfo, actor: list[Actor]) -> list[Actor]:
    """The government of the actor's country as the recipient of an event of a type aimed at it, when the
    actor has exactly one country; else nothing. Nothing in the text names it: its ``kb_id`` says which
    rule put it there."""
    countries = {a.code for a in actor if a.code}
    if len(countries) != 1 or (info.event or "").lower() not in words("aimed_at_own_government"):
        return []
    (code,) = countries
    return [Actor("government", code, "GOV", None, "rule:own_government")]
