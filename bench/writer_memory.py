"""The writer's memory on a large store: merge, publish and merge again, in a fresh process.

    .venv/bin/python bench/writer_memory.py [--events 1000000] [--memory 128MB ...]

Builds a synthetic store (``bench/load.py``'s: events drawn at random, no NLP, no article text), then for
each ``--memory`` starts a process with ``DYADS_WRITER_MEMORY`` set to it that opens a copy of the store
and runs ``scale.merge``, ``Store.publish`` and ``scale.merge`` again, sampling its resident set every
20 ms. Prints, per step, the seconds it took and the peak RSS in MB (the process's own start included), or
the one-line error a step ended in.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from load import synthetic_store  # noqa: E402


def _rss_mb() -> int:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) // 1024 for line in f if line.startswith("VmRSS"))


def steps(path: str) -> dict:
    """In this process: each step's seconds and peak RSS over it."""
    from dyads.scale import merge
    from dyads.store import Store, StoreError

    peak, out = [_rss_mb()], {"start_rss_mb": _rss_mb()}

    def watch() -> None:
        while True:
            peak[0] = max(peak[0], _rss_mb())
            time.sleep(0.02)

    threading.Thread(target=watch, daemon=True).start()
    with Store(path) as st:
        for name, step in (("merge", merge), ("publish", Store.publish), ("merge_again", merge)):
            peak[0], started = _rss_mb(), time.perf_counter()
            try:
                step(st)
            except StoreError as e:
                out[name] = str(e)
                break
            out[name] = {"s": round(time.perf_counter() - started, 1), "peak_rss_mb": peak[0]}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--memory", nargs="*", default=["128MB"], help="DYADS_WRITER_MEMORY values to try")
    ap.add_argument("--steps", help=argparse.SUPPRESS)  # in the child: the store to work on
    args = ap.parse_args()
    if args.steps:
        print(json.dumps(steps(args.steps)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        built = Path(tmp) / "built.duckdb"
        synthetic_store(built, args.events)
        result = {"events": args.events}
        for memory in args.memory:
            work = Path(tmp) / "work.duckdb"
            for stale in Path(tmp).glob("work.duckdb*"):
                stale.unlink()
            for made in Path(tmp).glob("built.duckdb*"):  # the database, and its log if it left one
                shutil.copy(made, work.with_name(made.name.replace("built", "work")))
            env = os.environ | {"DYADS_WRITER_MEMORY": memory}
            child = [sys.executable, __file__, "--steps", str(work)]
            done = subprocess.run(child, env=env, capture_output=True, text=True)
            result[memory] = json.loads(done.stdout) if done.returncode == 0 else done.stderr.strip()[-300:]
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
