"""Pairwise precision and recall of merging one real event across stories, on the project's own set.

    python bench/merge.py [--show]

tests/fixtures/merge_set.jsonl holds 20 groups of differently worded reports of one event from different
outlets and 20 pairs of look-alike but distinct events (two protests in two cities on one day, two attacks
on one town a week apart), all written by the project. Each article is ingested into a fresh store; two
articles are predicted to report one event when an event of each falls in one merged group. Over all pairs
of articles: precision (targets >= 0.95) and recall (>= 0.85) against the set's groups.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from itertools import combinations
from pathlib import Path

from dyads.read import read_paths
from dyads.scale import ingest
from dyads.store import Store

SET = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "merge_set.jsonl"


def score(path: Path = SET, show: bool = False) -> dict:
    gold = {r["id"]: r["group"] for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}
    with tempfile.TemporaryDirectory() as tmp:
        with Store(Path(tmp) / "merge.duckdb") as st:
            ingest(read_paths([str(path)]), st, workers=1)
            rows = st.con.execute(
                "SELECT e.article_id, coalesce(g.group_id, e.id) FROM events e "
                "LEFT JOIN event_groups g ON g.event_id = e.id"
            ).fetchall()
    groups_of: dict[str, set[str]] = {a: set() for a in gold}
    for article, group in rows:
        groups_of[article].add(group)
    tp = fp = fn = 0
    for a, b in combinations(sorted(gold), 2):
        same, merged = gold[a] == gold[b], bool(groups_of[a] & groups_of[b])
        tp += same and merged
        fp += merged and not same
        fn += same and not merged
        if show and same != merged:
            print(("false merge" if merged else "missed"), a, b)
    return {
        "articles": len(gold),
        "gold_pairs": tp + fn,
        "precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
        "recall": round(tp / (tp + fn), 3) if tp + fn else 1.0,
        "false_merges": fp,
        "missed": fn,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--show", action="store_true", help="list each wrong pair")
    args = ap.parse_args()
    print(json.dumps(score(show=args.show)))


if __name__ == "__main__":
    main()
