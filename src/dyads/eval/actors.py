"""The ``actors`` suite: country and sector accuracy of ``kb.code_actor`` on NGEC's actor-resolution cases.

Scores ``dev/ngec/actor_resolution_cases.jsonl`` (see its ``SOURCE.md``): every case whose expectations name a
country (``country``/``country_code``), a sector (``code_1``) or "no actor" (field null), and that asks for no
Wikipedia title (``wiki``/``title``). Cases the source marks ``skip``/``xfail`` are left out (they need the
calling context or Wikipedia, which ``code_actor`` does not take). ``query_date`` is used where given.

NGEC conventions are mapped, not special-cased: ``""`` = no code; ``UNO``/``EUR`` = our ``IGO`` code with a
UN/EU body (``igo:un*``/``igo:eu*``); sector ``UNK``/``JNK`` (unknown/junk) = our None.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime
from pathlib import Path

from dyads.eval.common import SuiteResult, run_parts
from dyads.kb import Coded, load_kb

CASES = Path("ngec") / "actor_resolution_cases.jsonl"
COUNTRY_FIELDS = ("country", "country_code")
NO_SECTOR = ("", "UNK", "JNK")


def _ngec_country(c: Coded) -> str:
    if c.code == "IGO" and c.kb_id:
        if c.kb_id.startswith("igo:un"):
            return "UNO"
        if c.kb_id.startswith("igo:eu"):
            return "EUR"
    return c.code or ""


def _when(case: dict) -> date | None:
    """The case's query date: ``kwargs.query_date`` or the third positional argument; "today" -> None."""
    args = case["args"]
    raw = case["kwargs"].get("query_date") or (args[2] if len(args) > 2 else "")
    if not raw or raw.strip().lower() == "today":
        return None
    for fmt in ("%Y-%m-%d", "%d %B %Y", "%B %d, %Y"):
        try:
            return datetime.strptime(raw.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{CASES}: unreadable query date {raw!r}")


def cases(dev: Path) -> list[dict]:
    """The scorable cases (see the module docstring)."""
    out = []
    for line in (dev / CASES).read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        fields = {e["field"] for e in case["expect"]}
        if fields & {"wiki", "title"} or any(m.get("mark") in ("skip", "xfail") for m in case["marks"]):
            continue
        if fields & {*COUNTRY_FIELDS, "code_1", None}:
            out.append(case)
    return out


def _check(case: dict, got: Coded) -> tuple[bool | None, bool | None, list[tuple[str, str, str]]]:
    """(country correct, sector correct, confusions as (kind, got, want)); None where not asked."""
    country_ok: bool | None = None
    sector_ok: bool | None = None
    wrong: list[tuple[str, str, str]] = []
    country, sector = _ngec_country(got), got.sector or ""
    sector_wants = [e for e in case["expect"] if e["field"] == "code_1"]
    for e in case["expect"]:
        if e["field"] in COUNTRY_FIELDS:
            ok = (country == e["value"]) if e["op"] == "==" else (country != e["value"])
            country_ok = ok if country_ok is None else country_ok and ok
            if not ok:
                wrong.append(("country", country or "-", e["value"] or "-"))
        elif e["field"] is None:  # "no actor should be resolved"
            country_ok = not country
            sector_ok = not sector
            if country or sector:
                wrong.append(("no-actor", f"{country or '-'}/{sector or '-'}", "-"))
    if sector_wants:
        wants = set()
        for e in sector_wants:
            wants |= set(e["value"]) if e["op"] == "in" else {e["value"]}
        sector_ok = sector in wants or (not sector and bool(wants & set(NO_SECTOR)))
        if not sector_ok:
            wrong.append(("sector", sector or "-", "|".join(sorted(w or "-" for w in wants))))
    return country_ok, sector_ok, wrong


def run(dev: Path, only: str | None = None) -> SuiteResult:
    """The cases of part ``only`` (both when None), split by the name looked up (cases have no id of their
    own: one test name covers many names)."""
    kb = load_kb()

    def code(scored: list[dict]) -> list[Coded]:
        return [kb.code_actor(case["args"][0], _when(case)) for case in scored]

    return run_parts(cases(dev), lambda case: str(case["args"][0]), only, code, score)


def score(scored: list[dict], coded: list[Coded]) -> SuiteResult:
    """Country and sector accuracy of the names coded (``coded[i]`` is what ``code_actor`` made of case i)."""
    n_country = n_sector = ok_country = ok_sector = 0
    confusions: Counter[tuple[str, str, str]] = Counter()
    misses: list[str] = []
    for case, got in zip(scored, coded, strict=True):
        c_ok, s_ok, wrong = _check(case, got)
        if c_ok is not None:
            n_country += 1
            ok_country += c_ok
        if s_ok is not None:
            n_sector += 1
            ok_sector += s_ok
        confusions.update(wrong)
        if wrong:
            misses.append(
                f"  {case['args'][0]!r} -> {got.code}/{got.sector}: "
                + ", ".join(f"{k} {g} (want {w})" for k, g, w in wrong)
            )
    country_acc = ok_country / n_country if n_country else 0.0
    sector_acc = ok_sector / n_sector if n_sector else 0.0
    lines = [
        f"actor cases scored: {len(scored)} (country asked in {n_country}, sector in {n_sector})",
        f"country accuracy: {country_acc:.3f} ({ok_country}/{n_country})",
        f"sector accuracy:  {sector_acc:.3f} ({ok_sector}/{n_sector})",
        "most frequent confusions (kind: got -> want):",
        *(f"  {k}: {g} -> {w}  x{c}" for (k, g, w), c in confusions.most_common(15)),
        "misses:",
        *misses,
    ]
    return SuiteResult(
        name="actors",
        headline={"country_acc": round(country_acc, 4), "sector_acc": round(sector_acc, 4)},
        n=len(scored),
        report="\n".join(lines),
    )
