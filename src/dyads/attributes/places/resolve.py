"""Resolving toponym mentions to gazetteer entries with the story's context: feature type and population
(priors), the other places of the article and the caller's known countries, "X, Texas" (pairs), "the X
neighborhood of Gao" (containment), and names like "Kremlin" that set a scene (the gazetteer's hints)."""

from __future__ import annotations

import math
from collections import Counter
from functools import cache

from spacy.tokens import Doc

from dyads.attributes.gazetteer import (
    ADM1,
    ADM2,
    BROAD_FEATURES,
    NARROW_FEATURES,
    PCLI,
    PPLC,
    Gazetteer,
    fold,
    km,
    load_gazetteer,
)
from dyads.attributes.places.mentions import PLACE_NOUNS, Mention, linked, mentions
from dyads.model import Place
from dyads.syntax import text_of

PRIOR = {PCLI: 11.0, ADM1: 8.5, ADM2: 6.0} | {f: 8.5 for f in BROAD_FEATURES | NARROW_FEATURES}
REGION_PRIOR = 4.5  # a region of our table (no population known) loses to a town of its name unless told
SAME_COUNTRY, SAME_ADMIN1, ALTERNATE, ADMIN_WORD = 3.0, 4.0, -1.5, 6.0
VILLAGE = 1000  # the people GeoNames' villages of unknown size count as: a village's, not none
LINK = 10.0  # a name followed by one of the places containing it: outweighs any prior
STORY_KM = 2500  # how far from the capital of a country of the story a place it names by another name may lie


def _prior(gaz: Gazetteer, row: int, alt: bool, kind: str | None) -> float:
    feat = gaz.feature[row]
    if feat in {ADM1, ADM2} and not gaz.population[row]:
        score = REGION_PRIOR
    elif feat in BROAD_FEATURES | NARROW_FEATURES and gaz.geonameid[row] is not None:
        score = 0.0  # a pond or wadi of GeoNames' full dumps, not a sea or a great lake of our features table
    else:
        pop = gaz.population[row] or (VILLAGE if feat.startswith("PPL") else 0)  # 0: not known
        score = PRIOR.get(feat, math.log10(pop + 1) + (3.0 if feat == PPLC else 0.0))
    if alt:
        score += ALTERNATE
    if kind == "admin" and feat in {ADM1, ADM2, *BROAD_FEATURES} or kind == "city" and feat not in PRIOR:
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


def _best(gaz: Gazetteer, scored: list[tuple[float, int]]) -> tuple[int, float]:
    # of equals, a row of our own tables (written for the names news uses), else the first: the better known
    scored = sorted(scored, key=lambda sr: (-sr[0], gaz.geonameid[sr[1]] is not None, sr[1]))
    margin = scored[0][0] - scored[1][0] if len(scored) > 1 else 4.0
    return scored[0][1], round(0.5 + 0.49 * math.tanh(margin / 2), 3)


def _chains(doc_text: str, ms: list[Mention], gaz: Gazetteer) -> dict[int, int]:
    """ "Prague, Oklahoma", "Boni, in the Douentza district of Mopti region", "Kona (Bourasso, Kossi)": a
    place followed by the places that contain it fixes them all, to the readings where each lies in the
    next (the likeliest such readings where several do)."""
    fixed: dict[int, int] = {}
    i = 0
    while i < len(ms) - 1:
        j = i
        while j + 1 < len(ms) and ms[j].rows and ms[j + 1].rows and linked(doc_text, ms[j], ms[j + 1]):
            j += 1
        if j > i:
            fixed.update(_best_chain(ms[i : j + 1], gaz, i))
        i = j + 1
    return fixed


def _best_chain(chain: list[Mention], gaz: Gazetteer, first: int) -> dict[int, int]:
    """The readings of a chain of linked names that maximise the priors plus a bonus for each link where one
    lies in the next (Viterbi over the candidates); the names on a link that holds are fixed."""
    paths = {r: (_prior(gaz, r, alt, chain[0].kind), [r], [False]) for r, alt in chain[0].rows}
    for m in chain[1:]:
        step = {}
        for r, alt in m.rows:
            here = _prior(gaz, r, alt, m.kind)
            opts = [(s + here + (LINK if gaz.inside(p[-1], r) else 0.0), p, h) for s, p, h in paths.values()]
            score, path, held = max(opts, key=lambda o: o[0])
            step[r] = (score, [*path, r], [*held, gaz.inside(path[-1], r)])
        paths = step
    _, path, held = max(paths.values(), key=lambda o: o[0])
    fixed = {}
    for k in range(1, len(path)):
        if held[k]:
            fixed[first + k - 1], fixed[first + k] = path[k - 1], path[k]
    return fixed


def _keep_inside(doc: Doc, ms: list[Mention], gaz: Gazetteer) -> None:
    """ "the Sosso neighborhood of Gao", "Boukary hospital in Mopti": a name placed inside another
    place keeps only the candidates in that place's country; with none there it is a local name we lack."""
    at = {}
    for i, m in enumerate(ms):
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None:
            at.update(dict.fromkeys(range(span.start, span.end), i))
    for i, m in enumerate(ms):
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or not m.rows:
            continue
        root = span.root
        holder = root.head if root.dep_ == "compound" and root.head.lemma_.lower() in PLACE_NOUNS else root
        for prep in holder.children:
            outer = [
                at[t.i]
                for t in prep.children
                if prep.lower_ in {"of", "in"} and t.dep_ == "pobj" and t.i in at
            ]
            if outer and outer[0] != i and ms[outer[0]].rows:
                b = ms[outer[0]]
                country = gaz.country[_best(gaz, [(_prior(gaz, r, alt, b.kind), r) for r, alt in b.rows])[0]]
                m.rows = [(r, alt) for r, alt in m.rows if gaz.country[r] == country]
                break


def find_places(
    doc: Doc, article_id: str, context: set[str] | None = None, unresolved: bool = False
) -> list[Place]:
    """The toponyms in ``doc`` resolved to the gazetteer (``geonameid`` set); with ``unresolved`` also the
    local names it lacks ("the Kafr Toumani area"), which can still say where an event happened.
    ``context`` holds ISO3 codes already known for the story."""
    gaz = load_gazetteer()
    ms = mentions(doc, gaz)
    _keep_inside(doc, ms, gaz)
    fixed = _chains(text_of(doc), ms, gaz)
    countries: Counter = Counter(context or ())
    admins: Counter = Counter()
    for ent in doc.ents:
        if ent.label_ == "NORP" and ent.ent_id_.startswith("country:"):
            countries[ent.ent_id_.removeprefix("country:")] += 1  # "Malian troops": a story of Mali
        elif ent.ent_id_ in _homes():
            countries[_homes()[ent.ent_id_]] += 1  # an armed group or a state's body of one country
        hint = gaz.hints.get(fold(ent.text))
        if hint:
            countries[hint[0]] += 1
            if hint[1]:
                admins[hint[1]] += 1
    for m in ms:
        if not m.rows and countries:  # no row bears the name: a spelling variant in the story's countries
            m.rows = gaz.variants(m.text, {c for c, n in countries.items() if n > 0})
    first: list[int | None] = []
    for i, m in enumerate(ms):
        row = fixed.get(i)
        if row is None and m.rows:
            row, conf = _best(gaz, [(_prior(gaz, r, alt, m.kind), r) for r, alt in m.rows])
            row = row if conf > 0.5 else None  # a name equally likely in several places sets no context
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
            rows = _near_story(gaz, _at_home(gaz, m.rows, countries), countries)
            row, conf = _best(gaz, [(_score(gaz, r, alt, m.kind, countries, admins), r) for r, alt in rows])
            if own is not None:
                countries[gaz.country[own]] += 1
                admins[gaz.admin1_code[own]] += 1
        if row is not None and _stray(gaz, row, m, countries, first[i]):
            row = None
        place = Place(article_id=article_id, span=(m.start, m.end), text=m.text)
        if row is not None:
            place.name, place.geonameid = gaz.name[row], gaz.geonameid[row]
            place.country = gaz.country[row] or None  # a sea or a region of several countries has none
            place.admin1, place.lat, place.lon = gaz.admin1[row] or None, gaz.lat[row], gaz.lon[row]
            place.feature_code, place.confidence = gaz.feature[row], conf
        places.append(place)
    return places if unresolved else [p for p in places if p.name is not None]  # a table region has no id


@cache
def _homes() -> dict[str, str]:
    """The knowledge base's groups and state bodies (armies, ministries) → the ISO3 of their country."""
    from dyads.kb import tables

    out = {}
    for fname, prefix in (("metonyms.tsv", "inst"), ("groups.tsv", "group")):
        for ent in tables.entities(fname, prefix):
            if ent.code and len(ent.code) >= 3 and ent.code[:3].isalpha():
                out.setdefault(ent.kb_id, ent.code[:3])
    return out


def _at_home(gaz: Gazetteer, rows: list[tuple[int, bool]], countries: Counter) -> list[tuple[int, bool]]:
    """A name that some place of the story's countries bears: the places abroad that only share it (no
    country, region or city of 100,000) drop out ("Boni" in a story of Mali is a village there, not Bonn)."""
    home = [(r, alt) for r, alt in rows if countries[gaz.country[r]] > 0]
    if not any(not alt for _, alt in home):
        return rows
    return home + [(r, alt) for r, alt in rows if countries[gaz.country[r]] <= 0 and _major(gaz, r, alt)]


def _near_story(gaz: Gazetteer, rows: list[tuple[int, bool]], countries: Counter) -> list[tuple[int, bool]]:
    """A name that a place bears as its own name drops the places far from every country of the story that
    only bear it as another name ("Pensa" in a story of Mali is the village of Burkina Faso of that name,
    not Penza in Russia, which some spell so)."""
    capitals = gaz.capitals
    points = [capitals[c] for c, n in countries.items() if n > 0 and c in capitals]
    if not points or all(alt for _, alt in rows):
        return rows
    return [
        (r, alt)
        for r, alt in rows
        if not alt or any(km(gaz.lat[r], gaz.lon[r], lat, lon) <= STORY_KM for lat, lon in points)
    ]


def _major(gaz: Gazetteer, row: int, alt: bool) -> bool:
    return not alt and (gaz.feature[row] in PRIOR or gaz.population[row] >= 100_000)


def _stray(gaz: Gazetteer, row: int, m: Mention, countries: Counter, own: int | None) -> bool:
    """Whether a name matches only by an unlike other name of a town in a country the story never names
    otherwise ("Boni" in a story of Mali is no Bonn; "Raqqa" is still Ar Raqqah): better unresolved than far
    off."""
    if not all(alt for _, alt in m.rows) or gaz.feature[row] == PCLI:
        return False
    name, text = fold(gaz.name[row]), fold(m.text)
    if text in name or name in text:
        return False
    mine = gaz.country[own] if own is not None else None
    others = {c for c, n in countries.items() if n - (c == mine) > 0}
    return bool(others) and gaz.country[row] not in others
