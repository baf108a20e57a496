"""Did the event happen? asserted · negated · future · hypothetical · historical · claimed.

Read off the parse around the event's anchor verb: negation, modal and future auxiliaries,
governing verbs of planning, denial, allegation, and conditional clauses; and off the
resolved date: an event that ended well before the story's window is background.
"""

from __future__ import annotations

from datetime import date, timedelta

from spacy.tokens import Token

from dyads.events.lexicon import Recoding, Trigger
from dyads.model import ResolvedDate
from dyads.syntax import auxiliaries, lemmas
from dyads.wordclasses import words

HYPOTHETICAL_AUX = words("hypothetical_aux")
CONDITIONAL_MARKS = words("hypothetical_mark")
# The governing verbs and modifiers are word classes (data/wordclasses.tsv): future_governor ("plans to
# withdraw"), negating_governor ("refused to release"), claim_governor ("accused Y of attacking", "denied that
# its army bombed": on someone's word), claim_modifier ("the alleged massacre"), claim_adverb ("allegedly
# killed"). A neutral report ("officials said", "the agency reported") is no claim governor: news reports
# what it was told, and the reported act keeps the factuality of its own clause.
NEGATORS = words("negator")
# Past events this long before the publication date are background, not news.
HISTORICAL_AFTER = timedelta(days=60)
# What the events stage's recoding of a trigger has already spent: "is not welcomed" was coded as a
# rejection, so its negation is spent; "will withdraw" was coded as an intent (or a threat): announcing it is
# what happened (the act it announces is coded beside it as future).
SPENT_BY_RECODING = {
    Recoding.NEGATED: ("negated",),
    Recoding.INTENT: ("future", "hypothetical"),
    Recoding.THREAT: ("future", "hypothetical"),
}


def event_factuality(
    trigger: Trigger,
    anchor: Token,
    when: ResolvedDate | None,
    published: date | None,
    sentence_dates: list[ResolvedDate] = (),
) -> str:
    """The factuality of a found event: that of its words (``factuality``), asserted where the recoding
    of its trigger already made that factuality the event (``SPENT_BY_RECODING``)."""
    fact = factuality(trigger.token, anchor, when, published, sentence_dates)
    return "asserted" if fact in SPENT_BY_RECODING.get(trigger.recoding, ()) else fact


def factuality(
    trigger: Token,
    anchor: Token,
    when: ResolvedDate | None,
    published: date | None,
    sentence_dates: list[ResolvedDate] = (),
) -> str:
    """The event's factuality. ``sentence_dates``: every date expression of the sentence, resolved."""
    for tok in dict.fromkeys((trigger, anchor)):
        if any(c.dep_ == "neg" or c.lower_ in NEGATORS and c.dep_ in ("det", "advmod") for c in tok.children):
            return "negated"
    claim_modifiers = words("claim_modifier")
    if trigger != anchor and any(c.lower_ in claim_modifiers for c in trigger.children):
        return "claimed"
    if any(c.lower_ in claim_modifiers for c in trigger.children if c.dep_ == "amod"):
        return "claimed"
    if any(c.lower_ in words("claim_adverb") for c in anchor.children if c.dep_ == "advmod"):
        return "claimed"
    head = anchor.head
    if anchor.dep_ in ("acl", "ccomp") and head.pos_ == "NOUN" and head.lemma_.lower() in words("claim_noun"):
        return "claimed"  # "allegations that its soldiers killed civilians", "amid reports that troops came"
    future_aux = words("future_aux")
    aux = {c.lower_ for c in auxiliaries(anchor)}
    if aux & future_aux or _going_to(anchor):
        return "future"
    if _conditional(anchor) or _unspecified(trigger):
        return "hypothetical"
    if aux & HYPOTHETICAL_AUX:
        return "hypothetical"
    gov = _governor(trigger, anchor)
    if gov is not None:
        lemma, forms = gov.lemma_.lower(), lemmas(gov)
        if any(c.dep_ == "neg" for c in gov.children) or forms & words("negating_governor"):
            return "negated"
        if lemma in {"have", "be"} and any(c.lower_ == "yet" for c in gov.children):
            return "negated"  # "has yet to attack", "is yet to withdraw": it has not happened
        if forms & words("claim_governor"):
            return "claimed"
        if forms & words("future_governor") or _announced(gov):
            return "future"
        if {c.lower_ for c in auxiliaries(gov)} & future_aux:
            return "future"
    if when is not None and published is not None and when.precision != "reported":
        end = when.date_end or when.date
        if end > published:
            return "future"
        if end < published - HISTORICAL_AFTER:
            return "historical"
    if when is None or when.precision == "reported":
        if _perfect(anchor) and published and _all_past(sentence_dates, published):
            return "historical"
    return "asserted"


def _unspecified(trigger: Token) -> bool:
    """An event noun that names no particular event ("against any attack", "respond to any incursion"):
    one that may or may not come."""
    return trigger.pos_ == "NOUN" and any(
        c.dep_ == "det" and c.lower_ in words("unspecific_det") for c in trigger.children
    )


def _announced(verb: Token) -> bool:
    """A verb further down the complement chain of a verb of intent ("promised to help protect X":
    protecting is announced too, not done). Only intents: "began observing a sit-in" did begin."""
    cur = verb
    for _ in range(3):
        if cur.dep_ != "xcomp" or cur.head == cur:
            return False
        cur = cur.head
        if lemmas(cur) & words("intent_verb"):
            return True
    return False


def _going_to(verb: Token) -> bool:
    return (
        verb.dep_ == "xcomp"
        and verb.head.lower_ == "going"
        and any(c.dep_ == "aux" and c.lemma_ == "be" for c in verb.head.children)
    )


def _conditional(verb: Token) -> bool:
    cur = verb
    for _ in range(3):
        if any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in cur.children):
            return True
        if cur.dep_ not in ("conj", "xcomp") or cur.head == cur:
            return False
        cur = cur.head
    return False


def _governor(trigger: Token, anchor: Token) -> Token | None:
    """The verb whose complement this event is: "plans to withdraw", "denied sending troops",
    "is strategizing the withdrawal", "accused Y of attacking"."""
    governed_noun = trigger.dep_ in ("dobj", "nsubjpass") or (
        trigger.dep_ == "pobj" and trigger.head.lower_ in ("for", "on")
    )
    if trigger != anchor and governed_noun:
        return anchor
    if anchor.dep_ in ("xcomp", "ccomp", "pcomp") and anchor.head != anchor:
        head = anchor.head
        if head.pos_ == "ADP":  # "accused Y of attacking"
            head = head.head
        return head
    return None


def _perfect(verb: Token) -> bool:
    """Present perfect ("have expelled"): a past event without a time of its own."""
    has = any(c.lemma_ == "have" and c.dep_ == "aux" and c.tag_ in ("VBP", "VBZ") for c in auxiliaries(verb))
    return has and (verb.tag_ == "VBN" or (verb.dep_ == "conj" and verb.tag_ == "VBD"))


def _all_past(dates: list[ResolvedDate], published: date) -> bool:
    """The sentence is set in the past: it has dates, and all of them ended before the story's window
    ("both of which experienced coups in 2021 and 2022, have expelled French forces")."""
    return bool(dates) and all((d.date_end or d.date) < published - HISTORICAL_AFTER for d in dates)
