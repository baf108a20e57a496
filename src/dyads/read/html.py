"""HTML pages: the main text via trafilatura, title and date from the page's metadata."""

from __future__ import annotations

from datetime import date

from dyads.model import Article
from dyads.read.common import ReadError, parse_date


def read_html(path: str, article_id: str, content: bytes, published: date | None) -> Article | ReadError:
    """One article per page; ``published`` (from the command line) wins over the page's own date."""
    import trafilatura

    doc = trafilatura.bare_extraction(content, with_metadata=True, include_comments=False, favor_recall=True)
    if doc is None or not (doc.text or "").strip():
        return ReadError(path, None, "no main text found in the HTML page")
    if published is None and doc.date:
        try:
            published = parse_date(doc.date)
        except ValueError:
            published = None
    return Article(
        id=article_id,
        text=doc.text.strip(),
        published=published,
        title=doc.title or None,
        url=doc.url or None,
        source=doc.sitename or None,
    )
