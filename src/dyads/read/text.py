"""Plain text: the whole file is one article (a dateline, if any, is read by the pipeline)."""

from __future__ import annotations

from datetime import date

from dyads.model import Article


def read_text(article_id: str, text: str, published: date | None) -> Article:
    return Article(id=article_id, text=text.strip(), published=published)
