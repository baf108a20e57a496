"""The records that flow through dyads. Imports nothing of ours.

Field names follow the PLOVER JSON spec where it has one (see ``data/event.schema.json``).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date

FACTUALITY = ("asserted", "negated", "future", "hypothetical", "historical", "claimed")
DATE_PRECISION = ("day", "weekend", "week", "month", "year", "reported")


@dataclass
class Article:
    """One input document. ``published`` anchors every relative date in it."""

    id: str
    text: str
    published: date | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None


@dataclass
class Actor:
    """One side of an event. ``code`` is ISO 3166 alpha-3, ``IGO``, or None when unknown."""

    entity_text: str
    code: str | None = None
    sector: str | None = None
    name: str | None = None
    kb_id: str | None = None


@dataclass
class Location:
    name: str
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    feature_code: str | None = None


@dataclass
class Place:
    """A toponym found in an article (one record of ``dyads places``)."""

    article_id: str
    span: tuple[int, int]
    text: str
    name: str | None = None
    geonameid: int | None = None
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    feature_code: str | None = None
    confidence: float = 0.0

    def to_dict(self) -> dict:
        d = asdict(self)
        d["span"] = list(self.span)
        return d

    def location(self) -> Location:
        """The place as an event location."""
        return Location(
            self.name or self.text,
            self.country,
            self.admin1,
            self.lat,
            self.lon,
            self.geonameid,
            self.feature_code,
        )


@dataclass
class ResolvedDate:
    """A temporal expression resolved against the publication date."""

    date: date
    date_end: date | None
    precision: str  # one of DATE_PRECISION
    text: str | None = None
    rule: str | None = None  # the rule that resolved it ("explicit-day", "inherited-from-story", ...)


@dataclass
class Event:
    """One coded event: who did what to whom, when, where, and how sure."""

    article_id: str
    event: str  # PLOVER type, e.g. "PROTEST"
    cameo: str
    mode: str | None = None
    context: list[str] = field(default_factory=list)
    quad_code: int | None = None
    goldstein: float | None = None
    actor: list[Actor] = field(default_factory=list)
    recipient: list[Actor] = field(default_factory=list)
    date: date | None = None
    date_end: date | None = None
    date_precision: str = "reported"
    date_text: str | None = None
    event_loc: Location | None = None
    factuality: str = "asserted"
    event_text: str = ""
    text: str = ""  # the sentence
    span: tuple[int, int] = (0, 0)  # the sentence's characters in the article text
    confidence: float = 0.5
    evidence: dict = field(default_factory=dict)  # trigger, trigger_span, rule, model
    root: bool = False  # the sentence's main event (GDELT's IsRootEvent): one a sentence, ranked first

    @property
    def id(self) -> str:
        trig = self.evidence.get("trigger_span") or self.span
        key = f"{self.article_id}|{self.span[0]}|{trig[0]}|{trig[1]}|{self.cameo}"
        return hashlib.sha1(key.encode()).hexdigest()[:16]

    def to_dict(self) -> dict:
        d = asdict(self)
        d = {"id": self.id, **d}
        d["span"] = list(self.span)
        for k in ("date", "date_end"):
            d[k] = d[k].isoformat() if d[k] else None
        if d["evidence"].get("trigger_span"):
            d["evidence"]["trigger_span"] = list(d["evidence"]["trigger_span"])
        return d
