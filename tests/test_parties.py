"""Parties by place (attributes/parties.py): what an event's site says about who took part."""

from __future__ import annotations

import dyads
from dyads.attributes.parties import host, local_parties, own_government
from dyads.events.lexicon import CameoInfo
from dyads.model import Actor, Location

BAMAKO = Location("Bamako", "MLI", None, 12.65, -8.0, 2460596, "PPLC")


def _info(quad: int, mode: str | None = None, event: str = "TEST") -> CameoInfo:
    return CameoInfo("000", "test", event, mode, (), 0.0, quad)


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


def test_a_protest_aimed_at_no_one_named_presses_the_protesters_own_government():
    dockers = Actor("Ghanaian dockers", "GHA", "LAB", None, None)
    [aimed] = own_government(_info(3, event="PROTEST"), [dockers])
    assert (aimed.code, aimed.sector, aimed.kb_id) == ("GHA", "GOV", "rule:own_government")
    assert own_government(_info(3, event="ASSAULT"), [dockers]) == []  # only the types of the word class
    mixed = [dockers, Actor("Togolese traders", "TGO", "BUS", None, None)]
    assert own_government(_info(3, event="PROTEST"), mixed) == []  # whose government is unclear


def test_a_strike_with_no_target_is_coded_against_the_strikers_government_one_with_a_target_is_not():
    [strike] = [e for e in dyads.code("Ghanaian dockers began a strike on Monday.", published="2025-05-06")
                if e.event == "PROTEST"]
    assert [(a.code, a.sector) for a in strike.recipient] == [("GHA", "GOV")]
    [march] = [e for e in dyads.code("Ghanaian students marched against the French embassy on Monday.",
                                     published="2025-05-06") if e.event == "PROTEST"]
    assert [a.code for a in march.recipient] == ["FRA"]
