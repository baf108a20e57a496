"""Events from a parsed sentence: predicates from the lexicon, actor and recipient from the parse.

For each trigger the lexicon finds, the arguments come from the dependency parse: subject and
object, passive agent, coordination ("Mali and Burkina Faso expelled"), appositions, the subject
of a governing verb for xcomp/conj chains ("agreed to start"), light verbs and event nouns
("held talks with", "gathered at a protest"), "between X and Y". A neutral report needs nothing
special: "X said Y attacked Z" codes the trigger "attacked", whose own subject is Y. A claim that another
party did a conflict act is also an accusation ("Peru claimed that Bolivian troops attacked"), a denial a
rejection; what they say was done is coded too, as claimed (``_claims``, ``_attributed``). An intent or a
threat is the event, and the act it announces is coded beside it as future (``_content_act``). Each
sentence's main event comes first, marked ``root`` (``_rank_main``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date

from spacy.tokens import Span, Token

from dyads.ents import ent_at, ents_in
from dyads.events.lexicon import Recoding, Trigger, load_lexicon, trigger_order
from dyads.kb import Coded, load_kb
from dyads.model import Actor
from dyads.syntax import auxiliaries, lemmas
from dyads.wordclasses import words

SUBJ = {"nsubj", "csubj"}
NP_KEEP_PREPS = {"of", "from"}
NP_DROP = {"relcl", "acl", "appos", "conj", "cc", "punct", "advcl", "prep", "det:predet", "dep"}
INTRANSITIVE_NOUNS = words("intransitive_noun")  # "the withdrawal of US troops": the "of" phrase acts
# A trigger governed by one of these types is the content of that event (what was demanded,
# threatened, rejected), not an event of its own.
VERBAL_CONFLICT = {"REQUEST", "ACCUSE", "REJECT", "THREATEN"}
CONTENT_TAKING = VERBAL_CONFLICT | {"AGREE"}
DEFAULT_RECIPIENT_PREPS = ("with", "against", "to", "on", "at", "toward", "towards", "into")
NAMED = {"PERSON", "ORG", "NORP", "GPE"}
NOT_ACTORS = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"}
# A statement that blames someone for deaths or suffering is an accusation of abuses (CAMEO 1122).
ACCUSE_HARM_CAMEO = "1122"
HARM_VERBS = words("harm_verb")
CAUSE_PREPS = words("cause_prep")
REJECTED_WHEN_NEGATED = words("refusable_verb")
REJECT_CAMEO = "120"
COREF_WORDS = words("coref_noun")
GOV_WORDS = words("government_noun")
PRONOUNS = words("pronoun")
MATERIEL = words("materiel")
# Participles that say how the subject stands, not what was done to it ("is opposed to", "is committed to",
# "were engaged in fighting", "was involved in attacks").
STATIVE_PARTICIPLES = words("stance_participle")
# Participles that tie a group to where it is from: "based in", "fleeing", "affiliated with".
ORIGIN_PARTICIPLES = words("origin_participle")
ORIGIN_PREPS = words("origin_prep")
PERSONAL = words("personal_pronoun")
HUMAN_PRONOUNS = PERSONAL | words("group_pronoun")  # someone, even when the story never says who
PLACES_AND_BODIES = {"GPE", "ORG", "NORP", "LOC", "FAC"}
# Clauses a pronoun's antecedent may sit above: "Syria says it is willing", "X announced they would".
ANTECEDENT_CLIMB = {"ccomp", "xcomp", "conj", "advcl", "acomp"}
# An announced act is an intent (CAMEO 03 "intent to ...") or, when it would hurt, a threat (CAMEO 13):
# "Israel will evacuate the settlements" → AGREE; "they would blockade Paris" → THREATEN.
FUTURE_AUX = words("future_aux")
INTENT_AUX = FUTURE_AUX | words("intent_aux")  # "said it would withdraw": an announced intent
THREAT_AUX = INTENT_AUX | words("threat_aux")
INTENT_GOVERNORS = words("intent_verb")  # "plans to impose", "wants to withdraw"; not "considers" (014)
INTENT_CODES = {
    "04": "036",
    "045": "039",
    "05": "032",
    "06": "031",
    "07": "033",
    "071": "0331",
    "072": "0332",
    "073": "0333",
    "074": "0334",
    "08": "035",
    "081": "0351",
    "082": "0352",
    "083": "034",
    "084": "0353",
    "085": "0354",
    "086": "0355",
    "087": "0356",
}
THREAT_CODES = {
    "14": "133",
    "16": "131",
    "161": "1313",
    "162": "1311",
    "163": "1312",
    "164": "1313",
    "165": "134",
    "166": "136",
    "17": "137",
    "172": "132",
    "18": "1383",
    "19": "1384",
    "191": "1381",
    "192": "1382",
    "20": "1385",
}
# Aid of each kind, cut: "suspended food shipments" (073) is a cut of humanitarian aid (1623).
RIOT_CAMEO = "145"
PROPERTY_CAMEO = "171"  # seize or damage property
AID_CUT_CODES = {"07": "162", "071": "1621", "072": "1622", "073": "1623"}
# A trigger in a phrase of time or place is a circumstance of its governor, not its content
# ("agreed during a meeting").
CIRCUMSTANCE_PREPS = words("circumstance_prep")
CONDITION_MARKS = words("condition_mark")
# "X said Y must do Z" is a demand made of Y (CAMEO 10).
DEMAND_AUX = words("demand_aux")
DEMAND_CAMEO = "100"
SPEECH_VERBS = words("speech_verb")


@dataclass
class ArticleContext:
    """What a story has said so far: for "the country", "the junta", "it"."""

    published: date | None
    countries: Counter = field(default_factory=Counter)
    last_actor: list[Actor] = field(default_factory=list)

    def note_countries(self, sent: Span) -> None:
        kb = load_kb()
        for ent in ents_in(sent):
            if ent.label_ in ("GPE", "NORP") and not _ethnic(ent):
                code = kb.country(ent.text)
                if code:
                    self.countries[code] += 1

    def focus(self) -> str | None:
        return self.countries.most_common(1)[0][0] if self.countries else None


@dataclass
class Found:
    """One event found in a sentence, before dates, places and factuality are attached."""

    trigger: Trigger
    anchor: Token  # the verb that carries tense, mood, dates and places for this event
    actor: list[Actor]
    recipient: list[Actor]
    root: bool = False  # the sentence's main event (see ``_rank_main``)


def _probe(toks: Span | Token) -> Coded:
    """The knowledge base's reading of a phrase, for the look-ups deep in the parse walk that only ask
    whether it names someone: as of the story's date (``doc.user_data["published"]``, set where the article
    is parsed), so that they do not depend on the day the code runs."""
    return load_kb().code_actor(toks.text, toks.doc.user_data.get("published"))


def extract(sent: Span, ctx: ArticleContext) -> list[Found]:
    ctx.note_countries(sent)
    lex = load_lexicon()
    recoded = [(t, _recode(_cut_aid(t, lex), lex)) for t in lex.triggers(sent)]
    triggers = [new for _, new in recoded]
    # an announced act is also coded as itself, after the intent or threat ("will withdraw": AGREE, then a
    # RETREAT whose factuality is future)
    announcing = (Recoding.INTENT, Recoding.THREAT)
    announced = {new.token.i: old for old, new in recoded if new.recoding in announcing}
    spent = _intent_verbs(triggers, announced)
    triggers = [t for t in triggers if t.token.i not in spent]
    demands = _demands(sent, {t.token.i for t in triggers}, lex)
    claims, recipients = _claims(triggers, lex)  # by trigger token: the accused, or the one appealed to
    wishes, addressed = _wishes(triggers, lex)
    recipients |= addressed
    if demands or claims or wishes:  # in the lexicon's order, the main clause's first: "X said Libya must"
        triggers = sorted(triggers + demands + claims + wishes, key=trigger_order)
    triggers = [t for t in triggers if t.info.event and not _vetoed(t)]
    by_head = {t.token.i: t for t in triggers}
    # "Israeli warplanes struck X", "a suicide bomber killed twelve": a noun the verb's event is done by or
    # with is that event, not one of its own
    triggers = [t for t in triggers if not _means_of(t, by_head)]
    by_head = {t.token.i: t for t in triggers}
    governors = {t.token.i: _content_governor(t.token, by_head) for t in triggers}
    found: list[Found] = []
    for trig in triggers:
        gov = governors[trig.token.i]
        if gov is not None and not _attributed(trig.token, gov):
            continue
        anchor = _anchor(trig.token)
        actor_toks, recip_toks = _arguments(trig)
        trig, actor_toks, recip_toks = _riot(trig, actor_toks, recip_toks, lex)
        if trig.recoding == Recoding.ACCUSATION:
            recip_toks = [_blamed_harm(trig.token)]
        if trig.token.i in recipients:
            recip_toks = recipients[trig.token.i]
        if gov is not None and gov.info.event == "ACCUSE":  # "accused Y of attacking": Y is said to attack
            actor_toks = _arguments(gov)[1] or actor_toks
        if not recip_toks and trig.info.event in CONTENT_TAKING:
            recip_toks = _content_recipient(trig, triggers, governors)
        actor, a_spans = _code_all(actor_toks, ctx)
        recipient, _ = _code_all(recip_toks, ctx)
        if not any(a.code for a in recipient) and trig.info.event == "THREATEN":
            # "threatened to strike unless Israel withdrew": the one the condition is set to is threatened
            cond, _ = _code_all(_condition_subject(trig.token), ctx)
            if any(a.code for a in cond):
                recipient = cond
        if not any(a.code for a in recipient):  # inferred, so its place may still say where it happened
            recipient = recipient + _nearest_coded(trig, actor_toks, a_spans, ctx)
        if not _has_party(trig, actor + recipient):
            continue
        found.append(Found(trig, anchor, actor, recipient))
        if trig.token.i in announced:
            found.append(Found(announced[trig.token.i], anchor, actor, recipient))
        act = _content_act(trig, lex)
        if act is not None:
            found += _content_found(act, trig, recip_toks, ctx)
    _share_protest_targets(found)
    # an event nobody is named in comes after those with parties ("militants attacked the village, shops were
    # burned": the attack is the sentence's event)
    found.sort(key=lambda f: not (f.actor or f.recipient))
    found = _rank_main(found)
    if found and found[0].actor:
        ctx.last_actor = found[0].actor
    return found


def _means_of(trig: Trigger, by_head: dict[int, Trigger]) -> bool:
    """Whether ``trig`` is a noun that is the subject of a verb trigger of the same type."""
    tok = trig.token
    if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = by_head.get(tok.head.i)
    return verb is not None and verb is not trig and verb.info.event == trig.info.event


def _has_party(trig: Trigger, parties: list[Actor]) -> bool:
    """Whether an event is worth a record: someone takes part in it that we can say something about (a
    country, a sector, a named or unnamed person: "a trader was shot dead", "he was abducted"), or it is
    violence the main clause reports, which is an event even when the text names no one ("fighting broke
    out", "shots were fired at the checkpoint"); PLOVER and POLECAT leave the codes null. Violence named
    in passing with no one in it ("war-torn", "after days of fighting") is background."""
    return bool(parties) or (trig.info.quad_code == 4 and _main_clause(trig.token))


def _main_clause(tok: Token) -> bool:
    """Whether a trigger is the main clause's verb (or one coordinated with it), or the subject of that
    verb ("fighting broke out")."""
    if tok.pos_ not in ("VERB", "AUX"):
        if tok.dep_ not in ("nsubj", "nsubjpass"):
            return False
        tok = tok.head
    while tok.dep_ == "conj" and tok.head != tok:
        tok = tok.head
    return tok.dep_ == "ROOT"


# CAMEO codes of an accusation read off a claim ("claimed that Bolivian troops had attacked"): of aggression
# when the act claimed is an assault, else unspecified.
CLAIM_CAMEO = {"ASSAULT": "1123"}
ACCUSE_CAMEO = "112"


def _claims(triggers: list[Trigger], lex) -> tuple[list[Trigger], dict[int, list[Token]]]:
    """ "Peru claimed that Bolivian troops had attacked a border post": saying that another party did a
    conflict act accuses it (ACCUSE, the party as recipient); the act is coded too, as claimed (see
    ``_attributed``). A claim about oneself or one's own side ("the rebels claimed they had shot down a
    helicopter") accuses no one. Returns the new accusation triggers and, by the token of each accusation,
    the accused."""
    by_head = {t.token.i: t for t in triggers}
    made: list[Trigger] = []
    accused: dict[int, list[Token]] = {}
    for t in triggers:
        head = t.token.head
        if (
            t.info.quad_code not in (3, 4)
            or not t.info.event
            or t.token.dep_ != "ccomp"
            or head.lemma_.lower() not in words("claim_verb")
        ):
            continue
        culprit = _arguments(t)[0]
        if not culprit or culprit[0].lower_ in PRONOUNS | {"we", "i", "our"} or head.i in accused:
            continue
        own = by_head.get(head.i)
        if own is not None and own.info.event and own.info.event != "ACCUSE":
            continue  # the saying is already some other event
        accused[head.i] = culprit
        if own is None or not own.info.event:
            info = lex.cameo(CLAIM_CAMEO.get(t.info.event, ACCUSE_CAMEO))
            rule = f"{Recoding.CLAIM}:{head.lemma_.lower()}"
            made.append(Trigger(head, (head.i, head.i + 1), info, rule, (), recoding=Recoding.CLAIM))
    return made, accused


# The appeal (CAMEO 02) for wanting another party to do an act of a given code ("wants Iran to release the
# sailors" → 0253, appeal to release people), by the act's code prefix; 020 for any other act.
APPEAL_CODES = {
    "04": "026",
    "05": "022",
    "06": "021",
    "07": "023",
    "08": "025",
    "081": "0251",
    "083": "024",
    "084": "0253",
    "085": "0254",
    "087": "0256",
}
APPEAL_CAMEO = "020"


def _wisher(verb: Token) -> Token | None:
    """The verb of wanting whose complement has a subject of its own, another party's ("the United States
    wants Iran to halt", "Mali hopes Algeria will release"), or None."""
    head = verb.head
    if verb.dep_ not in ("ccomp", "xcomp") or head == verb or not lemmas(head) & words("wish_verb"):
        return None
    subj = [t for t in _children(verb, SUBJ) if not _expletive(t)]
    return head if subj and subj[0].lower_ not in PRONOUNS | {"we", "i", "you"} else None


def _wishes(triggers: list[Trigger], lex) -> tuple[list[Trigger], dict[int, list[Token]]]:
    """ "The United States wants Iran to release the sailors": wanting another party to act is an appeal to
    it (REQUEST, CAMEO 02x by what is wanted), not that party's intent; what is wanted is its content. Returns
    the appeal triggers and, by the token of each, the party appealed to."""
    made: list[Trigger] = []
    addressed: dict[int, list[Token]] = {}
    taken = {t.token.i for t in triggers if t.info.event}
    for t in triggers:
        head = _wisher(t.token)
        if head is None or not t.info.event or head.i in taken or head.i in addressed:
            continue
        code = _mapped(t.info.cameo, APPEAL_CODES) or APPEAL_CAMEO
        verb = min(lemmas(head) & words("wish_verb"))
        rule = f"{Recoding.WISH}:{verb}"
        made.append(Trigger(head, (head.i, head.i + 1), lex.cameo(code), rule, (), recoding=Recoding.WISH))
        addressed[head.i] = [s for s in _children(t.token, SUBJ) if not _expletive(s)][:1]
    return made, addressed


def _attributed(tok: Token, gov: Trigger) -> bool:
    """Whether an act under an event that takes it as content is coded too: what a claim, a denial or an
    accusation says someone did ("claimed that troops attacked", "denied that its army bombed the market",
    "dismissed allegations that its soldiers killed", "accused Y of shelling") is an event on someone's
    word, coded as claimed. What is demanded, threatened or promised is not (it is that event's content)."""
    lemma = gov.token.lemma_.lower()
    if tok.dep_ in ("ccomp", "xcomp") and tok.head == gov.token:  # "denied that it bombed", "denied bombing"
        return lemma in words("claim_verb") or lemma in words("denial_verb")
    noun = tok.head  # "rejected claims that its jets struck a school"
    if tok.dep_ in ("acl", "ccomp") and noun.pos_ == "NOUN" and noun.lemma_.lower() in words("claim_noun"):
        return noun.head == gov.token
    return tok.dep_ == "pcomp" and gov.info.event == "ACCUSE" and tok.head.head == gov.token


def _content_act(trig: Trigger, lex) -> Trigger | None:
    """The act an intent, a threat or an accusation names inside its own trigger ("pledged to send troops",
    "threatened to cut gas supplies", "accused Y of attacking"): coded as itself too, so that the act is
    on record with its factuality (future, claimed) beside the intent or accusation, never as asserted."""
    if trig.info.event not in ("AGREE", "THREATEN", "ACCUSE") or trig.token.pos_ not in ("VERB", "AUX"):
        return None
    doc = trig.token.doc
    for tok in (doc[i] for i in range(*trig.tokens)):
        head = tok.head.head if tok.head.pos_ == "ADP" else tok.head
        if tok.pos_ != "VERB" or tok.dep_ not in ("xcomp", "pcomp") or head != trig.token:
            continue
        act = lex.verb_trigger(tok)
        if act is not None and act.info.event and act.info.event not in CONTENT_TAKING | {"ACCUSE"}:
            return act
    return None


def _content_found(act: Trigger, trig: Trigger, recip_toks: list[Token], ctx: ArticleContext) -> list[Found]:
    """The act inside an intent, threat or accusation as an event of its own: done by the one who announced
    it, or by the one accused of it."""
    actor_toks, act_recip = _arguments(act)
    if trig.info.event == "ACCUSE":
        actor_toks = recip_toks
    actor, _ = _code_all(actor_toks, ctx)
    recipient, _ = _code_all(act_recip, ctx)
    if not any(a.code or a.sector for a in actor + recipient):
        return []
    return [Found(act, _anchor(act.token), actor, recipient)]


def _intent_verbs(triggers: list[Trigger], announced: dict[int, Trigger]) -> set[int]:
    """ "Mali seeks to leave the alliance", "Chad pledged to reopen the border": where the act was recoded as
    the intent it announces, the verb of wanting or promising is no event of its own (seeking to leave is no
    appeal). The tokens of those verbs."""
    return {t.token.head.i for t in triggers if t.token.i in announced and t.token.dep_ == "xcomp"}


def _reports(verb: Token) -> bool:
    """A neutral report verb with what it reports as its clause ("officials said troops attacked")."""
    return bool(lemmas(verb) & words("report_verb")) and bool(_children(verb, {"ccomp"}))


def _rank_main(found: list[Found]) -> list[Found]:
    """The sentence's main event first, marked ``root`` (GDELT's IsRootEvent): of the events that are not
    background, those with a party before those without, an act told as an addition ("the militants also
    seized livestock") after the others, then the one nearest the main clause (``_clause_depth``), in text
    order; among the acts coordinated with it, the gravest (``_gravest``). Exactly one per sentence that has
    events."""
    if not found:
        return found
    rank = {id(f): k for k, f in enumerate(found)}  # ties keep the extraction order: an intent before its act

    def key(f: Found) -> tuple:
        tok = f.trigger.token
        return (
            _background(tok),
            not (f.actor or f.recipient),
            _added(tok),
            f.trigger.info.cameo == "010",
            _clause_depth(tok),
            tok.i,
            rank[id(f)],
        )

    main = _gravest(min(found, key=key), found)
    main.root = True
    return [main, *(f for f in found if f is not main)]


def _clause_depth(tok: Token) -> int:
    """How far a trigger sits below the root of the parse, where a clause spliced on with a comma before the
    root ("militants attacked the post, the building was burned": the parser makes the first clause the
    second's complement) counts as a main clause: it is no report of the verb it hangs on unless that verb
    takes a clause ("troops attacked the post, officials said")."""
    depth = 0
    while tok.head.i != tok.i:
        if not _spliced(tok):
            depth += 1
        tok = tok.head
    return depth


def _spliced(clause: Token) -> bool:
    """A clause the parser hung as the complement of a later verb, across a comma, that is a sentence of its
    own: it has a subject and the later verb takes no clause (not "say", "report", "claim", "note", ...)."""
    head = clause.head
    if clause.dep_ != "ccomp" or clause.i > head.i or lemmas(head) & words("clause_taking_verb"):
        return False
    after = clause.right_edge.i + 1
    return (
        after < head.i
        and clause.doc[after].text in (",", ";")
        and bool(_children(clause, SUBJ | {"nsubjpass"}))
    )


def _added(tok: Token) -> bool:
    """An act told as one more thing done ("the gunmen also seized two vehicles", "one was also wounded")."""
    verb = _anchor(tok)
    return any(c.dep_ == "advmod" and c.lower_ in words("addition_adverb") for c in verb.children)


# How grave an act is, for choosing among acts done together: violence against people, then other material
# conflict (an arrest, a seizure, entering a village), then threats, accusations and refusals.
def _gravity(trig: Trigger) -> int:
    if trig.info.event == "ASSAULT":
        return 2
    return {4: 1, 3: 0}.get(trig.info.quad_code or 0, -1)


def _gravest(main: Found, found: list[Found]) -> Found:
    """A conflict act whose verb is coordinated with a graver one ("arrested and executed", "captured and
    killed", "entered the village, killing three", "threatened a herder and seized his goats") yields to it:
    a report of acts done together is about its worst (``_gravity``, then the lowest Goldstein score). Not an
    act only announced ("will bring them to trial"), nor the act an intent or threat announces."""
    verb = main.trigger.token
    if _gravity(main.trigger) < 0 or verb.pos_ not in ("VERB", "AUX"):
        return main
    group = set(c.i for c in verb.conjuncts)
    participles = (c for c in verb.children if c.dep_ == "advcl" and c.tag_ == "VBG")
    group |= {c.i for c in participles if not _children(c, {"mark"})}
    doc = verb.doc
    group -= {i for i in group if {a.lower_ for a in auxiliaries(doc[i])} & THREAT_AUX}
    graver = [
        f
        for f in found
        if _gravity(f.trigger) > _gravity(main.trigger)
        and f.trigger.token.i in group
        and not _background(f.trigger.token)
    ]
    return min(graver, key=lambda f: (-_gravity(f.trigger), f.trigger.info.goldstein), default=main)


def _background(tok: Token) -> bool:
    """Whether an event sets the scene rather than being what the sentence reports: inside a relative clause
    or a participle on a noun ("the ministry, which has detained hundreds, ..."), a clause or phrase of time
    ("after police arrested ...", "after clashes")."""
    marks = words("background_mark")
    cur = tok
    while cur.head != cur:
        if cur.dep_ in ("relcl", "acl"):
            return True
        if cur.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in marks for c in cur.children):
            return True
        if cur.dep_ == "advcl" and cur.tag_ == "VBG" and _reports(cur.head):
            return True  # "..., the minister said, slamming ...": an aside to what was reported
        if cur.dep_ in ("pobj", "pcomp") and cur.head.lower_ in marks:
            return True
        cur = cur.head
    return False


def _recode(trig: Trigger, lex) -> Trigger:
    """The type the sentence gives a predicate beyond its word: a refusal, a demand, an intent, a threat,
    an accusation."""
    tok = trig.token
    if trig.info.cameo[:2] == "01" and _blamed_harm(tok) is not None:
        return _with_code(trig, lex, ACCUSE_HARM_CAMEO, Recoding.ACCUSATION)
    if tok.pos_ not in ("VERB", "AUX") or not trig.info.event:
        return trig
    negated = any(c.dep_ == "neg" or c.lower_ in ("nobody", "no one") for c in tok.children) or any(
        d.lower_ == "no" for c in _children(tok, SUBJ | {"nsubjpass"}) for d in c.children
    )
    aux = {c.lower_ for c in auxiliaries(tok)}
    quad = trig.info.quad_code
    if negated and (tok.lemma_.lower() in REJECTED_WHEN_NEGATED or (quad in (1, 2) and aux & INTENT_AUX)):
        # "is not welcome", "did not accept", "will not release": a refused cooperation is a rejection.
        return _with_code(trig, lex, REJECT_CAMEO, Recoding.NEGATED)
    if negated:
        return trig
    if aux & DEMAND_AUX and trig.info.event not in VERBAL_CONFLICT:
        return _with_code(trig, lex, DEMAND_CAMEO, Recoding.DEMAND)
    if trig.info.cameo[:2] in ("03", "13") or tok.dep_ in ("relcl", "acl") or _wisher(tok) is not None:
        return trig  # "a resolution that would tighten sanctions" announces nothing of the speaker's
    if not (aux & THREAT_AUX or _intended(tok)):
        return trig
    if quad == 2 or trig.info.cameo[:2] in ("04", "05"):
        if (aux & INTENT_AUX or _intended(tok)) and _ultimatum(tok):
            # "will withdraw its force unless ..."
            return _with_code(trig, lex, ULTIMATUM_CAMEO, Recoding.THREAT)
        if aux & INTENT_AUX or _intended(tok):
            return _with_code(trig, lex, _mapped(trig.info.cameo, INTENT_CODES), Recoding.INTENT)
    elif quad == 4 or trig.info.cameo[:2] in ("14", "16"):
        return _with_code(trig, lex, _mapped(trig.info.cameo, THREAT_CODES), Recoding.THREAT)
    return trig


def _cut_aid(trig: Trigger, lex) -> Trigger:
    """Aid that a verb cuts is a cut of aid (CAMEO 162), not aid: "suspended food shipments", "military aid
    was frozen"."""
    tok = trig.token
    if trig.info.event != "AID" or tok.pos_ != "NOUN" or tok.dep_ not in ("dobj", "nsubjpass"):
        return trig
    verb = tok.head
    if verb.lemma_.lower() not in words("aid_cut_verb") or any(c.dep_ == "neg" for c in verb.children):
        return trig
    return _with_code(trig, lex, _mapped(trig.info.cameo, AID_CUT_CODES), Recoding.CUT)


def _riot(
    trig: Trigger, actor: list[Token], recipient: list[Token], lex
) -> tuple[Trigger, list[Token], list[Token]]:
    """Violence by protesters is a riot (CAMEO 145), a protest, not a military clash: "protesters clashed with
    police", "police fought with demonstrators" (either side may be named first in a clash; the protesters
    act), "rioters attacked a police station", "demonstrators looted shops" (looting by armed men is a seizure
    of property). Police firing on protesters stays the police's own event."""
    if trig.info.event != "ASSAULT" and not trig.info.cameo.startswith(PROPERTY_CAMEO):
        return trig, actor, recipient

    def protesting(toks: list[Token]) -> bool:
        return any(c.lemma_.lower() in words("protester") for t in toks for c in (t, *t.conjuncts))

    if protesting(actor):
        return _with_code(trig, lex, RIOT_CAMEO, Recoding.RIOT), actor, recipient
    symmetric = {trig.token.lemma_.lower(), trig.token.lower_} & words("symmetric_fight")
    if symmetric and protesting(recipient):
        return _with_code(trig, lex, RIOT_CAMEO, Recoding.RIOT), recipient, actor
    return trig, actor, recipient


# An act announced on a condition the other side must meet is an ultimatum (CAMEO 139), not a promise.
ULTIMATUM_CAMEO = "139"


def _ultimatum(verb: Token) -> bool:
    """ "will withdraw its peacekeepers unless the government holds elections": the announced act hangs on an
    "unless" clause (on the act or on the verb announcing it)."""
    for head in (verb, verb.head):
        for clause in _children(head, {"advcl"}):
            if any(c.dep_ == "mark" and c.lower_ == "unless" for c in clause.children):
                return True
    return False


def _blamed_harm(verb: Token) -> Token | None:
    """What a statement blames for deaths or suffering: "claimed that civilians had lost their lives due to
    the presence of a force" → the force. Saying that someone caused harm is an accusation."""
    for clause in _children(verb, {"ccomp"}):
        harmed = clause.lemma_.lower() in HARM_VERBS or (
            clause.lemma_.lower() == "lose" and any(c.lemma_.lower() == "life" for c in clause.children)
        )
        if not harmed:
            continue
        for prep in clause.children:
            if prep.dep_ == "prep" and prep.lower_ in CAUSE_PREPS:
                for cause in [t for t in prep.subtree if t.dep_ == "pobj"][:1]:  # "due (to) the presence"
                    cause = _event_noun_patient(cause)
                    coded = _probe(phrase(cause, keep_preps=False))
                    if coded.code or coded.sector or cause.ent_type_ in NAMED:  # someone, not "heavy rains"
                        return cause
    return None


def _demands(sent: Span, taken: set[int], lex) -> list[Trigger]:
    """ "Russia said Sudan must return the helicopter": a demand, whatever the verb."""
    info = lex.cameo(DEMAND_CAMEO)
    out = []
    for tok in sent:
        if (
            tok.i not in taken
            and tok.pos_ in ("VERB", "AUX")
            and any(c.dep_ == "aux" and c.lower_ in DEMAND_AUX for c in tok.children)
            and not any(c.dep_ == "neg" for c in tok.children)
            and _speaker(tok)
            and _addressee(tok)
        ):
            rule = f"{Recoding.DEMAND}:must"
            out.append(Trigger(tok, (tok.i, tok.i + 1), info, rule, (), recoding=Recoding.DEMAND))
    return out


def _addressee(verb: Token) -> bool:
    """Whether the subject of a "must" clause is someone a demand can be made of: not "we", not "the deal"."""
    subj = _children(verb, {"nsubj"})
    if not subj or subj[0].lower_ in PRONOUNS | {"we", "i", "you"}:
        return False
    coded = _probe(phrase(subj[0], keep_preps=False))
    return bool(coded.code or coded.sector)


def _mapped(cameo: str, table: dict[str, str]) -> str | None:
    """The intent or threat code of an act ("0874" → "0356"); None where there is none (a mobilization)."""
    return table.get(cameo[:4]) or table.get(cameo[:3]) or table.get(cameo[:2])


def _with_code(trig: Trigger, lex, code: str | None, why: Recoding) -> Trigger:
    """The trigger recoded as ``code``, the recoding recorded (``recoding``) and named first in its rule."""
    info = lex.cameo(code) if code else None
    if info is None:
        return trig
    base = trig.info.quad_code if trig.base_quad is None else trig.base_quad
    return replace(trig, info=info, rule=f"{why}:{trig.rule}", base_quad=base, recoding=why)


def _intended(verb: Token) -> bool:
    """ "plans to impose", "is prepared to lift", "is set to withdraw": the act is announced, not done."""
    head = verb.head
    return (
        verb.dep_ == "xcomp"
        and head != verb
        and bool(lemmas(head) & INTENT_GOVERNORS)
        and not any(c.dep_ == "neg" for c in head.children)
    )


def _vetoed(trig: Trigger) -> bool:
    """A material event caused by no one: its subject (or, passive with no agent, its "in"/"by" cause) is a
    natural force, an accident or a market ("an earthquake struck", "workers were killed in a gas
    explosion"); an event noun that is itself an accident ("a boiler explosion")."""
    tok = trig.token
    if trig.info.quad_code not in (2, 4):
        return False
    if tok.pos_ not in ("VERB", "AUX"):
        return _accidental(tok)
    causes = _children(tok, SUBJ)
    if not causes and _children(tok, {"nsubjpass"}):
        causes = _pobjs(tok, ("by", "in"))
    return bool(causes) and _accidental(causes[0])


def _accidental(noun: Token) -> bool:
    """Whether a noun names a cause that is no one: "floods", "prices", "a fire" — but not "Israeli tank fire"
    or "sniper fire", whose modifier names who fired — or an accident by its modifier ("a gas explosion",
    "a factory fire", "a road accident")."""
    if noun.ent_type_ in NAMED:
        return False
    lemma = noun.lemma_.lower()
    mods = [c for c in noun.children if c.dep_ in ("amod", "compound", "nmod", "poss")]
    if lemma in words("accident_head") and any(m.lemma_.lower() in words("accident_modifier") for m in mods):
        return True
    if lemma not in words("non_agent"):
        return False
    return not any(m.lemma_.lower() in MATERIEL or _names_party(m) for m in mods)


def _names_party(tok: Token) -> bool:
    """Whether a word alone names a party: a country, a group, a sector ("Israeli", "police", "sniper")."""
    if tok.ent_type_ in NOT_ACTORS:
        return False
    coded = _probe(tok)
    return bool(coded.code or coded.sector)


def _content_governor(tok: Token, by_head: dict[int, Trigger]) -> Trigger | None:
    """The governing trigger that takes this one as its content ("demanding the withdrawal",
    "agreed to withdraw"), or None."""
    if tok.dep_ == "conj" and tok.pos_ == "VERB" and tok.head.pos_ == "VERB":
        return None  # "threatened a herder and seized his goats": a second act, not what was threatened
    cur = tok
    for _ in range(3):
        if cur.head == cur:
            return None
        if cur.dep_ == "pobj" and cur.head.lower_ in CIRCUMSTANCE_PREPS:
            return None  # "during a meeting", "after the attack": a circumstance, not the content
        if _spliced(cur):
            return None  # "staged a protest, the nurses demanded ...": a sentence of its own
        cur = cur.head if cur.dep_ != "pobj" else cur.head.head
        gov = by_head.get(cur.i)
        if gov is not None and gov.token != tok:
            return gov if gov.info.event in CONTENT_TAKING else None
        if cur.pos_ in ("VERB", "AUX"):
            return None
    return None


def _content_recipient(
    trig: Trigger, triggers: list[Trigger], governors: dict[int, Trigger | None]
) -> list[Token]:
    """A demand, promise or threat with no one named takes the recipient of what it is about
    ("willing to withdraw its troops from Lebanon", "threatened to strike the United States")."""
    # "demanding that the government provide information", "demanded that Hamas renounce its struggle against
    # Israel": the one the demand is made of, before whom what it asks for is done to
    if trig.info.event == "REQUEST":
        for comp in _children(trig.token, {"ccomp"}):
            subj = [t for t in _children(comp, SUBJ) if not _expletive(t)]
            if subj:
                return subj
    for other in triggers:
        if governors[other.token.i] is trig:
            recipient = _arguments(other)[1]
            if recipient:
                return recipient
    return []


def _condition_subject(verb: Token) -> list[Token]:
    """The subject of an "if"/"unless" clause on a threat or on what it threatens ("threatened to strike
    unless Israel withdrew", "threatened to stop talks if the United States goes ahead")."""
    for head in [verb, *_children(verb, {"xcomp", "ccomp"})]:
        for clause in _children(head, {"advcl"}):
            marks = [c for c in clause.children if c.dep_ == "mark" and c.lower_ in CONDITION_MARKS]
            if not marks:
                continue
            mark = marks[0]
            doc = verb.doc
            # the subject right after the "if", not one the parser has pulled in from across a comma
            subj = [
                t
                for t in _children(clause, SUBJ)
                if t.i > mark.i
                and not any(doc[k].is_punct for k in range(mark.i + 1, t.i))
                and not _expletive(t)
                and t.lower_ not in PRONOUNS
            ]
            if subj:
                return subj
    return []


def _anchor(tok: Token) -> Token:
    """The verb an event noun hangs on ("gathered at a protest" → gathered); a verb is its own anchor."""
    cur = tok
    for _ in range(3):
        if cur.pos_ in ("VERB", "AUX") or cur.head == cur:
            return cur
        cur = cur.head
    return cur if cur.pos_ in ("VERB", "AUX") else tok


def _children(tok: Token, deps: set[str]) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


def _pobjs(tok: Token, preps: tuple[str, ...] | set[str]) -> list[Token]:
    out = []
    for c in tok.children:
        if c.dep_ in ("prep", "agent", "dative") and c.lower_ in preps:
            out.extend(_children(c, {"pobj", "pcomp"}))
    return out


def _subject(verb: Token, verbal: bool = False) -> tuple[list[Token], list[Token]]:
    """(subject tokens, passive-subject tokens) of a verb, climbing xcomp/conj/advcl chains.

    A verbal event ("is not welcomed", said of a presence) also climbs out of a complement clause
    to the one who spoke; a material one does not ("X said troops were attacked": X attacked nobody).
    """
    passive = _children(verb, {"nsubjpass"})
    climb = {"xcomp", "conj", "advcl", "pcomp", "acomp"} | ({"ccomp"} if verbal else set())
    cur = verb
    for _ in range(5):
        subj = [t for t in _children(cur, SUBJ) if not _expletive(t)] or _pobjs(cur, ("by",))
        if subj and subj[0].tag_ in ("WDT", "WP") and cur.dep_ == "relcl":
            subj = [cur.head]  # "the only state that has strengthened ..."
        if subj:
            return subj, passive
        if cur != verb and _children(cur, {"nsubjpass"}):
            # "X is scheduled to attend", "X was set to sign": X attends, signs (a raising verb); "X was
            # asked to leave" says nothing of who leaves
            raised = cur.lemma_.lower() in words("raising_verb") and not passive
            return (_children(cur, {"nsubjpass"}) if raised else []), passive
        # "the sanctions imposed on Niger": done by someone unnamed — unless the noun is the root, when the
        # parser has taken the main verb for a participle ("The leader, X, engaged in talks ...")
        if cur.dep_ == "acl" and cur.tag_ == "VBN" and cur.head.dep_ != "ROOT":
            return [], passive
        if (
            cur.dep_ in ("relcl", "acl")
            and cur.head.pos_ in ("NOUN", "PROPN", "PRON")
            and cur.head.ent_type_ not in NOT_ACTORS
            and not passive
        ):
            issuer = _issuing_verb(cur.head)
            if issuer is None:
                return [cur.head], passive
            cur = issuer  # "issued a declaration demanding ...": the one who issued it demands
            continue
        if cur.dep_ in climb and cur.head != cur:
            cur = cur.head
            continue
        break
    return [], passive


def _issuing_verb(noun: Token) -> Token | None:
    """The verb whose object (or prepositional phrase) is a noun that names no one ("issued a statement",
    "said in a communique"): the one who issued it is the one the noun's clause speaks for."""
    if noun.ent_type_ in NAMED or noun.pos_ == "PRON":
        return None
    coded = _probe(phrase(noun))  # "the obligation of the UN to act": the UN acts
    if coded.code or coded.sector:
        return None
    head = noun.head
    if noun.dep_ == "pobj" and head.dep_ == "prep":
        head = head.head
    elif noun.dep_ != "dobj":
        return None
    return head if head.pos_ in ("VERB", "AUX") else None


def _expletive(tok: Token) -> bool:
    """ "it" in "made it clear that", "there" in "there were clashes"."""
    return tok.lower_ == "there" or (tok.lower_ == "it" and tok.head.pos_ == "ADJ")


def _arguments(trig: Trigger) -> tuple[list[Token], list[Token]]:
    tok = trig.token
    preps = tuple(trig.recipient_preps) or DEFAULT_RECIPIENT_PREPS
    inside = set(range(*trig.tokens))
    verbal = trig.info.quad_code in (0, 1, 3)
    if tok.pos_ in ("VERB", "AUX"):
        if trig.recoding == Recoding.DEMAND:  # "X said Y must hand over": X demands of Y
            return _speaker(tok), [t for t in _children(tok, SUBJ) if not _expletive(t)]
        actor, passive = _subject(tok, verbal)
        if not actor:  # "Turkish artillery shelling", "were killed in Israeli air strikes"
            causes = _pobjs(tok, ("in", "by")) if passive else []
            actor = _modifier_party(tok) or next(filter(None, map(_modifier_party, causes)), [])
        if passive and tok.lemma_.lower() in STATIVE_PARTICIPLES:
            # "Israel is opposed to French mediation": Israel opposes it, also when someone said so
            actor, passive = passive, []
        if passive and all(t.i in inside and t.lemma_.lower() in words("sent_force") for t in passive):
            # "Ghanaian troops were deployed to Mali": sent by their own side, not its recipient
            actor, passive = actor or passive, []
        # a dative is never part of the trigger ("give Tanzania a grant")
        recipient = passive or [
            _dative_object(c)
            for c in _children(tok, {"dobj", "dative", "attr"})
            if c.i not in inside or c.dep_ == "dative"
        ]
        # A direct object that is itself an event noun: its "of"-phrase is the recipient
        # ("demanding the withdrawal of US forces").
        recipient = [_event_noun_patient(r) for r in recipient]
        if not recipient:
            recipient = [p for p in _pobjs(tok, preps) if p.i not in inside]
        if not recipient:
            recipient = _inside_recipient(trig, preps)
        if not recipient:  # "threatened to attack Kinshasa": the object of the act threatened
            for comp in (c for c in _children(tok, {"xcomp"}) if c.i in inside):
                recipient = _children(comp, {"dobj", "dative"}) or _pobjs(comp, preps)
        if not recipient:
            recipient = _pobjs(tok, ("between", "among"))
        if not recipient:  # "met Assad Tuesday", parsed as a weekday "Tuesday" the verb's modifier
            recipient = [p for c in _children(tok, {"npadvmod"}) if (p := _before_date(c)) is not c]
        if not recipient and trig.info.event == "PROTEST":
            recipient = _protested(tok)
        return actor, recipient
    # an event noun
    actor = _children(tok, {"poss"}) + _pobjs(tok, ("by",))
    recipient = []
    of = _pobjs(tok, ("of",))
    # "in protest of the levy": what is protested, not who protests
    protested = tok.dep_ == "pobj" and tok.head.lower_ == "in" and tok.lemma_.lower() == "protest"
    if of:
        if tok.lemma_.lower() in INTRANSITIVE_NOUNS and not actor and not protested:
            actor = of
            # "the withdrawal of some forces from Panama": where they leave is the recipient, and forces
            # that name no one are sent by whoever carries the withdrawal out
            recipient = _pobjs(of[0], ("from",)) if trig.info.event == "RETREAT" else []
            anchor = _anchor(tok)
            if recipient and anchor != tok and not _probe(phrase(of[0], keep_preps=False)).code:
                actor = _subject(anchor, verbal)[0] or actor
        else:
            recipient = of
    # "a loan from China", "threats from the junta": who it comes from acts; "the withdrawal from Mali": where
    # the withdrawal leaves receives it
    if (trig.info.event or "").lower() in words("left_from_type"):
        recipient = recipient or _pobjs(tok, preps + ("from",))
    else:
        recipient = recipient or [p for p in _pobjs(tok, preps) if p.head.lower_ != "from"]
        actor = actor or _pobjs(tok, ("from",))
    if not recipient and tok.dep_ == "dobj":  # "suspended food shipments to Mali": "to" hangs on the verb
        recipient = [p for p in _pobjs(tok.head, preps) if p.i > tok.i]
    actor = actor or _modifier_party(tok)
    scene = _scene_arguments(tok)
    if scene is not None:  # "died in a French air strike", "engaged Chadian troops in a gunfight"
        actor = actor or scene[0] or []
        recipient = recipient or scene[1]
    if not actor and (scene is None or scene[0] is None):
        anchor = _anchor(tok)
        if anchor != tok:
            actor, passive = _subject(anchor, verbal)
            actor = actor or passive
    between = _pobjs(tok, ("between", "among"))
    if between:  # "talks between X and Y": both sides act; "X's mediation between Y and Z": Y and Z receive
        return (actor, between) if actor and actor != [tok] else (between, [])
    if tok.dep_ == "dobj" and tok.head.lemma_.lower() in words("receiving_verb"):
        return _received(tok, verbal)
    return actor, recipient


def _received(noun: Token, verbal: bool) -> tuple[list[Token], list[Token]]:
    """(actor, recipient) of an event noun that the verb's subject receives ("Ghana received a loan from
    China"): whoever gives it acts, the subject is its recipient."""
    verb = noun.head
    givers = _children(noun, {"poss"}) + _pobjs(noun, ("by", "from")) + _pobjs(verb, ("from",))
    subject, passive = _subject(verb, verbal)
    return givers, subject or passive


def _modifier_party(noun: Token) -> list[Token]:
    """The one acting named by a modifier of an attack noun or gerund: "Turkish artillery shelling", "Israeli
    tank fire", "police firing", "a US drone strike". A place is not the one acting ("the Kidal
    offensive"): a town or a country spelt out is taken for where, an adjective or acronym for who."""
    if not {noun.lemma_.lower(), noun.lower_} & words("modifier_actor_noun"):
        return []
    # the modifiers, and theirs: "Malian" modifies "drone" in "Malian drone strikes"
    mods = [m for m in noun.children if m.dep_ in ("amod", "compound", "nmod")]
    mods += [m for c in mods for m in c.children if m.dep_ in ("amod", "compound", "nmod")]
    for mod in mods:
        if mod.ent_type_ in NOT_ACTORS or mod.lemma_.lower() in MATERIEL:  # "artillery" says how, not who
            continue
        if mod.ent_type_ == "GPE" and not (mod.is_upper and len(mod.text) <= 3):
            continue
        if mod.ent_type_ in ("NORP", "ORG", "GPE") or (not mod.ent_type_ and _names_party(mod)):
            return [mod]
    return []


def _scene_arguments(noun: Token) -> tuple[list[Token] | None, list[Token]] | None:
    """Actor and recipient of an event noun from the verb whose subject it is, or in whose "in"/"during"
    phrase it is; None when it is neither. The victims of "five civilians died in an air strike", "three
    soldiers were wounded in an ambush" (a passive verb, or one whose subject suffers) are its recipient;
    the one engaged in "engaged Chadian troops in a gunfight" too; those "engaged in attacks" act. An attack
    that is the subject hits the verb's object ("shelling killed two people"); its actor (None) is found as
    for any event noun."""
    head = noun.head
    if noun.dep_ == "nsubj" and head.pos_ in ("VERB", "AUX"):
        hit = _children(head, {"dobj"})
        return (None, hit) if hit else None
    if noun.dep_ != "pobj" or head.lower_ not in ("in", "during") or head.head.pos_ not in ("VERB", "AUX"):
        return None
    verb = head.head
    passive = _children(verb, {"nsubjpass"})
    if passive and verb.lemma_.lower() in STATIVE_PARTICIPLES:
        return passive, []
    victims = passive or (_children(verb, {"nsubj"}) if verb.lemma_.lower() in words("victim_verb") else [])
    if victims:
        return [], victims
    objects = [
        o for o in _children(verb, {"dobj"}) if o.pos_ != "PRON" and (o.ent_type_ in NAMED or _names_party(o))
    ]
    return (_subject(verb)[0], objects) if objects else None


def _protested(verb: Token) -> list[Token]:
    """What a strike or a sit-in protests: "began a fast in protest of X", "stopped work to protest X"."""
    for noun in _pobjs(verb, ("in",)):
        if noun.lemma_.lower() == "protest":
            return _pobjs(noun, ("of", "against", "at", "over"))
    for clause in _children(verb, {"advcl", "xcomp"}):
        if clause.lemma_.lower() == "protest":
            return _children(clause, {"dobj"}) or _pobjs(clause, ("against", "at", "over"))
    return []


def _dative_object(tok: Token) -> Token:
    """ "gave a loan to Sudan": the parser makes "to" the dative; Sudan is the one it goes to."""
    if tok.dep_ == "dative" and tok.pos_ == "ADP":
        return next((c for c in tok.children if c.dep_ == "pobj"), tok)
    return tok


def _speaker(verb: Token) -> list[Token]:
    """The subject of the speech verb whose complement this clause is ("Russia said Sudan must ...")."""
    cur = verb
    for _ in range(3):
        if cur.dep_ == "acl" and cur.head.pos_ == "NOUN":  # "issued a reminder to Iraq that it must ..."
            issuer = _issuing_verb(cur.head)
            return [t for t in _children(issuer, SUBJ) if not _expletive(t)] if issuer is not None else []
        if cur.dep_ not in ("ccomp", "conj") or cur.head == cur:
            return []
        cur = cur.head
        if cur.lemma_.lower() in SPEECH_VERBS:
            return [t for t in _children(cur, SUBJ) if not _expletive(t)] or _pobjs(cur, ("by",))
    return []


def _inside_recipient(trig: Trigger, preps: tuple[str, ...]) -> list[Token]:
    """The recipient of a verb + object trigger: the object itself when it is an actor ("expelled French
    forces"), else the first recipient preposition on it ("imposed sanctions on Russia")."""
    doc = trig.token.doc
    objs = [doc[i] for i in range(*trig.tokens) if doc[i].dep_ == "dobj" and doc[i].head == trig.token]
    for o in objs:
        if trig.light:  # "continue military aid": the object is the event itself
            continue
        if any(c.dep_ == "poss" and c.lower_ in ("its", "their", "his", "her") for c in o.children):
            continue  # "withdraw its troops", "closed its borders": the actor's own, not a recipient
        # the object names someone ("French forces", "a Malian army base"), not "all official contact"
        if o.ent_type_ in NAMED or _probe(phrase(o, keep_preps=False)).code or _probe(o).sector:
            return [o]
    for prep in preps:
        for o in objs:
            found = _pobjs(o, (prep,))
            if found:
                return found
    return []


def _event_noun_patient(tok: Token) -> Token:
    if tok.pos_ == "NOUN":
        of = _pobjs(tok, ("of",))
        if of and not _probe(tok).sector:
            return of[0]
    return tok


# How far below the trigger a named party may sit to be taken as the recipient when the parse names none.
NEAREST_DEPTH = 4
NEAREST_SKIP_PREPS = CIRCUMSTANCE_PREPS | words("aside_prep")  # "according to the Geneva-based group"
NEAREST_NAMES = {"GPE", "NORP", "ORG", "PERSON"}
NEAREST_NOT_THROUGH = {"PERCENT", "DATE", "TIME"}
NEAREST_SKIP = {"nsubj", "nsubjpass", "csubj", "agent", "punct", "relcl", "advcl", "mark", "cc"}


def _nearest_coded(
    trig: Trigger, actor_toks: list[Token], actor_spans: list[tuple[int, int]], ctx: ArticleContext
) -> list[Actor]:
    """The closest named country, IGO, group or known person under the trigger, for an event whose parse
    gives no coded recipient: "rejected an Australian ultimatum", "threatened to break relations with Russia",
    "called for sanctions against Nigeria", "called for the release of Bazoum". Breadth first, so the nearest
    wins (a preposition costs no step; "in"/"at" do, being places); never inside the actor, never through a
    phrase of time or a source ("after the attack on ...", "according to ...").
    A name that modifies a noun stands for that noun's phrase ("against 28 Chilean officials"), and the
    names coordinated with it come along ("aid for Romania and Poland")."""
    kb = load_kb()
    taken = {t.i for t in actor_toks}
    ents = {e.start: e for e in ents_in(trig.token.sent)}
    frontier = [c for c in trig.token.children if c.dep_ not in NEAREST_SKIP]
    for _ in range(NEAREST_DEPTH):
        nxt: list[Token] = []
        for tok in frontier:
            # not through an amount or a date: "the source of 70 percent of China's energy"
            if tok.i in taken or tok.ent_type_ in NEAREST_NOT_THROUGH:
                continue
            if any(a <= tok.idx < b for a, b in actor_spans):
                continue
            if tok.dep_ == "prep" and tok.lower_ not in ("in", "at"):
                # a preposition is no step further ("sanctions against Nigeria"), one of time is no way
                # at all ("after the killing of two Israelis")
                if tok.lower_ not in NEAREST_SKIP_PREPS:
                    frontier.extend(c for c in tok.children if c.dep_ not in NEAREST_SKIP)
                continue
            if tok.ent_type_ in NEAREST_NAMES and tok.ent_iob_ == "B" and _party_name(ents[tok.i]):
                ent = ents[tok.i]
                coded = kb.code_actor(ent.text, ctx.published)
                if (
                    coded.code and not _ethnic(ent) and not (coded.sector and _locative(tok))
                ):  # "in Niamey": a venue
                    return _named_party(ent, coded, ctx)
            nxt.extend(c for c in tok.children if c.dep_ not in NEAREST_SKIP)
        frontier = nxt
    return []


def _party_name(ent: Span) -> bool:
    """A person stands for their country when they are a party ("called for the release of Bazoum",
    "Assad's failure"), not when their name only labels a thing ("a Trump rally", "Indira Gandhi Stadium")."""
    return ent.label_ != "PERSON" or ent.root.dep_ not in ("compound", "amod", "nmod", "npadvmod")


def _named_party(ent: Span, coded: Coded, ctx: ArticleContext) -> list[Actor]:
    """The party a name found under a trigger stands for: the noun it modifies when that noun is coded the
    same ("Chilean" in "28 Chilean government officials"), with any parties coordinated with it."""
    root = ent.root
    head = root.head
    if (
        root.dep_ in ("amod", "compound", "nmod", "poss")
        and head.pos_ in ("NOUN", "PROPN")
        and head.i >= ent.end
    ):
        actor, _ = _code_one(head, ctx)
        if actor.code == coded.code:
            return [actor]
    own = Actor(ent.text, coded.code, coded.sector, coded.name, coded.kb_id)
    others, spans = _code_all(list(root.conjuncts), ctx)
    return [
        own,
        *(a for a, (lo, hi) in zip(others, spans, strict=True) if a.code and not lo <= ent.start_char < hi),
    ]


def _locative(tok: Token) -> bool:
    head = tok.head
    return tok.dep_ == "pobj" and head.lower_ in ("in", "at", "near", "inside", "outside", "around")


def _share_protest_targets(found: list[Found]) -> None:
    """A protest without a target takes the target of the demand made at it ("protested, demanding X") or of
    the protest it is held for ("began a hunger strike to protest against X")."""
    for f in found:
        if f.trigger.info.event == "PROTEST" and not f.recipient:
            for g in found:
                if g is not f and g.trigger.info.event in ("REQUEST", "PROTEST", "ACCUSE") and g.recipient:
                    f.recipient = g.recipient
                    break


def phrase(tok: Token, keep_preps: bool = True) -> Span:
    """The noun phrase headed by tok, without relative clauses, appositions or coordinated nouns
    (and without its prepositional phrases but "of"/"from" ones, or any when not ``keep_preps``)."""
    keep = {tok.i}
    stack = [tok]
    while stack:
        cur = stack.pop()
        for c in cur.children:
            if c.dep_ in NP_DROP and not (keep_preps and c.dep_ == "prep" and c.lower_ in NP_KEEP_PREPS):
                continue
            keep.add(c.i)
            stack.append(c)
    lo, hi = min(keep), max(keep) + 1
    doc = tok.doc
    while lo < hi - 1 and doc[lo].is_punct:
        lo += 1
    return doc[lo:hi]


def _code_all(toks: list[Token], ctx: ArticleContext) -> tuple[list[Actor], list[tuple[int, int]]]:
    """Code each argument and its coordinated nouns; keep an uncoded one only if it names someone (a name,
    a sector, a personal pronoun)."""
    out: list[Actor] = []
    spans: list[tuple[int, int]] = []
    seen: set[int] = set()
    for t in map(_before_date, toks):
        if t.pos_ in ("VERB", "AUX"):  # "concern regarding Niger's deepening ties": the clause's subject
            subj = _children(t, SUBJ)
            if not subj:
                continue
            t = subj[0]
        for c in [t, *t.conjuncts]:
            if c.i in seen or c.pos_ in ("VERB", "AUX") or c.ent_type_ in NOT_ACTORS:
                continue
            seen.add(c.i)
            actor, span = _code_one(c, ctx)
            if actor.code or actor.sector or c.ent_type_ in NAMED or c.lower_ in HUMAN_PRONOUNS:
                origins = _coordinated_origins(c, actor, ctx)
                out += [actor, *origins]
                spans += [(span.start_char, span.end_char)] * (1 + len(origins))  # one span per actor
    return out, spans


def _before_date(tok: Token) -> Token:
    """The party a bare weekday or date was parsed as heading: in "met with Assad Tuesday" the parser may make
    "Tuesday" the object and "Assad" its compound; the name is the party, the day only says when."""
    if tok.ent_type_ not in ("DATE", "TIME"):
        return tok
    for mod in tok.children:
        if mod.dep_ in ("compound", "nmod", "poss") and mod.ent_type_ not in NOT_ACTORS and mod.i < tok.i:
            if mod.ent_type_ in NAMED or _names_party(mod):
                return mod
    return tok


def _coordinated_origins(head: Token, actor: Actor, ctx: ArticleContext) -> list[Actor]:
    """ "Hungarian and Romanian officials", "the leaders of Mali, Burkina Faso and Niger": one actor per
    country named in a coordinated modifier (the first is already coded with the whole phrase)."""
    kb = load_kb()
    out = []
    origins = [m for m in head.children if m.dep_ in ("amod", "compound", "nmod")] + _pobjs(head, ("of",))
    for mod in origins:
        if mod.ent_type_ not in ("NORP", "GPE"):
            continue
        for other in mod.conjuncts:
            name = phrase(other, keep_preps=False).text
            code = kb.country(name)
            if code and code != actor.code:
                out.append(Actor(f"{name} {head.text}", code, actor.sector, None, f"country:{code}"))
    return out


def _definite_reference(tok: Token) -> bool:
    """ "the country", "the military government", "its leader", "the country's transitional leader" — but not
    "its borders" or "its debt relief plan", which name no one."""
    lemma = tok.lemma_.lower()
    if tok.tag_ == "NNS" and lemma in COREF_WORDS - {"authorities", "authority"}:
        return False  # "the two countries", "both governments": several, not the one the story is about
    if lemma in COREF_WORDS and any(c.lower_ in ("the", "this", "its") for c in tok.children):
        return True
    names_someone = lemma in COREF_WORDS or _probe(tok).sector is not None
    return names_someone and any(
        c.dep_ == "poss" and (c.lower_ in ("its", "their") or _definite_reference(c)) for c in tok.children
    )


def _code_one(tok: Token, ctx: ArticleContext) -> tuple[Actor, Span]:
    kb = load_kb()
    span = phrase(tok)
    text = span.text
    coded: Coded = kb.code_actor(text, ctx.published)
    if coded.code and _ethnic(span):
        # "ethnic Albanians in Serbia": an ethnicity, not a nationality; they belong where they live
        coded = Coded(None, coded.sector or "CVL", None, None)
    if coded.code is None:
        for ap in _children(tok, {"appos"}):
            # a name with prepositions in it is one entity: "the rebel group, Forces for Defence of Democracy"
            named = ent_at(ap)
            alt = kb.code_actor((named or phrase(ap)).text, ctx.published)
            if alt.code:
                coded = (
                    alt
                    if alt.sector or not coded.sector
                    else Coded(alt.code, coded.sector, alt.name, alt.kb_id)
                )
                break
    if coded.code is None and coded.sector:  # "rebels in the Ivory Coast", "police in Niamey"
        origin = _origin(tok)
        if origin is not None:  # "a group based in Gaza", "workers affiliated with the Serbian union"
            return Actor(text, origin, coded.sector, coded.name, coded.kb_id), span
        for place in _pobjs(tok, ("in", "from")):
            code = kb.country(phrase(place).text) or (
                kb.country(place.text) if place.ent_type_ == "GPE" else None
            )
            if code:  # "in the Ivory Coast", "from southern Angola"
                return Actor(text, code, coded.sector, coded.name, coded.kb_id), span
    if coded.code is None and tok.lower_ in PRONOUNS:
        antecedent = _antecedent(tok)
        if antecedent is not None:
            actor, _ = _code_one(antecedent, ctx)
            return Actor(text, actor.code, actor.sector, actor.name, actor.kb_id), span
    if coded.code is None:
        prev = ctx.last_actor[0] if ctx.last_actor else None
        if tok.lower_ in PRONOUNS and prev is not None and (prev.sector or tok.lower_ not in PERSONAL):
            return Actor(text, prev.code, prev.sector, prev.name, prev.kb_id), span
        if _definite_reference(tok) and ctx.focus():
            sector = coded.sector or ("GOV" if tok.lemma_.lower() in GOV_WORDS else None)
            return Actor(text, ctx.focus(), sector, coded.name, coded.kb_id), span
    # someone the KB does not know ("Judge Maria Santos") keeps code None: the story's country is no evidence
    sector = coded.sector or _sector_of_head(tok, coded.code is not None) or _means_sector(tok)
    return Actor(text, coded.code, sector, coded.name, coded.kb_id), span


# The sector a means of force implies, by word class: air power and guns are the military's, firing by the
# police the police's.
MEANS_SECTORS = (("MIL", "military_means"), ("COP", "police_means"))


def _means_sector(tok: Token) -> str | None:
    """The sector of a party named only by a modifier of the means it acted with: "Malian drone strikes" and
    "an Israeli air strike" are the military's, "Kenyan police firing" the police's."""
    if tok.dep_ not in ("amod", "compound", "nmod"):
        return None
    head = tok.head
    means = [head, *(c for c in head.children if c.dep_ in ("amod", "compound", "nmod") and c != tok)]
    for sector, cls in MEANS_SECTORS:
        if any({m.lemma_.lower(), m.lower_} & words(cls) for m in means):
            return sector
    return None


def _origin(tok: Token) -> str | None:
    """The country a participle says a group belongs to: "a newspaper based in Beirut", "refugees fleeing
    the war in Liberia", "teachers affiliated with a national union"."""
    for part in _children(tok, {"acl"}):
        if part.lemma_.lower() not in ORIGIN_PARTICIPLES:
            continue
        places = _pobjs(part, ORIGIN_PREPS)
        for obj in _children(part, {"dobj"}):  # "fleeing the civil war in Liberia"
            places += _pobjs(obj, ("in",))
        for place in places:
            code = _probe(phrase(place)).code
            if code:
                return code
    return None


def _sector_of_head(tok: Token, national: bool) -> str | None:
    """A sector the head noun gives where the KB has none: "British aircraft" and "Israeli tanks" are the
    military; "Palestinians", "some 800,000 Iraqi Kurds" are people, not the state ("Arabs" are no nation)."""
    if tok.lemma_.lower() in MATERIEL:
        return "MIL"
    if (
        national
        and tok.ent_type_ == "NORP"
        and tok.tag_ in ("NNPS", "NNS")
        and not any(c.lower_ == "the" for c in tok.children)
    ):
        return "CVL"
    return None


def _ethnic(span: Span) -> bool:
    """ "ethnic Albanians", "ethnic Turks in Sweden": a people, not a nationality."""
    doc = span.doc
    return any(t.lower_ == "ethnic" for t in doc[max(span.start - 1, 0) : span.end])


def _antecedent(pron: Token) -> Token | None:
    """The subject a pronoun subject stands for in the same sentence: "Syria says it is willing",
    "the rebels announced they would release"."""
    if pron.dep_ not in SUBJ and pron.dep_ != "nsubjpass":
        return None
    cur = pron.head
    for _ in range(4):
        if cur.dep_ not in ANTECEDENT_CLIMB or cur.head == cur:
            return None
        cur = cur.head
        subj = [
            t for t in _children(cur, SUBJ) if t.i < pron.i and t.lower_ not in PRONOUNS and _fits(pron, t)
        ]
        if subj:
            return subj[0]
    return None


def _fits(pron: Token, tok: Token) -> bool:
    """Whether a noun may be what a pronoun stands for: "he" is no country ("a British minister said Libya
    must ... as he embarked"), "it" no person."""
    if pron.lower_ in PERSONAL:
        return tok.ent_type_ not in PLACES_AND_BODIES
    if pron.lower_ in ("it", "its"):
        return tok.ent_type_ != "PERSON"
    return True
