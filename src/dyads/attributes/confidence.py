"""How sure dyads is of an event: a logistic score over what the coding rests on.

The weights live in ``data/confidence.tsv``: fitted on the tune part of the PLOVER dev suite (the main
event's type right or wrong), so that events given 0.8 are right about 80% of the time; `dyads eval`
prints the reliability table and the calibration error on the tune and the check part.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

from dyads.model import Actor

TABLE = Path(__file__).resolve().parents[1] / "data" / "confidence.tsv"
FEATURES = ("bias", "verb", "specific", "actor_coded", "recipient_coded", "no_actor", "root", "many_events")


class ConfidenceTableError(ValueError):
    """A malformed row of the weights table: names the file and line."""


@lru_cache(maxsize=1)
def weights() -> dict[str, float]:
    """Feature → weight, from the table; every feature of ``FEATURES`` must have exactly one row."""
    out: dict[str, float] = {}
    for n, line in enumerate(TABLE.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#") or n == 1:
            continue
        cells = line.split("\t")
        try:
            name, value = cells[0], float(cells[1])
        except (IndexError, ValueError):
            raise ConfidenceTableError(f"{TABLE}:{n}: expected a feature and a number") from None
        if name not in FEATURES or name in out:
            raise ConfidenceTableError(f"{TABLE}:{n}: unknown or repeated feature {name!r}")
        out[name] = value
    missing = set(FEATURES) - set(out)
    if missing:
        raise ConfidenceTableError(f"{TABLE}: no weight for {', '.join(sorted(missing))}")
    return out


def features(
    rule: str, is_verb: bool, is_root: bool, actor: list[Actor], recipient: list[Actor], n_in_sentence: int
) -> dict[str, float]:
    """What the coding of one event rests on, each 0 or 1."""
    return {
        "bias": 1.0,
        "verb": float(is_verb),  # a verb trigger, not an event noun
        "specific": float(" " in rule.split(":", 1)[-1]),  # a phrasal, verb+object or multiword trigger
        "actor_coded": float(any(a.code for a in actor)),
        "recipient_coded": float(any(a.code for a in recipient)),
        "no_actor": float(not actor),
        "root": float(is_root),  # the trigger is the sentence's main verb
        "many_events": float(n_in_sentence > 2),  # several events in the sentence: each less certain
    }


def confidence(
    rule: str, is_verb: bool, is_root: bool, actor: list[Actor], recipient: list[Actor], n_in_sentence: int
) -> float:
    w = weights()
    z = sum(w[k] * v for k, v in features(rule, is_verb, is_root, actor, recipient, n_in_sentence).items())
    return round(1 / (1 + math.exp(-z)), 3)
