"""One real event, many stories.

Near-duplicate articles (a wire copy, an updated version) are found by MinHash over word shingles and
linked to the article they copy, not coded as new news. The events coded from different articles that
report one real event (same PLOVER type and factuality, dates that overlap, actors and recipients that do
not contradict each other, places within ``MAX_KM``) are grouped: each event record stays a mention with its
own evidence, and a group is one real event with its mention, article and source counts.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np
from datasketch import MinHash

SHINGLE = 5  # words per shingle
NUM_PERM = 64  # MinHash permutations
SEED = 1  # of the permutations every signature is made with
SCHEME = "affine32"  # datasketch's hashing scheme: stored signatures are only comparable within one
DUPLICATE = 0.8  # estimated Jaccard similarity of shingles from which an article copies another
# the signature's 64 values cut into bands of rows (55 used): what datasketch's MinHashLSH picks for 0.8 over
# 64 permutations, weighing missed and needless comparisons alike
BANDS, ROWS = 5, 11
MAX_KM = 50.0  # two located mentions of one event lie at most this far apart
SLACK = timedelta(days=1)  # a date the story only reports (its publication day) may be a day off
PLACE_WIDE = ("PCL", "ADM1")  # a country or province holds the towns in it
MUTUAL = {"CONSULT", "AGREE", "COOPERATE"}  # types whose two sides a story may name either way round
_WORD = re.compile(r"\w+")


def signature(text: str) -> MinHash:
    """The MinHash of a text's word shingles (lower-cased), for near-duplicate detection."""
    words = _WORD.findall(text.lower())
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    m = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    m.update_batch([s.encode("utf-8") for s in shingles])
    return m


def to_bytes(m: MinHash) -> bytes:
    return m.hashvalues.astype(np.uint32).tobytes()


def from_bytes(raw: bytes) -> np.ndarray:
    """A stored signature's hash values."""
    return np.frombuffer(raw, dtype=np.uint32)


def band_keys(hashvalues: np.ndarray) -> list[int]:
    """The signature's locality-sensitive band keys: articles whose signatures agree on one whole band
    (``ROWS`` hash values) share its key, and only those are compared. Stable across runs and machines (a
    store keeps them); signed 64-bit, as DuckDB's BIGINT."""
    values = hashvalues.astype(np.uint32)
    return [
        int.from_bytes(
            hashlib.blake2b(bytes([band]) + values[band * ROWS : (band + 1) * ROWS].tobytes(), digest_size=8)
            .digest(),
            "little",
            signed=True,
        )
        for band in range(BANDS)
    ]


Candidates = Callable[[list[int]], Iterable[tuple[int, str, bytes]]]


class Duplicates:
    """Near-duplicate look-up. The articles stored before are found through ``stored`` (band keys → the
    stored originals with one of them: key, article id, signature), so they cost no memory here; the
    originals seen since and not yet stored are held here until ``forget`` is told they are stored."""

    def __init__(self, stored: Candidates = lambda keys: ()) -> None:
        self.stored = stored
        self.pending: dict[str, tuple[np.ndarray, list[int]]] = {}  # id → hash values, band keys
        self.bands: dict[int, set[str]] = {}  # band key → pending originals

    def originals(self, batch: list[tuple[str, MinHash]]) -> list[str | None]:
        """For each (article id, signature) in turn, the article seen before that it copies (the most
        similar; a copy of a copy points at the first), or None, remembering it as an original: one look-up
        in the store for the whole batch."""
        keys = [band_keys(m.hashvalues) for _, m in batch]
        found: dict[int, dict[str, np.ndarray]] = {}
        for key, article_id, raw in self.stored(sorted({k for ks in keys for k in ks})):
            found.setdefault(key, {})[article_id] = from_bytes(raw)
        out = []
        for (article_id, m), own in zip(batch, keys, strict=True):
            candidates = {h: sig for k in own for h, sig in found.get(k, {}).items()}
            candidates |= {h: self.pending[h][0] for k in own for h in self.bands.get(k, ())}
            hits = [
                (share, h)
                for h, sig in candidates.items()
                if h != article_id and (share := _jaccard(sig, m.hashvalues)) >= DUPLICATE
            ]
            out.append(min(hits, key=lambda jh: (-jh[0], jh[1]))[1] if hits else None)
            if not hits and article_id not in self.pending:
                self.pending[article_id] = (m.hashvalues, own)
                for k in own:
                    self.bands.setdefault(k, set()).add(article_id)
        return out

    def forget(self, article_ids: Iterable[str]) -> None:
        """These articles are stored now: ``stored`` finds them from here on."""
        for article_id in article_ids:
            _, own = self.pending.pop(article_id, (None, ()))
            for k in own:
                sharing = self.bands[k]
                sharing.discard(article_id)
                if not sharing:
                    del self.bands[k]


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """The estimated Jaccard similarity of two signatures' hash values (``MinHash.jaccard``)."""
    return float(np.count_nonzero(a == b)) / NUM_PERM


@dataclass(frozen=True)
class Mention:
    """What merging needs of one stored event."""

    id: str
    article_id: str
    event: str
    factuality: str
    start: date | None
    end: date | None
    reported: bool  # dated by the story's publication only
    actors: frozenset[str]
    recipients: frozenset[str]
    lat: float | None
    lon: float | None
    country: str | None
    admin1: str | None
    wide: bool  # the place is a country or a province


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def _codes_agree(a: frozenset[str], b: frozenset[str]) -> bool:
    return not a or not b or bool(a & b)


def _places_agree(a: Mention, b: Mention) -> bool:
    located_a, located_b = a.lat is not None, b.lat is not None
    if located_a and located_b:
        for wide, other in ((a, b), (b, a)):
            if wide.wide:  # "in Mali" and "in Gao", "in Borno state" and "in Monguno": one holds the other
                return wide.country == other.country and (wide.admin1 is None or wide.admin1 == other.admin1)
        return km(a.lat, a.lon, b.lat, b.lon) <= MAX_KM
    if located_a or located_b:  # one story names no place: the other's country must be a party to both
        known = a if located_a else b
        other = b if located_a else a
        return known.country in (other.actors | other.recipients)
    # neither says where: who did it to whom must say it, both sides named alike
    return bool(a.actors & b.actors) and bool(a.recipients & b.recipients)


def same_event(a: Mention, b: Mention) -> bool:
    """Whether two mentions can report one real event."""
    if a.event != b.event or a.factuality != b.factuality or a.start is None or b.start is None:
        return False
    slack = SLACK if a.reported or b.reported else timedelta(0)
    if a.start > (b.end or b.start) + slack or b.start > (a.end or a.start) + slack:
        return False
    if not (a.actors | a.recipients) or not (b.actors | b.recipients):
        return False  # no coded party: nothing says who
    if a.event in MUTUAL and not _sides_agree(a, b) and b.actors | b.recipients:
        # "Modi visited Putin" and "Putin hosted Modi": talks and agreements are between both sides
        b = replace(b, actors=b.recipients, recipients=b.actors)
    return _sides_agree(a, b) and _places_agree(a, b)


def _sides_agree(a: Mention, b: Mention) -> bool:
    """No side's coded parties contradict, and one side at least shares a party."""
    return (
        _codes_agree(a.actors, b.actors)
        and _codes_agree(a.recipients, b.recipients)
        and bool((a.actors & b.actors) or (a.recipients & b.recipients))
    )


def groups(mentions: list[Mention]) -> dict[str, str]:
    """Each mention's group: the smallest id among the mentions linked to it, by ``same_event``, directly
    or through others."""
    blocked = [((m.event, m.factuality, c), m) for m in mentions if m.start for c in m.actors | m.recipients]
    linked = links(sorted(blocked, key=lambda km: (km[0], km[1].start, km[1].id)))
    return {m.id: linked.get(m.id, m.id) for m in mentions}


def links(blocked: Iterable[tuple[tuple[str, str, str], Mention]]) -> dict[str, str]:
    """The group of each mention linked to another (an unlinked mention is its own group), from the mentions
    in their blocks, block by block and by date within one: two mentions of one event share a coded party
    (``same_event``), so only mentions of one type, factuality and party (a block) are compared, and within
    a block only those whose dates may overlap. One pass, holding one block's open mentions at a time, so
    the whole store can be read as a stream (``Store.merge_stream``)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while (up := parent.get(x, x)) != x:
            parent[x] = parent.get(up, up)
            x = up
        return x

    block = None
    open_: list[Mention] = []  # mentions of the block whose dates may still overlap the next ones
    for key, m in blocked:
        if key != block:
            block, open_ = key, []
        open_ = [o for o in open_ if (o.end or o.start) + SLACK >= m.start]
        for o in open_:
            if same_event(o, m):
                ra, rb = find(o.id), find(m.id)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
        open_.append(m)
    return {x: find(x) for x in list(parent)}
