"""Factuality of coded events on real sentences: negated, future, hypothetical, historical, claimed."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def code():
    from dyads.pipeline import code as code_text

    return lambda text: code_text(text, "2024-05-01")


PROMISE = "Senegal and Guinea have promised to help protect Gambia against any attack."


def fact(events, event_type: str) -> str:
    hits = [e for e in events if e.event == event_type]
    assert hits, [(e.event, e.evidence["rule"]) for e in events]
    return hits[0].factuality


@pytest.mark.parametrize(
    ("text", "event_type", "expected"),
    [
        ("Russian forces shelled Kharkiv on Tuesday.", "ASSAULT", "asserted"),
        ("Israel did not attack Iran on Monday.", "ASSAULT", "negated"),
        ("The army has yet to attack the rebel base in Kidal.", "ASSAULT", "negated"),  # not happened
        # a denial does not make the act undone: it is one side's word against another's
        ("Ukraine denied that its forces had shelled Donetsk.", "ASSAULT", "claimed"),
        ("A US delegation will travel to Niamey next week.", "CONSULT", "future"),
        ("If Iran attacks Israel, the United States would respond.", "ASSAULT", "hypothetical"),
        ("Russian forces shelled Kharkiv in 2015.", "ASSAULT", "historical"),
        ("Sudanese soldiers allegedly killed ten civilians.", "ASSAULT", "claimed"),
        ("Rebels reportedly attacked a Malian army base on Sunday.", "ASSAULT", "claimed"),
        ("Nigeria accused Niger of attacking its border posts.", "ACCUSE", "asserted"),
        # an act named by no particular event, or announced a step down an announcing verb's complement
        (PROMISE, "ASSAULT", "hypothetical"),
        (PROMISE, "AID", "future"),
    ],
)
def test_factuality(code, text, event_type, expected):
    assert fact(code(text), event_type) == expected


def test_accused_act_is_not_coded_as_done(code):
    """ "X accused Y of attacking": the accusation is the main event; the attack is on record only as claimed,
    done by the accused."""
    events = code("Nigeria accused Niger of attacking its border posts.")
    assert [(e.event, e.factuality, e.root) for e in events] == [
        ("ACCUSE", "asserted", True),
        ("ASSAULT", "claimed", False),
    ]
    assert [a.code for a in events[1].actor] == ["NER"]
