"""dyads: political event data from news text — who did what to whom, when, where, and how sure."""

from dyads.model import Actor, Article, Event, Location, Place

__all__ = ["Actor", "Article", "Event", "Location", "Place", "code", "code_articles", "query"]
__version__ = "0.1.0"


def code(text, published=None, article_id="text"):
    """Code one text into events; ``published`` (date or YYYY-MM-DD) anchors its relative dates."""
    from dyads.pipeline import code as _code

    return _code(text, published=published, article_id=article_id)


def code_articles(articles, batch_size=16):
    """Code many articles (``dyads.Article``) through one batched spaCy pipeline."""
    from dyads.pipeline import code_articles as _code_articles

    return _code_articles(articles, batch_size=batch_size)


def query(db, limit=None, offset=0, mentions=False, **filters):
    """The events in the store ``db`` matching ``filters`` as a pandas DataFrame: one row per real event
    (its surest mention, with ``num_mentions``, ``num_articles``, ``num_sources``, ``first_seen``,
    ``last_seen`` and ``group_id`` where the store merged reports), or with ``mentions=True`` one per mention.

    The filters are those of ``dyads events`` (see ``dyads.queries.Filters``): ``actor``, ``recipient``,
    ``either`` (country code), ``actor_sector``, ``actor_name`` and the same for the other sides, ``type``,
    ``mode``, ``cameo``, ``since``, ``until``, ``place``, ``place_country``, ``bbox``, ``factuality``
    (default ``"asserted"``; ``"all"`` for every one), ``min_confidence``, ``text``.
    """
    from dyads.queries import Filters, events, frame
    from dyads.store import Store

    with Store(db, read_only=True) as st:
        return frame(events(st.con, Filters(**filters), limit, offset, merged=not mentions))
