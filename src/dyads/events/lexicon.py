"""The event lexicon: CAMEO codes (with their PLOVER type, Goldstein weight and quad class) and the
predicates — verbs, phrasal verbs, verb + object, event nouns — that trigger them.

Both tables live in ``dyads/data`` and are loaded once. Matching is by dictionary lookup on lowercase
lemmas: for every verb the most specific entry wins (verb + object, then verb + particle/preposition,
then a light verb whose object is an event noun, then the bare verb); nouns not already used by a verb
match as event nouns.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from dyads import wordclasses

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

DATA = Path(__file__).resolve().parents[1] / "data"

VERB_POS = frozenset({"VERB", "AUX"})
NOUN_POS = frozenset({"NOUN"})
# A participle modifying a noun ("the banned party", "alleged bombers") is not the sentence's event.
SKIP_VERB_DEPS = frozenset({"amod", "compound"})
OBJ_DEPS = frozenset({"dobj", "nsubjpass", "attr", "oprd"})
NO_EVENT = "-"  # the code of a predicates.tsv row whose sense is no event: "capture title", "shoot up"
ANY_OBJECT = "*"  # "demonstrate *": the verb with any direct object is no event ("demonstrated its resolve")
WORD_CLASS = "@"  # "give @relief_good": the verb with any word of a class in wordclasses.tsv for its object
NUMBER = "#"  # "shoot #": the verb with "a" number for its object ("shot a 65")
MODIFIER_DEPS = frozenset({"compound", "amod", "nmod"})
PREP_DEPS = frozenset({"prep", "agent", "dative"})


@dataclass(frozen=True)
class CameoInfo:
    cameo: str
    label: str
    event: str | None
    mode: str | None
    context: tuple[str, ...]
    goldstein: float
    quad_code: int


class Recoding(StrEnum):
    """What the sentence made of a predicate beyond its word (events/extract.py decides; its name also begins
    the trigger's ``rule``): a refused cooperation is a rejection, "must" a demand, "will withdraw" an intent,
    and so on; or an event the sentence makes with no predicate of its own (a claim, a wish, a "must")."""

    NEGATED = "negated"  # "did not accept": a rejection
    DEMAND = "demand"  # "X said Y must hand over": a demand made of Y
    INTENT = "intent"  # "will withdraw": the announced intent is the event
    THREAT = "threat"  # "would blockade", "will withdraw unless": a threat or an ultimatum
    ACCUSATION = "accusation"  # "said civilians died because of the force": an accusation of harm
    CUT = "cut"  # "suspended food shipments": a cut of aid
    RIOT = "riot"  # violence by protesters
    CLAIM = "claim"  # "claimed that troops attacked": an accusation made of the claim
    WISH = "wish"  # "wants Iran to release": an appeal to the one wished to act


@dataclass(frozen=True)
class Trigger:
    token: Token  # head token of the predicate (verb or event noun)
    tokens: tuple[int, int]  # doc token span [start, end) of the whole trigger phrase
    info: CameoInfo
    rule: str  # "verb:expel", "phrasal:turn to", "verb+obj:impose sanction", "light:…", "noun:protest"
    recipient_preps: tuple[str, ...]
    base_quad: int | None = None  # the quad class of the word itself when the sentence recoded it
    recoding: Recoding | None = None  # the last thing the sentence made of it (``Recoding``); None: its word
    light: bool = False  # a light verb whose object is the event ("hold talks", "continue military aid")

    @property
    def verbal(self) -> bool:
        """Whether the predicate is a saying (a statement, appeal, accusation...): "planned to storm" is an
        intent, but storming is no saying."""
        return (self.info.quad_code if self.base_quad is None else self.base_quad) in (0, 1, 3)


@dataclass(frozen=True)
class _Entry:
    pattern: str
    kind: str
    info: CameoInfo | None  # None: the pattern is a sense that is no event ("capture a title")
    preps: tuple[str, ...]


class Lexicon:
    """The two tables, indexed for lookup. Build it with :func:`load_lexicon`."""

    def __init__(self, cameo: dict[str, CameoInfo], rows: list[dict[str, str]]) -> None:
        self._cameo = cameo
        self.verbs: dict[str, _Entry] = {}
        self.phrasal: dict[tuple[str, str], _Entry] = {}
        self.verb_obj: dict[tuple[str, str, str], _Entry] = {}
        self.nouns: dict[str, _Entry] = {}
        self.noun_pairs: dict[tuple[str, str], _Entry] = {}
        self.noun_preps: dict[tuple[str, str, str], _Entry] = {}
        for row in rows:
            self._add(row)
        self._verb_heads = (
            set(self.verbs)
            | {k[0] for k in self.phrasal}
            | {k[0] for k in self.verb_obj}
            | wordclasses.words("light_verb")
        )

    def _add(self, row: dict[str, str]) -> None:
        """One row; a verb + object row whose object is ``@class`` stands for one row per word of that word
        class ("give @relief_good": give rice, give wheat, ...); a row that spells its pair out wins over
        it, wherever it stands."""
        words = row["pattern"].strip().lower().split()
        if row["pos"].strip() == "verb+obj" and words[-1].startswith(WORD_CLASS):
            for word in wordclasses.words(words[-1][len(WORD_CLASS) :]):
                self._add_one({**row, "pattern": " ".join([*words[:-1], word])}, spelt_out=False)
        else:
            self._add_one(row, spelt_out=True)

    def _add_one(self, row: dict[str, str], spelt_out: bool) -> None:
        pattern, kind, code = row["pattern"].strip().lower(), row["pos"].strip(), row["cameo"].strip()
        info = self._cameo.get(code)
        if code != NO_EVENT and (info is None or pattern.endswith(ANY_OBJECT)):  # "verb *" rows: no event
            raise ValueError(f"predicates.tsv: pattern {pattern!r} has unknown CAMEO code {code!r}")
        preps = tuple(p.strip() for p in (row.get("recipient_preps") or "").split(",") if p.strip())
        entry = _Entry(pattern, kind, info, preps)
        words = pattern.split()
        if kind == "verb" and len(words) == 1:
            self.verbs[words[0]] = entry
        elif kind == "phrasal" and len(words) == 2:
            self.phrasal[(words[0], words[1])] = entry
        elif kind == "verb+obj" and len(words) in (2, 3):
            key = (words[0], "", words[1]) if len(words) == 2 else (words[0], words[1], words[2])
            if spelt_out or key not in self.verb_obj:
                self.verb_obj[key] = entry
        elif kind == "noun" and len(words) == 1:
            self.nouns[words[0]] = entry
        elif kind == "noun" and len(words) == 2:
            self.noun_pairs[(words[0], words[1])] = entry
        elif kind == "noun" and len(words) == 3:
            self.noun_preps[(words[0], words[1], words[2])] = entry
        else:
            raise ValueError(f"predicates.tsv: cannot use pattern {pattern!r} with pos {kind!r}")

    def cues(self) -> tuple[frozenset[str], dict[str, frozenset[str]]]:
        """What a sentence must have to hold a predicate of this lexicon: a lemma of the first set (a bare
        verb, an event noun), or a key of the second with one of its words (a phrasal verb's particle, a
        verb's object, an event noun's modifier or object). A light verb is no cue: its event noun is one.
        ``dyads.prepass`` skips a sentence with none."""
        alone = {w for table in (self.verbs, self.nouns) for w, entry in table.items() if entry.info}
        paired: dict[str, set[str]] = {}
        pairs = [
            *((v, p, e) for (v, p), e in self.phrasal.items()),
            *((v, k, e) for (v, _, k), e in self.verb_obj.items()),
            *((k, m, e) for (m, k), e in self.noun_pairs.items()),
            *((k, o, e) for (k, _, o), e in self.noun_preps.items()),
        ]
        for head, word, entry in pairs:
            if entry.info is None:
                continue  # a sense that is no event
            if word == NUMBER:
                alone.add(head)
            else:
                paired.setdefault(head, set()).add(word)
        return frozenset(alone), {h: frozenset(ws) for h, ws in paired.items() if h not in alone}

    def no_event(self, verb: Token) -> bool:
        """Whether the verb's object, particle or preposition gives it a sense that is no event: "captured a
        title", "shot a film", "prices shot up", "shot to fame"."""
        lemma = self._verb_lemma(verb)
        if lemma in self.verbs and self._verb_match(verb) is None:
            return True  # a "-" row matched before the bare verb could
        for obj in (_through_part(c) for c in verb.children if c.dep_ in OBJ_DEPS):
            for key in _keys(obj):
                entry = self.verb_obj.get((lemma, "", key))
                if entry is not None:
                    return entry.info is None
            if self._any_object(verb, lemma, obj):
                return True
        return False

    def _any_object(self, verb: Token, lemma: str, obj: Token) -> bool:
        """Whether a "verb *" row makes ``obj`` take the verb out of its event sense. Only an object in the
        verb's own clause counts, not one the parser hung on it across a comma, and not an event noun
        ("demonstrated ... the latest protests")."""
        if obj.dep_ != "dobj" or (lemma, "", ANY_OBJECT) not in self.verb_obj or obj.i < verb.i:
            return False
        between = verb.doc[verb.i + 1 : obj.i]
        return not any(t.is_punct for t in between) and self._noun_entry(obj) is None

    def cameo(self, code: str) -> CameoInfo | None:
        return self._cameo.get(code)

    def triggers(self, sent: Span) -> list[Trigger]:
        """Every predicate in the sentence, main one first: nearest the root, plain statements last.

        A word that is part of a longer match ("threatened to strike", "imposed sanctions") gives no
        trigger of its own.
        """
        matches = [m for tok in sent if _is_predicate(tok) and (m := self._verb_match(tok))]
        used = {i for trig, parts in matches for i in parts if i != trig.token.i}
        found = [trig for trig, _ in matches if trig.token.i not in used]
        used.update(trig.token.i for trig in found)
        for tok in sent:
            if tok.pos_ in NOUN_POS and tok.i not in used and tok.dep_ not in MODIFIER_DEPS:
                match = self._noun_match(tok)
                if match is not None:
                    found.append(match[0])
        found.sort(key=trigger_order)
        return found

    def verb_trigger(self, verb: Token) -> Trigger | None:
        """The predicate a verb is on its own, as if no longer match had taken it ("send troops" inside
        "pledged to send troops")."""
        match = self._verb_match(verb)
        return match[0] if match else None

    def _verb_lemma(self, verb: Token) -> str:
        """The verb's lemma, mended where the tagger's lemma is unknown but a plain stem is ("staged")."""
        lemma, lower = verb.lemma_.lower(), verb.lower_
        if lemma in self._verb_heads:
            return lemma
        stems: tuple[str, ...] = ()
        if lower.endswith("ed"):
            stems = (lower[:-1], lower[:-2])
        elif lower.endswith("ing"):
            stems = (lower[:-3] + "e", lower[:-3])
        return next((s for s in stems if s in self._verb_heads), lemma)

    def _verb_match(self, verb: Token) -> tuple[Trigger, list[int]] | None:
        lemma = self._verb_lemma(verb)
        parts = [c for c in verb.children if c.dep_ == "prt"]
        # "marched in Dakar on Friday" is no "march on": a preposition of time is not a particle
        preps = [c for c in verb.children if c.dep_ in PREP_DEPS and not _of_time(c)]
        objs = [_through_part(c) for c in verb.children if c.dep_ in OBJ_DEPS]
        for comp in (c for c in verb.children if _infinitive_complement(c)):
            for key in _keys(comp):
                entry = self.verb_obj.get((lemma, "to", key))
                if entry:
                    return _make(verb, [verb, comp], entry, f"verb+obj:{entry.pattern}")
        if lemma in wordclasses.words("light_verb"):
            for obj in objs:
                entry = self._noun_entry(obj)
                if entry and " " in entry.pattern:
                    return _make(verb, [verb, obj], entry, f"light:{lemma} {entry.pattern}", light=True)
        phrasal = any((lemma, part.lower_) in self.phrasal for part in parts)
        for obj in objs:
            for key in _keys(obj):
                entry = next((e for p in parts if (e := self.verb_obj.get((lemma, p.lower_, key)))), None)
                if entry is None and not phrasal:
                    entry = self.verb_obj.get((lemma, "", key))
                if entry:
                    return _make(verb, [verb, obj, *parts], entry, f"verb+obj:{entry.pattern}")
            # "demonstrated its resolve": with any object the verb has a sense that is no event
            if self._any_object(verb, lemma, obj):
                return None
        for prep in preps:
            for pobj in (c for c in prep.children if c.dep_ in ("pobj", "pcomp")):
                for key in _keys(pobj):
                    entry = self.verb_obj.get((lemma, prep.lower_, key))
                    if entry:
                        return _make(verb, [verb, prep, pobj], entry, f"verb+obj:{entry.pattern}")
        for part in parts + preps:
            entry = self.phrasal.get((lemma, part.lower_))
            if entry and not (entry.info is None and objs):  # "prices shot up", but "shot up a car"
                return _make(verb, [verb, part], entry, f"phrasal:{entry.pattern}")
        if lemma in wordclasses.words("light_verb"):
            for obj in objs:
                entry = self._noun_entry(obj)
                if entry:
                    return _make(verb, [verb, obj], entry, f"light:{lemma} {entry.pattern}", light=True)
        entry = self.verbs.get(lemma)
        if entry and lemma in wordclasses.words("helping_verb") and any(
            c.dep_ in ("xcomp", "ccomp") and c.pos_ in VERB_POS for c in verb.children
        ):
            return None  # "helped (to) ease tensions": the deed helped is the event
        if entry:
            return _make(verb, [verb], entry, f"verb:{entry.pattern}")
        return None

    def _noun_entry(self, noun: Token) -> _Entry | None:
        keys = _keys(noun)
        for prep in (c for c in noun.children if c.dep_ == "prep"):
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                for key in keys:
                    entry = self.noun_preps.get((key, prep.lower_, pobj.lemma_.lower()))
                    if entry:
                        return entry
        for mod in noun.children:
            if mod.dep_ in MODIFIER_DEPS:
                for key in keys:
                    entry = self.noun_pairs.get((mod.lower_, key)) or self.noun_pairs.get(
                        (mod.lemma_.lower(), key)
                    )
                    if entry:
                        return entry
        for key in keys:
            if key in self.nouns:
                return self.nouns[key]
        return None

    def _noun_match(self, noun: Token) -> tuple[Trigger, list[int]] | None:
        entry = self._noun_entry(noun)
        if entry is None:
            return None
        span = [noun]
        if " " in entry.pattern:
            words = set(entry.pattern.split())
            span += [t for t in noun.subtree if t.lower_ in words or t.lemma_.lower() in words]
        return _make(noun, span, entry, f"noun:{entry.pattern}")


def _is_predicate(tok: Token) -> bool:
    """Verbs, and adjectives that take a clause ("ready to talk", "willing to withdraw")."""
    if tok.pos_ in VERB_POS:
        stative = tok.lemma_.lower() in wordclasses.words("state_participle")
        if tok.dep_ == "acl" and tok.tag_ == "VBN" and stative:
            return False
        return tok.dep_ not in SKIP_VERB_DEPS
    return tok.pos_ == "ADJ" and any(c.dep_ == "xcomp" for c in tok.children)


def _infinitive_complement(tok: Token) -> bool:
    """A verb's to-infinitive complement; the parser makes "allow refugees to return" a ccomp."""
    if tok.pos_ not in VERB_POS:
        return False
    if tok.dep_ == "xcomp":
        return True
    return tok.dep_ == "ccomp" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def _through_part(tok: Token) -> Token:
    """The noun a part or quantity noun stands for: "part of a military aid programme" → programme."""
    if tok.lemma_.lower() in wordclasses.words("part_noun"):
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                return next((c for c in prep.children if c.dep_ == "pobj"), tok)
    return tok


def _keys(tok: Token) -> tuple[str, ...]:
    """Lookup keys for a noun: lemma, surface form, ``NUMBER`` for a number, and for a generic head its
    compound.

    "mediation effort" is looked up as "effort" and as "mediation".
    """
    lemma, lower = tok.lemma_.lower(), tok.lower_
    keys = (lemma,) if lemma == lower else (lemma, lower)
    if tok.like_num and any(c.lower_ in ("a", "an") for c in tok.children):
        keys += (NUMBER,)  # "shot a 65": a score, not "shot three"
    if lemma in wordclasses.words("generic_noun"):
        keys += tuple(c.lemma_.lower() for c in tok.children if c.dep_ == "compound")
    return keys


def _of_time(prep: Token) -> bool:
    return any(c.ent_type_ in ("DATE", "TIME") for c in prep.children if c.dep_ == "pobj")


def _make(
    head: Token, toks: list[Token], entry: _Entry, rule: str, light: bool = False
) -> tuple[Trigger, list[int]] | None:
    """The trigger and the tokens it is made of (its span may also cover words in between); None for a
    sense that is no event."""
    if entry.info is None:
        return None
    idx = [t.i for t in toks]
    return Trigger(head, (min(idx), max(idx) + 1), entry.info, rule, entry.preps, light=light), idx


def trigger_order(trig: Trigger) -> tuple[bool, int, int]:
    """Main clause first (closest to the root), bare statements (010) last, then text order."""
    return trig.info.cameo == "010", _depth(trig.token), trig.token.i


def _depth(tok: Token) -> int:
    depth = 0
    while tok.head.i != tok.i:
        tok = tok.head
        depth += 1
    return depth


def _read(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The lexicon built from ``data/cameo.tsv`` and ``data/predicates.tsv`` (cached)."""
    cameo = {}
    for row in _read("cameo.tsv"):
        code = row["cameo"]
        cameo[code] = CameoInfo(
            cameo=code,
            label=row["label"],
            event=row["plover_event"] or None,
            mode=row["mode"] or None,
            context=tuple(c for c in row["context"].split(";") if c),
            goldstein=float(row["goldstein"]),
            quad_code=int(row["quad_code"]),
        )
    return Lexicon(cameo, _read("predicates.tsv"))
