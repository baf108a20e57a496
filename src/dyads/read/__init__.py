"""Input readers: files, folders and standard input → ``Article`` records (or ``ReadError``s).

``read_paths`` never raises on bad input: whatever cannot be read comes back as a ``ReadError``
naming the file (and line) and the reason, and the rest is still read.

``published`` is the command line's ``--published``: it wins over an HTML page's metadata and
fills in for .txt files, JSONL lines and feed items that carry no date of their own. A text
with no date at all is dated by the pipeline from its dateline, if it has one.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

from dyads.model import Article
from dyads.read.common import ReadError
from dyads.read.feed import read_feed
from dyads.read.html import read_html
from dyads.read.jsonl import read_jsonl
from dyads.read.text import read_text

__all__ = ["STDIN_ID", "ReadError", "read_paths"]

KINDS = {".txt": "text", ".jsonl": "jsonl", ".html": "html", ".htm": "html"} | dict.fromkeys(
    (".xml", ".rss", ".atom"), "feed"
)
_FEED_MARKS = (b"<rss", b"<feed", b"<rdf:rdf")
STDIN = "<stdin>"
STDIN_ID = "stdin"  # the id of a plain text read from standard input: it has none of its own
SNIFF_BYTES = 8192
# zero-width and format characters, byte-order marks, and C0/C1 controls other than tab and newline
_INVISIBLE = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


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


def _read_bytes(
    name: str, stem: str, kind: str | None, content: bytes, published: date | None
) -> Iterator[Article | ReadError]:
    if not content.strip():
        yield ReadError(name, None, "empty file")
        return
    if b"\x00" in content[:SNIFF_BYTES]:
        yield ReadError(name, None, "binary file, not text")
        return
    if kind is None:
        kind = "feed" if _is_feed(content) else None
    if kind == "jsonl":
        yield from read_jsonl(name, content.split(b"\n"), published)
    elif kind is None:
        suffix = Path(name).suffix or "no extension"
        yield ReadError(name, None, f"unknown file type '{suffix}' (expected {', '.join(KINDS)})")
    elif kind == "html":
        yield read_html(name, stem, content, published)
    elif kind == "feed":
        yield from read_feed(name, content, published)
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            yield ReadError(name, None, f"not UTF-8 text (bad byte at offset {e.start})")
            return
        yield read_text(stem, text, published)


def _read_file(path: Path, published: date | None) -> Iterator[Article | ReadError]:
    kind = KINDS.get(path.suffix.lower())
    try:
        if kind == "jsonl":  # streamed: a corpus file can be larger than memory
            with path.open("rb") as f:
                if b"\x00" in f.read(SNIFF_BYTES):
                    yield ReadError(str(path), None, "binary file, not text")
                    return
                f.seek(0)
                yield from read_jsonl(str(path), f, published)
            return
        content = path.read_bytes()
    except FileNotFoundError:
        yield ReadError(str(path), None, "no such file")
        return
    except OSError as e:
        yield ReadError(str(path), None, f"cannot read ({e.strerror or e})")
        return
    yield from _read_bytes(str(path), path.stem, kind, content, published)


def _read_path(path: Path, published: date | None) -> Iterator[Article | ReadError]:
    if not path.is_dir():
        yield from _read_file(path, published)
        return
    files = sorted(f for f in path.rglob("*") if f.is_file() and f.suffix.lower() in KINDS)
    if not files:
        yield ReadError(str(path), None, f"folder holds no readable files ({', '.join(KINDS)})")
    for f in files:
        yield from _read_file(f, published)


def read_paths(paths: Iterable[str], published: date | None = None) -> Iterator[Article | ReadError]:
    """Articles from files, folders (their readable files, recursively) and ``-`` (standard input).

    Every text comes out cleaned of invisible characters (zero-width spaces, byte-order marks, control
    characters), which would split words; a text with nothing left is an error, not an empty article."""
    for p in paths:
        if p == "-":
            content = sys.stdin.buffer.read()
            items = _read_bytes(STDIN, STDIN_ID, _sniff_stdin(content), content, published)
        else:
            items = _read_path(Path(p), published)
        for item in items:
            if isinstance(item, Article):
                text = _INVISIBLE.sub("", item.text).strip()
                if not text:
                    item = ReadError(STDIN if p == "-" else p, None, f"article {item.id!r} has no text")
                elif text != item.text:
                    item = replace(item, text=text)
            yield item
