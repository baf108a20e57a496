"""``dyads eval``: scores the pipeline against public gold data and reports it.

``SUITES`` maps a suite's name to a function of the dev data folder that returns a ``SuiteResult``;
``run`` runs some or all of them, ``render``/``to_json``/``update_readme`` report the results, and
``calibration`` checks whether event confidences mean what they say.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

from dyads.eval.common import REPO, SuiteResult, evaldata_dir

__all__ = ["SUITES", "EvalError", "SuiteResult", "calibration", "render", "run", "to_json", "update_readme"]

README_START, README_END = "<!-- eval:start -->", "<!-- eval:end -->"
CALIBRATION_BINS = 10


class EvalError(Exception):
    """A problem the user can fix (unknown suite, missing data); the CLI prints it without a traceback."""


def _lazy(module: str, func: str) -> Callable[[Path], SuiteResult]:
    """A suite whose module is imported only when it runs (the suites load spaCy and data)."""

    def suite(dev: Path) -> SuiteResult:
        return getattr(importlib.import_module(module), func)(dev)

    suite.__name__ = f"{module}.{func}"
    return suite


SUITES: dict[str, Callable[[Path], SuiteResult]] = {
    "plover": _lazy("dyads.eval.events", "run_plover"),
    "quad": _lazy("dyads.eval.events", "run_quad"),
    "actors": _lazy("dyads.eval.actors", "run"),
    "mechanics": _lazy("dyads.eval.events", "run_mechanics"),
    "event_loc": _lazy("dyads.eval.geo", "run_event_loc"),
    "geoparse": _lazy("dyads.eval.geo", "run_geoparse"),
    "toponyms": _lazy("dyads.eval.geo", "run_toponyms"),
}


def run(names: list[str] | None = None) -> list[SuiteResult]:
    """Run the named suites (all when None) on the dev data, in the order given.

    A suite whose code is not there yet (a ``dyads`` module missing) gives an empty result that says so.
    """
    names = list(SUITES) if names is None else names
    unknown = [n for n in names if n not in SUITES]
    if unknown:
        raise EvalError(f"unknown suite(s): {', '.join(unknown)}; known: {', '.join(SUITES)}")
    dev = evaldata_dir()
    if not dev.is_dir():
        raise EvalError(
            f"evaluation data not found at {dev}; set DYADS_EVALDATA to the folder holding the dev sets"
        )
    results = []
    for name in names:
        results.append(SUITES[name](dev))
    return results


def calibration(pairs: Sequence[tuple[float, bool]]) -> tuple[list[dict], float]:
    """Reliability table (10 equal-width confidence bins) and expected calibration error.

    Each row: ``lo``, ``hi``, ``n``, mean ``confidence`` and observed ``accuracy`` (None for an empty
    bin). ECE = Σ_bins n_b/N · |accuracy_b − confidence_b|. Confidence 1.0 falls in the last bin.
    """
    if not pairs:
        raise ValueError("calibration needs at least one (confidence, correct) pair")
    bins: list[list[tuple[float, bool]]] = [[] for _ in range(CALIBRATION_BINS)]
    for conf, ok in pairs:
        bins[min(int(conf * CALIBRATION_BINS), CALIBRATION_BINS - 1)].append((conf, ok))
    rows, ece = [], 0.0
    for i, b in enumerate(bins):
        conf = sum(c for c, _ in b) / len(b) if b else None
        acc = sum(ok for _, ok in b) / len(b) if b else None
        lo, hi = i / CALIBRATION_BINS, (i + 1) / CALIBRATION_BINS
        rows.append({"lo": lo, "hi": hi, "n": len(b), "confidence": conf, "accuracy": acc})
        if b:
            ece += len(b) / len(pairs) * abs(acc - conf)
    return rows, ece


def _all_pairs(results: Sequence[SuiteResult]) -> list[tuple[float, bool]]:
    return [p for r in results for p in r.calibration]


def _figures(r: SuiteResult) -> str:
    """``accuracy 0.812 · passed 16``: fractions to three places, counts as they are."""
    figs = (f"{k} {v}" if isinstance(v, int) else f"{k} {v:.3f}" for k, v in r.headline.items())
    return " · ".join(figs) or r.report.splitlines()[0]


def _table(results: Sequence[SuiteResult]) -> str:
    lines = ["| suite | n | figures |", "| --- | ---: | --- |"]
    lines += [f"| {r.name} | {r.n} | {_figures(r)} |" for r in results]
    pairs = _all_pairs(results)
    if pairs:
        lines.append(f"| calibration | {len(pairs)} | ece {calibration(pairs)[1]:.3f} |")
    return "\n".join(lines)


def render(results: Sequence[SuiteResult]) -> str:
    """Markdown: the summary table, each suite's report, and the calibration section."""
    parts = ["## Evaluation", "", _table(results)]
    for r in results:
        parts += ["", f"### {r.name}", "", "```", r.report, "```"]
    pairs = _all_pairs(results)
    parts += ["", "### calibration", ""]
    if not pairs:
        parts.append("no confidence-scored events")
        return "\n".join(parts)
    rows, ece = calibration(pairs)
    parts += [
        f"{len(pairs)} events, expected calibration error {ece:.3f}",
        "",
        "| confidence | n | mean confidence | accuracy |",
        "| --- | ---: | ---: | ---: |",
    ]
    for row in rows:
        conf = "" if row["confidence"] is None else f"{row['confidence']:.3f}"
        acc = "" if row["accuracy"] is None else f"{row['accuracy']:.3f}"
        parts.append(f"| {row['lo']:.1f}–{row['hi']:.1f} | {row['n']} | {conf} | {acc} |")
    return "\n".join(parts)


def _git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    return out.stdout.strip() or None


def to_json(results: Sequence[SuiteResult]) -> dict:
    """The figures for the benchmark history: date, git commit (None when unknown), suites, ECE."""
    pairs = _all_pairs(results)
    ece = calibration(pairs)[1] if pairs else None
    return {
        "date": dt.date.today().isoformat(),
        "commit": _git_commit(),
        "suites": {r.name: {"n": r.n, **{k: round(v, 4) for k, v in r.headline.items()}} for r in results},
        "calibration": {"n": len(pairs), "ece": None if ece is None else round(ece, 4)},
    }


def update_readme(results: Sequence[SuiteResult], readme: Path) -> None:
    """Put the summary table between the README's eval markers (appended with them when absent)."""
    text = readme.read_text(encoding="utf-8") if readme.exists() else ""
    block = f"{README_START}\n{_table(results)}\n{README_END}"
    pattern = re.compile(re.escape(README_START) + r".*?" + re.escape(README_END), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text, count=1)
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + block + "\n"
    readme.write_text(text, encoding="utf-8")
