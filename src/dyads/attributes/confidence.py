"""How sure dyads is of an event: a logistic score over what the coding rests on.

The weights are the project's own, set so that on the dev suites events given 0.8 are right
about 80% of the time (`dyads eval` prints the reliability table and the calibration error).
"""

from __future__ import annotations

import math

from dyads.model import Actor

WEIGHTS = {
    "bias": -0.4,
    "verb": 0.6,  # a verb trigger, not an event noun
    "specific": 0.5,  # a phrasal verb, verb+object or multiword trigger, not a bare word
    "actor_coded": 0.6,
    "recipient_coded": 0.4,
    "no_actor": -0.8,
    "root": 0.3,  # the trigger is the sentence's main verb
    "many_events": -0.3,  # the sentence holds several events: each is less certain
}


def confidence(
    rule: str, is_verb: bool, is_root: bool, actor: list[Actor], recipient: list[Actor], n_in_sentence: int
) -> float:
    feats = {
        "bias": 1.0,
        "verb": float(is_verb),
        "specific": float(" " in rule.split(":", 1)[-1]),
        "actor_coded": float(any(a.code for a in actor)),
        "recipient_coded": float(any(a.code for a in recipient)),
        "no_actor": float(not actor),
        "root": float(is_root),
        "many_events": float(n_in_sentence > 2),
    }
    z = sum(WEIGHTS[k] * v for k, v in feats.items())
    return round(1 / (1 + math.exp(-z)), 3)
