"""Finding toponyms in a parsed article: named entities GPE/LOC/FAC, and names the small NER missed or
mislabelled that the parse or the gazetteer shows to be places ("the town of Tabanka", "the Kafr Toumani
area", "clashes in Umm Tabal", a big city labelled ORG). Groups, IGOs and bodies ("the Malian Armed
Forces"), faith words and first names ("Jordan Spieth") are no toponyms. Each ``Mention`` carries its
gazetteer candidates; ``resolve`` picks among them."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Span, Token

from dyads.attributes.gazetteer import ADM1, ADM2, BROAD_FEATURES, NARROW_FEATURES, PCLI, Gazetteer
from dyads.syntax import text_of
from dyads.wordclasses import words

PLACE_LABELS = {"GPE", "LOC", "FAC"}
UNSURE_LABELS = {"", "PERSON", "PRODUCT"}  # labels the small NER gives local names it does not know
NOT_PLACE_LABELS = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}
NAME_TAGS = {"NNP", "NNPS"}
CALENDAR = {m.lower() for m in (*calendar.month_name[1:], *calendar.day_name)}
# features that make a name a major place, whatever its population (countries, regions, seas)
MAJOR_FEATURES = {PCLI, ADM1, ADM2} | BROAD_FEATURES | NARROW_FEATURES
MIN_FALLBACK_POP = 5000  # a capitalised name the NER missed must name a town at least this big

OF_FEATURES = words("of_feature")  # matched capitalised: "the Gulf of Aden"
FAITHS = words("faith_word")
PEOPLES = words("people_name")
EVENT_WORDS = words("event_name_end")
CLOCK_WORDS = words("clock_word")
NAME_PARTICLES = words("name_particle")
ADMIN_WORDS = words("admin_word")
CITY_WORDS = words("city_word")
BUILDINGS = words("building")
PLACE_NOUNS = BUILDINGS | words("place_noun")
STRONGHOLDS = words("stronghold")
# words that end a place's own name ("Tabanka Refugee Camp", "Ansongo District")
NAME_HEADS = (PLACE_NOUNS | ADMIN_WORDS | CITY_WORDS | words("name_head")) - words("not_name_head")
PLACE_PREFIXES = words("place_prefix")  # matched capitalised: "Tal Hamdiyeh", "Kafr Zeina", "Ain Tessit"
ASSAULTS = words("assault_noun")
PLACE_VERBS = words("place_verb")
TAKING_VERBS = words("taking_verb")
TITLES = words("title_abbrev")
RANKS = words("military_rank")
SAYING_VERBS = words("name_saying_verb")
NAME_PREPS = words("name_prep")
LEADING_WORDS = words("leading_word")
PATH_PREPS = words("path_prep")
DIRECTIONS = words("direction")
COORDINATORS = words("name_coordinator") | words("name_break")
CODING_VERBS = words("coding_verb")
CONTAINER_LINKS = {",", "(", ", in", ", in the", "in", "in the", "of", ", of", "(in", "( in"}


def _capitalised_in(word: str, cls: frozenset[str]) -> bool:
    """Whether ``word`` is a word of ``cls`` written capitalised, the rest lowercase ("Gulf", "Kafr")."""
    return word == word.capitalize() and word.lower() in cls


@dataclass
class Mention:
    start: int
    end: int
    text: str
    rows: list[tuple[int, bool]]  # gazetteer candidates: (row, alternate-name match)
    kind: str | None  # "admin" or "city" when the text carries such a word


def _trim(span: Span) -> tuple[int, int, str | None]:
    """Token bounds without a leading article / trailing possessive, and the feature word it ends with."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].lower_ in LEADING_WORDS:
        start += 1  # "the", and the NER's "Near Menaka" at a sentence's start
    while end > start and (
        doc[end - 1].tag_ == "POS"
        or doc[end - 1].lower_ in CALENDAR
        or doc[end - 1].is_punct
        or doc[end - 1].is_space
    ):
        end -= 1  # "Kidal's", "Kidal Thursday", the NER's "Kidal." at a sentence's end
    last = doc[end - 1].lower_.removesuffix("s") if end > start else ""  # "Gao and Mopti regions"
    if end - start > 1 and (last in ADMIN_WORDS or last in CITY_WORDS):
        if last == "department" and end < len(doc) and doc[end].lower_ == "of":
            return start, end - 1, None  # "the U.S. Department of State": an office of the U.S.
        return start, end, _feature_kind(last)
    # the feature word outside the name: "Ansongo district", "the region of Mopti"
    after = doc[end].lower_ if end < len(doc) else ""
    before = doc[start - 2].lower_ if start >= 2 and doc[start - 1].lower_ == "of" else ""
    return start, end, _feature_kind(after) or _feature_kind(before)


def _feature_kind(word: str) -> str | None:
    return "admin" if word in ADMIN_WORDS else "city" if word in CITY_WORDS else None


def _lookup(gaz: Gazetteer, doc: Doc, start: int, end: int, kind: str | None) -> list[tuple[int, bool]]:
    rows = gaz.candidates(doc[start:end].text)
    if not rows and kind:
        rows = gaz.candidates(f"{doc[start : end - 1].text} {doc[end - 1].lower_.removesuffix('s')}")
    if not rows and kind:
        rows = gaz.candidates(doc[start : end - 1].text)
    if not rows and end - start > 2 and doc[start + 1].lower_ == "of" and doc[start].lower_ in CITY_WORDS:
        rows = gaz.candidates(doc[start + 2 : end].text)
    if kind == "admin" and doc[end - 1].lower_.removesuffix("s") not in ADMIN_WORDS:
        # "the region of Mopti": the region the table knows as "Mopti Region" is meant, not the city
        name = doc[start:end].text
        rows = list(rows)
        for w in sorted(ADMIN_WORDS):
            rows += [r for r in gaz.candidates(f"{name} {w}") if r not in rows]
    return rows


def _major(gaz: Gazetteer, row: int) -> bool:
    return gaz.feature[row] in MAJOR_FEATURES or gaz.population[row] >= 100_000


def _place_context(span: Span, rows: list[tuple[int, bool]], accepted: set[int], gaz: Gazetteer) -> bool:
    """Whether the parse around a name the NER did not call a place says it is one: "the town of Tabanka",
    "the Kafr Toumani area", "the Tabanka Refugee Camp", "clashes in Umm Tabal", "in Gao and Mopti"."""
    root, last = span.root, span[-1]
    if any(not alt and _major(gaz, r) for r, alt in rows) and (span.label_ != "PERSON" or len(span) == 1):
        return True  # "Kano is home to ...", "patrolled Bishkek's streets": a big place under another label
    if (
        len(span) > 1
        and span[0].text[:1].isupper()
        and (
            last.lemma_.lower() in NAME_HEADS
            or last.lower_.removesuffix("s") in NAME_HEADS
            or _capitalised_in(span[0].text.removeprefix("Al-"), PLACE_PREFIXES)
        )
    ):
        return True
    head = root.head
    nmod = root.dep_ == "nmod" and span.label_ != "ORG" and not span.text.isupper()  # not "the SAA's posts"
    if (root.dep_ == "compound" or nmod) and head.lemma_.lower() in PLACE_NOUNS and head.i >= span.end:
        return True
    if root.dep_ == "conj" and head.i in accepted:
        return True
    if root.dep_ == "appos" and head.lemma_.lower() in PLACE_NOUNS | {"capital"} and rows:
        return True  # "the capital, Bamako"
    known = any(not alt for _, alt in rows)
    if root.dep_ in {"dobj", "nsubjpass"} and head.pos_ == "VERB":
        lemma = head.lemma_.lower()
        taken = known and lemma in TAKING_VERBS and root.dep_ == "dobj" and span.label_ != "PERSON"
        if lemma in PLACE_VERBS or taken:
            return True  # "stormed Kafr Hamdan"; "captured Kismayo" where the gazetteer knows it
    before = span.doc[span.start - 1].lower_ if span.start else ""
    if root.dep_ != "pobj" and before in NAME_PREPS:  # "Near Menaka, ...", however parsed
        if span.label_ == "PERSON" and root.dep_ == "poss":
            return False  # "in Traore's apartment"
        return known if span.label_ == "ORG" else bool(rows)
    if root.dep_ != "pobj":
        return False
    if head.lower_ == "of":
        if head.head.lemma_.lower() == "control":
            return known  # "seized control of Tessit"
        if head.head.lower_ in DIRECTIONS:  # "northeast of Anefis"
            return known or span.label_ in UNSURE_LABELS
        # "the town of Menaka"; not "the home of Minister X", whose owner is named
        noun = head.head
        nouns = PLACE_NOUNS - BUILDINGS | STRONGHOLDS
        return (noun.lemma_.lower() in nouns or noun.lower_ in nouns) and noun.i < span.start
    if head.lower_ in {"on", "against"} and head.head.lemma_.lower() in ASSAULTS:
        return known or bool(rows) and span.label_ != "PERSON"  # "an assault on Tessit", not "on Goita"
    if head.lower_ in PATH_PREPS:
        return known and span.label_ != "PERSON"  # "marched to Dosso", "the battle for Ansongo"
    if head.lower_ == "as" and head.head.lower_ in CODING_VERBS:
        return bool(rows)  # "(coded as Arlit)": the report names the place it puts the event at
    if head.lower_ not in NAME_PREPS:
        return False
    if span.label_ == "ORG":
        return known
    return bool(rows) or span.label_ in UNSURE_LABELS


def _named_place(span: Span) -> bool:
    """ "the town of Man": a place noun before "of" says the name is a place's, whatever else it means."""
    doc, i = span.doc, span.start
    return i >= 2 and doc[i - 1].lower_ == "of" and doc[i - 2].lemma_.lower() in PLACE_NOUNS - BUILDINGS


def _weak_name(tok: Token) -> bool:
    """A capitalised word the tagger or the NER did not take for a name: "the southern Gao districts"
    (an adjective), "in Anefis" (a plural noun), "near the town of Tarkint" (a number to the NER)."""
    letters = tok.text.replace("’", "").replace("'", "").replace("-", "")
    if not tok.text[:1].isupper() or not letters.isalpha() or tok.is_sent_start or tok.lower_ in CALENDAR:
        return False
    if tok.ent_iob_ != "O":
        return tok.ent_type_ in NOT_PLACE_LABELS and tok.tag_ in NAME_TAGS
    return tok.tag_ in {"JJ", "NN", "NNS"}


def _first_name(span: Span) -> bool:
    """A one-word place name followed by another name is a first name ("Jordan Spieth") or a word of a longer
    name ("the Lome Peace Accords", "the Singapore Open"), unless that word makes it a place ("Beaufort
    Castle")."""
    if len(span) != 1 or span.end >= len(span.doc):
        return False
    nxt = span.doc[span.end]
    if nxt.lower_ in _role_words():
        return False  # "US Deputy Secretary of State": a country before a title is still a toponym
    return (
        nxt.ent_type_ == "PERSON"
        and nxt.ent_iob_ == "B"
        or (nxt.tag_ == "NNP" and nxt.ent_iob_ == "O" and nxt.lemma_.lower() not in NAME_HEADS)
    )


def _person(span: Span, surnames: set[str]) -> bool:
    """Whether a name is a person's for sure: one the NER calls a person after a title ("Mr Kano", "Gen.
    Diffa") or saying something ("Mopti said", "Dosso says"); or the surname of a person the story named in
    full, saying something ("Aminata Dosso met ... Dosso said"), whatever the NER calls it."""
    if span.label_ != "PERSON":
        root = span.root
        return span.text in surnames and root.dep_ == "nsubj" and root.head.lemma_.lower() in SAYING_VERBS
    prev = span.doc[span.start - 1] if span.start else None
    before = prev.lower_.rstrip(".") if prev is not None else ""
    title = before in TITLES or before in RANKS and prev.text[:1].isupper()  # "Major General Kano"
    root = span.root
    return title or root.dep_ == "nsubj" and root.head.lemma_.lower() in SAYING_VERBS


@cache
def _role_words() -> frozenset[str]:
    """Words that name or begin a role or a body ("president", "army", "deputy", "prime"), from the actor
    tables."""
    from dyads.kb import tables

    return frozenset(w.split()[0] for w in tables.sectors())


def _candidates(doc: Doc, gaz: Gazetteer) -> list[tuple[Span, bool]]:
    """Entities that might name a place, and runs of capitalised words outside any; each with whether it is
    only a weak name (see ``_weak_name``). A name that goes on through lowercase particles is read whole
    where the gazetteer knows it so ("Rio de Janeiro", "Mazar-e-Sharif")."""
    out = [
        (part, False)
        for e in doc.ents
        if e.label_ not in NOT_PLACE_LABELS
        for piece in _bracket_parts(e)
        for part in ([piece] if e.ent_id_ else _coordinated_parts(piece, gaz))  # a KB name stays whole
    ]
    i = 0
    while i < len(doc):
        j, weak = i, False
        while j < len(doc) and doc[j].text[:1].isupper():
            if doc[j].tag_ in NAME_TAGS and doc[j].ent_iob_ == "O":
                pass
            elif _weak_name(doc[j]):
                weak = True
            else:
                break
            j += 1
        if j > i:
            out.append((doc[i:j], weak))
        i = max(j, i + 1)
    joined: list[tuple[Span, bool]] = []
    for span, weak in sorted(out, key=lambda c: c[0].start):
        if joined and span.start < joined[-1][0].end:
            continue  # the rest of a name joined to the one before
        if (
            joined
            and span.start == joined[-1][0].end
            and joined[-1][0][-1].lower_ == "of"
            and len(joined[-1][0]) > 1
            and _capitalised_in(joined[-1][0][-2].text, OF_FEATURES)
        ):
            # the NER's "the Gulf of" before "Aden": one name ("the Government of" before "Mali" is not)
            prev = joined[-1][0]
            joined[-1] = (Span(doc, prev.start, span.end, label=prev.label, kb_id=prev.kb_id), weak)
            continue
        if joined and span.start == joined[-1][0].end and not span.label_ and joined[-1][0].label_:
            prev = joined[-1][0]  # "Kidal City", "the Gao Region": the NER stopped one word short
            whole = doc[prev.start : span.end]
            if _lookup(gaz, doc, *_trim(whole)) and (
                span[-1].lower_ in ADMIN_WORDS | CITY_WORDS or gaz.candidates(whole.text)
            ):
                joined[-1] = (Span(doc, prev.start, span.end, label=prev.label, kb_id=prev.kb_id), weak)
                continue
        first = span.end - 1 if span[-1].text == "-" and len(span) > 1 else span.end  # the NER's "Gao-"
        hyphen = first
        while (
            hyphen + 1 < len(doc)
            and doc[hyphen].text == "-"
            and not doc[hyphen - 1].whitespace_
            and not doc[hyphen].whitespace_
            and doc[hyphen + 1].is_alpha
            and (doc[hyphen + 1].text[:1].isupper() or gaz.candidates(doc[span.start : hyphen + 2].text))
        ):
            hyphen += 2  # "Guinea-Bissau", "the Gao-Niamey Highway": one name ("Kurdish-majority" is none)
        if hyphen > first:
            while hyphen < len(doc) and doc[hyphen].tag_ in NAME_TAGS and doc[hyphen].text[:1].isupper():
                hyphen += 1
            if not _place_pair(doc, gaz, span.start, hyphen):
                span = Span(doc, span.start, hyphen, label=span.label, kb_id=span.kb_id)
        end = _joined_end(doc, span.end)
        alone = len(span) == 1 and span[0].lower_ in NAME_PARTICLES  # "Al" is no name by itself
        if end > span.end and (alone or _lookup(gaz, doc, *_trim(doc[span.start : end]))):
            span = Span(doc, span.start, end, label=span.label, kb_id=span.kb_id)
        joined.append((span, weak))
    return joined


def _bracket_parts(span: Span) -> list[Span]:
    """An entity cut at its brackets, and at its commas where it has a bracket: the NER's one "Kain (Kain,
    Yatenga" is three names, so that the places containing a place can be read ("Washington, D.C." stays
    whole)."""
    if not any(t.text in "()" for t in span):
        return [span]
    parts, start = [], span.start
    for t in [*span, None]:
        if t is None or t.text in {"(", ")", ","}:
            end = span.end if t is None else t.i
            if end > start:
                parts.append(Span(span.doc, start, end, label=span.label, kb_id=span.kb_id))
            start = end + 1
    return parts


def _coordinated_parts(span: Span, gaz: Gazetteer) -> list[Span]:
    """The NER's one "Hombori and Gossi", "Douentza & Dansa" or "Titao at dawn" cut at its coordinators and
    prepositions into its parts, where the gazetteer knows one of them and not the whole ("Trinidad and
    Tobago" stays whole); and
    its one "Kera, Soum" cut at the comma where each part is a place the gazetteer puts inside the next
    ("Washington, D.C." stays whole)."""
    if gaz.candidates(span.text):
        return [span]
    for marks in (COORDINATORS, {","}):
        cuts = [t.i for t in span[1:-1] if t.lower_ in marks]
        if not cuts:
            continue
        bounds = [span.start, *(c for cut in cuts for c in (cut, cut + 1)), span.end]
        parts = [
            Span(span.doc, a, b, label=span.label, kb_id=span.kb_id)
            for a, b in zip(bounds[::2], bounds[1::2], strict=True)
            if b > a
        ]
        rows = [gaz.candidates(p.text) for p in parts]
        if (
            any(rows)
            if marks is COORDINATORS
            else all(_holds(gaz, *pair) for pair in zip(rows, rows[1:], strict=False))
        ):
            return parts
    return [span]


def _holds(gaz: Gazetteer, inner: list[tuple[int, bool]], outer: list[tuple[int, bool]]) -> bool:
    """Whether a reading of ``outer`` contains a reading of ``inner``."""
    return any(gaz.inside(r, o) for r, _ in inner for o, _ in outer)


def _place_pair(doc: Doc, gaz: Gazetteer, start: int, end: int) -> bool:
    """Whether ``doc[start:end]`` is two places joined by a hyphen that the gazetteer knows apart but not
    together: "Niger-Chad co-operation", "the Mali-Niger border" (not "Guinea-Bissau", "the Gao-Niamey
    Highway")."""
    parts = [t for t in doc[start:end] if t.text != "-"]
    if len(parts) != 2 or doc[start + 1].text != "-" or gaz.candidates(doc[start:end].text):
        return False
    return all(any(not alt for _, alt in gaz.candidates(t.text)) for t in parts)


def _joined_end(doc: Doc, end: int) -> int:
    """Where a name ends that goes on through lowercase particles."""
    j = end
    while j < len(doc) and (doc[j].lower_ in NAME_PARTICLES or doc[j].text == "-"):
        j += 1
    # a particle between, or a name that so far is only its article: "Al-Tabal District"
    words = (
        any(doc[k].lower_ in NAME_PARTICLES for k in range(end, j)) or doc[end - 1].lower_ in NAME_PARTICLES
    )
    if not (words and j < len(doc) and doc[j].tag_ in NAME_TAGS and doc[j].text[:1].isupper()):
        return end
    j += 1
    while j < len(doc) and doc[j].tag_ in NAME_TAGS and doc[j].text[:1].isupper():
        j += 1  # "Bandar-e Abbas Port"
    return _joined_end(doc, j)


def mentions(doc: Doc, gaz: Gazetteer) -> list[Mention]:
    out: list[Mention] = []
    doubted: list[Mention] = []  # names with gazetteer rows that nothing around them showed to be places
    surnames = {e[-1].text for e in doc.ents if e.label_ == "PERSON" and len(e) > 1}
    dateline = doc.user_data.get("dateline")
    body = dateline[2] if dateline else 0  # "GAO, Mali (AP) -": a place in capitals is still a place
    accepted: set[int] = set()
    for cand, weak in _candidates(doc, gaz):
        if cand.label_ == "NORP" and cand.ent_id_.startswith("country:"):
            continue  # a demonym the knowledge base knows ("Thai", "Russian") is never a place
        if _first_name(cand) or _person(cand, surnames):
            continue
        start, end, kind = _trim(cand)
        if start >= end:
            continue
        rows = _lookup(gaz, doc, start, end, kind)
        if start >= 2 and doc[start - 1].lower_ == "of" and _capitalised_in(doc[start - 2].text, OF_FEATURES):
            longer = gaz.candidates(doc[start - 2 : end].text)  # "the Gulf of Oman", not Oman
            if longer:
                start, rows = start - 2, longer
        span = doc[start:end]
        if not rows and (span[-1].lower_ in EVENT_WORDS or any(t.like_num for t in span)):
            continue  # "the World Cup", "Kano Pillars 2-1": not places, whatever the label
        if cand.ent_id_.startswith("igo:") or (
            cand.ent_id_.startswith("group:") and not any(not alt for _, alt in rows)
        ):
            continue  # an IGO, or a group that is no place too ("Islamic State", not "South Ossetia")
        if (
            (not rows or len(span) == 1 and not _named_place(span))
            and span[-1].lower_ in _role_words()
            and span[-1].lower_ not in NAME_HEADS
        ):
            continue  # "the Malian Armed Forces", "the Palestinian Authority", "Minister": a body or a role
        if re.search(r"-[a-z]+$", span[-1].text):
            continue  # "a Mali-run camp", "Iraqi-born": a word made from a place's name, no place
        if span.text.replace(".", "").lower() in CLOCK_WORDS:
            continue  # "10 A.M. (Niamey time)"
        if span[0].lower_ in FAITHS:
            continue  # "a Sunni mosque", "Shiite Muslims": a faith, whatever town shares its name
        if span[0].lower_ in PEOPLES:
            continue  # "the Dogon village of X", "Fulani herders": a people, whatever village shares its name
        if (
            cand.label_ == "ORG"
            and len(span) == 1
            and span.text.replace(".", "").isupper()
            and span.start_char >= body
            and not any(gaz.feature[r] in {PCLI, ADM1} for r, _ in rows)
        ):
            continue  # "the MNLA's defenses": a body's initials, not Saa in Cameroon ("the UAE" is a country)
        if len(span) == 1 and span[0].lower_ in DIRECTIONS:
            continue  # "popular in the West", "the South": a bloc or a region, not West, Texas
        if cand.label_ in PLACE_LABELS:
            ok = bool(rows) or any(t.tag_ in NAME_TAGS for t in span)
        elif (
            not cand.label_
            and end < len(doc)
            and doc[end].lower_ not in CALENDAR
            and (doc[end].tag_ in NAME_TAGS or _weak_name(doc[end]))
        ):
            ok = False  # part of a longer name the run stopped short of
        elif weak:  # the gazetteer must know it, or a place noun must follow: "the Madduvil area"
            ok = (
                (any(not alt for _, alt in rows) and _place_context(span, rows, accepted, gaz))
                or (span.root.dep_ == "amod" and span.root.head.lemma_.lower() in PLACE_NOUNS)
                or holder(span) != span.root
            )
        else:
            ok = _place_context(span, rows, accepted, gaz) or (
                not cand.label_
                and any(
                    not alt and (gaz.feature[r] in MAJOR_FEATURES or gaz.population[r] >= MIN_FALLBACK_POP)
                    for r, alt in rows
                )
            )
        if ok:
            accepted.update(range(start, end))
            out.append(Mention(span.start_char, span.end_char, span.text, rows, kind))
        elif rows and cand.label_ not in PLACE_LABELS:
            doubted.append(Mention(span.start_char, span.end_char, span.text, rows, kind))
    # one name, one sense in a story: a name shown to be a place once ("the siege of the town of Tessit") is
    # one wherever else the NER called it a group or a person ("Tessit mattered to the group")
    known = {m.text for m in out}
    out += [m for m in doubted if m.text in known]
    out = _contained(text_of(doc), out, [m for m in doubted if m.text not in known], gaz)
    _share_feature_words(text_of(doc), out, gaz)
    return out


def linked(text: str, a: Mention, b: Mention) -> bool:
    """Whether ``b`` follows ``a`` as a place that may contain it: "Boni, Mopti", "Boni (Douentza, Mopti)",
    "Boni, in the Douentza district of Mopti region", "Boni in Mopti"."""
    between = text[a.end : b.start].strip().lower().split()
    if between and between[0].rstrip(",") in ADMIN_WORDS:  # "the Douentza district of Mopti"
        between[0] = between[0][-1] if between[0].endswith(",") else ""
    return " ".join(w for w in between if w) in CONTAINER_LINKS


def _contained(text: str, out: list[Mention], doubted: list[Mention], gaz: Gazetteer) -> list[Mention]:
    """Names nothing else showed to be places that are linked to a place as the place containing it or one
    it contains, where the gazetteer agrees: "Dinangourou (Koro, Mopti)" makes all three places; after a
    place the gazetteer lacks, two names the one inside the other ("Kerzandi (Koro, Mopti)"), or one name
    the gazetteer knows alone in brackets ("Kerzandi (Koro)")."""
    kept = {id(m) for m in out}
    ms = sorted(out + doubted, key=lambda m: m.start)
    grown = True
    while grown:
        grown = False
        for a, b, c in zip(ms, ms[1:], [*ms[2:], None], strict=False):
            if (id(a) in kept) == (id(b) in kept) or not linked(text, a, b):
                continue
            if _holds(gaz, a.rows, b.rows):
                kept |= {id(a), id(b)}
                grown = True
            elif not a.rows and _bracketed(text, a, b) and any(_local(gaz, r, alt) for r, alt in b.rows):
                kept.add(id(b))  # "Kerzandi (Koalla)": the place it lies in, or its other name
                grown = True
            elif not a.rows and c is not None and id(c) not in kept and linked(text, b, c):
                if _holds(gaz, b.rows, c.rows):
                    kept |= {id(b), id(c)}
                    grown = True
    return [m for m in ms if id(m) in kept]


def _local(gaz: Gazetteer, row: int, alt: bool) -> bool:
    """Whether a row bears a name as its own and is a seat of an area or a place of unknown size (a village
    or site of GeoNames' full dumps), as the commune or other name of a village is: not a town named
    after a person or thing ("Operation Sayeed (Hunter)")."""
    return not alt and (gaz.population[row] == 0 or gaz.feature[row].startswith(("PPLA", "ADM")))


def _bracketed(text: str, a: Mention, b: Mention) -> bool:
    """Whether ``b`` stands alone in brackets right after ``a``: "Kerzandi (Koalla)"."""
    return text[a.end : b.start].strip() == "(" and text[b.end :].lstrip().startswith(")")


def _share_feature_words(text: str, ms: list[Mention], gaz: Gazetteer) -> None:
    """ "Gao and Mopti Regions": a plural feature word names every place of the list before it."""
    for i in range(len(ms) - 1, 0, -1):
        b = ms[i]
        word = b.text.rsplit(" ", 1)[-1].lower()
        if not (b.kind and word.endswith("s")):
            continue
        j = i - 1
        while (
            j >= 0
            and re.fullmatch(r"\s*(,|and|, and)\s*", text[ms[j].end : ms[j + 1].start])
            and not ms[j].kind
        ):
            a = ms[j]
            a.kind, a.rows = b.kind, gaz.candidates(f"{a.text} {word[:-1]}") + a.rows
            j -= 1


def holder(span: Span) -> Token:
    """The noun a place's name stands for: "the Sosso neighborhood", "the town of Tabanka", else the name."""
    root = span.root
    if root.dep_ == "compound" and root.head.lemma_.lower() in PLACE_NOUNS:
        return root.head
    up = root.head
    if (
        root.dep_ == "pobj"
        and up.lower_ == "of"
        and up.head.lemma_.lower() in PLACE_NOUNS
        and up.head.i < up.i
    ):
        return up.head
    return root
