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

from dyads.eval.common import PARTS, REPO, SuiteResult, evaldata_dir

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
    "acled_sahel": _lazy("dyads.eval.acled", "run"),
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


def _all_pairs(results: Sequence[SuiteResult], name: str | None = None) -> list[tuple[float, bool]]:
    """The (confidence, correct) pairs of the results, or of their part ``name``."""
    scored = results if name is None else [r.parts[name] for r in results if name in r.parts]
    return [p for r in scored for p in r.calibration]


def _fig(v: float) -> str:
    return f"{v}" if isinstance(v, int) else f"{v:.3f}"


def _figures(r: SuiteResult) -> str:
    """``accuracy 0.812 · passed 16``: fractions to three places, counts as they are."""
    figs = (f"{k} {_fig(v)}" for k, v in r.headline.items())
    return " · ".join(figs) or r.report.splitlines()[0]


def _split(results: Sequence[SuiteResult]) -> bool:
    """Whether every result was scored on both parts (what the README table needs)."""
    return bool(results) and all(set(r.parts) == set(PARTS) for r in results)


def _table(results: Sequence[SuiteResult]) -> str:
    """The summary table: per suite, the check part's figures with the tune–check gap where both parts were
    scored, else the figures of what was scored."""
    if not _split(results):
        lines = ["| suite | n | figures |", "| --- | ---: | --- |"]
        lines += [f"| {r.name} | {r.n} | {_figures(r)} |" for r in results]
        pairs = _all_pairs(results)
        if pairs:
            lines.append(f"| calibration | {len(pairs)} | ece {calibration(pairs)[1]:.3f} |")
        return "\n".join(lines)
    lines = [
        "| suite | n (check) | check figures (tune − check gap) |",
        "| --- | ---: | --- |",
    ]
    for r in results:
        check, tune = r.parts["check"], r.parts["tune"]
        figs = (f"{k} {_fig(v)} ({_gap(tune.headline.get(k), v)})" for k, v in check.headline.items())
        lines.append(f"| {r.name} | {check.n} | {' · '.join(figs)} |")
    check_pairs, tune_pairs = _all_pairs(results, "check"), _all_pairs(results, "tune")
    if check_pairs and tune_pairs:
        ece_check, ece_tune = calibration(check_pairs)[1], calibration(tune_pairs)[1]
        gap = _gap(ece_tune, ece_check)
        lines.append(f"| calibration | {len(check_pairs)} | ece {ece_check:.3f} ({gap}) |")
    return "\n".join(lines)


def _gap(tune: float | None, check: float) -> str:
    if tune is None:
        return "tune –"
    return f"{tune - check:+d}" if isinstance(check, int) else f"{tune - check:+.3f}"


def _parts_table(r: SuiteResult) -> list[str]:
    rows = [(name, r.parts[name]) for name in PARTS if name in r.parts] or [("all", r)]
    return [
        "| part | n | figures |",
        "| --- | ---: | --- |",
        *(f"| {name} | {p.n} | {_figures(p)} |" for name, p in rows),
    ]


def _detail(r: SuiteResult) -> tuple[str, SuiteResult]:
    """Which part's report to print: the tune part's when it was scored (rules are written on tune errors),
    else the check part's, else the whole suite's."""
    for name in PARTS:
        if name in r.parts:
            return name, r.parts[name]
    return "all", r


def render(results: Sequence[SuiteResult]) -> str:
    """Markdown: the summary table; per suite, its parts' figures and one part's report (``_detail``); the
    calibration section."""
    parts = ["## Evaluation", "", _table(results)]
    for r in results:
        name, shown = _detail(r)
        parts += ["", f"### {r.name}", "", *_parts_table(r), "", f"report ({name} part):"]
        parts += ["```", shown.report, "```"]
    parts += ["", "### calibration", ""]
    by_part = [(name, _all_pairs(results, name)) for name in PARTS] if _split(results) else []
    by_part = [(name, pairs) for name, pairs in by_part if pairs] or [("all", _all_pairs(results))]
    if not any(pairs for _, pairs in by_part):
        parts.append("no confidence-scored events")
        return "\n".join(parts)
    for name, pairs in by_part:
        rows, ece = calibration(pairs)
        parts += [
            f"{name}: {len(pairs)} events, expected calibration error {ece:.3f}",
            "",
            "| confidence | n | mean confidence | accuracy |",
            "| --- | ---: | ---: | ---: |",
        ]
        for row in rows:
            conf = "" if row["confidence"] is None else f"{row['confidence']:.3f}"
            acc = "" if row["accuracy"] is None else f"{row['accuracy']:.3f}"
            parts.append(f"| {row['lo']:.1f}–{row['hi']:.1f} | {row['n']} | {conf} | {acc} |")
        parts.append("")
    return "\n".join(parts).rstrip("\n")


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
