"""HTML pages: the main text via trafilatura, title and date from the page's metadata."""

from __future__ import annotations

from datetime import date

from dyads.model import Article
from dyads.read.common import ReadError, ReadWarning, decode, parse_date, strip_html

# Main-text extraction drops menus and footers, rarely more than most of a page; keeping less than this
# share of a long page's visible text means it failed (a page nested too deep for it, say).
MIN_KEPT = 0.05
LONG_PAGE = 2000  # characters of visible text


def read_html(
    path: str, article_id: str, content: bytes, published: date | None
) -> tuple[Article | ReadError, ReadWarning | None]:
    """One article per page; ``published`` (from the command line) wins over the page's own date. Where
    main-text extraction keeps almost nothing of a long page, the page's whole visible text is read and a
    warning says so."""
    import trafilatura

    try:
        markup, _ = decode(content)
    except ValueError as e:
        return ReadError(path, None, str(e)), None
    doc = trafilatura.bare_extraction(content, with_metadata=True, include_comments=False, favor_recall=True)
    text = (doc.text or "").strip() if doc is not None else ""
    visible = strip_html(markup)
    warning = None
    if len(visible) >= LONG_PAGE and len(text) < MIN_KEPT * len(visible):
        warning = ReadWarning(
            path,
            None,
            f"main-text extraction kept {len(text):,} of {len(visible):,} visible characters; "
            "read the page's whole visible text instead",
        )
        text = visible
    if not text:
        return ReadError(path, None, "no main text found in the HTML page"), None
    if published is None and doc is not None and doc.date:
        try:
            published = parse_date(doc.date)
        except ValueError:
            published = None
    return Article(
        id=article_id,
        text=text,
        published=published,
        title=getattr(doc, "title", None) or None,
        url=getattr(doc, "url", None) or None,
        source=getattr(doc, "sitename", None) or None,
    ), warning
