"""What publishing a store's snapshot costs (``Store.publish``, which an ingest does every few seconds).

    python bench/snapshot.py [--events 100000] [--times 3]

Builds load.py's synthetic store and publishes its snapshot ``--times`` times.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import synthetic_store  # noqa: E402

from dyads.store import Store, snapshot_path  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--times", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "store.duckdb"
        synthetic_store(db, args.events)
        seconds = []
        with Store(db) as st:
            for _ in range(args.times):
                started = time.perf_counter()
                st.publish()
                seconds.append(round(time.perf_counter() - started, 2))
        size = {
            k: round(p.stat().st_size / 2**20, 1) for k, p in (("store", db), ("snapshot", snapshot_path(db)))
        }
        print(json.dumps({"events": args.events, "mb": size, "publish_s": seconds}))


if __name__ == "__main__":
    main()
