"""The event-site decision names the rule that decided it, and every coded event carries that name."""

from __future__ import annotations

import pytest

from dyads.attributes.places import find_places, trigger_site
from dyads.attributes.places.attach import LINK_RULES, PREP_RULES
from dyads.pipeline import code


@pytest.fixture(scope="module")
def nlp():
    from dyads.nlp import load  # the pipeline users get

    return load()


def site_of(nlp, text: str, word: str, verbal: bool = False):
    doc = nlp(text)
    trigger = next(t for t in doc if t.text == word)
    return trigger_site(trigger, find_places(doc, "t", unresolved=True), verbal)


def rules_of(text: str) -> dict[str, tuple[str, str | None]]:
    """Each coded event's trigger word → (its place rule, the place's name)."""
    return {
        e.evidence["trigger"]: (e.evidence["place_rule"], e.event_loc.name if e.event_loc else None)
        for e in code(text, "2024-05-02")
    }


def test_every_event_names_its_place_rule():
    assert rules_of("Police detained twelve traders in Niamey on Monday.") == {
        "detained": ("locative-on-trigger", "Niamey")
    }
    assert rules_of("Police detained twelve traders on Monday.") == {"detained": ("none", None)}


def test_the_dateline_places_an_event_the_sentence_does_not():
    text = "NIAMEY, Niger (Reuters) - Police detained twelve traders on Monday."
    assert rules_of(text) == {"detained": ("dateline", "Niamey")}


def test_a_place_on_the_verb_a_noun_trigger_hangs_on():
    rules = rules_of("In Gao, hundreds of traders gathered at a protest against new taxes.")
    assert rules["protest"] == ("locative-above-trigger", "Gao")


def test_a_clause_on_an_event_takes_that_events_place():
    rules = rules_of("Farmers marched in Dakar on Friday, demanding lower fuel prices.")
    assert rules["marched"] == ("locative-on-trigger", "Dakar")
    assert rules["demanding"] == ("head-clause", "Dakar")


def test_what_the_verb_takes_and_where_a_move_ends(nlp):
    site = site_of(nlp, "At dawn the militia stormed Kafr Hamdan.", "stormed")
    assert (site.place.text, site.rule) == ("Kafr Hamdan", "object-on-trigger")
    site = site_of(nlp, "The envoys flew back to Nairobi after the vote.", "flew")
    assert (site.place.text, site.rule) == ("Nairobi", "goal-of-move-on-trigger")


def test_a_visit_is_where_it_goes_other_talk_is_not_where_its_object_is(nlp):
    site = site_of(nlp, "The Ghanaian foreign minister visited Lome on Thursday.", "visited", verbal=True)
    assert (site.place.text, site.rule) == ("Lome", "object-on-trigger")
    site = site_of(nlp, "The Ghanaian foreign minister praised Lome on Thursday.", "praised", verbal=True)
    assert site.place is None


def test_a_landmark_and_a_place_that_says_nothing_of_where(nlp):
    site = site_of(nlp, "Soldiers clashed with bandits north of Menaka on Monday.", "clashed")
    assert (site.place.text, site.rule) == ("Menaka", "direction-landmark-on-trigger")
    site = site_of(nlp, "Two fishermen were captured by Iran on Friday.", "captured")
    assert (site.place, site.rule) == (None, "none")  # the doer, not the place


def test_a_birthplace_in_a_relative_clause_ranks_below_the_event_place(nlp):
    site = site_of(nlp, "A trader who was born in Kano was arrested in Accra.", "arrested")
    assert (site.place.text, site.rule) == ("Accra", "locative-on-trigger")


def test_rule_names_are_unique():
    names = [r.name for r in PREP_RULES + LINK_RULES]
    assert len(names) == len(set(names))


def test_between_two_towns_the_first_places_the_event():
    rules = rules_of("Gunmen ambushed a supply convoy between Djibo and Namsiguia on Tuesday.")
    assert rules["ambushed"] == ("between-towns-on-trigger", "Djibo")
    rules = rules_of("Soldiers shot a herder on the road between Douentza and Boni.")
    assert rules["shot"][1] == "Douentza"


def test_between_two_countries_is_no_place():
    rules = rules_of("Gunmen attacked a bus on the border between Mali and Niger.")
    assert rules["attacked"] == ("none", None)


def test_a_village_the_gazetteer_lacks_takes_the_town_named_after_it():
    def placed(text: str) -> tuple[str, str | None, float | None]:
        (event,) = code(text, "2024-05-02")
        loc = event.event_loc
        return event.evidence["place_rule"], loc.name if loc else None, loc.lat if loc else None

    rule, name, lat = placed(
        "Gunmen killed two herders in the village of Wuroqzandi (Tongomayel, Soum) on Sunday."
    )
    # the name the text gives, at the coordinates of the commune's town
    assert (rule, name) == ("locative-on-trigger-town-after", "Wuroqzandi")
    assert lat == pytest.approx(placed("Gunmen killed two herders in Tongomayel on Sunday.")[2])
    # a district's seat named first: the village lies somewhere in the district, most often near its seat
    rule, name, lat = placed(
        "Gunmen killed two herders in the village of Wuroqzandi (Djibo, Soum) on Sunday."
    )
    assert (rule, name) == ("locative-on-trigger-town-after", "Wuroqzandi")
    assert lat == pytest.approx(placed("Gunmen killed two herders in Djibo on Sunday.")[2])
    # but a whole region or country named first says too little of where the village lies
    for text in (
        "Gunmen killed two herders in the village of Wuroqzandi, Sahel Region, on Sunday.",
        "Gunmen killed two herders in the village of Wuroqzandi, Burkina Faso, on Sunday.",
    ):
        assert placed(text) == ("locative-on-trigger", "Wuroqzandi", None), text


def test_a_deed_the_parser_hangs_as_a_clause_on_the_next_deed_is_one_event(nlp):
    # the parse a comma-spliced report gets: "attacked" as a that-clause of "wounded"
    from spacy.tokens import Doc

    from dyads.model import Place

    words = ["Gunmen", "attacked", "a", "post", "in", "Tongomayel", ",", "wounded", "two", "guards", "."]
    heads = [1, 7, 3, 1, 3, 4, 7, 7, 9, 7, 7]
    deps = ["nsubj", "ccomp", "det", "dobj", "prep", "pobj", "punct", "ROOT", "nummod", "dobj", "punct"]
    lemmas = ["gunman", "attack", "a", "post", "in", "Tongomayel", ",", "wound", "two", "guard", "."]
    pos = ["NOUN", "VERB", "DET", "NOUN", "ADP", "PROPN", "PUNCT", "VERB", "NUM", "NOUN", "PUNCT"]
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, lemmas=lemmas, pos=pos)
    start = doc[5].idx
    town = Place("t", (start, start + len("Tongomayel")), "Tongomayel", "Tongomayel", lat=14.0, lon=-1.0)
    assert trigger_site(doc[7], [town]).rule == "locative-on-trigger"
    # a saying is no deed: what was said to happen somewhere does not place the saying
    words[7], lemmas[7] = "said", "say"
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, lemmas=lemmas, pos=pos)
    assert trigger_site(doc[7], [town]).place is None


def test_a_village_the_gazetteer_lacks_takes_a_landmark_or_the_place_it_is_coded_at():
    def placed(text: str) -> tuple[str, float | None]:
        (event,) = code(text, "2024-05-02")
        loc = event.event_loc
        return event.evidence["place_rule"], loc.lat if loc else None

    _, kaya = placed("Gunmen killed two herders in Kaya on Sunday.")
    for text, how in (
        ("Gunmen killed two herders in the village of Wuroqzandi, near Kaya, on Sunday.", "landmark-after"),
        ("Gunmen killed two herders in Wuroqzandi, 12 km west of Kaya, on Sunday.", "landmark-after"),
        ("Gunmen killed two herders in Wuroqzandi (coded as Kaya) on Sunday.", "coded-after"),
    ):
        assert placed(text) == (f"locative-on-trigger-{how}", pytest.approx(kaya)), text
    # a landmark far off says little of where the village lies
    assert placed("Gunmen killed two herders in Wuroqzandi, 90 km west of Kaya, on Sunday.")[1] is None


def test_where_a_vehicle_hit_was_going_places_the_attack():
    rules = rules_of("Gunmen ambushed a bus carrying traders between Djibo and Namsiguia on Monday.")
    assert rules["ambushed"] == ("between-towns-on-trigger", "Djibo")
    rules = rules_of("Bandits attacked a lorry travelling between Kaya and Dori.")
    assert rules["attacked"] == ("between-towns-on-trigger", "Kaya")


def test_the_place_a_report_codes_its_event_at_places_an_event_it_does_not_place_otherwise():
    text = "On Monday, gunmen shot a herder on a track between two hamlets (coded as Kaya at precision 2)."
    rules = rules_of(text)
    assert rules["shot"] == ("coded-as", "Kaya")
    # a village of the event's own that the gazetteer lacks keeps its name, at the coded place
    (event,) = code(
        "Gunmen shot a herder in Wuroqzandi on Monday, the report said (coded as Kaya).", "2024-05-02"
    )
    assert (event.evidence["place_rule"], event.event_loc.name) == (
        "locative-on-trigger-coded-as",
        "Wuroqzandi",
    )
    assert event.event_loc.lat is not None
