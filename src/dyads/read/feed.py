"""RSS and Atom feeds: one article per item, its text the item's content with the markup stripped."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from dyads.model import Article
from dyads.read.common import ReadError, ReadWarning, strip_html


def _published(entry: dict, fallback: date | None) -> date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        stamp = entry.get(key)
        if stamp:
            return date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday)
    return fallback


def _markup(entry: dict) -> str:
    contents = [c.get("value", "") for c in entry.get("content") or []]
    return "\n".join(c for c in contents if c) or entry.get("summary") or entry.get("description") or ""


def read_feed(
    path: str, content: bytes, published: date | None, seen: dict[str, str] | None = None
) -> Iterator[Article | ReadError | ReadWarning]:
    """Articles from a feed (id = guid, else link); ``published`` fills in for undated items. A feed that
    is not well-formed XML but still yields items is read with a warning; ``seen`` as for JSON Lines."""
    import feedparser

    parsed = feedparser.parse(content)
    if not parsed.entries:
        why = f" ({parsed.bozo_exception})" if parsed.get("bozo") else ""
        yield ReadError(path, None, f"not an RSS/Atom feed, or a feed with no items{why}")
        return
    if parsed.get("bozo"):
        why = str(parsed.bozo_exception).splitlines()[0][:200] if parsed.get("bozo_exception") else "?"
        yield ReadWarning(path, None, f"not well-formed XML ({why}); {len(parsed.entries)} item(s) salvaged")
    source = parsed.feed.get("title") or None
    seen = {} if seen is None else seen
    for n, entry in enumerate(parsed.entries, start=1):
        item_id = entry.get("id") or entry.get("link")
        text = strip_html(_markup(entry))
        if not item_id:
            yield ReadError(path, None, f"item {n}: no guid/id and no link")
        elif not text:
            yield ReadError(path, None, f"item {n} ({item_id}): no description or content")
        elif item_id in seen:
            first = seen[item_id]
            yield ReadError(path, None, f"item {n}: duplicate id '{item_id}' (first in {first}); skipped")
        else:
            seen[item_id] = f"{path} item {n}"
            yield Article(
                id=item_id,
                text=text,
                published=_published(entry, published),
                title=strip_html(entry.get("title", "")) or None,
                url=entry.get("link") or None,
                source=source,
            )
