"""JSON Lines: one article per line. A bad line is reported and skipped; the rest are read."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date

from dyads.model import Article
from dyads.read.common import ReadError, parse_date

_OPTIONAL = ("title", "url", "source")


def _article(record: object, published: date | None) -> Article:
    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, got {type(record).__name__}")
    for key in ("id", "text"):
        if key not in record or record[key] in (None, ""):
            raise ValueError(f"missing '{key}'")
    if not isinstance(record["id"], str | int) or isinstance(record["id"], bool):
        raise ValueError("'id' must be a string or an integer")
    if not isinstance(record["text"], str) or not record["text"].strip():
        raise ValueError("'text' must be a non-empty string")
    raw = record.get("published")
    if raw not in (None, ""):
        if not isinstance(raw, str):
            raise ValueError(f"bad 'published' {raw!r} (expected YYYY-MM-DD or an ISO datetime)")
        try:
            published = parse_date(raw)
        except ValueError:
            raise ValueError(f"bad 'published' {raw!r} (expected YYYY-MM-DD or an ISO datetime)") from None
    extra = {k: str(record[k]) for k in _OPTIONAL if record.get(k) not in (None, "")}
    return Article(id=str(record["id"]), text=record["text"], published=published, **extra)


def read_jsonl(path: str, lines: Iterable[bytes], published: date | None) -> Iterator[Article | ReadError]:
    """Articles from JSON lines (read one at a time); ``published`` fills in for lines without a date."""
    seen: dict[str, int] = {}
    blank = True
    for n, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        blank = False
        try:
            line = raw.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError as e:
            yield ReadError(path, n, f"not UTF-8 text (bad byte at column {e.start + 1})")
            continue
        try:
            article = _article(json.loads(line), published)
        except json.JSONDecodeError as e:
            yield ReadError(path, n, f"invalid JSON ({e.msg} at column {e.colno})")
            continue
        except ValueError as e:
            yield ReadError(path, n, str(e))
            continue
        if article.id in seen:
            yield ReadError(path, n, f"duplicate id '{article.id}' (first on line {seen[article.id]})")
            continue
        seen[article.id] = n
        yield article
    if blank:
        yield ReadError(path, None, "empty file")
