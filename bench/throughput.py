"""Throughput and memory of `dyads.code_articles` on a realistic corpus.

    .venv/bin/python bench/throughput.py [--n 300] [--batch 16] [--json bench/history.jsonl]

The corpus is the NGEC synthetic stories from ../shared/evaldata/dev (read in place) when
present, else the bundled demo corpus. Prints the time to load the models and the gazetteer, words/s,
articles/s, events/article and peak RSS.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from dyads import Article, code_articles
from dyads.attributes.gazetteer import load_gazetteer
from dyads.eval.common import evaldata_dir
from dyads.nlp import load

DEMO = Path(__file__).resolve().parents[1] / "src" / "dyads" / "data" / "demo"


def corpus(n: int) -> tuple[str, list[Article]]:
    synthetic = next(iter(sorted((evaldata_dir() / "ngec").glob("gpt_synthetic_events_*.csv"))), None)
    if synthetic is not None:
        csv.field_size_limit(sys.maxsize)
        with open(synthetic, newline="", encoding="utf-8") as f:
            rows = [r for r in csv.DictReader(f) if r.get("text")][:n]
        return "ngec-synthetic", [Article(f"s{i}", r["text"], date(2023, 10, 19)) for i, r in enumerate(rows)]
    arts = []
    for path in sorted(DEMO.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            arts.append(Article(rec["id"], rec["text"], date.fromisoformat(rec["published"])))
    return "demo", arts[:n]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    name, arts = corpus(args.n)
    if not arts:
        raise SystemExit("no articles to code")
    t0 = time.perf_counter()
    load()
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    load_gazetteer()  # from the user cache after the first run, as users load it
    t_gazetteer = time.perf_counter() - t0
    words = sum(len(a.text.split()) for a in arts)
    t0 = time.perf_counter()
    n_events = sum(len(evs) for _, evs in code_articles(arts, batch_size=args.batch))
    secs = time.perf_counter() - t0
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (
        2**20 if sys.platform == "darwin" else 1024
    )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    result = {
        "date": date.today().isoformat(),
        "commit": commit,
        "corpus": name,
        "articles": len(arts),
        "words": words,
        "load_s": round(t_load, 2),
        "gazetteer_s": round(t_gazetteer, 2),
        "seconds": round(secs, 2),
        "words_per_s": round(words / secs),
        "articles_per_s": round(len(arts) / secs, 2),
        "events_per_article": round(n_events / max(1, len(arts)), 2),
        "peak_rss_mb": round(rss_mb),
    }
    print(json.dumps(result))
    if args.json:
        with open(args.json, "a", encoding="utf-8") as f:
            f.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
