"""Composes the stages: Article in, Events out.

read → prepass (blanks the sentences that can hold no event) → nlp (spaCy, batched with ``nlp.pipe``) →
events (predicates + coded actors) → attributes (date, place, parties by place, factuality, confidence).
It holds no coding rules: each decision is made, and named in the record's ``evidence``, by the stage it
belongs to.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import replace
from datetime import date
from itertools import chain, islice

from spacy.tokens import Doc, Span, Token

from dyads import nlp as nlp_mod
from dyads.attributes.confidence import confidence
from dyads.attributes.dates import StoryTime, dateline_date, dates_in, own_time
from dyads.attributes.factuality import event_factuality
from dyads.attributes.parties import host, local_parties, own_government
from dyads.attributes.places import dateline_place, event_place, event_sites, find_places
from dyads.events.extract import ArticleContext, Found, extract
from dyads.events.lexicon import load_lexicon
from dyads.model import Article, Event, Location, Place, ResolvedDate
from dyads.prepass import load_prepass
from dyads.read.common import parse_date

# Whether coding parses only the sentences that can hold an event (``dyads.prepass``) unless told otherwise.
PREPASS = True
# Articles parsed in one of spaCy's memory zones: the words they add to its vocabulary are dropped after
# them, so coding a stream of any length leaves the vocabulary as loaded.
ZONE_ARTICLES = 256


def code(text: str, published: date | str | None = None, article_id: str = "text") -> list[Event]:
    """Code one text. ``published`` (a date, YYYY-MM-DD or an ISO datetime) anchors its relative dates."""
    if isinstance(published, str):
        published = parse_date(published)
    article = Article(id=article_id, text=text, published=published)
    return next(code_articles([article]))[1]


class CodingError(Exception):
    """An article the pipeline could not code; names the article."""


def code_articles(
    articles: Iterable[Article],
    batch_size: int = 16,
    on_error: Callable[[Article, Exception], None] | None = None,
    prepass: bool = PREPASS,
    keep_words: bool = False,
) -> Iterator[tuple[Article, list[Event]]]:
    """Code many articles through one batched spaCy pipeline. An article that fails is passed to
    ``on_error`` and skipped (the rest are still coded); without ``on_error`` it raises ``CodingError``.
    With ``prepass`` only the sentences that can hold an event are parsed (``dyads.prepass``). With
    ``keep_words`` the words met stay in spaCy's vocabulary and tokenizer cache (a warm-up's)."""
    for article, doc in _parse(articles, batch_size, prepass, keep_words):
        try:
            events = _code_doc(article, doc)
        except Exception as exc:  # one bad article must not lose the rest
            if on_error is None:
                raise CodingError(f"article {article.id!r}: {exc}") from exc
            on_error(article, exc)
            continue
        yield article, events


def article_places(
    articles: Iterable[Article], batch_size: int = 16
) -> Iterator[tuple[Article, list[Place]]]:
    for article, doc in _parse(articles, batch_size):
        yield article, find_places(doc, article.id)


def _parse(
    articles: Iterable[Article], batch_size: int, prepass: bool = False, keep_words: bool = False
) -> Iterator[tuple[Article, Doc]]:
    """Each article with its parse, ``ZONE_ARTICLES`` at a time in a memory zone unless ``keep_words``: a
    parse must not be kept past the next article's (its words may be gone)."""
    nlp = nlp_mod.load()
    blank = load_prepass().blank if prepass else None
    stream = iter(articles)
    for first in stream:  # read lazily: a stream's first article is coded before its 256th is read
        block = chain((first,), islice(stream, ZONE_ARTICLES - 1))
        pairs = ((blank(a.text).doc if blank else a.text, a) for a in block)
        with nullcontext() if keep_words else nlp.memory_zone():
            for doc, article in nlp.pipe(pairs, batch_size=batch_size, as_tuples=True):
                # a dateline ("NIAMEY, April 20, 2024 (Reuters) -") dates the article when no metadata does
                line = doc.user_data.get("dateline")
                if article.published is None and line and (day := dateline_date(line.date_text)):
                    article = replace(article, published=day)
                doc.user_data["published"] = article.published  # the day its actors are coded as of
                yield article, doc


def _code_doc(article: Article, doc: Doc) -> list[Event]:
    published = article.published
    ctx = ArticleContext(published)
    found_by_sent = [(sent, extract(sent, ctx)) for sent in doc.sents]
    if not any(found for _, found in found_by_sent):
        return []  # places and dates only for a story that has events
    places = find_places(doc, article.id, unresolved=True)  # an unresolved name still says where
    dateline = dateline_place(doc.user_data.get("dateline"), places)
    story = StoryTime(published)
    events: list[Event] = []
    seen: set[str] = set()
    for (sent, found), sent_places in zip(found_by_sent, _by_sentence(places, found_by_sent), strict=True):
        # every sentence, as one without events may still set the story's time
        sentence_dates = dates_in(sent, published)
        sites = event_sites(found, sent_places, dateline)
        locs = [site.location() for site in sites]
        # where the sentence is set: "Students marched in Dakar, demanding ..." — the demand is Senegalese too
        scene = next((loc for loc in locs if loc is not None), None)
        owns = [own_time(f.trigger.token, f.anchor, published) for f in found]
        facts = [
            event_factuality(f.trigger, f.anchor, own.date, published, sentence_dates)
            for f, own in zip(found, owns, strict=True)
        ]
        whens = story.settle(sent, [f.anchor for f in found], owns, facts)
        for f, loc, site, when, fact in zip(found, locs, sites, whens, facts, strict=True):
            event = _event(article, f, loc, site.rule, scene, when, fact, len(found))
            if event.id not in seen:  # extract decided which events have parties enough
                seen.add(event.id)
                events.append(event)
    return events


def _by_sentence(places: list[Place], found_by_sent: list[tuple[Span, list[Found]]]) -> list[list[Place]]:
    """The places wholly inside each sentence, in their order, found in one pass: an event is placed only
    within its sentence, and looking through all of a long article's places for each would cost its square."""
    starts = [sent.start_char for sent, _ in found_by_sent]
    out: list[list[Place]] = [[] for _ in starts]
    for place in places:
        k = bisect_right(starts, place.span[0]) - 1
        if k >= 0 and place.span[1] <= found_by_sent[k][0].end_char:
            out[k].append(place)
    return out


def _event(
    article: Article,
    f: Found,
    loc: Location | None,
    place_rule: str,
    scene: Location | None,
    when: ResolvedDate | None,
    fact: str,
    n_in_sentence: int,
) -> Event:
    trig = f.trigger
    doc = trig.token.doc
    sent = trig.token.sent
    actor = local_parties(f.actor, loc or scene)
    recipient = local_parties(f.recipient, loc or scene)
    if not any(a.code for a in recipient):
        recipient = recipient + (host(trig.info, actor, loc) or own_government(trig.info, actor))
    phrase = doc[trig.tokens[0] : trig.tokens[1]]
    text = sent.text.rstrip()
    info = trig.info
    return Event(
        article_id=article.id,
        event=info.event or "",
        cameo=info.cameo,
        mode=info.mode,
        context=list(info.context),
        quad_code=info.quad_code,
        goldstein=info.goldstein,
        actor=actor,
        recipient=recipient,
        date=when.date if when else None,
        date_end=when.date_end if when else None,
        date_precision=when.precision if when else "reported",
        date_text=when.text if when else None,
        event_loc=loc,
        factuality=fact,
        event_text=phrase.text,
        text=text,
        span=(sent.start_char, sent.start_char + len(text)),
        confidence=confidence(
            trig.rule,
            trig.token.pos_ in ("VERB", "AUX"),
            trig.token.dep_ == "ROOT",
            actor,
            recipient,
            n_in_sentence,
        ),
        evidence={
            "trigger": trig.token.text,
            "trigger_span": (phrase.start_char, phrase.end_char),
            "rule": trig.rule,
            "date_rule": when.rule if when else None,
            "place_rule": place_rule,
            "model": None,
        },
        root=f.root,
    )


def parse(articles: Iterable[Article], batch_size: int = 16) -> Iterator[tuple[Article, Doc]]:
    """Each article with its parse, as ``code_articles`` parses it (a dateline dates an undated article); the
    parses may be kept (their words stay in spaCy's vocabulary)."""
    return _parse(articles, batch_size, keep_words=True)


def site_at(article: Article, doc: Doc, token: Token) -> Place | None:
    """Where dyads puts an event stated at ``token`` of a parsed article: where ``code_articles`` places the
    event it codes there (its site, else the dateline's place); at a token where it codes none, where such an
    event would be by the same rule (``event_place``), unless the token is in a sense that is no event
    ("captured a title"). For scoring a given trigger's location as users' records would have it."""
    places = find_places(doc, article.id, unresolved=True)
    dateline = dateline_place(doc.user_data.get("dateline"), places)
    ctx = ArticleContext(article.published)
    for sent in doc.sents:  # the story's context up to the token's sentence, as _code_doc builds it
        found = extract(sent, ctx)
        if sent.start <= token.i < sent.end:
            break
    for f, site in zip(found, event_sites(found, places, dateline), strict=True):
        if f.trigger.token.i == token.i:
            return site.place
    lexicon = load_lexicon()
    if lexicon.no_event(token):
        return None
    verbal = any(t.token.i == token.i and t.verbal for t in lexicon.triggers(token.sent))
    return event_place(token, places, verbal) or dateline
