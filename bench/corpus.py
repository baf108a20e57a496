"""A corpus, not an article: dyads against the bare spaCy pipeline, on 1 and 2 processes, and ingest.

    python bench/corpus.py [--n 200] [--json FILE]

On the same texts (the NGEC synthetic stories when ../shared is there, else the demo corpus; see
throughput.py), in one run: articles/s of the bare spaCy pipeline (``nlp.pipe``, 1 and 2 processes) and of
dyads (``code_parallel``, 1 and 2 workers), their ratio, the share of sentences parsed, peak memory per
worker, the time of ``ingest`` into a fresh DuckDB store and of ingesting the same corpus again.
Wall times are distorted when other work shares the machine: compare figures from one run only.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import spacy

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import corpus  # noqa: E402

from dyads.events.lexicon import load_lexicon  # noqa: E402
from dyads.nlp import MODEL  # noqa: E402
from dyads.prepass import load_prepass  # noqa: E402
from dyads.scale import code_parallel, ingest  # noqa: E402
from dyads.store import Store  # noqa: E402


def peak_mb(who: int) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024)  # kilobytes on Linux


def timed(run) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = run()
    return time.perf_counter() - t0, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    name, arts = corpus(args.n)
    texts = [a.text for a in arts]
    result: dict = {"corpus": name, "articles": len(arts), "words": sum(len(t.split()) for t in texts)}

    nlp = spacy.load(MODEL)
    nlp.pipe(texts[:2])  # warm
    for procs in (1, 2):
        secs, docs = timed(lambda p=procs: list(nlp.pipe(texts, n_process=p, batch_size=16)))
        result[f"spacy_{procs}p_articles_per_s"] = round(len(texts) / secs, 2)
    lexicon = load_lexicon()
    sents = [sent for d in docs for sent in d.sents]
    # dyads parses the sentences its pre-pass keeps (dyads/prepass.py: the others are blanked); the share
    # of sentences in which the trigger lexicon finds a predicate is the least any such pre-pass keeps
    blanked = [load_prepass().blank(t) for t in texts]
    result["sentences"] = len(sents)
    result["share_of_sentences_parsed"] = round(
        sum(b.kept for b in blanked) / sum(b.sentences for b in blanked), 3
    )
    result["share_of_sentences_with_a_trigger"] = round(
        sum(1 for s in sents if lexicon.triggers(s)) / len(sents), 3
    )
    del docs, sents
    list(code_parallel(arts[:2], workers=1))  # loads the pipeline in this process
    for workers in (1, 2):
        secs, pairs = timed(lambda w=workers: list(code_parallel(arts, workers=w)))
        result[f"dyads_{workers}w_articles_per_s"] = round(len(arts) / secs, 2)
        result[f"dyads_{workers}w_events"] = sum(len(evs) for _, evs in pairs)
    result["peak_mb_in_process"] = peak_mb(resource.RUSAGE_SELF)
    result["peak_mb_worker"] = peak_mb(resource.RUSAGE_CHILDREN)  # the largest worker process
    result["ratio_dyads_2w_to_spacy_2p"] = round(
        result["dyads_2w_articles_per_s"] / result["spacy_2p_articles_per_s"], 2
    )
    result["ratio_dyads_2w_to_1w"] = round(
        result["dyads_2w_articles_per_s"] / result["dyads_1w_articles_per_s"], 2
    )

    with tempfile.TemporaryDirectory() as tmp:
        with Store(Path(tmp) / "bench.duckdb") as st:
            first, done = timed(lambda: ingest(iter(arts), st, workers=2))
            again, redo = timed(lambda: ingest(iter(arts), st, workers=2))
    result["ingest_2w_s"] = round(first, 2)
    result["ingest_copies_linked"] = done.copies
    result["reingest_s"] = round(again, 3)
    result["reingest_speedup"] = round(first / again, 1)
    assert redo.coded == 0 and redo.skipped == len(arts)
    print(json.dumps(result, indent=1))
    if args.json:
        with open(args.json, "a", encoding="utf-8") as f:
            f.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
