"""Where an event happened: the place the parse attaches to an event's predicate. A locative or object of
the trigger first (or where a move ends: "marched to X"), the narrower of equally close places (a town over
a building named in it, a neighbourhood over its city: "Gao's neighborhood of Sosso"), never one inside a
reported clause, a relative clause ("a Malian who was born in Ghana") or a passive's agent ("captured by
Iran"); a verbal event only through prepositions.

Each link of a place's climb to the event is decided by the first named rule that applies (``PREP_RULES``
for a preposition's object, ``LINK_RULES`` for other links); ``event_sites`` falls back to the verb that
carries a noun trigger, the clause the event hangs on and the dateline, and returns with each place the
name of the rule that decided it (``evidence["place_rule"]``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, NamedTuple

from spacy.tokens import Span, Token

from dyads.attributes.gazetteer import ADM1, ADM2, BROAD_FEATURES, NARROW_FEATURES, PCLI, PPLC
from dyads.attributes.places.mentions import (
    ADMIN_WORDS,
    ASSAULTS,
    BUILDINGS,
    DIRECTIONS,
    PLACE_NOUNS,
    PLACE_VERBS,
    holder,
)
from dyads.model import Location, Place
from dyads.syntax import text_of
from dyads.wordclasses import words

if TYPE_CHECKING:
    from dyads.events.extract import Found

# prepositions that put an event somewhere
LOCATIVE = words("locative_prep")
LOCAL_BODIES = words("local_body")  # bodies that act where they are from
DIPLOMATIC = words("diplomatic_office")
OUTPOSTS = DIPLOMATIC | words("outpost")
WHOLE_WAR = words("whole_war")
VIOLENCE = ASSAULTS | words("violence_noun")  # what a place's name can qualify: "killed in Gao operations"
WARS = (VIOLENCE | words("fight_noun")) - WHOLE_WAR  # fighting where what happened during it happened
ASSAULT_VERBS = PLACE_VERBS | words("assault_verb")  # "began an offensive to take X"
OPERATIONS = ASSAULTS | words("operation_noun")  # "a push to retake X"
MOTION_VERBS = words("motion_verb")
VISIT_VERBS = words("visit_verb")  # what such a verb takes is where the visit is: "visited Bamako"
JOURNEY_VERBS = words("journey_verb")
PERSON_VERBS = words("person_verb")
STATE_VERBS = words("state_verb")
DEED_VERBS = words("deed_verb")
TRANSPARENT = words("transparent_prep")
NEAR_WORDS = words("near_word")
TO_WORDS = words("to_prep")
FIRING_VERBS = words("firing_verb")
HOLDER_VERBS = words("holder_verb")
DISTANCES = words("distance_word")
MEANWHILE_MARKS = words("meanwhile_mark")
MEANWHILE_PREPS = words("meanwhile_prep")
NOT_THROUGH_MARKS = words("not_through_mark")
NOT_THROUGH = words("not_through_prep")
HOLDING = words("holding_verb")
AFTERMATH = words("aftermath_verb")
CASUALTIES = words("casualty_verb")
INSIDE = words("inside_prep")
NEAR_PREPS = words("near_prep")
STRETCH_PREPS = words("stretch_prep")
FACILITIES = BUILDINGS | words("facility")  # buildings named after their owner, not landmarks

MILE_KM = 1.609
MAX_RANK = 8
# links that make a clause of their own: a place beyond one locates that clause's event; "reported" clauses
# (what someone said) never locate the saying
CLAUSES = {"ccomp", "advcl", "xcomp", "relcl", "acl", "pcomp", "parataxis", "csubj"}
REPORTED = {"ccomp", "parataxis", "csubj"}
# how a place hangs on the event, best first: on the verb ("in X", "stormed X"), where a move ends, where it
# began, a landmark ("north of X"), an argument's place or a clause's target, a place of something else
KIND_RANK = {"loc": 0, "obj": 0, "goal": 1, "source": 2, "ref": 2, "bare": 3, "arg": 3, "aim": 3, "nested": 4}
CLAUSE_RANK = 1  # a place in a clause on the event ("..., after failing at X") is second to the event's own
JOINING = {"cc", "punct", "aux", "auxpass", "neg", "advmod"}  # what may stand between "shot and killed"
BIG_FEATURES = {PCLI, ADM1, ADM2, PPLC, "PPLA", "PPLA2"}
AREA_FEATURES = {PCLI, "PCLD", "PCLS", ADM1, ADM2} | BROAD_FEATURES | NARROW_FEATURES  # no town: see ``Link``
# anything else (a town, a local name) comes last
SPECIFICITY = {PCLI: 0, ADM1: 1, ADM2: 2} | dict.fromkeys(BROAD_FEATURES, 0)
SPECIFICITY |= dict.fromkeys(NARROW_FEATURES, 1)
CONTAIN_SLACK = 2  # how much further from the event a held place may hang and still beat its holder
BUILDING_RANK = 3  # a building named after its owner says less of where than a town a little further off
ARGUMENTS = {"nsubj", "nsubjpass", "dobj"}
SUBJECTS = {"nsubj", "nsubjpass"}
HEAD_CLAUSE_LINKS = {"advcl", "conj"}  # a clause whose event happened where the one it hangs on did
NOUN_PHRASE = {"compound", "amod", "nmod", "appos", "conj", "poss", "npadvmod", "cc"}


@dataclass(slots=True)
class Link:
    """One link of a place's climb through the parse towards the event's trigger: the token ``t`` it leaves,
    that token's head ``up`` (for a "pobj" link, the preposition), the ``trigger``, and what the climb knows
    so far: the place's ``kind`` ("" until a rule gives one), whether the name only ``modifier``-s a noun
    that is no place, and that noun (``owner``); ``local``: the place is a town or smaller that the gazetteer
    knows (not a country or a region)."""

    t: Token
    up: Token
    trigger: Token
    kind: str
    modifier: bool
    owner: Token
    local: bool = False

    @property
    def word(self) -> str:
        """The preposition of a "pobj" link."""
        return self.up.lower_

    @property
    def above(self) -> Token:
        """What the preposition hangs on."""
        return self.up.head

    @property
    def on_verb(self) -> bool:
        """Whether the preposition hangs on the trigger itself, a verb ("marched to X", "flew back to X")."""
        return _on_verb(self.up.head, self.trigger)


@dataclass(frozen=True)
class Rule:
    """A named rule of the event-site decision. The first rule of its list that ``applies`` to a link decides
    it: ``kind`` is the kind it gives the place (one of ``KIND_RANK``; a place that has one keeps it unless
    ``override``); "" leaves the place as it is; None drops it: it says nothing of where the event
    happened."""

    name: str
    applies: Callable[[Link], bool]
    kind: str | None
    override: bool = False


def _locative(s: Link) -> bool:
    return s.word in LOCATIVE and not (s.word == "from" and s.above.pos_ != "VERB")


# a place that is the object of a preposition on its way to the event
PREP_RULES = (
    # "captured by French forces", "information given by Niamey": a doer, not a place
    Rule("agent", lambda s: s.up.dep_ == "agent" and not s.kind, None),
    # "according to the Kano police": a local body that is not the doer
    Rule("body-not-doer", lambda s: s.kind == "arg" and s.up.dep_ != "agent", None),
    Rule("time-or-comparison", lambda s: s.word in NOT_THROUGH, None),  # "since the war in X", "unlike in X"
    # "Kofi Mensah of Togo": where a person is from
    Rule("person-origin", lambda s: s.word in {"of", "from"} and s.above.ent_type_ == "PERSON", None),
    # "50 km from Gao", "a few yards away from the base": a landmark
    Rule(
        "distance-landmark",
        lambda s: s.word == "from" and not s.kind and s.above.lemma_.lower() in DISTANCES,
        "ref",
    ),
    # "seized the strip from Libya": who held it, not where
    Rule(
        "former-holder",
        lambda s: s.word == "from" and not s.kind and s.on_verb and _from_holder(s.trigger),
        None,
    ),
    # "marched from Kumasi to Accra": where the move began, second to its end
    Rule(
        "source-of-move",
        lambda s: s.word == "from" and not s.kind and s.on_verb and _moves(s.trigger, s.word),
        "source",
    ),
    # "near a Ugandan patrol", "in Ghana's polls": an origin, an owner, a topic
    Rule(
        "owner-or-topic",
        lambda s: _locative(s) and s.modifier and not s.kind and s.owner.lemma_.lower() not in VIOLENCE,
        None,
    ),
    # "ambushed a convoy between Djibo and Namsiguia": on the road from the first town; never between
    # countries or regions ("talks between Mali and Niger")
    Rule(
        "between-towns", lambda s: s.word in STRETCH_PREPS and s.local and not s.kind and _towns(s.t), "ref"
    ),
    Rule("locative", _locative, "loc"),  # "in X", "near X", "north of X"
    # "close to the town of Tarkint", "at the entrance to Gao"
    Rule("near-to", lambda s: s.word == "to" and s.above.lower_ in NEAR_WORDS, "loc"),
    # "marched to Freedom Square", "flew back to Nairobi": where the move ends
    Rule(
        "goal-of-move",
        lambda s: s.word in TO_WORDS and not s.kind and s.on_verb and _moves(s.trigger, s.word),
        "goal",
    ),
    # "captured during the invasion of Chad": in the fighting's place
    Rule("during-fighting", lambda s: s.word == "during" and s.t.lemma_.lower() in WARS, "loc"),
    # "killed in the battle for Ansongo": where the battle was
    Rule(
        "battle-for",
        lambda s: s.word in {"for", "against"} and s.above.lemma_.lower() in WARS and not s.modifier,
        "obj",
    ),
    # "50 km north of Gao": a landmark to measure from
    Rule("direction-landmark", lambda s: s.word == "of" and s.above.lower_ in DIRECTIONS, "ref"),
    Rule("through", lambda s: s.word in TRANSPARENT, ""),  # "the town of X", "clashes with X"
    # "fled to Mali", "sanctions against Iran": a goal or a target
    Rule("goal-or-target", lambda s: not s.kind, None),
    # "after a rally in Moscow", "the road to Kidal": it locates something else
    Rule("of-something-else", lambda s: True, "nested", override=True),
)
OBJECTS = {"dobj", "nsubjpass", "attr", "oprd"}
PARTIES = {"nsubj", "agent", "dative", "iobj"}
# a place that is, or is in, a word the next link ties to its head
LINK_RULES = (
    # "attacked US troops": a place that only qualifies the object
    Rule("modified-object", lambda s: s.t.dep_ in OBJECTS and s.modifier and not s.kind, None),
    # "shot Nairobi's deputy mayor", "Peru's police chief was shot"
    Rule(
        "person-object",
        lambda s: s.t.dep_ in OBJECTS and not s.kind and s.up.lemma_.lower() in PERSON_VERBS,
        None,
    ),
    Rule("object", lambda s: s.t.dep_ in OBJECTS, "obj"),  # "stormed Kafr Hamdan"
    # "US troops attacked", "Niger's minister said": where a party is from
    Rule(
        "party-origin",
        lambda s: (
            s.t.dep_ in PARTIES
            and s.kind not in {"loc", "nested"}
            and not (s.kind == "arg" and s.up.i == s.trigger.i)
        ),
        None,
    ),
    # "detainees at X were captured in Y": where a party was
    Rule("in-party", lambda s: s.t.dep_ in PARTIES, "arg", override=True),
    # "Kano police shot ...", "Gao's residents marched": who act where they live
    Rule(
        "local-body",
        lambda s: (
            s.t.dep_ in {"compound", "poss"}
            and not s.kind
            and not s.modifier
            and s.up.lemma_.lower() in LOCAL_BODIES
        ),
        "arg",
    ),
)


def _first(rules: tuple[Rule, ...], link: Link) -> Rule | None:
    return next((r for r in rules if r.applies(link)), None)


def _path_kind(
    head: Token, trigger: Token, verbal: bool, local: bool = False
) -> tuple[str, str, Token, int, bool, bool] | None:
    """How a place hangs in the parse: its kind (one of ``KIND_RANK``), the name of the rule that gave it,
    the token where its climb met the trigger's ancestors, the links climbed, whether it only says where the
    trigger's subject is ("detainees at X were captured in Y"), and whether it is reached through a clause of
    its own. Each link is decided by the first of ``PREP_RULES`` (a preposition's object) or ``LINK_RULES``
    that applies. None when the place only names an actor or its origin ("US troops", "Niger's minister"),
    sits in a clause that reports or qualifies the event rather than being it ("..., police said"; "since
    they captured Mosul"), or, for a ``verbal`` event, hangs on the trigger through anything but
    prepositions ("agreed to start discussions in Niamey"). ``local``: the place is a town or smaller (see
    ``Link``)."""
    above = {t.i for t in trigger.ancestors} | {trigger.i}
    t, kind, rule, steps, modifier, clause, subject = head, "", "", 0, False, "", False
    assault = False  # what a clause's verb of assault takes: "began an offensive to take X"
    owner = head  # the noun a place's name modifies
    meanwhile = reported = nested_clause = relative = False
    visited = trigger.lemma_.lower() in VISIT_VERBS and head.dep_ == "dobj" and head.head.i == trigger.i
    for _ in range(12):
        if t.i in above:
            if verbal and (t.i != trigger.i or kind not in {"loc", "nested", "ref", "goal"} and not visited):
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
                kind, rule = "nested", "relative-clause"  # "a man who was born in X was arrested": the birth
            if assault:
                kind, rule = "aim", "assault-aim"  # second to a place the event's own clause gives
            if kind:
                return kind, rule, t, steps, subject, nested_clause
            if not modifier:
                return "bare", "bare", t, steps, subject, nested_clause
            return None
        dep, up = t.dep_, t.head
        if dep == "pobj":
            found = _first(PREP_RULES, Link(t, up, trigger, kind, modifier, owner, local))
            assert found is not None  # the last rule applies to every link
            if found.kind is None:
                return None
            new = found.kind if found.override else kind or found.kind
            if new != kind:
                kind, rule = new, found.name
            word, above_prep = up.lower_, up.head
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
                meanwhile = meanwhile or dep == "relcl" and up.lemma_.lower() in VIOLENCE - WHOLE_WAR
                # "ambushed a bus carrying traders between X and Y", "a cart they were travelling on near X":
                # where the thing hit was going is where it was hit
                meanwhile = meanwhile or dep in {"acl", "relcl"} and t.lemma_.lower() in JOURNEY_VERBS
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
        if verbal and dep not in NOUN_PHRASE and not visited:
            return None
        subject = subject or (kind == "loc" and dep in SUBJECTS and up.i == trigger.i)
        found = _first(LINK_RULES, Link(t, up, trigger, kind, modifier, owner, local))
        if found is not None:
            if found.kind is None:
                return None
            new = found.kind if found.override else kind or found.kind
            if new != kind:
                kind, rule = new, found.name
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
        t = up
    return None


def _towns(first: Token) -> bool:
    """Whether the names joined to ``first`` ("between Gao and Bourem") are not areas: "between Aleppo and
    Idlib provinces"."""
    last = max((c for c in first.children if c.dep_ == "conj"), key=lambda c: c.i, default=first)
    after = last.nbor() if last.i + 1 < len(last.doc) else last
    return after.lower_.removesuffix("s") not in ADMIN_WORDS


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


def _rank(
    head: Token, trigger: Token, verbal: bool, local: bool = False
) -> tuple[tuple[int, bool, bool, int, int], str] | None:
    """How well a place says where the event of ``trigger`` happened (lower is better), and the rule that
    tied it to the event with where it met the event: "on" the trigger itself or "above" it, on a word the
    trigger hangs on ("in X, gunmen opened fire": the place of "opened" for "fire")."""
    found = _path_kind(head, trigger, verbal, local)
    if found is None:
        return None
    kind, rule, meet, steps, subject, in_clause = found
    hops = (
        0
        if meet.i == trigger.i
        else sum(1 for a in trigger.ancestors if a.i != meet.i and meet.is_ancestor(a)) + 1
    )
    base = KIND_RANK[kind] + CLAUSE_RANK * in_clause
    if hops:
        base += 2 + hops
    return (
        base,
        subject,
        kind != "obj",
        steps,
        abs(head.i - trigger.i),
    ), f"{rule}-{'above' if hops else 'on'}"


def _building(span: Span) -> bool:
    """Whether a name stands for a building named after its owner: "the Justice Ministry offices", "the Kora
    bar", "National Hospital"."""
    root = span.root
    return any(
        t.lemma_.lower() in FACILITIES
        for t in (holder(span), span[-1], root.head if root.dep_ == "compound" else root)
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
    held, shell = holder(inner), holder(outer)
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


class Site(NamedTuple):
    """Where an event happened, and the name of the rule that decided it ("locative-on-trigger",
    "dateline", "none", ...)."""

    place: Place | None
    rule: str

    def location(self) -> Location | None:
        return self.place.location() if self.place is not None else None


def trigger_site(trigger: Token, places: list[Place], verbal: bool = False, role: str = "trigger") -> Site:
    """The place where the event of ``trigger`` happened (the ``Place`` itself, so its span is known), and
    the name of the rule that tied it to the ``trigger`` (see ``PREP_RULES`` and ``LINK_RULES``), where it met
    it and the ``role`` of that word: "locative-on-trigger", "object-above-verb". A name the gazetteer cannot
    locate keeps its text but takes the coordinates of the town the text names right after it
    ("locative-on-trigger-town-after", see ``_named_town``)."""
    doc, sent = trigger.doc, trigger.sent
    ranked: list[tuple[tuple[int, bool, bool, int, bool, int, int], Span, Place, str]] = []
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
        local = place.feature_code is not None and place.feature_code not in AREA_FEATURES
        ranking = _rank(span.root, trigger, verbal, local)
        if ranking is None or ranking[0][0] > MAX_RANK:
            continue
        rank, rule = ranking
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
        ranked.append((key, span, place, rule))
    # a place the parse shows to hold another (not a building) as close to the event says where that one is
    kept = [
        (key, place, rule)
        for key, span, place, rule in ranked
        if not any(
            not k[1]
            and k[0] <= key[0] + CONTAIN_SLACK
            and _contains(span, s, _big(place, other), other.feature_code not in BIG_FEATURES)
            for k, s, other, _ in ranked
            if s != span
        )
    ]
    if not kept:
        return Site(None, "none")
    _, place, rule = min(kept, key=lambda kpr: kpr[0])
    if place.lat is None:
        named = _named_town(place, places, text_of(doc))
        if named is not None:  # the name the text gives, at the coordinates of the place named after it
            town, how = named
            at = replace(place, country=town.country, admin1=town.admin1, lat=town.lat, lon=town.lon)
            return Site(at, f"{rule}-{role}-{how}")
    return Site(place, f"{rule}-{role}")


CHAIN_MARKS = {"(", ","}  # what comes between a place and the place it lies in: "Kera (Djibo, Soum)"
CODED_AS = words("coded_as_phrase")
CODING_VERBS = words("coding_verb")  # "Kera (coded as Djibo)": the report says which place it stands for
# what a place named after one the gazetteer cannot locate must not be, by how it is named: a container
# no bigger than a district (its seat), a landmark that is a point, a coded place that is not a whole country
NOT_NAMED_AFTER = {
    "town-after": {PCLI, "PCLD", "PCLS", ADM1} | BROAD_FEATURES | NARROW_FEATURES,
    "landmark-after": AREA_FEATURES,
    "coded-after": {PCLI},
}
MAX_LANDMARK_KM = 50  # a landmark further off than this says little of where a place lies
_LANDMARK = re.compile(
    r"^[,(]?\s*(?:(?:about|some|around|approximately|roughly)\s+)?"
    r"(?:(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>[a-z]+)\s+)?(?P<rel>[a-z]+)(?:\s+of)?$"
)


def _named_town(place: Place, others: list[Place], text: str) -> tuple[Place, str] | None:
    """For a ``place`` the gazetteer cannot locate, a located place the text names right after it, and how:

    - ``town-after``: the town or district named as the place it lies in ("Kera (Djibo, Soum)", "Kera, Djibo
      commune"): the first of that chain that the gazetteer locates (a district at its point: most of a
      district's villages lie near its seat), unless a region or a country comes first (a village somewhere
      in a region is not at its capital);
    - ``coded-after``: the place the report says it stands for ("Kera (coded as Djibo)"), any but a country;
    - ``landmark-after``: a landmark it lies near ("Kera, near Djibo", "Kera, west of Djibo", "Kera, 20km
      from Djibo"; not one over ``MAX_LANDMARK_KM`` off), a town or a site, not an area."""
    end, how = place.span[1], "town-after"
    for other in sorted(others, key=lambda p: p.span[0]):
        if other.span[0] < end:
            continue
        gap = " ".join(text[end : other.span[0]].lower().split())
        if how == "town-after" and gap.lstrip(",( ") in CODED_AS:
            how = "coded-after"
        elif how == "town-after" and _landmark_gap(gap):
            how = "landmark-after"
        elif gap not in CHAIN_MARKS:
            return None
        if other.feature_code in NOT_NAMED_AFTER[how]:
            return None
        if other.lat is not None:
            return other, how
        end = other.span[1]
    return None


def _landmark_gap(gap: str) -> bool:
    """Whether the words between two names make the second a landmark near the first: "near", ", west of",
    "(about 9km from"."""
    m = _LANDMARK.match(gap)
    if m is None:
        return False
    rel, n, unit = m["rel"], m["n"], m["unit"]
    if rel not in DIRECTIONS and rel not in NEAR_PREPS and not (rel == "from" and n):
        return False
    if n is None:
        return unit is None
    km = float(n) * (MILE_KM if unit.startswith("mile") else 1.0)
    return unit.removesuffix("s") in DISTANCES and km <= MAX_LANDMARK_KM


def event_place(trigger: Token, places: list[Place], verbal: bool = False) -> Place | None:
    """The place where the event of ``trigger`` happened (the ``Place`` itself, so its span is known)."""
    return trigger_site(trigger, places, verbal).place


def event_location(trigger: Token, places: list[Place], verbal: bool = False) -> Location | None:
    """Where the event of ``trigger`` happened, from its article's places; None when the text does not say.

    A ``verbal`` event (a statement, appeal, accusation, agreement) is located only by a place that hangs on
    its trigger through prepositions: "During a meeting in Washington, they agreed to talks in Niamey" is an
    agreement in Washington."""
    p = event_place(trigger, places, verbal)
    if p is None:
        return None
    return p.location()


def event_sites(found: list[Found], places: list[Place], dateline: Place | None = None) -> list[Site]:
    """Where each event found in one sentence happened, and the rule that decided it; the first of these
    that says decides:

    - ``<rule>-on-trigger`` (or ``-above-trigger``, on a word the trigger hangs on): the place the parse ties
      to the event's trigger by ``<rule>`` (see ``trigger_site``); a saying only through prepositions; a
      place that names a party's origin ("US troops", "help from Russia") never;
    - ``<rule>-on-verb`` (``-above-verb``): the place the parse ties to the verb that carries the trigger
      ("launched an attack in Gao");
    - ``head-clause``: the place of the event whose clause this one's hangs on ("gathered at a protest in
      Niamey, demanding ...");
    - ``coded-as``: the place the report says it codes the event at ("(coded as Djibo)"), which also locates
      a place of the event's own that the gazetteer cannot (``<rule>-coded-as``);
    - ``dateline``: the place the story's dateline names;
    - ``none``."""
    own = [_own_site(f, places) for f in found]
    by_anchor = {f.anchor.i: site.place for f, site in zip(found, own, strict=True) if site.place is not None}
    coded = _coded_place(places, text_of(found[0].trigger.token.doc)) if found else None
    sites = []
    for f, site in zip(found, own, strict=True):
        if site.place is None:
            held = by_anchor.get(f.anchor.head.i) if f.anchor.dep_ in HEAD_CLAUSE_LINKS else None
            if held is not None:
                site = Site(held, "head-clause")
            elif coded is not None:
                site = Site(coded, "coded-as")
            elif dateline is not None:
                site = Site(dateline, "dateline")
        elif site.place.lat is None and coded is not None:
            at = replace(site.place, country=coded.country, admin1=coded.admin1, lat=coded.lat, lon=coded.lon)
            site = Site(at, f"{site.rule}-coded-as")
        sites.append(site)
    return sites


def _coded_place(places: list[Place], text: str) -> Place | None:
    """The located place a report says it codes the sentence's events at ("..., between two villages (coded
    as Djibo)")."""
    for p in places:
        before = re.findall(r"[a-z]+", text[max(0, p.span[0] - 24) : p.span[0]].lower())
        if p.lat is not None and len(before) >= 2 and before[-1] == "as" and before[-2] in CODING_VERBS:
            return p
    return None


def _own_site(f: Found, places: list[Place]) -> Site:
    for tok, role in ((f.trigger.token, "trigger"), (f.anchor, "verb")):
        if role == "verb" and tok.i == f.trigger.token.i:
            break
        site = trigger_site(tok, places, f.trigger.verbal, role)
        if site.place is not None:
            return site
    return Site(None, "none")


def dateline_place(line: tuple | None, places: list[Place]) -> Place | None:
    """The place a dateline names ("DAKAR, Senegal -"): where an event the story does not place happened."""
    if not line or not line[0]:
        return None
    city = line[0].split(",")[0].strip().lower()  # "DAKAR, Senegal": the city
    for p in places:
        if p.span[0] < line[2] and p.text.lower() == city and p.name:
            return p
    return None
