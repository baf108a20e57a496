"""Where an event happened: the place the parse attaches to an event's predicate. A locative or object of
the trigger first (or where a move ends: "marched to X"), the narrower of equally close places (a town over
a building named in it, a neighbourhood over its city: "Gao's neighborhood of Sosso"), never one inside a
reported clause, a relative clause ("a Malian who was born in Ghana") or a passive's agent ("captured by
Iran"); a verbal event only through prepositions."""

from __future__ import annotations

from spacy.tokens import Span, Token

from dyads.attributes.gazetteer import ADM1, ADM2, BROAD_FEATURES, NARROW_FEATURES, PCLI, PPLC
from dyads.attributes.places.mentions import (
    ASSAULTS,
    BUILDINGS,
    DIRECTIONS,
    PLACE_NOUNS,
    PLACE_VERBS,
    holder,
)
from dyads.model import Location, Place
from dyads.wordclasses import words

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
FACILITIES = BUILDINGS | words("facility")  # buildings named after their owner, not landmarks

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
# anything else (a town, a local name) comes last
SPECIFICITY = {PCLI: 0, ADM1: 1, ADM2: 2} | dict.fromkeys(BROAD_FEATURES, 0)
SPECIFICITY |= dict.fromkeys(NARROW_FEATURES, 1)
CONTAIN_SLACK = 2  # how much further from the event a held place may hang and still beat its holder
BUILDING_RANK = 3  # a building named after its owner says less of where than a town a little further off
ARGUMENTS = {"nsubj", "nsubjpass", "dobj"}
SUBJECTS = {"nsubj", "nsubjpass"}
NOUN_PHRASE = {"compound", "amod", "nmod", "appos", "conj", "poss", "npadvmod", "cc"}


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
                meanwhile = meanwhile or dep == "relcl" and up.lemma_.lower() in VIOLENCE - WHOLE_WAR
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
