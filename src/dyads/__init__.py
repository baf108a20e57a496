"""dyads: political event data from news text — who did what to whom, when, where, and how sure."""

from dyads.model import Actor, Article, Event, Location, Place

__all__ = ["Actor", "Article", "Event", "Location", "Place", "code", "code_articles"]
__version__ = "0.1.0"


def code(text, published=None, article_id="text"):
    """Code one text into events; ``published`` (date or YYYY-MM-DD) anchors its relative dates."""
    from dyads.pipeline import code as _code

    return _code(text, published=published, article_id=article_id)


def code_articles(articles, batch_size=16):
    """Code many articles (``dyads.Article``) through one batched spaCy pipeline."""
    from dyads.pipeline import code_articles as _code_articles

    return _code_articles(articles, batch_size=batch_size)
