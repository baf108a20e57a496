"""Parties by place (attributes/parties.py): what an event's site says about who took part."""

from __future__ import annotations

from dyads.attributes.parties import host, local_parties
from dyads.events.lexicon import CameoInfo
from dyads.model import Actor, Location

BAMAKO = Location("Bamako", "MLI", None, 12.65, -8.0, 2460596, "PPLC")


def _info(quad: int, mode: str | None = None) -> CameoInfo:
    return CameoInfo("000", "test", "TEST", mode, (), 0.0, quad)


def test_a_domestic_actor_without_a_country_takes_the_country_of_the_place():
    protesters = Actor("protesters", None, "CVL", None, None)
    troops = Actor("troops", None, "MIL", None, None)  # soldiers may be anyone's: no country from the place
    french = Actor("French police", "FRA", "COP", None, None)
    assert [a.code for a in local_parties([protesters, troops, french], BAMAKO)] == ["MLI", None, "FRA"]
    assert local_parties([protesters], None) == [protesters]


def test_a_material_event_is_done_to_the_country_it_happened_in_a_verbal_one_is_not():
    [hosted] = host(_info(4), [Actor("the army", None, "MIL", None, None)], BAMAKO)
    assert hosted.code == "MLI" and hosted.kb_id == "place:2460596"
    assert host(_info(1), [], BAMAKO) == []  # talks held in Bamako are not held with Mali


def test_a_visit_is_to_the_country_visited_unless_it_is_the_visitors_own():
    assert [a.code for a in host(_info(1, "visit"), [Actor("Macron", "FRA", "GOV", None, None)], BAMAKO)] == [
        "MLI"
    ]
    assert host(_info(1, "visit"), [Actor("Goita", "MLI", "GOV", None, None)], BAMAKO) == []
