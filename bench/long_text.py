"""Cost of one long article: seconds per 100 KB of prose at several lengths (it must stay flat).
CPU seconds are printed too: wall time is distorted when other work shares the machine.

    python bench/long_text.py [--sizes 10,100,1000] [--as-read] [--profile]

The prose is the bundled demo corpus's stories run together into one article, repeated as often as a
size needs (real-looking news text, the project's own writing). Sizes are in KB of characters. By default
the article goes to ``code_articles`` whole (the API); ``--as-read`` writes it to a file and codes what
the readers make of it, as ``dyads code FILE`` does (a text over ``MAX_PIECE`` characters in pieces).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import tempfile
import time
from datetime import date
from pathlib import Path

from dyads import Article, code_articles
from dyads.nlp import load
from dyads.read import read_paths

DEMO = Path(__file__).resolve().parents[1] / "src" / "dyads" / "data" / "demo"


def prose(kb: int) -> str:
    stories = [
        json.loads(line)["text"]
        for path in sorted(DEMO.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    parts: list[str] = []
    size = 0
    while size < kb * 1000:
        for story in stories:
            parts.append(story)
            size += len(story) + 2
            if size >= kb * 1000:
                break
    return "\n\n".join(parts)


def _as_read(article: Article) -> list[Article]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{article.id}.txt"
        path.write_text(article.text, encoding="utf-8")
        read = read_paths([str(path)], published=article.published, warn=lambda _: None)
        return [a for a in read if isinstance(a, Article)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10,100,1000")
    ap.add_argument("--as-read", action="store_true", help="code the text as read from a file (in pieces)")
    ap.add_argument("--profile", action="store_true", help="print the top of a cProfile of the largest size")
    args = ap.parse_args()
    load()
    next(code_articles([Article("warm-up", prose(20), date(2024, 4, 20))]))  # tables, caches: on first use
    sizes = [int(s) for s in args.sizes.split(",")]
    for kb in sizes:
        text = prose(kb)
        article = Article(f"long-{kb}", text, date(2024, 4, 20))
        prof = cProfile.Profile() if args.profile and kb == max(sizes) else None
        t0, c0 = time.perf_counter(), time.process_time()
        if prof:
            prof.enable()
        articles = _as_read(article) if args.as_read else [article]
        events = [e for _, found in code_articles(articles) for e in found]
        if prof:
            prof.disable()
        secs, cpu = time.perf_counter() - t0, time.process_time() - c0
        per = len(text) / 100_000
        print(
            json.dumps(
                {
                    "kb": kb,
                    "chars": len(text),
                    "events": len(events),
                    "seconds": round(secs, 2),
                    "cpu_s": round(cpu, 2),
                    "s_per_100kb": round(secs / per, 2),
                    "cpu_s_per_100kb": round(cpu / per, 2),
                }
            ),
            flush=True,
        )
        if prof:
            pstats.Stats(prof).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
