"""The pre-pass (``dyads.prepass``): what share of sentences it skips, what it saves, what it changes.

    python bench/prepass.py [--n 300] [--reps 2] [--show 5] [--json FILE]

On the benchmark corpus (the NGEC synthetic stories when ../shared is there, else the demo corpus; see
throughput.py): the share of sentences the pre-pass blanks; the seconds of the bare spaCy pipeline on the
texts as they are and as the pre-pass leaves them (the pre-pass's own time counted); the seconds of
``code_articles`` without and with it (each the best of ``--reps`` runs, taken in turn); and how many
articles' records differ: records of a trigger coded one way only (the first few shown), and the fields in
which the two records of one trigger differ. Wall times are distorted when other work shares the
machine: compare one run's figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import corpus  # noqa: E402

from dyads.nlp import load  # noqa: E402
from dyads.pipeline import code_articles  # noqa: E402
from dyads.prepass import load_prepass  # noqa: E402


def timed(run) -> tuple[float, float, object]:
    """Wall and CPU seconds of ``run`` (CPU time is less swayed by other work on the machine)."""
    w0, c0 = time.perf_counter(), time.process_time()
    out = run()
    return time.perf_counter() - w0, time.process_time() - c0, out


def record(event) -> dict:
    return json.loads(json.dumps(event.to_dict(), default=str))


def trigger_key(rec: dict) -> str:
    """A record's trigger: what it is about, whatever its sentence's span."""
    return f"{rec['evidence']['trigger_span']} {rec['cameo']} {rec['event_text']!r}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--show", type=int, default=5)
    ap.add_argument("--reps", type=int, default=2)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    source, arts = corpus(args.n)
    texts = [a.text for a in arts]
    nlp, pre = load(), load_prepass()
    list(nlp.pipe(texts[:2]))  # warm
    pre.blank(texts[0])
    list(code_articles(arts[:2]))  # loads the knowledge base and the gazetteer
    result: dict = {"corpus": source, "articles": len(arts)}

    _, secs_pre, blanked = timed(lambda: [pre.blank(t) for t in texts])
    sentences = sum(b.sentences for b in blanked)
    result["sentences"] = sentences
    result["share_of_sentences_skipped"] = round(1 - sum(b.kept for b in blanked) / sentences, 3)
    result["share_of_characters_blanked"] = round(
        sum(b.doc.text.count(" ") - t.count(" ") for b, t in zip(blanked, texts, strict=True))
        / sum(len(t) for t in texts),
        3,
    )
    result["prepass_cpu_s"] = round(secs_pre, 2)
    # each timing the best of --reps runs, the two ways taken in turn, so that other work on the machine
    # weighs on both alike
    best: dict[str, tuple[float, float]] = {}
    runs = {
        "spacy_full": lambda: list(nlp.pipe(texts, batch_size=16)),
        "spacy_prepass": lambda: list(nlp.pipe((pre.blank(t).doc for t in texts), batch_size=16)),
        "code_without": lambda: list(code_articles(arts, prepass=False)),
        "code_with": lambda: list(code_articles(arts, prepass=True)),
    }
    out = {}
    for _ in range(args.reps):
        for name, run in runs.items():
            wall, cpu, out[name] = timed(run)
            best[name] = min((cpu, wall), best.get(name, (cpu, wall)))
    for name, (cpu, wall) in best.items():
        result[f"{name}_cpu_s"], result[f"{name}_wall_s"] = round(cpu, 2), round(wall, 2)
    result["spacy_cpu_speedup"] = round(best["spacy_full"][0] / best["spacy_prepass"][0], 3)
    result["code_cpu_speedup"] = round(best["code_without"][0] / best["code_with"][0], 3)

    fields: Counter = Counter()  # the fields in which a record of the same trigger differs
    differ, only_without, only_with, shown = 0, 0, 0, []
    for (art, evs0), (_, evs1) in zip(out["code_without"], out["code_with"], strict=True):
        r0, r1 = [record(e) for e in evs0], [record(e) for e in evs1]
        if r0 == r1:
            continue
        differ += 1
        k0, k1 = {trigger_key(r): r for r in r0}, {trigger_key(r): r for r in r1}
        only_without += len(k0.keys() - k1.keys())
        only_with += len(k1.keys() - k0.keys())
        for k in k0.keys() & k1.keys():
            fields.update(f for f in k0[k] if k0[k][f] != k1[k][f])
        lost = [k0[k] for k in k0.keys() - k1.keys()] + [k1[k] for k in k1.keys() - k0.keys()]
        if lost and len(shown) < args.show:
            shown.append(
                {
                    "article": art.id,
                    "without": sorted(k0.keys() - k1.keys()),
                    "with": sorted(k1.keys() - k0.keys()),
                }
            )
    result["records_without"] = sum(len(e) for _, e in out["code_without"])
    result["records_with"] = sum(len(e) for _, e in out["code_with"])
    result["articles_whose_records_differ"] = differ
    result["records_only_without"] = only_without
    result["records_only_with"] = only_with
    result["fields_differing_in_records_of_one_trigger"] = dict(fields.most_common())
    print(json.dumps(result, indent=1))
    for diff in shown:
        print(json.dumps(diff))
    if args.json:
        with open(args.json, "a", encoding="utf-8") as f:
            f.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
