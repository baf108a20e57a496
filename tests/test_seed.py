"""The seed story, coded by hand: dyads must find each of these events.

The article's text stays in ../shared/seed/ (read in place); this file holds only our hand coding.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seed" / "us-niger-withdrawal.jsonl"
PUBLISHED = date(2024, 4, 20)


@pytest.fixture(scope="module")
def events():
    if not SEED.exists():
        pytest.skip("../shared/seed is absent")
    import dyads

    rec = json.loads(SEED.read_text(encoding="utf-8").splitlines()[0])
    assert rec["published"] == PUBLISHED.isoformat()
    return dyads.code(rec["text"], published=rec["published"], article_id=rec["id"])


def codes(actors) -> set[str]:
    return {a.code for a in actors if a.code}


def find(events, types, trigger_words, actor=None, recipient=None):
    """The events of one of ``types`` whose trigger phrase holds one of ``trigger_words``."""
    types = {types} if isinstance(types, str) else set(types)
    hits = [
        e
        for e in events
        if e.event in types
        and any(w in e.event_text.lower() for w in trigger_words)
        and (actor is None or actor in codes(e.actor))
        and (recipient is None or recipient in codes(e.recipient))
    ]
    assert hits, f"no {types} event on {trigger_words} {actor}->{recipient}: " + "; ".join(
        f"{e.event}:{e.event_text}:{codes(e.actor)}->{codes(e.recipient)}" for e in events
    )
    return hits[0]


def test_us_plans_withdrawal_from_niger(events):
    e = find(events, "RETREAT", ["withdrawal"], actor="USA", recipient="NER")
    assert e.factuality == "future"
    assert e.date_precision == "reported" and e.date == PUBLISHED


def test_niger_rejects_us_troop_presence(events):
    e = find(events, "REJECT", ["welcome"], actor="NER", recipient="USA")
    assert e.factuality == "asserted"


def test_meeting_in_washington_and_agreement(events):
    meeting = find(events, "CONSULT", ["meeting"])
    assert codes(meeting.actor) | codes(meeting.recipient) == {"USA", "NER"}
    assert meeting.event_loc is not None and meeting.event_loc.country == "USA"
    agree = find(events, "AGREE", ["agree"])
    assert codes(agree.actor) | codes(agree.recipient) == {"USA", "NER"}
    assert {a.sector for a in agree.actor + agree.recipient} == {"GOV"}


def test_delegation_will_travel_to_niamey(events):
    e = find(events, "CONSULT", ["travel"], actor="USA")
    assert e.factuality == "future"
    assert e.date > PUBLISHED


def test_protest_last_weekend_in_niamey(events):
    e = find(events, "PROTEST", ["protest", "gather"], recipient="USA")
    assert "NER" in codes(e.actor)
    assert "CVL" in {a.sector for a in e.actor}
    assert (e.date, e.date_end, e.date_precision) == (date(2024, 4, 13), date(2024, 4, 14), "weekend")
    assert e.event_loc is not None and e.event_loc.name == "Niamey" and abs(e.event_loc.lat - 13.5) < 0.2
    assert e.factuality == "asserted"


def test_civil_society_accusation(events):
    e = find(events, "ACCUSE", ["claim", "accus"], actor="NER")
    assert "CVL" in {a.sector for a in e.actor}
    assert {a.sector for a in e.recipient} == {"MIL"}  # the "mercantile terrorism force" it blames


def test_niger_turns_to_russia(events):
    find(events, ("REQUEST", "COOPERATE", "AID"), ["sought", "seek"], actor="NER", recipient="RUS")
    talks = find(events, "CONSULT", ["discussion"], actor="NER", recipient="RUS")
    assert (talks.date, talks.date_end, talks.date_precision) == (
        date(2024, 3, 1),
        date(2024, 3, 31),
        "month",
    )
    arrival = find(
        events, ("MOBILIZE", "AID", "COOPERATE", "CONSULT"), ["arriv"], actor="RUS", recipient="NER"
    )
    assert arrival.event_loc is not None and arrival.event_loc.name == "Niamey"
    assert "MIL" in {a.sector for a in arrival.actor}


def test_pentagon_concern(events):
    e = find(events, ("ACCUSE", "REJECT"), ["concern"], actor="USA", recipient="NER")
    assert (e.date, e.date_precision) == (date(2024, 3, 1), "month")


def test_mali_and_burkina_faso_expel_french_forces(events):
    e = find(events, ("COERCE", "REJECT", "RETREAT", "SANCTION"), ["expel"], recipient="FRA")
    assert codes(e.actor) == {"MLI", "BFA"}
    assert e.factuality == "historical"
    assert e.date_precision == "reported"  # the years in the sentence belong to the coups, not the expulsion
    turn = find(events, ("COOPERATE", "REQUEST", "AGREE"), ["turn"], recipient="RUS")
    assert codes(turn.actor) == {"MLI", "BFA"}
    assert turn.factuality == "historical"


def test_no_background_clause_dated_to_publication(events):
    """The coups of 2021/2022 and Bazoum's removal are background: never an asserted event of 20 April."""
    for e in events:
        if any(w in e.event_text.lower() for w in ("overthrow", "removal")):
            assert e.factuality == "historical" or e.date < date(2024, 1, 1), e
