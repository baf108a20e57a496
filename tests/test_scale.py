"""Ingest: parallel coding into the store, skipping what is stored, surviving kill -9 at any moment."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from dyads.read import read_paths
from dyads.scale import code_parallel, ingest, ingest_dask
from dyads.store import Store

# Our own short stories, each with an event or two, so that every chunk has something to write.
STORIES = [
    "Police in Lagos arrested twelve students on Tuesday after a march against rising fuel prices.",
    "Kenya and Uganda signed an agreement on Monday to share the cost of a new railway line.",
    "Rebels attacked an army post near the town of Beni overnight, the Congolese military said.",
    "The European Union imposed sanctions on three Belarusian officials on Friday.",
    "Thousands of farmers protested in New Delhi on Sunday, demanding higher crop prices.",
    "Chile recalled its ambassador from Venezuela after a dispute over an election.",
    "Japan pledged emergency aid to the Philippines after a typhoon struck the north of the country.",
    "Gunmen kidnapped two aid workers in northern Mali on Wednesday, officials said.",
    "Egypt hosted talks between Sudanese army leaders and a rival militia in Cairo on Thursday.",
    "Turkish warplanes struck Kurdish militant positions in northern Iraq on Saturday.",
]


def write_corpus(path: Path) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for i, text in enumerate(STORIES):
            f.write(json.dumps({"id": f"story-{i}", "published": "2024-03-10", "text": text}) + "\n")
    return path


def contents(db: Path) -> tuple[list, list]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        articles = con.execute("SELECT * FROM articles ORDER BY id").fetchall()
        events = con.execute("SELECT * FROM events ORDER BY id").fetchall()
    finally:
        con.close()
    return articles, events


def test_a_second_ingest_skips_every_stored_article(tmp_path):
    corpus = write_corpus(tmp_path / "corpus.jsonl")
    db = tmp_path / "store.duckdb"
    with Store(db) as st:
        first = ingest(read_paths([str(corpus)]), st, workers=1, chunk=4)
    assert first.coded == len(STORIES) and first.events > 0 and not first.errors
    stored = contents(db)
    with Store(db) as st:
        again = ingest(read_paths([str(corpus)]), st, workers=1, chunk=4)
    assert (again.skipped, again.coded, again.events) == (len(STORIES), 0, 0)
    assert contents(db) == stored


def test_a_run_that_stores_nothing_new_neither_merges_nor_publishes_again(tmp_path, monkeypatch):
    import dyads.scale

    corpus = write_corpus(tmp_path / "corpus.jsonl")
    db = tmp_path / "store.duckdb"
    merges, copies = [], []
    monkeypatch.setattr(dyads.scale, "merge", lambda st, real=dyads.scale.merge: merges.append(1) or real(st))
    real_publish = Store.publish
    monkeypatch.setattr(Store, "publish", lambda st: copies.append(1) or real_publish(st))
    with Store(db) as st:
        ingest(read_paths([str(corpus)]), st, workers=1, chunk=4)
    assert merges == [1] and copies
    merges.clear(), copies.clear()
    with Store(db) as st:
        ingest(read_paths([str(corpus)]), st, workers=1, chunk=4)
        assert merges == [] and copies == []  # the store and its snapshot hold all of it already
        # as a run killed after its last chunk and before merging leaves it: a restart merges
        st.write(*next(iter(code_parallel(read_paths([str(corpus)]), workers=1))))
        ingest(read_paths([str(corpus)]), st, workers=1, chunk=4)
    assert merges == [1] and copies == [1]


def test_code_parallel_keeps_input_order_and_reports_failures():
    from dyads.model import Article

    arts = [Article(f"a{i}", text) for i, text in enumerate(STORIES[:3])]
    arts.insert(1, Article("broken", None))  # no text: coding it fails
    failed: list[str] = []
    out = list(code_parallel(arts, workers=1, on_error=lambda a, e: failed.append(a.id), chunk=2))
    assert [a.id for a, _ in out] == ["a0", "a1", "a2"]
    assert failed == ["broken"]


def test_two_workers_code_exactly_what_one_codes_in_input_order():
    from dyads.model import Article

    arts = [Article(f"a{i}", text) for i, text in enumerate(STORIES)]
    arts.insert(4, Article("broken", None))  # fails in whichever worker gets it; the rest still come back
    runs = []
    for workers in (1, 2):
        failed: list[str] = []
        out = code_parallel(arts, workers=workers, on_error=lambda a, e, f=failed: f.append(a.id), chunk=2)
        runs.append(([(a.id, [e.to_dict() for e in evs]) for a, evs in out], failed))
    assert runs[1] == runs[0]
    assert [i for i, _ in runs[0][0]] == [f"a{i}" for i in range(len(STORIES))]
    assert sum(len(evs) for _, evs in runs[0][0]) >= len(STORIES)


INGEST = """
import sys
from dyads.read import read_paths
from dyads.scale import ingest
from dyads.store import Store
with Store(sys.argv[2]) as st:
    ingest(read_paths([sys.argv[1]]), st, workers=int(sys.argv[3]), chunk=1,
           on_progress=lambda p: print(p.coded, flush=True))
"""


def test_kill_9_at_a_random_moment_then_a_restart_gives_the_store_of_a_clean_run(tmp_path):
    corpus = write_corpus(tmp_path / "corpus.jsonl")
    clean = tmp_path / "clean.duckdb"
    with Store(clean) as st:
        ingest(read_paths([str(corpus)]), st, workers=1, chunk=3)
    expected = contents(clean)
    rng = random.Random(11)
    env = os.environ | {"PYTHONPATH": os.pathsep.join(sys.path)}
    for trial, workers in enumerate((1, 2)):
        db = tmp_path / f"killed-{trial}.duckdb"
        proc = subprocess.Popen(
            [sys.executable, "-c", INGEST, str(corpus), str(db), str(workers)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            start_new_session=True,  # its worker processes die with it
        )
        try:
            proc.stdout.readline()  # it has started writing
            time.sleep(rng.uniform(0.0, 0.5))
        finally:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        with Store(db) as st:
            ingest(read_paths([str(corpus)]), st, workers=1, chunk=3)
        assert contents(db) == expected, f"trial {trial}"


def test_dask_ingest_on_a_local_cluster_gives_the_store_of_a_plain_ingest(tmp_path):
    distributed = pytest.importorskip("distributed")
    corpus = write_corpus(tmp_path / "corpus.jsonl")
    plain, on_dask = tmp_path / "plain.duckdb", tmp_path / "dask.duckdb"
    with Store(plain) as st:
        ingest(read_paths([str(corpus)]), st, workers=1, chunk=4)
    # one worker thread in this process: the pipeline is loaded once, and the test stays light
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False) as cluster:
        address = cluster.scheduler_address
        with Store(on_dask) as st:
            done = ingest_dask(read_paths([str(corpus)]), st, address, parts=tmp_path / "parts", chunk=4)
            assert done.coded == len(STORIES) and not done.errors
            again = ingest_dask(read_paths([str(corpus)]), st, address, chunk=4)
            assert (again.skipped, again.coded) == (len(STORIES), 0)
    assert contents(on_dask) == contents(plain)
    assert not list((tmp_path / "parts").iterdir())  # the partitions are merged, then removed


def test_texts_without_an_id_of_their_own_are_known_by_their_text(tmp_path):
    from dyads.model import Article
    from dyads.read import STDIN_ID

    texts = [STORIES[0], STORIES[1], STORIES[0]]
    with Store(tmp_path / "store.duckdb") as st:
        done = ingest([Article(STDIN_ID, t) for t in texts], st, workers=1, chunk=1)
        stored = st.con.execute("SELECT id, text FROM articles ORDER BY text").fetchall()
    assert (done.coded, done.skipped) == (2, 1)  # the third is the first again
    assert [t for _, t in stored] == sorted(STORIES[:2]) and all(i.startswith("sha1:") for i, _ in stored)


def test_ingest_command_reports_what_it_did_and_a_rerun_skips_it(tmp_path):
    from typer.testing import CliRunner

    from dyads.cli import app

    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "".join(json.dumps({"id": f"s{i}", "text": t}) + "\n" for i, t in enumerate(STORIES[:2])) + "{oops\n",
        encoding="utf-8",
    )
    db = tmp_path / "store.duckdb"
    args = ["ingest", str(corpus), "--db", str(db), "--workers", "1", "--published", "2024-03-10"]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 1  # the bad line
    assert "ingested 2 articles" in first.stdout and "corpus.jsonl:3:" in first.stderr
    again = CliRunner().invoke(app, args)
    assert "ingested 0 articles" in again.stdout and "2 already stored" in again.stdout
    shown = CliRunner().invoke(app, ["events", "--db", str(db), "--factuality", "all"])
    records = [json.loads(line) for line in shown.stdout.splitlines()]
    assert records and all(r["num_mentions"] >= 1 and r["group_id"] for r in records)
