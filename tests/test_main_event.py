"""Which event a short conflict report is about, the sector of actors named by the means they used, and the
confidence table: on sentences written for these tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def code():
    from dyads.pipeline import code as code_text

    return lambda text: code_text(text, "2024-05-01")


def root(events):
    roots = [e for e in events if e.root]
    assert len(roots) == 1, [(e.event, e.root, e.evidence["rule"]) for e in events]
    assert events[0] is roots[0]
    return roots[0]


@pytest.mark.parametrize(
    ("text", "event"),
    [
        # a clause spliced on with a comma before the parse root is a main clause, and comes first
        ("Gunmen attacked the police post in Tillia, the attackers seized a pickup and withdrew.", "ASSAULT"),
        ("Raiders stormed the clinic near the river, the building was burned down by nightfall.", "ASSAULT"),
        ("Nurses staged a demonstration against low pay, the nurses demanded higher wages.", "PROTEST"),
        # ... but a clause reported by a verb that takes clauses is what that verb says: the claim comes first
        ("Rebels ambushed a convoy on the southern road, the army claimed.", "ACCUSE"),
        # an act told with "also" ranks after the others
        ("Rebels also looted a shop in the town and attacked the police station.", "ASSAULT"),
        # a coercion yields to violence done with it; a threat to a seizure done with it
        ("The soldiers detained four herders and executed them near the well.", "ASSAULT"),
        ("Bandits entered the hamlet at dawn, killing two farmers.", "ASSAULT"),
        ("Bandits threatened a herder and seized his goats near the well.", "COERCE"),
    ],
)
def test_the_main_event_of_a_conflict_report(code, text, event):
    assert root(code(text)).event == event


def test_an_act_only_announced_does_not_outrank_the_one_done(code):
    main = root(code("The rebels accused the governor of fraud and will attack the garrison."))
    assert main.event == "ACCUSE"  # not the attack to come


def test_a_verb_coordinated_with_a_threat_is_a_second_act_not_its_content(code):
    seized = [e for e in code("Bandits threatened a herder and seized his goats.") if e.event == "COERCE"]
    assert seized and seized[0].factuality == "asserted"


@pytest.mark.parametrize(
    ("text", "event"),
    [
        ("Gunmen robbed two traders near the well on Sunday.", "COERCE"),
        ("Thieves stole forty goats from a herder near the well.", "COERCE"),
        ("Insurgents targeted an army convoy near the border.", "ASSAULT"),
        ("The patrol was fired upon near the bridge.", "ASSAULT"),
        ("Angry farmers held a protest meeting outside the prefecture on Friday.", "PROTEST"),
    ],
)
def test_conflict_report_wording(code, text, event):
    assert root(code(text)).event == event


@pytest.mark.parametrize(
    ("text", "country", "sector"),
    [
        ("Five herders died in Malian drone strikes on Tuesday.", "MLI", "MIL"),
        ("An Israeli air strike hit a farm, killing three fighters.", "ISR", "MIL"),
        ("Two students were wounded by Kenyan police gunfire.", "KEN", "COP"),
    ],
)
def test_an_actor_named_by_a_modifier_takes_the_sector_of_the_means(code, text, country, sector):
    attacks = [e for e in code(text) if e.event == "ASSAULT"]
    actors = [a for e in attacks for a in e.actor if a.code == country]
    assert actors and all(a.sector == sector for a in actors), [(a.entity_text, a.sector) for a in actors]


def test_a_modifier_of_no_means_gives_no_sector(code):
    meet = root(code("Turkish officials met Greek diplomats in Athens."))
    assert [a.sector for a in meet.actor] == ["GOV"]  # from "officials", not from a means


def test_confidence_weights_come_from_the_table_and_rank_what_the_coding_rests_on():
    from dyads.attributes.confidence import FEATURES, confidence, weights
    from dyads.model import Actor

    assert set(weights()) == set(FEATURES)
    mali, chad = Actor("Mali", "MLI"), Actor("Chad", "TCD")
    sure = confidence("verb+obj:attack base", True, True, [mali], [chad], 1)
    unsure = confidence("noun:attack", False, False, [], [], 4)
    assert 0 < unsure < sure < 1
