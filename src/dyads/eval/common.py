"""What every evaluation suite shares: where the dev data is, and what a suite returns."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from dyads.model import Event

T = TypeVar("T")  # a suite's gold item
C = TypeVar("C")  # what dyads made of it

REPO = Path(__file__).resolve().parents[3]


def evaldata_dir() -> Path:
    """The dev evaluation data, read in place (never copied). ``DYADS_EVALDATA`` overrides."""
    return Path(os.environ.get("DYADS_EVALDATA", REPO.parent / "shared" / "evaldata" / "dev"))


@dataclass
class SuiteResult:
    name: str
    headline: dict[str, float]  # the figures the README table keeps, e.g. {"type_micro_f1": 0.81}
    n: int  # items scored
    report: str  # per-class figures and the confusion summary, plain text
    calibration: list[tuple[float, bool]] = field(default_factory=list)  # (confidence, correct) per event
    parts: dict[str, SuiteResult] = field(default_factory=dict)  # "tune", "check": the same scoring on each


CHECK_SHARE = 3  # of every 10 items, by hash: the check part; the rest is the tune part


def part(key: str) -> str:
    """``"tune"`` or ``"check"``: a deterministic split of a dev suite by a hash of the item's id (or text).

    Rules are written looking only at tune errors; a change is kept where the check part does not drop."""
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()
    return "check" if int(digest[:8], 16) % 10 < CHECK_SHARE else "tune"


PARTS = ("tune", "check")


def run_parts(
    items: Sequence[T],
    key: Callable[[T], str],
    only: str | None,
    code: Callable[[list[T]], Sequence[C]],
    score: Callable[[list[T], list[C]], SuiteResult],
) -> SuiteResult:
    """Score a suite's items as a whole and on each part of the split.

    ``key`` gives an item's split key (its id where the data has one, else its text); ``only`` keeps the items
    of one part (``"tune"``/``"check"``), None keeps all. ``code`` runs dyads once over the kept items (one
    output per item); ``score`` turns items and their outputs into a ``SuiteResult``. The whole result carries
    each part's in ``parts`` (a part with no items is left out)."""
    if only not in (None, *PARTS):
        raise ValueError(f"unknown part {only!r}; known: {', '.join(PARTS)}")
    kept = [it for it in items if only is None or part(key(it)) == only]
    coded = list(code(kept))
    if len(coded) != len(kept):
        raise ValueError(f"coding gave {len(coded)} outputs for {len(kept)} items")
    whole = score(kept, coded)
    for name in PARTS:
        idx = [i for i, it in enumerate(kept) if part(key(it)) == name]
        if idx:
            whole.parts[name] = score([kept[i] for i in idx], [coded[i] for i in idx])
    return whole


def main_event(events: Sequence[Event]) -> Event | None:
    """The main event of a sentence or a short report: in the first sentence that has an event, the one marked
    ``root`` (the pipeline marks one per sentence and ranks it first)."""
    if not events:
        return None
    first = [e for e in events if e.span == events[0].span]
    return next((e for e in first if e.root), first[0])
