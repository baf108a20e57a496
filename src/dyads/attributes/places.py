"""Places: toponyms found in a parsed article, resolved against the gazetteer, and where an event happened.

``find_places`` lists every toponym (named entities GPE/LOC/FAC, and capitalised names the NER missed
that the gazetteer knows) and resolves each by feature type, population and story context (the other
places of the article, names like "Kremlin" that set a scene, the caller's known countries).
``event_location`` picks the place the parse attaches to an event's predicate as a locative.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from dyads.attributes.gazetteer import ADM1, PCLI, PPLC, Gazetteer, fold, load_gazetteer
from dyads.model import Location, Place

__all__ = ["event_location", "event_place", "find_places", "load_gazetteer"]

PLACE_LABELS = {"GPE", "LOC", "FAC"}
MISTAKEN_LABELS = {"PERSON", "NORP", "ORG", "LANGUAGE"}  # labels the small NER puts on some towns
NAME_TAGS = {"NNP", "NNPS"}
ADMIN_WORDS = {
    "state",
    "province",
    "governorate",
    "region",
    "oblast",
    "prefecture",
    "department",
    "county",
    "district",
    "territory",
    "emirate",
}
CITY_WORDS = {"city", "town", "village", "municipality"}
PRIOR = {PCLI: 11.0, ADM1: 8.5}
SAME_COUNTRY, SAME_ADMIN1, ALTERNATE, ADMIN_WORD = 3.0, 4.0, -1.5, 6.0
MIN_FALLBACK_POP = 5000  # a capitalised name the NER missed must name a town at least this big

# prepositions that put an event somewhere, and those that name a place only as an origin or goal
LOCATIVE = {
    "in",
    "at",
    "near",
    "outside",
    "inside",
    "across",
    "around",
    "throughout",
    "within",
    "on",
    "along",
    "off",
    "from",
    "beyond",
    "by",
    "over",
    "into",
    "through",
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "close",
    "outskirts",
    "among",
    "towards",
    "toward",
}
PLACE_NOUNS = {
    "city",
    "town",
    "village",
    "province",
    "district",
    "region",
    "area",
    "base",
    "camp",
    "countryside",
    "border",
    "airport",
    "capital",
    "suburb",
    "neighborhood",
    "neighbourhood",
    "outskirts",
    "street",
    "square",
    "market",
    "junction",
    "valley",
    "mountain",
    "road",
    "highway",
    "port",
    "hospital",
    "university",
    "residence",
    "compound",
    "mosque",
    "church",
    "governorate",
    "state",
    "county",
    "frontier",
    "coast",
    "island",
    "river",
    "zone",
    "sector",
    "front",
    "hills",
    "hill",
    "prison",
    "school",
}
MAX_RANK = 6


@dataclass
class _Mention:
    start: int
    end: int
    text: str
    rows: list[tuple[int, bool]]  # gazetteer candidates: (row, alternate-name match)
    kind: str | None  # "admin" or "city" when the text carries such a word


def _trim(span: Span) -> tuple[int, int, str | None]:
    """Token bounds without a leading article / trailing possessive, and the feature word it ends with."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].lower_ in {"the", "a"}:
        start += 1
    while end > start and doc[end - 1].tag_ == "POS":
        end -= 1
    kind = None
    last = doc[end - 1].lower_ if end > start else ""
    if end - start > 1 and (last in ADMIN_WORDS or last in CITY_WORDS):
        kind = "admin" if last in ADMIN_WORDS else "city"
    return start, end, kind


def _lookup(gaz: Gazetteer, doc: Doc, start: int, end: int, kind: str | None) -> list[tuple[int, bool]]:
    rows = gaz.candidates(doc[start:end].text)
    if not rows and kind:
        rows = gaz.candidates(doc[start : end - 1].text)
    if not rows and end - start > 2 and doc[start + 1].lower_ == "of" and doc[start].lower_ in CITY_WORDS:
        rows = gaz.candidates(doc[start + 2 : end].text)
    return rows


def _mislabelled(ent: Span, rows: list[tuple[int, bool]], gaz: Gazetteer) -> bool:
    """A place the NER labelled PERSON, ORG, NORP: "the town of Khan Touman", "in Hilla"."""
    root = ent.root
    under_place_noun = (root.dep_ == "compound" and root.head.lemma_.lower() in PLACE_NOUNS) or (
        root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lemma_.lower() in PLACE_NOUNS
    )
    if under_place_noun and ent.label_ != "ORG":
        return True
    if not rows:
        return False
    if root.dep_ in {"pobj", "conj"} and (root.dep_ == "conj" or root.head.lower_ in LOCATIVE):
        return ent.label_ != "ORG" or any(not alt and gaz.population[r] >= 100_000 for r, alt in rows)
    major = any(not alt and (gaz.feature[r] in PRIOR or gaz.population[r] >= 100_000) for r, alt in rows)
    return major and ent.label_ == "ORG" and len(ent) == 1


def _mentions(doc: Doc, gaz: Gazetteer) -> list[_Mention]:
    out: list[_Mention] = []
    for ent in doc.ents:
        if ent.label_ not in PLACE_LABELS | MISTAKEN_LABELS:
            continue
        start, end, kind = _trim(ent)
        if start >= end:
            continue
        rows = _lookup(gaz, doc, start, end, kind)
        if ent.label_ in MISTAKEN_LABELS and not _mislabelled(ent, rows, gaz):
            continue
        if rows or any(t.tag_ in NAME_TAGS for t in doc[start:end]):
            out.append(
                _Mention(
                    doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), doc[start:end].text, rows, kind
                )
            )
    i = 0
    while i < len(doc):  # runs of proper nouns outside any entity
        j = i
        while (
            j < len(doc) and doc[j].tag_ in NAME_TAGS and doc[j].ent_iob_ == "O" and doc[j].text[:1].isupper()
        ):
            j += 1
        if j == i:
            i += 1
            continue
        rows = [
            (r, alt)
            for r, alt in gaz.candidates(doc[i:j].text)
            if not alt and (gaz.feature[r] in PRIOR or gaz.population[r] >= MIN_FALLBACK_POP)
        ]
        if rows and not (j < len(doc) and doc[j].tag_ in NAME_TAGS):
            out.append(_Mention(doc[i].idx, doc[j - 1].idx + len(doc[j - 1]), doc[i:j].text, rows, None))
        i = j
    return sorted(out, key=lambda m: m.start)


def _prior(gaz: Gazetteer, row: int, alt: bool, kind: str | None) -> float:
    feat = gaz.feature[row]
    score = PRIOR.get(feat, math.log10(gaz.population[row] + 1) + (3.0 if feat == PPLC else 0.0))
    if alt:
        score += ALTERNATE
    if kind == "admin" and feat == ADM1 or kind == "city" and feat not in PRIOR:
        score += ADMIN_WORD
    return score


def _score(
    gaz: Gazetteer, row: int, alt: bool, kind: str | None, countries: Counter, admins: Counter
) -> float:
    score = _prior(gaz, row, alt, kind)
    if countries[gaz.country[row]] > 0:
        score += SAME_COUNTRY
    if admins[gaz.admin1_code[row]] > 0 and gaz.feature[row] != PCLI:
        score += SAME_ADMIN1
    return score


def _best(scored: list[tuple[float, int]]) -> tuple[int, float]:
    scored = sorted(scored, reverse=True)
    margin = scored[0][0] - scored[1][0] if len(scored) > 1 else 4.0
    return scored[0][1], round(0.5 + 0.49 * math.tanh(margin / 2), 3)


def _pairs(doc_text: str, ms: list[_Mention], gaz: Gazetteer) -> dict[int, int]:
    """ "Prague, Oklahoma": a place followed by its state or country fixes both."""
    fixed: dict[int, int] = {}
    for i in range(len(ms) - 1):
        a, b = ms[i], ms[i + 1]
        if doc_text[a.end : b.start].strip() != ",":
            continue
        best: tuple[float, int, int] | None = None
        for ra, alt_a in a.rows:
            for rb, alt_b in b.rows:
                inside = (gaz.feature[rb] == PCLI and gaz.country[ra] == gaz.country[rb]) or (
                    gaz.feature[rb] == ADM1 and gaz.admin1_code[ra] == gaz.admin1_code[rb]
                )
                if inside and ra != rb:
                    s = _prior(gaz, ra, alt_a, a.kind) + _prior(gaz, rb, alt_b, b.kind)
                    if best is None or s > best[0]:
                        best = (s, ra, rb)
        if best:
            fixed[i], fixed[i + 1] = best[1], best[2]
    return fixed


def find_places(doc: Doc, article_id: str, context: set[str] | None = None) -> list[Place]:
    """Every toponym in ``doc``, resolved; ``context`` holds ISO3 codes already known for the story."""
    gaz = load_gazetteer()
    ms = _mentions(doc, gaz)
    fixed = _pairs(doc.text, ms, gaz)
    countries: Counter = Counter(context or ())
    admins: Counter = Counter()
    for ent in doc.ents:
        hint = gaz.hints.get(fold(ent.text))
        if hint:
            countries[hint[0]] += 1
            admins[hint[1]] += 1
    first: list[int | None] = []
    for i, m in enumerate(ms):
        row = fixed.get(i)
        if row is None and m.rows:
            row = _best([(_prior(gaz, r, alt, m.kind), r) for r, alt in m.rows])[0]
        first.append(row)
        if row is not None:
            countries[gaz.country[row]] += 1
            admins[gaz.admin1_code[row]] += 1
    places = []
    for i, m in enumerate(ms):
        row, conf = fixed.get(i), 0.95
        if row is None and m.rows:
            own = first[i]
            if own is not None:
                countries[gaz.country[own]] -= 1
                admins[gaz.admin1_code[own]] -= 1
            row, conf = _best([(_score(gaz, r, alt, m.kind, countries, admins), r) for r, alt in m.rows])
            if own is not None:
                countries[gaz.country[own]] += 1
                admins[gaz.admin1_code[own]] += 1
        place = Place(article_id=article_id, span=(m.start, m.end), text=m.text)
        if row is not None:
            place.name, place.geonameid, place.country = gaz.name[row], gaz.geonameid[row], gaz.country[row]
            place.admin1, place.lat, place.lon = gaz.admin1[row] or None, gaz.lat[row], gaz.lon[row]
            place.feature_code, place.confidence = gaz.feature[row], conf
        places.append(place)
    return places


def _path_kind(head: Token, trigger: Token) -> tuple[str, Token, int] | None:
    """How a place hangs in the parse: ("loc" | "obj" | "arg" | "nested" | "bare", the token where its climb
    met the trigger's ancestors, the links climbed). None when the place only names an actor or its origin
    ("US troops", "Niger's minister")."""
    above = {t.i for t in trigger.ancestors} | {trigger.i}
    t, kind, steps, modifier = head, "", 0, False
    for _ in range(12):
        if t.i in above:
            return (kind or "bare", t, steps) if kind or not modifier else None
        dep, up = t.dep_, t.head
        if dep == "pobj":
            word = up.lower_
            if word in LOCATIVE and not (word == "from" and up.head.pos_ != "VERB"):
                kind = kind or "loc"
            elif word not in {"of", "with"}:
                if not kind:
                    return None  # "fled to Mali", "sanctions against Iran": a goal or a target
                kind = "nested"  # "after a rally in Moscow": the place locates something else
            t = up.head
            steps += word not in {"of", "with"}
            continue
        steps += 1
        if dep in {"dobj", "nsubjpass", "attr", "oprd"}:
            if modifier and not kind:
                return None  # "attacked US troops"
            kind = kind or "obj"
        elif dep in {"nsubj", "agent", "dative", "iobj"}:
            if kind not in {"loc", "nested"}:
                return None
            kind = "arg"
        elif dep in {"compound", "poss", "amod", "nmod"} and not kind:
            # "his Moscow home" locates only when the home is in a locative phrase
            modifier = modifier or (up.lemma_.lower() not in PLACE_NOUNS and up.pos_ != "PROPN")
        if up.i == t.i:
            return None
        t = up
    return None


def _rank(head: Token, trigger: Token) -> tuple[int, int, int] | None:
    found = _path_kind(head, trigger)
    if found is None:
        return None
    kind, meet, steps = found
    hops = (
        0
        if meet.i == trigger.i
        else sum(1 for a in trigger.ancestors if a.i != meet.i and meet.is_ancestor(a)) + 1
    )
    base = {"loc": 0, "obj": 1, "bare": 3, "arg": 3, "nested": 4}[kind]
    if hops:
        base += 2 + hops
    return base, steps, abs(head.i - trigger.i)


def event_place(trigger: Token, places: list[Place]) -> Place | None:
    """The place where the event of ``trigger`` happened (the ``Place`` itself, so its span is known)."""
    doc, sent = trigger.doc, trigger.sent
    best: tuple[int, int, int] | None = None
    chosen = None
    for place in places:
        if place.span[0] < sent.start_char or place.span[1] > sent.end_char:
            continue
        span = doc.char_span(place.span[0], place.span[1], alignment_mode="expand")
        if span is None:
            continue
        key = _rank(span.root, trigger)
        if key is not None and key[0] <= MAX_RANK and (best is None or key < best):
            best, chosen = key, place
    return chosen


def event_location(trigger: Token, places: list[Place]) -> Location | None:
    """Where the event of ``trigger`` happened, from its article's places; None when the text does not say."""
    p = event_place(trigger, places)
    if p is None:
        return None
    return Location(
        name=p.name or p.text,
        country=p.country,
        admin1=p.admin1,
        lat=p.lat,
        lon=p.lon,
        geonameid=p.geonameid,
        feature_code=p.feature_code,
    )
