"""kill -9 an ingest at random moments, restart it each time, and compare with an uninterrupted run.

    python bench/kill9.py [--kills 20] [--n 40] [--workers 1] [--seed 1]

The corpus is the first ``--n`` articles of throughput.py's (NGEC synthetic stories, else the demo corpus).
Each of ``--kills`` runs of ``dyads ingest`` (as a subprocess, its workers in its process group) is killed
with SIGKILL after a random delay; then one run goes to the end. The store must equal a clean run's.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import corpus  # noqa: E402

TABLES = ("articles", "events", "article_links", "article_bands", "event_groups")


def contents(db: Path) -> dict[str, list]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}
    finally:
        con.close()


def run(corpus_path: Path, db: Path, workers: int, kill_after: float | None) -> None:
    cmd = [
        sys.executable,
        "-c",
        "from dyads.cli import app; app()",
        "ingest",
        str(corpus_path),
        "--db",
        str(db),
        "--workers",
        str(workers),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    if kill_after is None:
        proc.wait()
        return
    try:
        proc.wait(timeout=kill_after)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    _, arts = corpus(args.n)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for a in arts:
                rec = {
                    "id": a.id,
                    "text": a.text,
                    "published": a.published.isoformat() if a.published else None,
                }
                f.write(json.dumps(rec) + "\n")
        clean, killed = Path(tmp) / "clean.duckdb", Path(tmp) / "killed.duckdb"
        t0 = time.perf_counter()
        run(path, clean, args.workers, None)
        full = time.perf_counter() - t0
        for _ in range(args.kills):
            run(path, killed, args.workers, rng.uniform(0.5, full))
        run(path, killed, args.workers, None)
        same = contents(clean) == contents(killed)
    print(
        json.dumps(
            {"kills": args.kills, "articles": len(arts), "clean_run_s": round(full, 1), "same_store": same}
        )
    )
    if not same:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
