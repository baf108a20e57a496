"""What every evaluation suite shares: where the dev data is, and what a suite returns."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

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


def select(keys: Sequence[str], only: str | None) -> list[int]:
    """The indices of the items to score: those of part ``only`` (``"tune"``/``"check"``), or all for None."""
    if only not in (None, *PARTS):
        raise ValueError(f"unknown part {only!r}; known: {', '.join(PARTS)}")
    return [i for i, k in enumerate(keys) if only is None or part(k) == only]


def by_part(keys: Sequence[str], score: Callable[[list[int]], SuiteResult]) -> SuiteResult:
    """Score the items ``keys`` name as a whole and on each part present among them.

    ``score`` takes the indices of the items to score. The whole-suite result carries the parts' results in
    ``parts`` (a part with no items is left out)."""
    whole = score(list(range(len(keys))))
    for name in PARTS:
        idx = [i for i, k in enumerate(keys) if part(k) == name]
        if idx:
            whole.parts[name] = score(idx)
    return whole
