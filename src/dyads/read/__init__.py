"""Input readers: files, folders and standard input → ``Article`` records (or ``ReadError``s).

``read_paths`` never raises on bad input: whatever cannot be read comes back as a ``ReadError``
naming the file (and line) and the reason, and the rest is still read. What is read, but not as
written (re-encoded, cut into pieces, salvaged, a date dropped), goes to ``warn`` as a ``ReadWarning``.

``published`` is the command line's ``--published``: it wins over an HTML page's metadata and
fills in for .txt files, JSONL lines and feed items that carry no date of their own. A text
with no date at all is dated by the pipeline from its dateline, if it has one.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

from dyads.dateline import find_dateline
from dyads.model import Article
from dyads.read.common import SNIFF_BYTES, ReadError, ReadWarning, decode, implausible, looks_wide
from dyads.read.feed import read_feed
from dyads.read.html import read_html
from dyads.read.jsonl import read_jsonl
from dyads.read.text import read_text
from dyads.wordclasses import words

__all__ = ["STDIN_ID", "ReadError", "ReadWarning", "read_bytes", "read_paths"]

KINDS = {".txt": "text", ".jsonl": "jsonl", ".html": "html", ".htm": "html"} | dict.fromkeys(
    (".xml", ".rss", ".atom"), "feed"
)
_FEED_MARKS = (b"<rss", b"<feed", b"<rdf:rdf")
STDIN = "<stdin>"
STDIN_ID = "stdin"  # the id of a plain text read from standard input: it has none of its own
# zero-width and format characters, byte-order marks, and C0/C1 controls other than tab and newline
_INVISIBLE = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# A longer text is coded in pieces of at most this many characters, cut at a paragraph or sentence end
# where there is one: the parser's cost and memory then grow with the text, not with its square.
MAX_PIECE = 50_000
LANGUAGE_SAMPLE = 5_000  # characters read to tell whether a text is English
MIN_ENGLISH_SHARE = 0.03  # of its words that are common English function words (see wordclasses.tsv)
MIN_WORDS_TO_JUDGE = 20
Warn = Callable[[ReadWarning], None]
_log = logging.getLogger(__name__)


def _is_feed(content: bytes) -> bool:
    head = content[:2048].lower()
    return any(mark in head for mark in _FEED_MARKS)


def _sniff_stdin(content: bytes) -> str:
    first = content.lstrip()[:1]
    if first == b"{":
        return "jsonl"
    if first == b"<":
        return "feed" if _is_feed(content) else "html"
    return "text"


def _file_id(name: str, stem: str, label: str, seen: dict[str, str]) -> str | ReadError:
    """A file's id is its stem; a second file with that stem (a/story.txt, b/story.txt) is told apart by
    ``label``, its path (below the folder given) without the suffix."""
    for candidate in (stem, label):
        if candidate not in seen:
            seen[candidate] = name
            return candidate
    return ReadError(name, None, f"id '{label}' already read from {seen[label]}; skipped")


def _read_bytes(
    name: str,
    label: str,
    kind: str | None,
    content: bytes,
    published: date | None,
    seen: dict[str, str],
) -> Iterator[Article | ReadError | ReadWarning]:
    if not content.strip():
        yield ReadError(name, None, "empty file", skipped=True)
        return
    if kind is None:
        kind = "feed" if _is_feed(content) else None
    if kind is None:
        suffix = Path(name).suffix or "no extension"
        yield ReadError(name, None, f"unknown file type '{suffix}' (expected {', '.join(KINDS)})")
        return
    try:
        text, note = decode(content)
    except ValueError as e:
        yield ReadError(name, None, str(e))
        return
    if note:
        yield ReadWarning(name, None, note)
    if kind == "jsonl":
        yield from read_jsonl(name, (line.encode() for line in text.split("\n")), published, seen)
    elif kind == "feed":
        yield from read_feed(name, content if note is None else text.encode(), published, seen)
    elif isinstance(article_id := _file_id(name, Path(label).name, label, seen), ReadError):
        yield article_id
    elif kind == "html":
        article, warning = read_html(name, article_id, content, published)
        if warning:
            yield warning
        yield article
    else:
        yield read_text(article_id, text, published)


def _read_file(
    path: Path, label: str, published: date | None, seen: dict[str, str]
) -> Iterator[Article | ReadError | ReadWarning]:
    kind = KINDS.get(path.suffix.lower())
    try:
        if kind == "jsonl":
            with path.open("rb") as f:
                head = f.read(SNIFF_BYTES)
                if not looks_wide(head):  # streamed: a corpus file can be larger than memory
                    try:
                        decode(head)
                    except ValueError as e:
                        yield ReadError(str(path), None, str(e))
                        return
                    f.seek(0)
                    yield from read_jsonl(str(path), f, published, seen)
                    return
        content = path.read_bytes()
    except FileNotFoundError:
        yield ReadError(str(path), None, "no such file")
        return
    except OSError as e:
        yield ReadError(str(path), None, f"cannot read ({e.strerror or e})")
        return
    yield from _read_bytes(str(path), label, kind, content, published, seen)


Source = tuple[str, Iterator[Article | ReadError | ReadWarning]]


def _sources(path: Path, published: date | None, seen: dict[str, str]) -> Iterator[Source]:
    """(file name, what it holds) for a file or each readable file of a folder, recursively."""
    if not path.is_dir():
        yield str(path), _read_file(path, path.with_suffix("").as_posix(), published, seen)
        return
    files = sorted(f for f in path.rglob("*") if f.is_file() and f.suffix.lower() in KINDS)
    if not files:
        empty = ReadError(str(path), None, f"folder holds no readable files ({', '.join(KINDS)})")
        yield str(path), iter([empty])
    for f in files:
        yield str(f), _read_file(f, f.relative_to(path).with_suffix("").as_posix(), published, seen)


def _stdin() -> bytes | None:
    try:
        return sys.stdin.buffer.read()
    except (AttributeError, OSError, ValueError):  # closed (<&-) or not there at all
        return None


def english_share(text: str) -> float | None:
    """The share of a text's first words that are common English function words; None where the text is
    too short to judge. Text mostly in a script other than Latin scores 0."""
    sample = text[:LANGUAGE_SAMPLE]
    letters = [c for c in sample if c.isalpha()]
    if len(letters) >= 2 * MIN_WORDS_TO_JUDGE and sum(c.isascii() for c in letters) < len(letters) / 2:
        return 0.0
    tokens = re.findall(r"[^\W\d_]+", sample.lower())
    if len(tokens) < MIN_WORDS_TO_JUDGE:
        return None
    common = words("english_function_word")
    return sum(t in common for t in tokens) / len(tokens)


def pieces(text: str, limit: int = MAX_PIECE) -> list[str]:
    """``text`` cut into pieces of at most ``limit`` characters: at the last paragraph break in the second
    half of each stretch, else the last sentence end, else the last space, else at ``limit``."""
    out, start = [], 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        half = limit // 2
        cut = window.rfind("\n", half)
        if cut < 0:
            ends = [m.end() for m in re.finditer(r"[.!?][\"'”’)\]]?\s", window[half:])]
            cut = half + ends[-1] - 1 if ends else window.rfind(" ", half)
        cut = limit if cut <= 0 else cut + 1
        out.append(window[:cut].strip())
        start += cut
    out.append(text[start:].strip())
    return [p for p in out if p]


def _checked(article: Article, where: str, warn: Warn) -> Iterator[Article | ReadError]:
    """An article as the pipeline should take it: cleaned, a publication date it can trust, English, and
    in pieces the parser can take."""
    text = _INVISIBLE.sub("", article.text).strip()
    if not text:
        yield ReadError(where, None, f"article {article.id!r} has no text", skipped=True)
        return
    if article.published and (why := implausible(article.published)):
        warn(ReadWarning(where, None, f"article {article.id!r}: {why}; coded without a date"))
        article = replace(article, published=None)
    share = english_share(text)
    if share is not None and share < MIN_ENGLISH_SHARE:
        yield ReadError(
            where,
            None,
            f"article {article.id!r}: not English ({share:.0%} of its words are common English words); "
            "skipped, dyads codes English only",
            skipped=True,
        )
        return
    if text != article.text:
        article = replace(article, text=text)
    if len(text) <= MAX_PIECE:
        yield article
        return
    # each later piece opens with the story's dateline: its events are filed from there, on that day
    line = find_dateline(text)
    head = text[: line.body_start] if line else ""
    cut = pieces(text, MAX_PIECE - len(head))
    cut[1:] = [head + piece for piece in cut[1:]]
    ids = [article.id] + [f"{article.id}#part{k}" for k in range(2, len(cut) + 1)]
    warn(
        ReadWarning(
            where,
            None,
            f"article {article.id!r} is {len(text):,} characters long: coded in {len(cut)} pieces of at "
            f"most {MAX_PIECE:,} ({ids[0]}, {ids[1]} … {ids[-1]})",
        )
    )
    for piece_id, piece in zip(ids, cut, strict=True):
        yield replace(article, id=piece_id, text=piece)


def _log_warning(warning: ReadWarning) -> None:
    _log.warning("%s", warning)


def read_bytes(
    name: str, content: bytes, kind: str, published: date | None = None, warn: Warn | None = None
) -> Iterator[Article | ReadError]:
    """Articles from bytes already in memory (a request body, say), read as ``kind`` (text, jsonl, html,
    feed) and checked as ``read_paths`` checks a file's."""
    for item in _read_bytes(name, Path(name).stem, kind, content, published, {}):
        yield from _route(item, name, warn or _log_warning)


def _route(item: Article | ReadError | ReadWarning, where: str, warn: Warn) -> Iterator[Article | ReadError]:
    if isinstance(item, ReadWarning):
        warn(item)
    elif isinstance(item, ReadError):
        yield item
    else:
        yield from _checked(item, where, warn)


def read_paths(
    paths: Iterable[str], published: date | None = None, warn: Warn | None = None
) -> Iterator[Article | ReadError]:
    """Articles from files, folders (their readable files, recursively) and ``-`` (standard input).

    Every text comes out cleaned of invisible characters (zero-width spaces, byte-order marks, control
    characters), which would split words; a text with nothing left, or not in English, is skipped (a
    ``ReadError`` with ``skipped``); a publication date in the future or before 1900 is dropped; a text
    over ``MAX_PIECE`` characters comes out in pieces. Ids are unique over the whole call: a second file
    with the same stem gets its path as id, and an id met again in JSON Lines or a feed is reported."""
    warn = warn or _log_warning
    seen: dict[str, str] = {}  # id -> where it was first read
    for p in paths:
        if p == "-":
            content = _stdin()
            if content is None:
                yield ReadError(STDIN, None, "standard input is closed")
                continue
            sources: Iterable[Source] = [
                (STDIN, _read_bytes(STDIN, STDIN_ID, _sniff_stdin(content), content, published, seen))
            ]
        else:
            sources = _sources(Path(p), published, seen)
        for name, items in sources:
            for item in items:
                yield from _route(item, name, warn)
