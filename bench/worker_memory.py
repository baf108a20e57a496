"""A worker's memory on a stream whose words never stop being new: does it stay flat?

    python bench/worker_memory.py [--articles 10000] [--every 1000]

Codes, in this one process and 16 articles at a time as a worker does, a stream made of the NGEC synthetic
stories (the demo corpus without ../shared; see throughput.py), each article given words no earlier one
had: a named official, his village and a figure, invented from the article's number. Real news keeps
bringing new names and numbers; a corpus remixed from a few thousand stories (``corpus.py --sizes``) runs
out of them. Prints, every ``--every`` articles (after the chunk that reaches them), a JSON line: the
resident memory, the strings in spaCy's vocabulary and the seconds of CPU so far.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import corpus  # noqa: E402

from dyads import nlp as nlp_mod  # noqa: E402
from dyads.model import Article  # noqa: E402
from dyads.pipeline import code_articles  # noqa: E402

SYLLABLES = "ba ko ri sa mu de lo ni ta ge vu ha zo pe ki du ma so le wa ny ou tse dra".split()


def invented(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(4)).capitalize()


def stream(stories: list[Article], n: int) -> Iterator[Article]:
    for j in range(n):
        rng = random.Random(j)
        who, village = f"{invented(rng)} {invented(rng)}", invented(rng)
        said = f" Officials named the commander as {who} of {village}, who had {rng.randrange(10**6)} men."
        story = stories[j % len(stories)]
        yield replace(story, id=f"{story.id}-{j}", text=story.text + said)


def rss_mb() -> int:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) // 1024 for line in f if line.startswith("VmRSS"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--every", type=int, default=1_000)
    args = ap.parse_args()
    _, stories = corpus(100_000)
    nlp = nlp_mod.load()
    cpu = time.process_time()
    articles = stream(stories, args.articles)
    done, mark = 0, args.every
    while chunk := [a for _, a in zip(range(16), articles, strict=False)]:
        done += sum(1 for _ in code_articles(chunk))
        if done >= mark:  # between chunks, as a worker is
            mark += args.every
            row = {"articles": done, "rss_mb": rss_mb(), "spacy_strings": len(nlp.vocab.strings),
                   "cpu_s": round(time.process_time() - cpu, 1)}
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
