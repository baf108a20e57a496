"""Reporting, attribution, intent and the sentence's main event (issue 10 §3.1–3.3), on sentences of our own.

- a claim that another party did a conflict act is an accusation by the claimant; the act is ``claimed``;
- a neutral report ("officials said", "the agency reported") keeps the reported act ``asserted``;
- a denial is a rejection by the denier (CAMEO 016); the act denied is ``claimed``, never ``asserted``;
- wanting, seeking, hoping, pledging or threatening to do X: the intent (03x) or threat (13x) is the event
  and X is ``future``; weighing X (CAMEO 014, a statement PLOVER does not code) leaves X ``future`` alone;
- every sentence with events has exactly one ``root`` event, listed first: the main clause's, not background.
"""

from __future__ import annotations

from collections import Counter

import pytest


@pytest.fixture(scope="module")
def code():
    from dyads.pipeline import code as code_text

    return lambda text: code_text(text, "2024-05-01")


def codes(actors) -> list:
    return [a.code for a in actors]


def one(events, event_type: str):
    hits = [e for e in events if e.event == event_type]
    assert len(hits) == 1, [(e.event, e.cameo, e.evidence["rule"]) for e in events]
    return hits[0]


def roots_per_sentence(events) -> Counter:
    return Counter(e.span for e in events if e.root)


# ------------------------------------------------------------------ claims and reports


@pytest.mark.parametrize(
    ("text", "accuser", "accused"),
    [
        ("Ghana claimed that Togolese soldiers had raided a customs post near the border.", "GHA", "TGO"),
        ("Officials in Bamako alleged that Algerian troops fired on a Malian patrol.", "MLI", "DZA"),
    ],
)
def test_claim_that_another_party_attacked_is_an_accusation(code, text, accuser, accused):
    events = code(text)
    acc = one(events, "ACCUSE")
    assert acc.root and events[0] is acc and acc.factuality == "asserted"  # the saying happened
    assert codes(acc.actor) == [accuser] and accused in codes(acc.recipient)
    attack = one(events, "ASSAULT")
    assert attack.factuality == "claimed" and not attack.root  # on the accuser's word only
    assert codes(attack.actor) == [accused]


def test_claim_about_ones_own_act_accuses_no_one(code):
    events = code("The rebels claimed they had shot down an army helicopter over the valley.")
    assert not [e for e in events if e.event == "ACCUSE"]
    assert one(events, "ASSAULT").factuality == "claimed"


@pytest.mark.parametrize(
    "text",
    [
        "Local officials said gunmen attacked a convoy of Malian soldiers near Mopti.",
        "Gunmen attacked a convoy of Malian soldiers near Mopti, the state radio reported.",
    ],
)
def test_neutral_report_keeps_the_act_asserted(code, text):
    """News reports what it was told: "X said Y did Z" codes Z as it codes "Y did Z" (the PLOVER and
    ConfliBERT annotators code the reported act as the sentence's event)."""
    events = code(text)
    attack = one(events, "ASSAULT")
    assert attack.factuality == "asserted" and attack.root
    assert not [e for e in events if e.event == "ACCUSE"]


def test_alleged_and_reportedly_put_an_act_on_someones_word(code):
    assert one(code("Militiamen reportedly burned a village in the Kivu hills."), "COERCE").factuality == (
        "claimed"
    )
    assert one(code("Police allegedly beat three students in Conakry."), "ASSAULT").factuality == "claimed"


# ------------------------------------------------------------------ denials


@pytest.mark.parametrize(
    ("text", "denier", "act"),
    [
        ("Burkina Faso denied that its drones struck a wedding party in Niger.", "BFA", "ASSAULT"),
        ("Rwanda has denied sending troops into eastern Congo.", "RWA", "MOBILIZE"),
    ],
)
def test_denial_is_a_rejection_and_the_act_is_not_asserted(code, text, denier, act):
    events = code(text)
    rej = one(events, "REJECT")
    assert rej.cameo == "016" and rej.root and codes(rej.actor) == [denier]
    denied = one(events, act)
    assert denied.factuality == "claimed" and not denied.root


def test_dismissed_allegations_are_a_denial_of_a_claimed_act(code):
    events = code("The Guinean government dismissed allegations that its gendarmes beat journalists.")
    rej = one(events, "REJECT")
    assert rej.cameo == "016" and rej.root and codes(rej.actor) == ["GIN"]
    assert one(events, "ASSAULT").factuality == "claimed"


def test_act_named_in_a_report_is_claimed_background(code):
    events = code("Amid reports that soldiers had entered the village, Benin closed its border with Niger.")
    assert events[0].event == "COERCE" and events[0].root and events[0].factuality == "asserted"
    assert [e.factuality for e in events[1:]] == ["claimed"]


# ------------------------------------------------------------------ accusations


def test_accused_of_an_act_names_who_is_said_to_have_done_it(code):
    events = code("Chad accused Sudan of shelling its border towns.")
    acc = one(events, "ACCUSE")
    assert acc.root and codes(acc.actor) == ["TCD"] and codes(acc.recipient) == ["SDN"]
    shelling = one(events, "ASSAULT")
    assert shelling.factuality == "claimed" and codes(shelling.actor) == ["SDN"]


# ------------------------------------------------------------------ intent and consideration


@pytest.mark.parametrize(
    ("text", "intent", "act"),
    [
        ("Senegal hopes to sign a trade agreement with Gambia.", "AGREE", "SUPPORT"),
        ("Mali wants to withdraw its troops from the joint force in Niger.", "AGREE", "RETREAT"),
        ("Guinea seeks to lift the ban on fuel exports to Sierra Leone.", "AGREE", "CONCEDE"),
        ("Chad pledged to send troops to Niger.", "AGREE", "MOBILIZE"),
        ("Russia threatened to cut gas supplies to Moldova.", "THREATEN", "SANCTION"),
    ],
)
def test_intent_is_the_event_and_the_act_is_future(code, text, intent, act):
    events = code(text)
    main = events[0]
    assert main.root and main.event == intent and main.factuality == "asserted"
    assert main.cameo[:2] == ("03" if intent == "AGREE" else "13")
    done = one(events, act)
    assert done.factuality == "future" and not done.root
    # never both the intent and the act as things that happened
    assert [e.event for e in events if e.factuality == "asserted"] == [intent]


@pytest.mark.parametrize(
    ("text", "wanter", "addressee"),
    [
        ("Nigeria wants Niger to release the detained ministers.", "NGA", "NER"),
        ("Senegal hopes Gambia will reopen the border crossing at Karang.", "SEN", "GMB"),
    ],
)
def test_wanting_another_party_to_act_is_an_appeal_to_it(code, text, wanter, addressee):
    """Not the other party's intent: it announced nothing."""
    events = code(text)
    assert [e.event for e in events] == ["REQUEST"]
    assert events[0].root and events[0].cameo[:2] == "02"
    assert codes(events[0].actor) == [wanter] and codes(events[0].recipient) == [addressee]


def test_an_act_announced_unless_the_other_side_complies_is_an_ultimatum(code):
    events = code("Chad said it will pull its troops out of the joint force unless Niger pays its share.")
    assert (events[0].event, events[0].cameo, events[0].root) == ("THREATEN", "139", True)
    assert codes(events[0].recipient) == ["NER"]
    assert one(events, "RETREAT").factuality == "future"
    assert one(code("Chad said it will pull its troops out of the joint force."), "AGREE").root


def test_seeking_to_do_is_no_appeal(code):
    events = code("Guinea seeks to lift the ban on fuel exports to Sierra Leone.")
    assert not [e for e in events if e.event == "REQUEST"]


def test_weighing_an_act_codes_no_intent(code):
    """ "is considering X": CAMEO 014 (weigh a policy option), a statement PLOVER does not code; X is
    future."""
    events = code("The junta is considering expelling the French ambassador.")
    assert [(e.event, e.factuality) for e in events] == [("SANCTION", "future")]


# ------------------------------------------------------------------ the main event


@pytest.mark.parametrize(
    ("text", "main"),
    [
        ("The ministry, which has detained hundreds, opened talks with the teachers' union.", "CONSULT"),
        ("After police arrested ten students, gunmen attacked a police station in Dakar.", "ASSAULT"),
        ("Police arrested ten protesters after clashes in the capital.", "COERCE"),
        ("Soldiers who had looted shops in Gao were arrested by the gendarmerie.", "COERCE"),
        # an aside hung on the report verb is not what was reported
        (
            "Farmers in the south suffered a new attack by herders on Sunday, the governor said, "
            "blaming the army.",
            "ASSAULT",
        ),
    ],
)
def test_background_is_not_the_main_event(code, text, main):
    events = code(text)
    assert len(events) >= 2
    assert events[0].root and events[0].event == main
    assert sum(e.root for e in events) == 1


def test_one_root_per_sentence_ranked_first(code):
    events = code(
        "Niger expelled the French ambassador on Friday. Mali said it would send troops to the border, "
        "and Burkina Faso accused Togo of harbouring rebels."
    )
    assert set(roots_per_sentence(events).values()) == {1}
    assert len(roots_per_sentence(events)) == 2
    first_of_sentence = {}
    for e in events:
        first_of_sentence.setdefault(e.span, e)
    assert all(e.root for e in first_of_sentence.values())
