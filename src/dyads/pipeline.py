"""Composes the stages: Article in, Events out.

read → nlp (spaCy, batched with ``nlp.pipe``) → events (predicates + coded actors) →
attributes (date, place, factuality, confidence).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import date

from spacy.tokens import Doc, Span

from dyads import nlp as nlp_mod
from dyads.attributes.confidence import confidence
from dyads.attributes.dates import date_for_trigger, resolve
from dyads.attributes.factuality import factuality
from dyads.attributes.places import event_place, find_places
from dyads.ents import ents_in
from dyads.events.extract import ArticleContext, Found, extract
from dyads.events.lexicon import CameoInfo
from dyads.model import Actor, Article, Event, Location, Place, ResolvedDate
from dyads.read.common import parse_date

MATERIAL = (2, 4)  # quad classes: material cooperation, material conflict
# Sectors of actors that act where they are: a protest by "demonstrators" in Niamey is by Nigeriens.
DOMESTIC_SECTORS = {"CVL", "GOV", "COP", "OPP", "LEG", "JUD", "PTY", "EDU", "LAB", "BUS", "MED", "HLH", "REL"}


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
) -> Iterator[tuple[Article, list[Event]]]:
    """Code many articles through one batched spaCy pipeline. An article that fails is passed to
    ``on_error`` and skipped (the rest are still coded); without ``on_error`` it raises ``CodingError``."""
    for article, doc in _parse(articles, batch_size):
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


def _parse(articles: Iterable[Article], batch_size: int) -> Iterator[tuple[Article, Doc]]:
    nlp = nlp_mod.load()
    pairs = ((a.text, a) for a in articles)
    for doc, article in nlp.pipe(pairs, batch_size=batch_size, as_tuples=True):
        line = doc.user_data.get("dateline")
        if article.published is None and line and line[1]:
            # a dateline ("NIAMEY, April 20, 2024 (Reuters) -") dates the article when no metadata does
            article = replace(article, published=line[1])
        yield article, doc


def _code_doc(article: Article, doc: Doc) -> list[Event]:
    published = article.published
    ctx = ArticleContext(published)
    found_by_sent = [(sent, found) for sent in doc.sents if (found := extract(sent, ctx))]
    if not found_by_sent:
        return []  # places and dates only for a story that has events
    places = find_places(doc, article.id, unresolved=True)  # an unresolved name still says where
    line = dateline_place(doc.user_data.get("dateline"), places)
    dateline = line.location() if line else None
    events: list[Event] = []
    seen: set[str] = set()
    for (sent, found), sent_places in zip(found_by_sent, _by_sentence(places, found_by_sent), strict=True):
        sentence_dates = _sentence_dates(sent, published)
        locs = [site.location() if site else dateline for site in event_sites(found, sent_places)]
        # where the sentence is set: "Students marched in Dakar, demanding ..." — the demand is Senegalese too
        scene = next((loc for loc in locs if loc is not None), None)
        for f, loc in zip(found, locs, strict=True):
            event = _event(article, f, loc, scene, sentence_dates, len(found))
            if any(a.code or a.sector for a in event.actor + event.recipient) and event.id not in seen:
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
    scene: Location | None,
    sentence_dates: list[ResolvedDate],
    n_in_sentence: int,
) -> Event:
    published = article.published
    trig, anchor = f.trigger, f.anchor
    doc = trig.token.doc
    sent = trig.token.sent
    when = date_for_trigger(anchor, published) if published else None
    if when is not None and when.precision == "reported" and anchor != trig.token:
        own = date_for_trigger(trig.token, published)
        when = own if own.precision != "reported" else when
    actor = _locate(f.actor, loc or scene)
    recipient = _locate(f.recipient, loc or scene)
    if not any(a.code for a in recipient):
        recipient = recipient + _host(trig.info, actor, loc)
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
        factuality=_factuality(f, when, published, sentence_dates),
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
            "model": None,
        },
    )


def event_sites(found: list[Found], places: list[Place]) -> list[Place | None]:
    """Where each event found in one sentence happened: the place the parse ties to its trigger, else to the
    verb that carries it ("launched an attack in Gao"); a saying only through prepositions; a place that
    names a party's origin ("US troops", "help from Russia") never (see ``event_place``). A clause that
    hangs on an event happened where it did: "gathered at a protest in Niamey, demanding ..."."""
    sites = [_site(f, places) for f in found]
    by_anchor = {f.anchor.i: site for f, site in zip(found, sites, strict=True) if site is not None}
    return [
        site or (by_anchor.get(f.anchor.head.i) if f.anchor.dep_ in ("advcl", "conj") else None)
        for f, site in zip(found, sites, strict=True)
    ]


def _site(f: Found, places: list[Place]) -> Place | None:
    for tok in dict.fromkeys((f.trigger.token, f.anchor)):
        place = event_place(tok, places, verbal=f.trigger.verbal)
        if place is not None:
            return place
    return None


def _factuality(
    f: Found, when: ResolvedDate | None, published: date | None, dates: list[ResolvedDate]
) -> str:
    fact = factuality(f.trigger.token, f.anchor, when, published, dates)
    rule = f.trigger.rule
    # "is not welcomed" was coded as a rejection: its negation is spent. "will withdraw" was coded as an
    # intent (or a threat): announcing it is what happened; the act it announces is coded as future.
    if (fact == "negated" and rule.startswith("negated:")) or (
        fact in ("future", "hypothetical") and rule.startswith(("intent:", "threat:"))
    ):
        return "asserted"
    return fact


def _locate(actors: list[Actor], loc: Location | None) -> list[Actor]:
    """A domestic actor with no country of its own ("demonstrators") belongs to where the event happened."""
    if loc is None or not loc.country:
        return actors
    return [
        replace(a, code=loc.country) if a.code is None and a.sector in DOMESTIC_SECTORS else a for a in actors
    ]


def _host(info: CameoInfo, actor: list[Actor], loc: Location | None) -> list[Actor]:
    """A material event with no one named on its receiving end is done to the country it took place in
    ("imposed a curfew in Abidjan", "troops arrived in Bosnia"); a visit, to a country not the visitor's.
    Talks held in Geneva are not held with Switzerland."""
    if loc is None or not loc.country:
        return []
    if info.mode == "visit":
        if any(a.code == loc.country for a in actor):
            return []
    elif info.quad_code not in MATERIAL:
        return []
    return [Actor(loc.name, loc.country, None, None, f"place:{loc.geonameid}" if loc.geonameid else None)]


def _sentence_dates(sent, published: date | None) -> list[ResolvedDate]:
    if published is None:
        return []
    out = []
    for ent in ents_in(sent):
        if ent.label_ == "DATE":
            r = resolve(ent.text, published)
            if r is not None:
                out.append(r)
    return out


def dateline_place(line: tuple | None, places: list[Place]) -> Place | None:
    """The place a dateline names ("DAKAR, Senegal -"): where an event the story does not place happened."""
    if not line or not line[0]:
        return None
    city = line[0].split(",")[0].strip().lower()  # "DAKAR, Senegal": the city
    for p in places:
        if p.span[0] < line[2] and p.text.lower() == city and p.name:
            return p
    return None
