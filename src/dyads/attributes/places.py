"""Places: toponyms found in a parsed article, resolved against the gazetteer, and where an event happened.

``find_places`` lists the toponyms: named entities GPE/LOC/FAC, and names the small NER missed or mislabelled
that the parse or the gazetteer shows to be places ("the town of Tabanka", "the Kafr Toumani area", "clashes
in Umm Tabal", a big city labelled ORG). Each is resolved by feature type, population and story context (the
other places of the article, "X, Texas", "the X neighborhood of Gao", names like "Kremlin" that set a scene,
the caller's known countries); only resolved ones unless ``unresolved`` is asked for. Groups, IGOs and bodies
("the Malian Armed Forces"), faith words and first names ("Jordan Spieth") are no toponyms.
``event_location`` picks the place the parse attaches to an event's predicate: a locative or object of the
trigger first (or where a move ends: "marched to X"), the narrower of equally close places (a town over a
building named in it, a neighbourhood over its city: "Gao's neighborhood of Sosso"), never one inside a
reported clause, a relative clause ("a Malian who was born in Ghana") or a passive's agent ("captured by
Iran"); a verbal event only through prepositions."""

from __future__ import annotations

import calendar
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Span, Token

from dyads.attributes.gazetteer import (
    ADM1,
    ADM2,
    BROAD_FEATURES,
    NARROW_FEATURES,
    PCLI,
    PPLC,
    Gazetteer,
    fold,
    load_gazetteer,
)
from dyads.model import Location, Place

__all__ = ["event_location", "event_place", "find_places", "load_gazetteer"]

PLACE_LABELS = {"GPE", "LOC", "FAC"}
OF_FEATURES = {"Gulf", "Strait", "Straits", "Sea", "Bay", "Lake", "Isle", "Horn"}  # "the Gulf of Aden"
FAITHS = {
    "sunni",
    "shiite",
    "shia",
    "shi'ite",
    "muslim",
    "moslem",
    "christian",
    "catholic",
    "orthodox",
    "alawite",
    "druze",
    "jewish",
    "hindu",
    "buddhist",
    "sikh",
    "coptic",
    "yazidi",
    "protestant",
    "god",  # "the words of God", not Göd in Hungary
    "allah",
}
EVENT_WORDS = {
    "championship",
    "championships",
    "cup",
    "games",
    "olympics",
    "open",
    "tournament",
    "masters",
    "bombing",
    "bombings",
    "war",
    "summit",
    "conference",
    "festival",
    "prix",
    "series",
    "league",
    "trophy",
}
UNSURE_LABELS = {"", "PERSON", "PRODUCT"}  # labels the small NER gives local names it does not know
NOT_PLACE_LABELS = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}
NAME_TAGS = {"NNP", "NNPS"}
CLOCK_WORDS = {"AM", "PM", "GMT", "UTC", "TIME"}
# lowercase words inside a place name: "Rio de Janeiro", "Dar es Salaam", "Ras al-Ma"
NAME_PARTICLES = {"de", "da", "do", "dos", "das", "del", "di", "du", "des", "la", "el", "al", "ad", "ar"}
NAME_PARTICLES |= {"ash", "ibn", "bin", "e", "es", "ez", "ul", "ur", "van", "von", "der", "den"}
CALENDAR = {m.lower() for m in (*calendar.month_name[1:], *calendar.day_name)}
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
PRIOR = {PCLI: 11.0, ADM1: 8.5, ADM2: 6.0} | {f: 8.5 for f in BROAD_FEATURES | NARROW_FEATURES}
REGION_PRIOR = 4.5  # a region of our table (no population known) loses to a town of its name unless told
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
    "above",
    "below",
    "beneath",
    "under",
    "underneath",
    "alongside",
    "amid",
    "up",
    "down",
}
# buildings: place nouns ("a market in X"), and when named after their owner no landmark (see FACILITIES)
BUILDINGS = {
    "building",
    "cafe",
    "center",
    "centre",
    "compound",
    "hall",
    "headquarters",
    "home",
    "hospital",
    "hotel",
    "house",
    "market",
    "office",
    "courthouse",
    "yard",
    "shantytown",
    "slum",
    "residence",
    "restaurant",
    "school",
    "shop",
    "stadium",
    "station",
    "theater",
    "theatre",
    "apartment",
    "store",
    "club",
    "jail",
    "mansion",
    "temple",
    "courtyard",
    "complex",
    "campus",
    "terminal",
    "court",
    "parliament",
    "room",
    "cabin",
    "tower",
}
# nouns of places, looked up by spaCy's lemma ("skies" as "sky"; the plural entries serve name endings)
PLACE_NOUNS = BUILDINGS | {
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
    "junction",
    "valley",
    "mountain",
    "road",
    "highway",
    "port",
    "university",
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
    "palace",
    "bridge",
    "checkpoint",
    "quarter",
    "enclave",
    "plant",
    "factory",
    "refinery",
    "backstreet",
    "airspace",
    "waters",
    "skies",
    "streets",
    "heart",
    "perimeter",
    "battlefield",
    "belt",
    "environs",
    "roadblock",
    "crossing",
    "subway",
    "bus",
    "peninsula",
    "waterway",
    "runway",
    "metropolis",
    "war",
    "axis",
    "flank",
    "desert",
    "plain",
    "forest",
    "jungle",
    "territory",
    "delta",
    "basin",
    "corridor",
    "municipality",
    "dam",
    "oilfield",
    "kibbutz",
    "shrine",
    "mall",
    "railway",
    "airstrip",
    "airfield",
    "tunnel",
    "gorge",
    "canyon",
    "creek",
    "canal",
    "colony",
    "estate",
    "ward",
    "tehsil",
    "taluk",
    "parish",
    "precinct",
    "barrio",
    "favela",
    "ghetto",
    "vicinity",
    "approaches",
    "entrance",
    "farm",
    "farms",
    "sky",
    "water",
    "venue",
    "thoroughfare",
    "avenue",
    "coastline",
    "shore",
    "beach",
    "slum",
    "park",
    "lake",
    "sea",
    "gulf",
    "bay",
    "harbor",
    "harbour",
    "barracks",
    "castle",
    "fort",
    "hilltop",
    "airbase",
    "field",
    "fields",
    "settlement",
    "locality",
    "hamlet",
    "commune",
    "township",
    "outpost",
    "plateau",
}
# parts of a place: "the lanes of Gao's east end", "Gao's northern edge"
PLACE_NOUNS |= {"end", "part", "edge", "corner", "fringe", "periphery", "frontline", "interior", "downtown"}
PLACE_NOUNS.add("surroundings")
STRONGHOLDS = {
    "stronghold",
    "bastion",
    "hometown",
    "heartland",
}  # "the stronghold of X", not "a Tiger bastion"
# words that end a place's own name ("Tabanka Refugee Camp", "Ansongo District") and prepositions whose
# object is a place whenever the name is not clearly an organisation's
NAME_HEADS = (
    PLACE_NOUNS
    | ADMIN_WORDS
    | CITY_WORDS
    | {
        "quarter",
        "airbase",
        "dam",
        "gorge",
        "plain",
        "plains",
        "farms",
        "bridge",
        "crossing",
        "checkpoint",
        "roundabout",
        "stadium",
        "palace",
        "refinery",
        "field",
        "fields",
    }
) - {
    "state",
    "front",
    "sector",
    "zone",
    "border",
    "capital",
    "residence",
    "compound",
    "frontier",
    "coast",
    "area",
}
# words that begin Arabic place names (hill, mount, village, spring, ruin, valley, monastery, cape, bridge,
# house, quarter, meadow, farm): "Tal Hamdiyeh", "Kafr Zeina", "Ain Tessit"
PLACE_PREFIXES = {"Tal", "Tall", "Tell", "Talat", "Jabal", "Jebel", "Kafr", "Kfar", "Ain", "Ayn", "Khirbet"}
PLACE_PREFIXES |= {"Khirbat", "Wadi", "Deir", "Dayr", "Ras", "Jisr", "Beit", "Bayt", "Haret", "Harat", "Marj"}
PLACE_PREFIXES |= {"Mazraat", "Maarat", "Qasr", "Birkat"}
# bodies that act where they are from: a place naming one says where its act happened
LOCAL_BODIES = {"police", "resident", "villager", "protester", "protestor", "demonstrator", "firefighter"}
# what a country keeps abroad: "Ghana's embassy was bombed" says nothing of where
DIPLOMATIC = {"embassy", "consulate", "mission", "legation"}
OUTPOSTS = DIPLOMATIC | {"base", "office"}
# nouns of an assault, whose object "on" names a place where the gazetteer knows it
ASSAULTS = {
    "attack",
    "assault",
    "offensive",
    "raid",
    "strike",
    "airstrike",
    "bombardment",
    "counterattack",
    "siege",
}
# violence a place's name can qualify: "killed in Gao operations", "in the Mali war"
VIOLENCE = ASSAULTS | {"operation", "fighting", "clash", "violence", "war", "battle", "unrest", "shooting"}
VIOLENCE |= {"shootout", "gunbattle", "bombing", "explosion", "blast", "riot", "massacre", "ambush"}
# fighting whose place is where what happened during it happened ("captured during the invasion of X"); not
# a whole war, which dates an event more than it places it
WARS = VIOLENCE - {"war"} | {"invasion", "occupation", "fight"}
# verbs whose object is a place whenever it is a name ("stormed Kafr Hamdan"), and verbs whose object is a
# person: a place there stands for its people ("shot Nairobi's deputy mayor")
PLACE_VERBS = {
    "enter",
    "storm",
    "patrol",
    "invade",
    "occupy",
    "besiege",
    "encircle",
    "overrun",
    "liberate",
    "recapture",
    "retake",
    "evacuate",
    "bomb",
    "bombard",
    "shell",
    "raid",
    "surround",
    "infiltrate",
}
# verbs of attack: the place a clause of one takes is where the event it hangs on happened ("began an
# offensive to take X", "died when gunmen stormed X")
ASSAULT_VERBS = PLACE_VERBS | {"capture", "seize", "take", "target", "attack", "hit", "strike"}
OPERATIONS = ASSAULTS | {"push", "operation", "campaign", "drive"}  # "a push to retake X"
MOTION_VERBS = {
    "march",
    "return",
    "move",
    "send",
    "ship",
    "travel",
    "fly",
    "flee",
    "deploy",
    "redeploy",
    "dispatch",
    "go",
    "come",
    "head",
    "walk",
    "drive",
    "sail",
    "run",
    "pour",
    "shift",
    "transfer",
    "airlift",
    "evacuate",
    "withdraw",
    "retreat",
    "advance",
    "proceed",
    "rush",
    "escape",
    "relocate",
    "admit",
    "export",
    "smuggle",
    "bring",
    "take",
}
# verbs whose object is a place or a person: a name there is a place only where the gazetteer knows it
TAKING_VERBS = {"capture", "seize", "take", "control", "target", "attack", "hit", "strike", "reach", "cross"}
PERSON_VERBS = {
    "shoot",
    "kill",
    "murder",
    "arrest",
    "abduct",
    "kidnap",
    "detain",
    "wound",
    "injure",
    "execute",
    "behead",
    "assassinate",
    "torture",
    "rape",
    "stab",
    "lynch",
    "release",
}
TITLES = frozenset("mr mrs ms miss dr gen col capt sgt lt maj cmdr adm sen rep".split())
RANKS = {"general", "colonel", "captain", "sergeant", "lieutenant", "commander", "admiral", "brigadier"}
SAYING_VERBS = {"say", "tell", "add", "note", "explain", "write", "warn", "recall", "insist", "claim"}
NAME_PREPS = {"in", "at", "near", "outside", "inside", "around", "across", "throughout", "towards", "toward"}
LEADING_WORDS = NAME_PREPS - {"in", "at"} | {"the", "a"}  # not "In Salah", "At-Bashy": names of their own
MAX_RANK = 8
PATH_PREPS = {"to", "into", "for", "from", "through", "via", "between"}  # a name there is a place if known
# links that make a clause of their own: a place beyond one locates that clause's event; "reported" clauses
# (what someone said) never locate the saying
CLAUSES = {"ccomp", "advcl", "xcomp", "relcl", "acl", "pcomp", "parataxis", "csubj"}
REPORTED = {"ccomp", "parataxis", "csubj"}
# what a relative clause of these says of someone ("who was born in X", "who lives in X") is no event at all
STATE_VERBS = {"be", "bear", "live", "reside", "grow", "base", "own", "run"}
# verbs of a deed: a that-clause the parser hangs on one ("detonated a bomb packed ... in X") is part of the
# deed, not a report of it ("shot back that ..." is a saying, so "shoot" is not here)
DEED_VERBS = {"detonate", "explode", "kill", "attack", "bomb", "capture", "storm", "launch", "fire", "burn"}
DEED_VERBS |= {"patrol", "shell", "strike", "hit", "seize"}
DIRECTIONS = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"}
# how a place hangs on the event, best first: on the verb ("in X", "stormed X"), where a move ends, where it
# began, a landmark ("north of X"), an argument's place or a clause's target, a place of something else
KIND_RANK = {"loc": 0, "obj": 0, "goal": 1, "source": 2, "ref": 2, "bare": 3, "arg": 3, "aim": 3, "nested": 4}
CLAUSE_RANK = 1  # a place in a clause on the event ("..., after failing at X") is second to the event's own
JOINING = {"cc", "punct", "aux", "auxpass", "neg", "advmod"}  # what may stand between "shot and killed"
BIG_FEATURES = {PCLI, ADM1, ADM2, PPLC, "PPLA", "PPLA2"}
# anything else (a town, a local name) comes last
SPECIFICITY = {PCLI: 0, ADM1: 1, ADM2: 2} | dict.fromkeys(BROAD_FEATURES, 0)
SPECIFICITY |= dict.fromkeys(NARROW_FEATURES, 1)
TRANSPARENT = {"of", "with", "including"}  # "the town of X", "clashes with X", "cities, including X"
NEAR_WORDS = {"close", "next", "adjacent", "entrance", "entrances", "gate", "gates"}
TO_WORDS = {"to", "towards", "toward"}  # where a move ends or heads: a location only of a verb of movement
FIRING_VERBS = {"fire", "launch", "shoot", "lob"}  # "fired rockets towards X": where the shots land
HOLDER_VERBS = {"capture", "seize", "take", "retake", "recapture", "wrest", "win", "grab", "annex"}
DISTANCES = {"kilometer", "kilometre", "km", "mile", "meter", "metre", "yard", "foot", "feet", "away"}
# a place reached through these dates or compares the event, it does not say where ("killed since the war in
# Mali began", "unlike in Aleppo")
MEANWHILE_MARKS = {"as", "when"}
MEANWHILE_PREPS = {"after", "while", "upon", "on", "when", "by"}
NOT_THROUGH_MARKS = {"since", "until", "till", "than", "unless", "before"}
NOT_THROUGH = {"since", "until", "till", "than", "unlike", "despite", "according", "due"}
HOLDING = {"control", "hold"}  # "the army-controlled district", read by the parser as a clause
# what befalls someone after the event, told by a second verb: "was seized in 2013 and held in X"
AFTERMATH = set("hold imprison jail intern treat take evacuate sentence try transfer fly bring send".split())
AFTERMATH |= {"die", "spend", "serve", "become", "be", "believe", "escape"}
# "four were shot dead and six others hurt in X": one attack's toll told with two subjects
CASUALTIES = {"kill", "wound", "injure", "hurt", "shoot", "stab", "die", "maim"}
INSIDE = {"in", "of", "inside", "within"}  # "X in Y", "the X district of Y": Y holds X
NEAR_PREPS = {"near", "outside", "beside"}  # "X near Y": Y is only the landmark
CONTAIN_SLACK = 2  # how much further from the event a held place may hang and still beat its holder
BUILDING_RANK = 3  # a building named after its owner says less of where than a town a little further off
# buildings named after their owner, not landmarks ("the Justice Ministry offices")
FACILITIES = BUILDINGS | {
    "consulate",
    "embassy",
    "bank",
    "bar",
    "club",
    "court",
    "ministry",
    "mall",
    "church",
    "cathedral",
    "mosque",
    "shrine",
    "factory",
    "headquarters",
    "bazaar",
}
ARGUMENTS = {"nsubj", "nsubjpass", "dobj"}
SUBJECTS = {"nsubj", "nsubjpass"}
NOUN_PHRASE = {"compound", "amod", "nmod", "appos", "conj", "poss", "npadvmod", "cc"}


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
        rows = rows + [r for w in sorted(ADMIN_WORDS) for r in gaz.candidates(f"{name} {w}") if r not in rows]
    return rows


def _major(gaz: Gazetteer, row: int) -> bool:
    return gaz.feature[row] in PRIOR or gaz.population[row] >= 100_000


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
            or span[0].text.removeprefix("Al-") in PLACE_PREFIXES
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
        return head.head.lemma_.lower() in PLACE_NOUNS - BUILDINGS | STRONGHOLDS and head.head.i < span.start
    if head.lower_ in {"on", "against"} and head.head.lemma_.lower() in ASSAULTS:
        return known or bool(rows) and span.label_ != "PERSON"  # "an assault on Tessit", not "on Goita"
    if head.lower_ in PATH_PREPS:
        return known and span.label_ != "PERSON"  # "marched to Dosso", "the battle for Ansongo"
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
    out = [(e, False) for e in doc.ents if e.label_ not in NOT_PLACE_LABELS]
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
            and joined[-1][0][-2].text in OF_FEATURES
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


def _mentions(doc: Doc, gaz: Gazetteer) -> list[_Mention]:
    out: list[_Mention] = []
    doubted: list[_Mention] = []  # names with gazetteer rows that nothing around them showed to be places
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
        if start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].text in OF_FEATURES:
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
        if span.text.replace(".", "").upper() in CLOCK_WORDS:
            continue  # "10 A.M. (Niamey time)"
        if span[0].lower_ in FAITHS:
            continue  # "a Sunni mosque", "Shiite Muslims": a faith, whatever town shares its name
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
                or _holder(span) != span.root
            )
        else:
            ok = _place_context(span, rows, accepted, gaz) or (
                not cand.label_
                and any(
                    not alt and (gaz.feature[r] in PRIOR or gaz.population[r] >= MIN_FALLBACK_POP)
                    for r, alt in rows
                )
            )
        if ok:
            accepted.update(range(start, end))
            out.append(_Mention(span.start_char, span.end_char, span.text, rows, kind))
        elif rows and cand.label_ not in PLACE_LABELS:
            doubted.append(_Mention(span.start_char, span.end_char, span.text, rows, kind))
    # one name, one sense in a story: a name shown to be a place once ("the siege of the town of Tessit") is
    # one wherever else the NER called it a group or a person ("Tessit mattered to the group")
    known = {m.text for m in out}
    out += [m for m in doubted if m.text in known]
    out.sort(key=lambda m: m.start)
    _share_feature_words(doc.text, out, gaz)
    return out


def _share_feature_words(text: str, ms: list[_Mention], gaz: Gazetteer) -> None:
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


def _prior(gaz: Gazetteer, row: int, alt: bool, kind: str | None) -> float:
    feat = gaz.feature[row]
    if feat in {ADM1, ADM2} and not gaz.population[row]:
        score = REGION_PRIOR
    else:
        score = PRIOR.get(feat, math.log10(gaz.population[row] + 1) + (3.0 if feat == PPLC else 0.0))
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


def _keep_inside(doc: Doc, ms: list[_Mention], gaz: Gazetteer) -> None:
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
                country = gaz.country[_best([(_prior(gaz, r, alt, b.kind), r) for r, alt in b.rows])[0]]
                m.rows = [(r, alt) for r, alt in m.rows if gaz.country[r] == country]
                break


def find_places(
    doc: Doc, article_id: str, context: set[str] | None = None, unresolved: bool = False
) -> list[Place]:
    """The toponyms in ``doc`` resolved to the gazetteer (``geonameid`` set); with ``unresolved`` also the
    local names it lacks ("the Kafr Toumani area"), which can still say where an event happened.
    ``context`` holds ISO3 codes already known for the story."""
    gaz = load_gazetteer()
    ms = _mentions(doc, gaz)
    _keep_inside(doc, ms, gaz)
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


def _stray(gaz: Gazetteer, row: int, m: _Mention, countries: Counter, own: int | None) -> bool:
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


def _path_kind(head: Token, trigger: Token, verbal: bool) -> tuple[str, Token, int, bool, bool] | None:
    """How a place hangs in the parse: its kind (one of ``KIND_RANK``), the token where its climb met the
    trigger's ancestors, the links climbed, whether it only says where the trigger's subject is ("detainees
    at X were captured in Y"), and whether it is reached through a clause of its own. None when the place
    only names an actor or its origin ("US troops", "Niger's minister"), sits in a clause that reports or
    qualifies the event rather than being it ("..., police said"; "since they captured Mosul"), or, for a
    ``verbal`` event, hangs on the trigger through anything but prepositions ("agreed to start discussions
    in Niamey")."""
    above = {t.i for t in trigger.ancestors} | {trigger.i}
    t, kind, steps, modifier, clause, subject = head, "", 0, False, "", False
    assault = False  # what a clause's verb of assault takes: "began an offensive to take X"
    owner = head  # the noun a place's name modifies
    meanwhile = reported = nested_clause = relative = False
    for _ in range(12):
        if t.i in above:
            if verbal and (t.i != trigger.i or kind not in {"loc", "nested", "ref", "goal"}):
                return None
            if clause and (
                reported
                or kind in {"obj", "nested", "bare", "ref"}
                and nested_clause
                and not assault
                and not meanwhile
            ):
                return None
            if kind == "arg" and clause == "conj":
                return None
            if relative and kind == "loc" and not meanwhile:
                kind = "nested"  # "a man who was born in X was arrested": it locates the birth
            if assault:
                kind = "aim"  # second to a place the event's own clause gives
            if kind or not modifier:
                return kind or "bare", t, steps, subject, nested_clause
            return None
        dep, up = t.dep_, t.head
        if dep == "pobj":
            word, above_prep = up.lower_, up.head
            if up.dep_ == "agent" and not kind:
                return None  # "captured by French forces", "information given by Niamey": a doer, not a place
            if kind == "arg" and up.dep_ != "agent":
                return None  # "according to the Kano police": a local body that is not the doer
            if word in NOT_THROUGH:
                return None
            if word in {"of", "from"} and above_prep.ent_type_ == "PERSON":
                return None  # "Kofi Mensah of Togo": where a person is from
            if word == "from" and not kind and above_prep.lemma_.lower() in DISTANCES:
                kind = "ref"  # "50 km from Gao", "a few yards away from the base": a landmark
            elif word == "from" and _on_verb(above_prep, trigger) and not kind and _from_holder(trigger):
                return None  # "seized the strip from Libya": who held it, not where
            elif word == "from" and _on_verb(above_prep, trigger) and not kind and _moves(trigger, word):
                kind = "source"  # "marched from Kumasi to Accra": where the move began, second to its end
            elif word in LOCATIVE and not (word == "from" and above_prep.pos_ != "VERB"):
                if modifier and not kind and owner.lemma_.lower() not in VIOLENCE:
                    return None  # "near a Ugandan patrol", "in Ghana's polls": an origin, an owner, a topic
                kind = kind or "loc"
            elif word == "to" and above_prep.lower_ in NEAR_WORDS:
                kind = kind or "loc"  # "close to the town of Tarkint", "at the entrance to Gao"
            elif word in TO_WORDS and _on_verb(above_prep, trigger) and not kind and _moves(trigger, word):
                kind = "goal"  # "marched to Freedom Square", "flew back to Nairobi": where the move ends
            elif word == "during" and t.lemma_.lower() in WARS:
                kind = kind or "loc"  # "captured during the invasion of Chad": in the fighting's place
            elif word in {"for", "against"} and above_prep.lemma_.lower() in WARS and not modifier:
                kind = kind or "obj"  # "killed in the battle for Ansongo": where the battle was
            elif word == "of" and above_prep.lower_ in DIRECTIONS:
                kind = kind or "ref"  # "50 km north of Gao": a landmark to measure from
            elif word not in TRANSPARENT:
                if not kind:
                    return None  # "fled to Mali", "sanctions against Iran": a goal or a target
                kind = "nested"  # "after a rally in Moscow", "the road to Kidal": it locates something else
            t = above_prep
            # "the Sosso neighborhood of Gao": the place the noun is "of" contains the one it is named by
            steps += word not in TRANSPARENT or (word == "of" and above_prep.lemma_.lower() in PLACE_NOUNS)
            continue
        steps += dep != "compound"
        if dep in CLAUSES and t.lemma_.lower() in HOLDING and up.lemma_.lower() in ASSAULT_VERBS:
            t = up  # "targeting the army controlled X": the parser's clause is a modifier, X the target
            continue
        if dep in CLAUSES or dep == "conj" and t.pos_ in {"VERB", "AUX"}:
            # one event told with two verbs, no clause: "shot and killed X in Y", "captured and annexed
            # X", "six died and ten were hurt in Y"
            joint = dep == "conj" and _joint(up, t)
            reported = (
                reported or dep in REPORTED and not (dep == "ccomp" and up.lemma_.lower() in DEED_VERBS)
            )  # "..., police said", however deep
            relative = relative or dep == "relcl"
            # "a man who was born in X", "who lived in X": what someone is, not the event; but "a town that
            # is in southern Mali", "the day when troops were in X"
            state = (
                dep == "relcl" and t.lemma_.lower() in STATE_VERBS and up.lemma_.lower() not in PLACE_NOUNS
            )
            if state and not any(c.lower_ in {"when", "where"} for c in t.children):
                return None
            nested_clause = nested_clause or dep != "xcomp" and not joint  # second to the event's own place
            if not clause and not joint:
                assault = (
                    kind == "obj"
                    and t.lemma_.lower() in ASSAULT_VERBS
                    and (dep == "advcl" or dep == "acl" and up.lemma_.lower() in OPERATIONS)
                )
                # "shot as he left a Kano mosque": what the victim was doing says where
                meanwhile = (
                    dep == "advcl"
                    and any(c.dep_ == "mark" and c.lower_ in MEANWHILE_MARKS for c in t.children)
                    and all(c.tag_ == "PRP" for c in t.children if c.dep_ in SUBJECTS)
                ) or (dep == "pcomp" and up.lower_ in MEANWHILE_PREPS)  # "shot after leaving his X office"
                # "killed in an attack that hit X", "in clashes that erupted near X": where it was
                meanwhile = meanwhile or dep == "relcl" and up.lemma_.lower() in VIOLENCE - {"war"}
                clause = dep
            if any(c.dep_ == "mark" and c.lower_ in NOT_THROUGH_MARKS for c in t.children):
                return None
            if (
                dep == "conj"
                and not joint
                and (any(c.dep_ in SUBJECTS for c in t.children) or t.lemma_.lower() in AFTERMATH)
                and not {up.lemma_.lower(), t.lemma_.lower()} <= CASUALTIES
            ):
                return None  # "X was seized, and Y was arrested in Z", "X was seized and held in Z"
        if verbal and dep not in NOUN_PHRASE:
            return None
        subject = subject or (kind == "loc" and dep in SUBJECTS and up.i == trigger.i)
        if dep in {"dobj", "nsubjpass", "attr", "oprd"}:
            if modifier and not kind:
                return None  # "attacked US troops"
            if not kind and up.lemma_.lower() in PERSON_VERBS:
                return None  # "shot Nairobi's deputy mayor", "Peru's police chief was shot"
            kind = kind or "obj"
        elif dep in {"nsubj", "agent", "dative", "iobj"}:
            if kind not in {"loc", "nested"} and not (kind == "arg" and up.i == trigger.i):
                return None
            kind = "arg"
        elif dep in {"compound", "poss"} and not kind and not modifier and up.lemma_.lower() in LOCAL_BODIES:
            kind = "arg"  # "Kano police shot ...", "Gao's residents marched": who act where they live
        elif dep in {"compound", "poss", "amod", "nmod"} and not kind:
            # "his Moscow home" locates only when the home is in a locative phrase
            # ("Gao's Sosso quarter" is a place in a place, "Kenya's Ruto" a person from one)
            noun = up
            while noun.dep_ == "compound" and noun.head.i != noun.i:
                noun = noun.head  # "a Bamako jewelry store": the store
            owner = owner if modifier else noun
            modifier = modifier or (
                noun.lemma_.lower() not in PLACE_NOUNS
                and noun.lower_ not in DIRECTIONS
                and (noun.pos_ != "PROPN" or noun.ent_type_ == "PERSON")
                and not (
                    noun.dep_ in {"dobj", "nsubjpass"}
                    and noun.head.lemma_.lower() in PLACE_VERBS
                    and noun.lemma_.lower() not in OUTPOSTS
                )
            )  # "patrolled Ghana's waters", "stormed Gao's outskirts": what is patrolled lies there
        if up.i == t.i:
            return None
        t = up
    return None


def _joint(first: Token, second: Token) -> bool:
    """Whether only a conjunction, auxiliaries and the second verb's own subject come between two
    coordinated verbs."""
    own = {w.i for c in second.children if c.dep_ in SUBJECTS for w in c.subtree}
    return all(w.dep_ in JOINING or w.is_space or w.i in own for w in second.doc[first.i + 1 : second.i])


def _moves(verb: Token, word: str) -> bool:
    """A verb of movement, whose "to" names where the move ends, not who receives something ("sold arms to
    Iran", "turned to Moscow"); or one of firing, whose "towards" names where the shot lands."""
    lemma = verb.lemma_.lower()
    return lemma in MOTION_VERBS or word != "to" and lemma in FIRING_VERBS


def _from_holder(verb: Token) -> bool:
    """A verb of taking, whose "from" names who held the thing taken: "seized the plateau from Chad"."""
    return verb.lemma_.lower() in HOLDER_VERBS


def _on_verb(word: Token, trigger: Token) -> bool:
    """Whether ``word`` hangs on the verb ``trigger`` itself or on its particle ("flew back to")."""
    if trigger.pos_ != "VERB":
        return False
    return word.i == trigger.i or word.dep_ in {"advmod", "prt"} and word.head.i == trigger.i


def _rank(head: Token, trigger: Token, verbal: bool) -> tuple[int, bool, bool, int, int] | None:
    found = _path_kind(head, trigger, verbal)
    if found is None:
        return None
    kind, meet, steps, subject, in_clause = found
    hops = (
        0
        if meet.i == trigger.i
        else sum(1 for a in trigger.ancestors if a.i != meet.i and meet.is_ancestor(a)) + 1
    )
    base = KIND_RANK[kind] + CLAUSE_RANK * in_clause
    if hops:
        base += 2 + hops
    return base, subject, kind != "obj", steps, abs(head.i - trigger.i)


def _holder(span: Span) -> Token:
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


def _building(span: Span) -> bool:
    """Whether a name stands for a building named after its owner: "the Justice Ministry offices", "the Kora
    bar", "National Hospital"."""
    root = span.root
    return any(
        t.lemma_.lower() in FACILITIES
        for t in (_holder(span), span[-1], root.head if root.dep_ == "compound" else root)
    )


def _big(place: Place, other: Place) -> bool:
    """Whether ``place`` is a country, region or major city and ``other`` is not, or ``other`` is a local name
    the gazetteer lacks."""
    if other.feature_code is None:
        return place.feature_code is not None  # a town the gazetteer knows holds a quarter it lacks
    return place.feature_code in BIG_FEATURES and other.feature_code not in BIG_FEATURES


def _contains(outer: Span, inner: Span, big: bool = False, small: bool = False) -> bool:
    """Whether the parse puts ``inner`` inside ``outer``: "Tabanka in the Tilemsi region", "the Sosso
    neighborhood of Gao", "Gao's northern neighborhood of Bagoundie", "Russia's North Caucasus"; when
    ``outer`` is a ``big`` place, "the Bamako suburb of Kalaban"; and when ``inner`` is ``small`` (no country,
    region or major city), "Tabanka in ..." wherever the parse hangs the "in"."""
    held, shell = _holder(inner), _holder(outer)
    if outer.root.dep_ == "poss" and outer.root.head.i == held.i:
        return True
    if held.i == shell.i != inner.root.i and outer.root.dep_ == "compound" and big:
        return True  # "the Bamako suburb of Kalaban": the name after "of" is the suburb, inside Bamako
    if shell.dep_ == "appos" and shell.head.i == held.i:
        return True  # "Sosso, a suburb of Gao"
    if (
        shell.dep_ == "pobj"
        and shell.head.lower_ in NEAR_PREPS
        and shell.head.head.i in (held.i, inner.end - 1)
    ):
        return True  # "the Tin area near Menaka city": the town is only the landmark
    if shell.dep_ == "pobj" and shell.head.lower_ in NEAR_PREPS and shell.head.i == inner.end:
        return True  # "the district of X near the Y Quarter", whatever the parse hangs it on
    if shell.dep_ != "pobj" or shell.head.lower_ not in INSIDE:
        return False
    # "in Sosso neighborhood in eastern Gao": whatever the parse hangs it on, a place right after a
    # place noun is the place that noun is in
    return (
        shell.head.head.i == held.i
        or shell.head.i == held.i + 1
        and held.lemma_.lower() in PLACE_NOUNS
        or small  # "the town of X in the Y region": a town or quarter X is in Y, whatever the parse says
        and shell.head.i == inner.end
    )


def event_place(trigger: Token, places: list[Place], verbal: bool = False) -> Place | None:
    """The place where the event of ``trigger`` happened (the ``Place`` itself, so its span is known)."""
    doc, sent = trigger.doc, trigger.sent
    ranked: list[tuple[tuple[int, bool, bool, int, bool, int, int], Span, Place]] = []
    for place in places:
        if place.span[0] < sent.start_char or place.span[1] > sent.end_char:
            continue
        span = doc.char_span(place.span[0], place.span[1], alignment_mode="expand")
        if span is None:
            continue
        if (
            place.feature_code is None
            and len(span) == 1
            and span.root.dep_ in ARGUMENTS
            and span.root.head.lemma_.lower() not in PLACE_VERBS
        ):
            continue  # "Traore was shot", "police captured Diallo": one word we do not know, as the target
        if (
            place.feature_code == PCLI
            and span.root.dep_ in {"compound", "poss"}
            and span.root.head.lemma_.lower() in DIPLOMATIC
        ):
            continue  # "rallied at the U.S. Embassy": whose embassy, not where it is
        rank = _rank(span.root, trigger, verbal)
        if rank is None or rank[0] > MAX_RANK:
            continue
        # a town beats a building in it ("the Kora bar in Bamako"), a place on the verb one that only
        # says where its subject is, equally close the narrower place wins ("in southern Bamako in a market
        # of Kalaban"), and then what the verb takes over where it took it ("In X, they shelled Y")
        building = place.feature_code is None and _building(span)
        base, subject, not_object, steps, distance = rank
        key = (
            base + BUILDING_RANK * building,
            building,
            subject,
            -SPECIFICITY.get(place.feature_code or "", len(SPECIFICITY)),
            not_object,
            steps,
            distance,
        )
        ranked.append((key, span, place))
    # a place the parse shows to hold another (not a building) as close to the event says where that one is
    kept = [
        (key, place)
        for key, span, place in ranked
        if not any(
            not k[1]
            and k[0] <= key[0] + CONTAIN_SLACK
            and _contains(span, s, _big(place, other), other.feature_code not in BIG_FEATURES)
            for k, s, other in ranked
            if s != span
        )
    ]
    return min(kept, key=lambda kp: kp[0])[1] if kept else None


def event_location(trigger: Token, places: list[Place], verbal: bool = False) -> Location | None:
    """Where the event of ``trigger`` happened, from its article's places; None when the text does not say.

    A ``verbal`` event (a statement, appeal, accusation, agreement) is located only by a place that hangs on
    its trigger through prepositions: "During a meeting in Washington, they agreed to talks in Niamey" is an
    agreement in Washington."""
    p = event_place(trigger, places, verbal)
    if p is None:
        return None
    return p.location()
