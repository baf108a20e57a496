"""JSON Lines: one article per line. A bad line is reported and skipped; the rest are read."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date

from dyads.model import Article
from dyads.read.common import ReadError, ReadWarning, decode, parse_date

_OPTIONAL = ("title", "url", "source")


def _article(record: object, published: date | None) -> tuple[Article, str | None]:
    """The line's article, and why its own publication date was not used (if it was not)."""
    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, got {type(record).__name__}")
    for key in ("id", "text"):
        if key not in record or record[key] in (None, ""):
            raise ValueError(f"missing '{key}'")
    if not isinstance(record["id"], str | int) or isinstance(record["id"], bool):
        raise ValueError("'id' must be a string or an integer")
    if not isinstance(record["text"], str) or not record["text"].strip():
        raise ValueError("'text' must be a non-empty string")
    raw, dropped = record.get("published"), None
    if raw not in (None, ""):
        try:
            if not isinstance(raw, str):
                raise ValueError
            published = parse_date(raw)
        except ValueError:  # the --published date (or none) stands in
            dropped = f"bad 'published' {str(raw)[:40]!r} (expected YYYY-MM-DD or an ISO datetime)"
    extra = {k: str(record[k]) for k in _OPTIONAL if record.get(k) not in (None, "")}
    return Article(id=str(record["id"]), text=record["text"], published=published, **extra), dropped


def read_jsonl(
    path: str, lines: Iterable[bytes], published: date | None, seen: dict[str, str] | None = None
) -> Iterator[Article | ReadError | ReadWarning]:
    """Articles from JSON lines (read one at a time); ``published`` fills in for lines without a date,
    or with one that cannot be read (a warning says so). ``seen`` maps the ids already read, in this file
    or earlier ones, to where ("path:line"): an id met again is reported, not read twice."""
    seen = {} if seen is None else seen
    blank = True
    decoded_again = 0  # lines read in another encoding: the first is named, the rest counted at the end
    for n, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        blank = False
        try:
            line, note = decode(raw)
        except ValueError as e:
            yield ReadError(path, n, str(e))
            continue
        if note:
            decoded_again += 1
            if decoded_again == 1:
                yield ReadWarning(path, n, note)
        try:
            article, dropped = _article(json.loads(line.removeprefix("\ufeff")), published)
        except json.JSONDecodeError as e:
            yield ReadError(path, n, f"invalid JSON ({e.msg} at column {e.colno})")
            continue
        except ValueError as e:
            yield ReadError(path, n, str(e))
            continue
        if article.id in seen:
            first_path, _, first_line = seen[article.id].rpartition(":")
            where = f"line {first_line}" if first_path == path else seen[article.id]
            yield ReadError(path, n, f"duplicate id '{article.id}' (first on {where}); skipped")
            continue
        seen[article.id] = f"{path}:{n}"
        if dropped:
            fallback = f"dated {published} from --published" if published else "coded without a date"
            yield ReadWarning(path, n, f"{dropped}; {fallback}")
        yield article
    if decoded_again > 1:
        more = decoded_again - 1
        yield ReadWarning(path, None, f"{more} more line(s) were not UTF-8 and were read likewise")
    if blank:
        yield ReadError(path, None, "empty file", skipped=True)
