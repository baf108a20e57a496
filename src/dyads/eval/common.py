"""What every evaluation suite shares: where the dev data is, and what a suite returns."""

from __future__ import annotations

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
