"""A corpus, not an article: dyads against the bare spaCy pipeline, on 1 and 2 processes, and ingest.

    python bench/corpus.py [--n 300] [--repeat 3] [--sizes 1000 20000] [--sizes-only] [--json FILE]

On the same texts (the NGEC synthetic stories when ../shared is there, else the demo corpus; see
throughput.py), in one run: articles/s and CPU ms/article of the bare spaCy pipeline (``nlp.pipe``, 1 and
2 processes) and of dyads (``code_parallel``, 1 and 2 workers), their ratios, the share of sentences
parsed, peak memory per worker, the time of ``ingest`` into a fresh DuckDB store and of ingesting the same
corpus again. ``--repeat`` runs each timing that many times, in rounds (one run of each in turn), and keeps
the fastest. CPU counts this process and every process it starts (workers, and the fork server they come
from), read from /proc.

``--sizes`` ingests corpora of those many articles, each in a fresh process, recording the peak memory of
the writer (that process) and of each worker: memory must not grow with the corpus. Past the stories
there are, the articles are new mixes of them (the first half of one story, the second half of another,
under new ids), so that near-duplicate detection does not link them as copies and all are coded.

Wall times are distorted when other work shares the machine: compare figures from one run only, and
prefer CPU ms/article there.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import spacy

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import corpus  # noqa: E402

from dyads.events.lexicon import load_lexicon  # noqa: E402
from dyads.model import Article  # noqa: E402
from dyads.nlp import MODEL  # noqa: E402
from dyads.prepass import load_prepass  # noqa: E402
from dyads.scale import code_parallel, ingest  # noqa: E402
from dyads.store import Store  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:  # the process ended
        return ""


class Family:
    """Watches this process's descendants (every 0.1 s): the CPU seconds each used and its peak memory
    (VmHWM, the kernel's peak resident set, and the largest PSS seen, which shares pages out fairly)."""

    def __init__(self) -> None:
        self.cpu: dict[int, float] = {}
        self.hwm: dict[int, int] = {}
        self.pss: dict[int, int] = {}
        self.role: dict[int, str] = {}
        self.parent: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _descendants(self) -> list[int]:
        parent = self.parent = {}  # pid: its parent's pid, as last seen
        for name in os.listdir("/proc"):
            if name.isdigit():
                stat = _read(f"/proc/{name}/stat")
                if stat:
                    parent[int(name)] = int(stat.rsplit(")", 1)[1].split()[1])
        found, frontier = [], [os.getpid()]
        while frontier:
            kids = [pid for pid, ppid in parent.items() if ppid in frontier]
            found += kids
            frontier = kids
        return found

    def _watch(self) -> None:
        n = 0
        while not self._stop.wait(0.1):
            for pid in self._descendants():
                stat = _read(f"/proc/{pid}/stat")
                if not stat:
                    continue
                fields = stat.rsplit(")", 1)[1].split()
                self.cpu[pid] = (int(fields[11]) + int(fields[12])) / TICK
                if pid not in self.role:
                    self.role[pid] = self._role(pid)
                for line in _read(f"/proc/{pid}/status").splitlines():
                    if line.startswith("VmHWM:"):
                        self.hwm[pid] = int(line.split()[1]) // 1024
                if n % 10 == 0:  # PSS costs more to read
                    for line in _read(f"/proc/{pid}/smaps_rollup").splitlines():
                        if line.startswith("Pss:"):
                            self.pss[pid] = max(self.pss.get(pid, 0), int(line.split()[1]) // 1024)
            n += 1

    def _role(self, pid: int) -> str:
        """dyads' fork server ("server"), a worker forked from it ("worker"), one of spaCy's processes
        ("spacy"), or another (multiprocessing's resource tracker)."""
        cmdline = _read(f"/proc/{pid}/cmdline")
        if self.role.get(self.parent.get(pid, 0)) == "server":
            return "worker"
        if "forkserver" in cmdline:
            return "server"
        return "spacy" if "multiprocessing" not in cmdline else "other"

    def cpu_s(self) -> float:
        return sum(self.cpu.values())

    def peaks(self, role: str) -> tuple[int, int]:
        """The largest VmHWM and PSS (MB) of one process of that role."""
        pids = [pid for pid, r in self.role.items() if r == role]
        return max((self.hwm.get(p, 0) for p in pids), default=0), max(
            (self.pss.get(p, 0) for p in pids), default=0
        )

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def own_peak_mb() -> int:
    """This process's peak resident set (VmHWM: ru_maxrss would keep a parent's from before exec)."""
    line = next(line for line in _read("/proc/self/status").splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1]) // 1024


def own_cpu_s() -> float:
    return time.process_time()


def measure(run, family: Family) -> tuple[float, float, object]:
    """One run: (wall seconds, CPU seconds of this process and its descendants, what it returned). A
    descendant's CPU is sampled every 0.1 s, so a short-lived one is under-counted by up to that much."""
    cpu0, fam0, t0 = own_cpu_s(), family.cpu_s(), time.perf_counter()
    out = run()
    wall = time.perf_counter() - t0
    time.sleep(0.25)  # a last sample of the processes that did the work
    return wall, own_cpu_s() - cpu0 + family.cpu_s() - fam0, out


def fastest(runs: dict, family: Family, repeat: int) -> dict[str, tuple[float, float, object]]:
    """The fastest of ``repeat`` runs of each of ``runs`` (name: a callable that prepares a run, untimed, and
    returns it), taken in rounds, one run of each in turn: this machine's speed drifts by tens of percent
    over minutes, and timing one pipeline's runs all before the other's would put the drift into their
    ratio."""
    best: dict[str, tuple[float, float, object]] = {}
    for _ in range(repeat):
        for name, prepare in runs.items():
            took = measure(prepare(), family)
            if name not in best or took[0] < best[name][0]:
                best[name] = took
    return best


def mixes(stories: list[Article], size: int) -> Iterator[Article]:
    """``size`` articles, made as they are read (a corpus streamed from files is not held in memory either):
    the stories, then halves of two stories joined under a new id."""
    for j in range(size):
        base, turn = j % len(stories), j // len(stories)
        story = stories[base]
        if turn:
            other = stories[(base + 7919 * turn) % len(stories)].text
            cut, cut_other = story.text.find(". ", len(story.text) // 2), other.find(". ", len(other) // 2)
            head = story.text[: cut + 2] if cut >= 0 else story.text
            story = replace(story, text=head + (other[cut_other + 2 :] if cut_other >= 0 else other))
        yield replace(story, id=f"{story.id}-{turn}")


def one_ingest(size: int) -> dict:
    """Ingest ``size`` articles into a fresh store with the default workers; peak memory of each process."""
    _, stories = corpus(100_000)
    arts = mixes(stories, size)
    family = Family()
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.duckdb") as st:
        wall, cpu, done = measure(lambda: ingest(arts, st, workers=None), family)
    family.stop()
    worker_hwm, worker_pss = family.peaks("worker")
    server_hwm, server_pss = family.peaks("server")
    return {
        "articles": size,
        "coded": done.coded,
        "copies_linked": done.copies,
        "events": done.events,
        "seconds": round(wall, 1),
        "articles_per_s": round(size / wall, 2),
        "cpu_ms_per_article": round(1000 * cpu / size, 1),
        "writer_peak_rss_mb": own_peak_mb(),
        "worker_peak_rss_mb": worker_hwm,
        "worker_peak_pss_mb": worker_pss,
        "server_peak_rss_mb": server_hwm,
        "server_peak_pss_mb": server_pss,
    }


def throughput(n: int, repeat: int) -> dict:
    name, arts = corpus(n)
    texts = [a.text for a in arts]
    result: dict = {"corpus": name, "articles": len(arts), "words": sum(len(t.split()) for t in texts)}
    family = Family()

    def note(key: str, wall: float, cpu: float) -> None:
        result[f"{key}_articles_per_s"] = round(len(arts) / wall, 2)
        result[f"{key}_cpu_ms_per_article"] = round(1000 * cpu / len(arts), 1)

    nlp = spacy.load(MODEL)
    # start-up, timed apart: the pipeline and its tables load once in this process (for 1 worker), and
    # once in the fork server the workers are forked from (for 2); the timings below start loaded
    for workers in (1, 2):
        wall, cpu, _ = measure(lambda w=workers: list(code_parallel(arts[:2], workers=w, chunk=1)), family)
        result[f"dyads_{workers}w_start_s"] = round(wall, 2)
        result[f"dyads_{workers}w_start_cpu_s"] = round(cpu, 2)

    def spacy_run(procs: int):
        # two processes are forked from a pipeline that has not met these texts, as dyads' workers are
        # forked from a fork server that has not (one process goes on in this one, warm, as dyads' does)
        fresh = nlp if procs == 1 else spacy.load(MODEL)
        list(fresh.pipe(texts[:2]))
        return lambda: len(list(fresh.pipe(texts, n_process=procs, batch_size=16)))

    runs = {}
    for k in (1, 2):  # each round: spaCy on k processes, then dyads on k workers
        runs[f"spacy_{k}p"] = lambda k=k: spacy_run(k)
        runs[f"dyads_{k}w"] = lambda k=k: lambda: sum(len(evs) for _, evs in code_parallel(arts, workers=k))
    for key, (wall, cpu, out) in fastest(runs, family, repeat).items():
        note(key, wall, cpu)
        if key.startswith("dyads"):
            result[f"{key}_events"] = out
    docs = list(nlp.pipe(texts))
    lexicon = load_lexicon()
    sents = [sent for d in docs for sent in d.sents]
    # dyads parses the sentences its pre-pass keeps (dyads/prepass.py: the others are blanked); the share
    # of sentences in which the trigger lexicon finds a predicate is the least any such pre-pass keeps
    blanked = [load_prepass().blank(t) for t in texts]
    result["sentences"] = len(sents)
    result["share_of_sentences_parsed"] = round(
        sum(b.kept for b in blanked) / sum(b.sentences for b in blanked), 3
    )
    result["share_of_sentences_with_a_trigger"] = round(
        sum(1 for s in sents if lexicon.triggers(s)) / len(sents), 3
    )
    del docs, sents
    family.stop()
    result["peak_rss_mb_in_process"] = own_peak_mb()
    result["peak_rss_mb_worker"], result["peak_pss_mb_worker"] = family.peaks("worker")
    result["peak_rss_mb_fork_server"], result["peak_pss_mb_fork_server"] = family.peaks("server")
    result["peak_rss_mb_spacy_process"], result["peak_pss_mb_spacy_process"] = family.peaks("spacy")
    result["ratio_dyads_2w_to_spacy_2p"] = round(
        result["dyads_2w_articles_per_s"] / result["spacy_2p_articles_per_s"], 2
    )
    result["ratio_dyads_2w_to_1w"] = round(
        result["dyads_2w_articles_per_s"] / result["dyads_1w_articles_per_s"], 2
    )

    with tempfile.TemporaryDirectory() as tmp:
        with Store(Path(tmp) / "bench.duckdb") as st:
            t0 = time.perf_counter()
            done = ingest(iter(arts), st, workers=2)
            first = time.perf_counter() - t0
            t0 = time.perf_counter()
            redo = ingest(iter(arts), st, workers=2)
            again = time.perf_counter() - t0
    result["ingest_2w_s"] = round(first, 2)
    result["ingest_copies_linked"] = done.copies
    result["reingest_s"] = round(again, 3)
    result["reingest_speedup"] = round(first / again, 1)
    assert redo.coded == 0 and redo.skipped == len(arts)
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=1, help="runs of each timing; the fastest is kept")
    ap.add_argument("--sizes", type=int, nargs="*", default=[], help="ingest corpora of these sizes")
    ap.add_argument("--sizes-only", action="store_true", help="only the --sizes ingests")
    ap.add_argument("--one-ingest", type=int, help=argparse.SUPPRESS)  # one of --sizes, alone
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if args.one_ingest:
        print(json.dumps(one_ingest(args.one_ingest)))
        return
    result = {} if args.sizes_only else throughput(args.n, args.repeat)
    for size in args.sizes:
        run = subprocess.run(
            [sys.executable, __file__, "--one-ingest", str(size)], capture_output=True, text=True, check=True
        )
        result[f"ingest_{size}"] = json.loads(run.stdout.strip().splitlines()[-1])
    print(json.dumps(result, indent=1))
    if args.json:
        with open(args.json, "a", encoding="utf-8") as f:
            f.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
