"""Resolving places with the story's context (issue 10, capability 12 and the Sahel gazetteer): the places
that contain a place, the story's country, areas and their towns, spelling variants. Our own sentences,
on real Sahel villages of the bundled GeoNames table."""

from __future__ import annotations

import pytest

from dyads.attributes.places import find_places


@pytest.fixture(scope="module")
def nlp():
    from dyads.nlp import load

    return load()


def place(nlp, text: str, name: str):
    found = [p for p in find_places(nlp(text), "t") if p.text == name]
    assert found, f"{name!r} not resolved in {text!r}"
    return found[0]


def test_a_place_followed_by_the_places_containing_it_resolves_inside_them(nlp):
    for text in (
        "Rebels looted shops in Kona (Bourasso, Kossi) overnight.",
        "Rebels looted shops in Kona, Bourasso department, Kossi province, overnight.",
    ):
        kona = place(nlp, text, "Kona")
        assert (kona.country, kona.admin1) == ("BFA", "Boucle du Mouhoun"), text
    text = "Soldiers fought off raiders near Boni, in the Douentza district of Mopti region."
    boni = place(nlp, text, "Boni")
    assert (boni.country, boni.admin1) == ("MLI", "Mopti Region")


def test_names_the_ner_misses_become_places_when_they_contain_one_another(nlp):
    text = "Gunmen burned the clinic of Dinangourou (Koro, Mopti) on Friday."
    assert {p.text for p in find_places(nlp(text), "t")} >= {"Dinangourou", "Koro", "Mopti"}
    assert place(nlp, text, "Dinangourou").admin1 == "Mopti Region"


def test_a_village_of_the_storys_country_beats_its_namesakes_abroad(nlp):
    assert place(nlp, "Nigerien troops repelled an attack on Boni at dawn.", "Boni").country == "NER"
    assert place(nlp, "Malian soldiers were ambushed near Boni.", "Boni").country == "MLI"


def test_an_areas_bare_name_is_its_towns_and_an_area_word_makes_it_the_area(nlp):
    assert place(nlp, "Traders protested at the market in Mopti.", "Mopti").feature_code == "PPLA"
    assert place(nlp, "Floods destroyed crops across the Mopti region.", "Mopti").feature_code == "ADM1"


def test_a_spelling_variant_resolves_only_in_the_storys_country(nlp):
    saba = place(nlp, "Burkinabe gendarmes detained three traders in Ouro Saba.", "Ouro Saba")
    assert (saba.name, saba.country) == ("Wouro Saba", "BFA")
    assert not [p for p in find_places(nlp("Herders fled from Ouro Saba after the raid."), "t")]


def test_a_name_never_spans_a_bracket(nlp):
    # the small NER reads "Titao (Titao, Loroum" as one name; its parts are three places
    for text, town, province in (
        ("Unidentified gunmen shot a trader at Titao (Titao, Loroum).", "Titao", "Loroum"),
        ("Gunmen killed two herders in Kain (Kain, Yatenga) on Monday.", "Kain", "Yatenga"),
    ):
        names = [p.text for p in find_places(nlp(text), "t")]
        assert all("(" not in n and "," not in n for n in names), names
        assert {town, province} <= set(names), text
        assert place(nlp, text, town).admin1 == "Nord Region"


def test_two_places_the_ner_reads_as_one_name_are_two(nlp):
    # the small NER reads "Douentza & Boni" as one organisation; the gazetteer knows each name, not both
    names = {
        p.text: p.country
        for p in find_places(nlp("Bandits robbed a bus between Douentza & Boni at dusk."), "t")
    }
    assert names == {"Douentza": "MLI", "Boni": "MLI"}
    # a country whose name is two names joined stays one
    text = "Officials from Trinidad and Tobago met in Accra."
    assert {p.text for p in find_places(nlp(text), "t")} == {"Trinidad and Tobago", "Accra"}


def test_a_far_town_that_bears_the_name_only_as_another_name_drops_out_in_a_sahel_story(nlp):
    # "Pensa" is a village of Burkina Faso's own name, and a spelling of Penza (Russia) too
    pensa = place(nlp, "Burkinabe gendarmes were attacked in Pensa on Monday.", "Pensa")
    assert (pensa.name, pensa.country) == ("Pensa", "BFA")
    banh = place(nlp, "Malian troops were ambushed near Banh.", "Banh")
    assert banh.country == "BFA"  # not Baneh in Iran


def test_a_place_followed_by_its_province_in_one_ner_name_is_two_places(nlp):
    names = [p.text for p in find_places(nlp("Gunmen killed a man in Pobe-Mengao, Soum on Monday."), "t")]
    assert names == ["Pobe-Mengao", "Soum"]


def test_a_peoples_name_is_no_place(nlp):
    text = "Gunmen attacked the Dogon village of Kerzandi and the Fulani hamlet of Dioura on Monday."
    names = [p.text for p in find_places(nlp(text), "t", unresolved=True)]
    assert "Dogon" not in names and "Fulani" not in names
    assert "Dioura" in names


def test_a_group_known_to_one_country_sets_the_storys_country(nlp):
    # no country named: the group says where the story is set, and the village is that country's
    assert place(nlp, "Koglweogo militiamen were attacked in Pensa on Monday.", "Pensa").country == "BFA"
    assert place(nlp, "Soldiers returned to Burkina on Monday.", "Burkina").country == "BFA"


def test_a_town_beats_a_pond_or_wadi_of_its_name(nlp):
    # GeoNames' full dumps name small lakes and wadis after the towns beside them
    assert place(nlp, "Students staged a sit-in in Gao on Monday.", "Gao").feature_code == "PPLA"
    assert place(nlp, "Women protested in Kati on Monday.", "Kati").feature_code.startswith("PPL")


def test_after_a_village_the_gazetteer_lacks_its_commune_and_province_are_places(nlp):
    # nothing else says "Koalla" and "Gnagna" are places here; the one lies in the other
    text = "Gunmen killed a herder in Kerzandi (Koalla, Gnagna) on Monday."
    names = {p.text: p.country for p in find_places(nlp(text), "t")}
    assert names == {"Koalla": "BFA", "Gnagna": "BFA"}


def test_after_a_village_the_gazetteer_lacks_a_known_name_alone_in_brackets_is_a_place(nlp):
    text = "Bandits burned a granary in Kerzandi (Koalla) on Monday."
    assert {p.text: p.country for p in find_places(nlp(text), "t")} == {"Koalla": "BFA"}


def test_names_that_are_no_places_stay_whole_or_out(nlp):
    # a group the knowledge base knows keeps its whole name: no "Levant" out of it
    text = "Kurdish troops fought the Islamic State of Iraq and the Levant near Mosul."
    assert [p.text for p in find_places(nlp(text), "t")] == ["Mosul"]
    # a name in brackets after one the gazetteer lacks is a place only if it is a village, commune or seat
    text = "The raid was part of Operation Zandaro (Hunter), officials in Baghdad said."
    assert "Hunter" not in [p.text for p in find_places(nlp(text), "t")]
