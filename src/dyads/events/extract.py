"""Events from a parsed sentence: predicates from the lexicon, actor and recipient from the parse.

For each trigger the lexicon finds, the arguments come from the dependency parse: subject and
object, passive agent, coordination ("Mali and Burkina Faso expelled"), appositions, the subject
of a governing verb for xcomp/conj chains ("agreed to start"), light verbs and event nouns
("held talks with", "gathered at a protest"), "between X and Y". Reported speech needs nothing
special: "X said Y attacked Z" codes the trigger "attacked", whose own subject is Y.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date

from spacy.tokens import Span, Token

from dyads.events.lexicon import Trigger, load_lexicon
from dyads.kb import Coded, load_kb
from dyads.model import Actor

SUBJ = {"nsubj", "csubj"}
NP_KEEP_PREPS = {"of", "from"}
NP_DROP = {"relcl", "acl", "appos", "conj", "cc", "punct", "advcl", "prep", "det:predet", "dep"}
# Event nouns whose "of"-phrase is the one acting ("the withdrawal of US troops"); for other nouns it is
# the one acted on ("the expulsion of French forces").
INTRANSITIVE_NOUNS = {
    "withdrawal", "retreat", "protest", "demonstration", "rally", "march", "strike", "visit", "arrival",
    "departure", "pullout", "exit", "meeting", "talk", "discussion", "negotiation", "mobilization", "deployment",
}
# A trigger governed by one of these types is the content of that event (what was demanded,
# threatened, rejected), not an event of its own.
CONTENT_TAKING = {"REQUEST", "ACCUSE", "REJECT", "THREATEN"}
RECIPROCAL = {"AGREE", "CONSULT", "COOPERATE"}
DEFAULT_RECIPIENT_PREPS = ("with", "against", "to", "on", "at", "toward", "towards", "into")
NAMED = {"PERSON", "ORG", "NORP", "GPE"}
NOT_ACTORS = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"}
REJECTED_WHEN_NEGATED = {"welcome", "accept", "allow", "permit", "approve", "tolerate", "recognize", "recognise"}
REJECT_CAMEO = "120"
COREF_WORDS = {"country", "nation", "government", "junta", "regime", "authorities", "state"}
GOV_WORDS = {"government", "junta", "regime", "authorities"}
PRONOUNS = {"it", "they", "he", "she", "its", "their", "his", "her", "them", "him"}


@dataclass
class ArticleContext:
    """What a story has said so far: for "the country", "the junta", "it"."""

    published: date | None
    countries: Counter = field(default_factory=Counter)
    last_actor: list[Actor] = field(default_factory=list)

    def note_countries(self, sent: Span) -> None:
        kb = load_kb()
        for ent in sent.ents:
            if ent.label_ in ("GPE", "NORP"):
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
    arg_spans: list[tuple[int, int]]  # characters of every actor and recipient phrase


def extract(sent: Span, ctx: ArticleContext) -> list[Found]:
    ctx.note_countries(sent)
    lex = load_lexicon()
    triggers = [_negation_flip(t, lex) for t in lex.triggers(sent)]
    triggers = [t for t in triggers if t.info.event]
    by_head = {t.token.i: t for t in triggers}
    found: list[Found] = []
    for trig in triggers:
        if _is_content(trig.token, by_head):
            continue
        anchor = _anchor(trig.token)
        actor_toks, recip_toks = _arguments(trig)
        actor, a_spans = _code_all(actor_toks, ctx)
        recipient, r_spans = _code_all(recip_toks, ctx)
        if not any(a.code or a.sector for a in actor + recipient):
            continue  # an event needs at least one participant we can say something about
        reciprocal = trig.info.event in RECIPROCAL or bool(_pobjs(trig.token, ("between", "among")))
        if not recipient and reciprocal and len(actor) > 1:
            actor, recipient = actor[:1], actor[1:]
        found.append(Found(trig, anchor, actor, recipient, a_spans + r_spans))
    _share_protest_targets(found)
    if found and found[0].actor:
        ctx.last_actor = found[0].actor
    return found


def _negation_flip(trig: Trigger, lex) -> Trigger:
    """ "is not welcome", "did not accept": a refused cooperation is a rejection."""
    tok = trig.token
    if tok.lemma_.lower() in REJECTED_WHEN_NEGATED and any(c.dep_ == "neg" for c in tok.children):
        info = lex.cameo(REJECT_CAMEO)
        if info is not None:
            return replace(trig, info=info, rule=f"negated:{trig.rule}")
    return trig


def _is_content(tok: Token, by_head: dict[int, Trigger]) -> bool:
    """True when a governing trigger takes this one as its content ("demanding the withdrawal")."""
    cur = tok
    for _ in range(3):
        if cur.head == cur:
            return False
        cur = cur.head if cur.dep_ != "pobj" else cur.head.head
        gov = by_head.get(cur.i)
        if gov is not None and gov.token != tok:
            return gov.info.event in CONTENT_TAKING
        if cur.pos_ in ("VERB", "AUX"):
            return False
    return False


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
    climb = {"xcomp", "conj", "advcl", "pcomp"} | ({"ccomp"} if verbal else set())
    cur = verb
    for _ in range(5):
        subj = [t for t in _children(cur, SUBJ) if not _expletive(t)] or _pobjs(cur, ("by",))
        if subj and subj[0].tag_ in ("WDT", "WP") and cur.dep_ == "relcl":
            subj = [cur.head]  # "the only state that has strengthened ..."
        if subj:
            return subj, passive
        if cur != verb and _children(cur, {"nsubjpass"}):
            return [], passive
        if (
            cur.dep_ in ("relcl", "acl")
            and cur.head.pos_ in ("NOUN", "PROPN", "PRON")
            and cur.head.ent_type_ not in NOT_ACTORS
            and not passive
        ):
            return [cur.head], passive
        if cur.dep_ in climb and cur.head != cur:
            cur = cur.head
            continue
        break
    return [], passive


def _expletive(tok: Token) -> bool:
    """ "it" in "made it clear that", "there" in "there were clashes". """
    return tok.lower_ == "there" or (tok.lower_ == "it" and tok.head.pos_ == "ADJ")


def _arguments(trig: Trigger) -> tuple[list[Token], list[Token]]:
    tok = trig.token
    preps = tuple(trig.recipient_preps) or DEFAULT_RECIPIENT_PREPS
    inside = set(range(*trig.tokens))
    verbal = trig.info.quad_code in (0, 1, 3)
    if tok.pos_ in ("VERB", "AUX"):
        actor, passive = _subject(tok, verbal)
        recipient = passive or [
            c for c in _children(tok, {"dobj", "dative", "attr"}) if c.i not in inside
        ]
        # A direct object that is itself an event noun: its "of"-phrase is the recipient
        # ("demanding the withdrawal of US forces").
        recipient = [_event_noun_patient(r) for r in recipient]
        if not recipient:
            recipient = [p for p in _pobjs(tok, preps) if p.i not in inside]
        if not recipient:
            recipient = _inside_recipient(trig, preps)
        return actor, recipient
    # an event noun
    actor = _children(tok, {"poss"}) + _pobjs(tok, ("by",))
    recipient = []
    between = _pobjs(tok, ("between", "among"))
    if between:  # "talks between X and Y": split by the caller, as for a reciprocal event
        return between, []
    of = _pobjs(tok, ("of",))
    if of:
        if tok.lemma_.lower() in INTRANSITIVE_NOUNS and not actor:
            actor = of
        else:
            recipient = of
    recipient = recipient or _pobjs(tok, preps + ("from",))
    if not actor:
        anchor = _anchor(tok)
        if anchor != tok:
            actor, passive = _subject(anchor, verbal)
            actor = actor or passive
    return actor, recipient


def _inside_recipient(trig: Trigger, preps: tuple[str, ...]) -> list[Token]:
    """The recipient of a verb + object trigger: the object itself when it is an actor ("expelled French
    forces"), else the first recipient preposition on it ("imposed sanctions on Russia")."""
    doc = trig.token.doc
    objs = [doc[i] for i in range(*trig.tokens) if doc[i].dep_ == "dobj" and doc[i].head == trig.token]
    kb = load_kb()
    for o in objs:
        coded = kb.code_actor(phrase(o, keep_preps=False).text)
        if coded.code or coded.sector:
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
        if of and not load_kb().code_actor(tok.text).sector:
            return of[0]
    return tok


def _share_protest_targets(found: list[Found]) -> None:
    """A protest without a target takes the target of the demand made at it ("protested, demanding X")."""
    for f in found:
        if f.trigger.info.event == "PROTEST" and not f.recipient:
            for g in found:
                if g is not f and g.trigger.info.event == "REQUEST" and g.recipient:
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
    """Code each argument and its coordinated nouns; keep an uncoded one only if it names someone."""
    out: list[Actor] = []
    spans: list[tuple[int, int]] = []
    seen: set[int] = set()
    for t in toks:
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
            if actor.code or actor.sector or c.ent_type_ in NAMED:
                out.append(actor)
                spans.append((span.start_char, span.end_char))
    return out, spans


def _definite_reference(tok: Token) -> bool:
    """ "the country", "the military government", "its leader", "the country's transitional leader"."""
    if tok.lemma_.lower() in COREF_WORDS and any(c.lower_ in ("the", "this", "its") for c in tok.children):
        return True
    return any(
        c.dep_ == "poss" and (c.lower_ in ("its", "their") or _definite_reference(c)) for c in tok.children
    )


def _code_one(tok: Token, ctx: ArticleContext) -> tuple[Actor, Span]:
    kb = load_kb()
    span = phrase(tok)
    text = span.text
    coded: Coded = kb.code_actor(text, ctx.published)
    if coded.code is None:
        for ap in _children(tok, {"appos"}):
            alt = kb.code_actor(phrase(ap).text, ctx.published)
            if alt.code:
                coded = alt if alt.sector or not coded.sector else Coded(alt.code, coded.sector, alt.name, alt.kb_id)
                break
    if coded.code is None:
        if tok.lower_ in PRONOUNS and ctx.last_actor:
            prev = ctx.last_actor[0]
            return Actor(text, prev.code, prev.sector, prev.name, prev.kb_id), span
        if _definite_reference(tok) and ctx.focus():
            sector = coded.sector or ("GOV" if tok.lemma_.lower() in GOV_WORDS else None)
            return Actor(text, ctx.focus(), sector, coded.name, coded.kb_id), span
    return Actor(text, coded.code, coded.sector, coded.name, coded.kb_id), span
