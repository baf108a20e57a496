"""What every evaluation suite shares: where the dev data is, and what a suite returns."""

from __future__ import annotations

import hashlib
import os
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


CHECK_SHARE = 3  # of every 10 items, by hash: the check part; the rest is the tune part


def part(key: str) -> str:
    """``"tune"`` or ``"check"``: a deterministic split of a dev suite by a hash of the item's id (or text).

    Rules are written looking only at tune errors; a change is kept where the check part does not drop."""
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()
    return "check" if int(digest[:8], 16) % 10 < CHECK_SHARE else "tune"
