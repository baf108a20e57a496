"""A disk that fills up during an ingest: one line, the committed chunks kept, and a rerun ends clean.

    python bench/full_disk.py --dir MOUNT [--n 48] [--free "COMMAND"]

``--dir`` is a folder on a small file system (as root: ``mount -t tmpfs -o size=1m tmpfs MOUNT``). The
corpus is throughput.py's first ``--n`` articles. A clean ``dyads ingest`` into a temporary folder gives the
store to compare with; then ``dyads ingest`` into ``--dir`` must stop with one line and exit 1, holding
whole chunks of the input, each article with the events the clean run gives it; ``--free`` is run (e.g.
``mount -o remount,size=64m MOUNT``; without it the store is moved to the temporary folder), and a rerun
must end with the clean run's store.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from kill9 import contents  # noqa: E402
from throughput import corpus  # noqa: E402

CHUNK = 16  # dyads.scale.CHUNK: the articles of one commit


def ingest(corpus_path: Path, db: Path) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-c", "from dyads.cli import app; app()", "ingest", str(corpus_path)]
    return subprocess.run([*cmd, "--db", str(db), "--workers", "1"], capture_output=True, text=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", type=Path, required=True)
    ap.add_argument("--n", type=int, default=48)
    ap.add_argument("--free", help="a shell command that frees space on --dir")
    args = ap.parse_args()
    _, arts = corpus(args.n)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for a in arts:
                published = a.published.isoformat() if a.published else None
                f.write(json.dumps({"id": a.id, "text": a.text, "published": published}) + "\n")
        clean = Path(tmp) / "clean.duckdb"
        assert ingest(path, clean).returncode == 0
        expected = contents(clean)
        db = args.dir / "full.duckdb"
        full = ingest(path, db)
        errors = [line for line in full.stderr.splitlines() if line.strip()]
        kept = contents(db)
        ids = [row[0] for row in kept["articles"]]
        order = [a.id for a in arts]
        whole_chunks = ids == sorted(order[: len(ids)]) and len(ids) % CHUNK == 0
        same_events = kept["events"] == [e for e in expected["events"] if e[1] in set(ids)]
        if args.free:
            subprocess.run(args.free, shell=True, check=True)
        else:
            for file in args.dir.glob("full.duckdb*"):
                shutil.move(file, Path(tmp) / file.name)
            db = Path(tmp) / "full.duckdb"
        rerun = ingest(path, db)
        print(
            json.dumps(
                {
                    "articles": len(arts),
                    "exit": full.returncode,
                    "stderr_lines": errors,
                    "kept_articles": len(ids),
                    "kept_whole_chunks_with_their_events": whole_chunks and same_events,
                    "rerun_exit": rerun.returncode,
                    "same_store_after_rerun": contents(db) == expected,
                }
            )
        )


if __name__ == "__main__":
    main()
