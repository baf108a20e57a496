"""Runs the pipeline over a corpus: worker processes parse and code, one writer stores.

``code_parallel`` codes a stream of articles on ``workers`` processes, forked from one that loaded the
pipeline once, and hands the results back in input order with at most a few chunks in flight, so memory
stays flat however long the stream. ``ingest`` puts a corpus into a store: an article the store already
holds (known by its id) is skipped before it is parsed, and each chunk's articles and events are committed
in one transaction, so a run killed at any moment and started again ends with the store an uninterrupted
run gives. While it writes, it publishes the store's snapshot (``Store.publish``) for ``dyads serve`` to
read, which DuckDB would otherwise keep out until the run ends.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from itertools import chain, islice
from multiprocessing import get_context
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from dyads.model import Article, Event
from dyads.read import STDIN_ID, ReadError, read_paths
from dyads.resolve import (
    PLACE_WIDE,
    Duplicates,
    Mention,
    band_keys,
    from_bytes,
    links,
    signature,
    to_bytes,
)
from dyads.store import Link, Store, tables

CHUNK = 16  # articles a worker codes at a time, and the articles of one write
IN_FLIGHT = 2  # chunks waiting or being coded per worker
PUBLISH_EVERY = 5.0  # seconds at least between two snapshots of the store during an ingest
PUBLISH_SHARE = 0.1  # at most this share of an ingest's time goes on copying snapshots
# chunks of input read at a time to find the stored articles and the copies: one look-up in the store for
# them all (the band keys' look-up scans the store's keys: 27 ms at a million articles)
LOOKUP_CHUNKS = 16
BAND_BATCH = 10_000  # originals given their band keys at a time, in a store written before they were kept

Coded = tuple[Article, list[Event]]
OnError = Callable[[Article, Exception], None]


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _load_pipeline() -> None:
    """The spaCy pipeline and the tables the coding reads, loaded once before any chunk (a no-op in a
    worker forked from the fork server, which loaded them)."""
    _code_chunk([Article("warm-up", "Police in Niamey arrested two men on Monday.")])


def _fill_caches() -> None:
    """The bundled demo corpus coded once in the fork server, so that what a story makes the coding look up
    and keep (spaCy's vocabulary and tokenizer cache, kept outside a memory zone; the lexicon's, pre-pass's
    and gazetteer's caches of words and names) is there before the workers are forked, shared by all, not
    filled again in each: a forked worker otherwise spends about a tenth more per story on a few hundred
    stories (bench/RESULTS.md)."""
    from dyads.pipeline import code_articles

    demo = Path(__file__).parent / "data" / "demo"
    articles = [a for a in read_paths([str(demo)], warn=lambda _: None) if isinstance(a, Article)]
    for _ in code_articles(articles, on_error=lambda *_: None, keep_words=True):
        pass


def _pool(workers: int) -> ProcessPoolExecutor:
    """Workers forked from a fork server that loaded the pipeline once (``dyads._forkserver``): they share
    its memory and skip its start-up. The server starts clean, where a fork of this process would inherit
    its database connection and threads; it serves every pool this process starts."""
    context = get_context("forkserver")
    context.set_forkserver_preload(["dyads._forkserver"])
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_load_pipeline)


def _code_chunk(articles: list[Article]) -> tuple[list[Coded], list[tuple[Article, str]]]:
    """The chunk coded in one batch; if the batch itself breaks (an article spaCy cannot take), one
    article at a time, so that only the bad one fails."""
    from dyads.pipeline import code_articles  # looked up when called, so a test can stand in for it

    failed: list[tuple[Article, str]] = []

    def note(article: Article, exc: Exception) -> None:
        failed.append((article, f"{type(exc).__name__}: {exc}"))

    try:
        return list(code_articles(articles, on_error=note)), failed
    except Exception as exc:
        if len(articles) == 1:
            note(articles[0], exc)
            return [], failed
    coded: list[Coded] = []
    failed = []
    for article in articles:
        part, bad = _code_chunk([article])
        coded += part
        failed += bad
    return coded, failed


def _chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def code_chunks(
    chunks: Iterable[list[Article]], workers: int, on_error: OnError | None = None
) -> Iterator[list[Coded]]:
    """Each chunk's (article, events) pairs, in input order; ``workers`` > 1 codes them in that many
    processes. An article that fails goes to ``on_error`` (without it, raises) and the rest are coded."""

    def settle(coded: list[Coded], failed: list[tuple[Article, str]]) -> list[Coded]:
        for article, why in failed:
            if on_error is None:
                raise RuntimeError(f"article {article.id!r}: {why}")
            on_error(article, RuntimeError(why))
        return coded

    chunks = iter(chunks)
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None)
    rest = chain((first, second), chunks) if second is not None else iter((first,))
    if workers <= 1 or second is None:  # one chunk is not worth starting processes for
        for chunk in rest:
            yield settle(*_code_chunk(chunk))
        return
    with _pool(workers) as pool:
        pending: deque[Future] = deque()
        for chunk in rest:
            pending.append(pool.submit(_code_chunk, chunk))
            if len(pending) >= workers * IN_FLIGHT:
                yield settle(*pending.popleft().result())
        while pending:
            yield settle(*pending.popleft().result())


def code_parallel(
    articles: Iterable[Article], workers: int, on_error: OnError | None = None, chunk: int = CHUNK
) -> Iterator[Coded]:
    """(article, events) for each article, in input order, coded on ``workers`` processes."""
    for pairs in code_chunks(_chunks(articles, chunk), workers, on_error):
        yield from pairs


@dataclass
class Progress:
    """What an ingest has done so far."""

    read: int = 0  # articles read from the input
    skipped: int = 0  # already in the store: not parsed again
    coded: int = 0  # articles coded and stored in this run
    copies: int = 0  # near-duplicates of an article seen before: linked to it, not coded
    failed: int = 0  # articles that could not be coded (not stored: a later run tries them again)
    events: int = 0  # events stored in this run
    errors: list[str] = field(default_factory=list)  # one line each: input that could not be read or coded
    started: float = field(default_factory=time.perf_counter)

    @property
    def done(self) -> int:
        return self.skipped + self.coded + self.copies + self.failed

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started


class Publisher:
    """Publishes the store's snapshot at the start, after a committed chunk when ``PUBLISH_EVERY`` seconds
    have passed, and at the end, each time unless the snapshot shows all the store holds. A copy costs the
    store's size, so the wait after one grows with what it took: copies never take more than
    ``PUBLISH_SHARE`` of the run, and the run's cost stays linear."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.due = 0.0
        self.now()

    def now(self) -> None:
        if not self.store.stale("published"):
            return
        started = time.monotonic()
        self.store.publish()
        took = time.monotonic() - started
        self.due = time.monotonic() + max(PUBLISH_EVERY, took / PUBLISH_SHARE)

    def committed(self) -> None:
        if time.monotonic() >= self.due:
            self.now()


def ingest(
    items: Iterable[Article | ReadError],
    store: Store,
    workers: int | None = None,
    chunk: int = CHUNK,
    on_progress: Callable[[Progress], None] | None = None,
) -> Progress:
    """Code ``items`` (what ``dyads.read.read_paths`` gives) into ``store``, then merge the store's events
    into real events; returns the tally.

    Articles the store holds are skipped before parsing; an article that copies one seen before (a wire
    copy, an update) is linked to it and not coded. Each chunk of articles is written with its events and
    links in one transaction, so killing the run loses at most the chunks not yet committed, and running it
    again codes exactly those."""
    progress = Progress()
    workers = workers or default_workers()
    publisher = Publisher(store)
    pending: deque[Fresh] = deque()
    seen = _duplicates(store)

    def report(article: Article, exc: Exception) -> None:
        progress.failed += 1
        progress.errors.append(f"article {article.id}: could not be coded ({exc})")

    def to_code() -> Iterator[list[Article]]:
        for fresh in _fresh_chunks(items, store, seen, chunk, progress, on_progress):
            pending.append(fresh)
            yield fresh.articles

    for pairs in code_chunks(to_code(), workers, report):
        fresh = pending.popleft()
        progress.events += store.write_chunk(pairs + [(a, []) for a in fresh.copies], fresh.links)
        seen.forget(fresh.links)
        _tally(progress, len(pairs), len(fresh.copies), on_progress)
        publisher.committed()
    if store.stale("merged"):
        merge(store)
    publisher.now()
    return progress


Links = dict[str, Link]


@dataclass
class Fresh:
    """A chunk of articles the store does not hold: those to code, the copies of articles seen before,
    and every one's link (``dyads.store.Link``)."""

    articles: list[Article]
    copies: list[Article]
    links: Links


def _duplicates(store: Store) -> Duplicates:
    """Near-duplicate look-up against the store's originals, which keep their band keys in the store (a
    store written before they were kept gains them here, once)."""
    while unbanded := store.unbanded(BAND_BATCH):
        store.add_bands({k: band_keys(from_bytes(raw)) for k, raw in unbanded})
    return Duplicates(store.band_matches)


def _fresh_chunks(
    items: Iterable[Article | ReadError],
    store: Store,
    seen: Duplicates,
    chunk: int,
    progress: Progress,
    on_progress: Callable[[Progress], None] | None,
) -> Iterator[Fresh]:
    """The input in chunks, less the articles stored (counted as skipped), copies told apart, in input
    order: whether an article copies another depends only on the articles before it (stored, or in a
    chunk not yet written: ``seen`` holds those until they are)."""
    for batch in _chunks(_articles(items, progress), chunk * LOOKUP_CHUNKS):
        known = store.known_articles([a.id for a in batch])
        unread = []
        for article in batch:
            if article.id not in known:  # not stored, nor read before in this batch
                known.add(article.id)
                unread.append(article)
        progress.skipped += len(batch) - len(unread)
        if on_progress:
            on_progress(progress)
        batch = unread
        signed = [(a.id, signature(a.text)) for a in batch]
        originals = seen.originals(signed)
        decided = list(zip(batch, signed, originals, strict=True))
        for start in range(0, len(decided), chunk):
            fresh = Fresh([], [], {})
            for article, (_, sig), original in decided[start : start + chunk]:
                keys = [] if original else band_keys(sig.hashvalues)
                fresh.links[article.id] = (original, to_bytes(sig), keys)
                (fresh.copies if original else fresh.articles).append(article)
            yield fresh


def _tally(
    progress: Progress, coded: int, copies: int, on_progress: Callable[[Progress], None] | None
) -> None:
    progress.coded += coded
    progress.copies += copies
    if on_progress:
        on_progress(progress)


def ingest_dask(
    items: Iterable[Article | ReadError],
    store: Store,
    address: str,
    parts: Path | None = None,
    chunk: int = CHUNK,
    on_progress: Callable[[Progress], None] | None = None,
) -> Progress:
    """``ingest`` on a Dask cluster: ``address`` is a scheduler ("tcp://host:8786") or ``local:N`` for a
    cluster of N processes on this machine. Each worker loads the pipeline once, codes chunks and writes
    each as Parquet partitions under ``parts`` (a folder every worker and this process can read; a
    temporary one for a local cluster); this process merges them into the store, one transaction a chunk,
    with ``ingest``'s idempotence (stored articles are skipped before they are sent)."""
    from distributed import Client, LocalCluster, as_completed

    progress = Progress()
    publisher = Publisher(store)
    seen = _duplicates(store)
    if address.startswith("local:"):
        cluster = LocalCluster(n_workers=int(address.split(":", 1)[1]), threads_per_worker=1)
        client = Client(cluster)
    else:
        cluster, client = None, Client(address)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(parts or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        window = as_completed()
        in_flight: dict[str, Fresh] = {}

        def collect(future) -> None:
            fresh = in_flight.pop(future.key)
            articles_path, events_path, failed = future.result()
            for article_id, why in failed:
                progress.failed += 1
                progress.errors.append(f"article {article_id}: could not be coded ({why})")
            articles, events = pq.read_table(articles_path), pq.read_table(events_path)
            copies = tables([(a, []) for a in fresh.copies])[0]
            progress.events += store.write_tables(pa.concat_tables([articles, copies]), events, fresh.links)
            seen.forget(fresh.links)
            _tally(progress, articles.num_rows, len(fresh.copies), on_progress)
            publisher.committed()
            for path in (articles_path, events_path):
                Path(path).unlink()

        try:
            limit = IN_FLIGHT * max(1, len(client.scheduler_info(n_workers=-1)["workers"]))
            for fresh in _fresh_chunks(items, store, seen, chunk, progress, on_progress):
                future = client.submit(_code_to_parquet, fresh.articles, str(folder), pure=False)
                in_flight[future.key] = fresh
                window.add(future)
                while window.count() >= limit:
                    collect(next(window))
            for future in window:
                collect(future)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    if store.stale("merged"):
        merge(store)
    publisher.now()
    return progress


def _code_to_parquet(articles: list[Article], folder: str) -> tuple[str, str, list[tuple[str, str]]]:
    """On a Dask worker: code a chunk and write its articles and events as two Parquet files."""
    coded, failed = _code_chunk(articles)
    articles_table, events_table = tables(coded)
    stem = Path(folder) / f"part-{uuid.uuid4().hex}"
    paths = (f"{stem}.articles.parquet", f"{stem}.events.parquet")
    pq.write_table(articles_table, paths[0])
    pq.write_table(events_table, paths[1])
    return paths[0], paths[1], [(a.id, why) for a, why in failed]


def merge(store: Store) -> None:
    """Group every stored event with the mentions of the same real event (across the whole store), read
    as a stream so that memory does not grow with the store."""
    blocked = (((row[3], row[4], row[0]), _mention(row[1:])) for row in store.merge_stream())
    store.set_groups(links(blocked))


def _mention(row: tuple) -> Mention:
    """A row of ``Store.merge_stream`` (less its party) as merging reads it."""
    *ids_and_dates, precision, actors, recipients, lat, lon, country, admin1, feature = row
    return Mention(
        *ids_and_dates,  # id, article, type, factuality, date, date_end
        precision == "reported",
        frozenset(actors or ()),
        frozenset(recipients or ()),
        float(lat) if lat is not None else None,
        float(lon) if lon is not None else None,
        country,
        admin1,
        bool(feature) and feature.startswith(PLACE_WIDE),
    )


def _articles(items: Iterable[Article | ReadError], progress: Progress) -> Iterator[Article]:
    """The articles, each known by its id, or by a hash of its text where it has no id of its own."""
    for item in items:
        if isinstance(item, ReadError):
            progress.errors.append(str(item))
        else:
            progress.read += 1
            if item.id == STDIN_ID:
                item = replace(item, id="sha1:" + hashlib.sha1(item.text.encode("utf-8")).hexdigest()[:16])
            yield item
