"""Full-size bad inputs that the tests only read: time and memory of `dyads code` on word salad with no
sentence punctuation, at growing lengths, to show the cost is linear once long texts are cut into pieces.

    .venv/bin/python bench/bad_input.py [--words 10000 25000 50000] [--markdown FILE]

Each length runs `dyads code FILE --db STORE` in a fresh process (its own peak RSS), and prints
seconds, seconds per 1,000 words, peak memory, pieces, events stored and the exit status.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

WORDS = (
    "the army of talks and border to minister in protest river the market convoy election village police "
    "said a government on Niger Mali France officials met"
).split()
RUN = (
    "import resource, sys; from dyads.cli import app\n"
    "try:\n    app()\nexcept SystemExit as e:\n"
    "    print('peak_kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); raise\n"
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, nargs="+", default=[10_000, 25_000, 50_000])
    ap.add_argument("--markdown", type=Path)
    args = ap.parse_args()
    env = os.environ | {"PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    lines = [
        "| words (one sentence, no punctuation) | characters | seconds | s per 1,000 words | peak MB | "
        "pieces | events stored | exit |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.words:
            rng = random.Random(n)
            text = " ".join(rng.choice(WORDS) for _ in range(n))
            src, db = Path(tmp) / f"salad{n}.txt", Path(tmp) / f"salad{n}.duckdb"
            src.write_text(text, encoding="utf-8")
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-c", RUN, "code", str(src), "--db", str(db)],
                capture_output=True, text=True, env=env,
            )  # fmt: skip
            seconds = time.perf_counter() - started
            peak = next(int(x.split()[1]) for x in done.stderr.splitlines() if x.startswith("peak_kb"))
            with duckdb.connect(str(db), read_only=True) as con:
                pieces, events = con.execute(
                    "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM events)"
                ).fetchone()
            lines.append(
                f"| {n:,} | {len(text):,} | {seconds:.0f} | {seconds / n * 1000:.2f} | {peak / 1024:.0f} | "
                f"{pieces} | {events} | {done.returncode} |"
            )
            print(lines[-1], flush=True)
    if args.markdown:
        with args.markdown.open("a", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n\n")


if __name__ == "__main__":
    main()
