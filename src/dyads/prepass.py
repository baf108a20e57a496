"""The pre-pass: only sentences that can hold an event go through the full parse.

Before the tagger, parser and NER, a cheap pass (the tokenizer and a punctuation sentencizer) reads each
sentence's words. A sentence is kept when a word can be, in some inflection, the head of a predicate of the
event lexicon ("clashed" for *clash*, "talks" for *talk*) or a demand's "must"; when it has a time expression
(a month or weekday name, a year, a ``time_word``), which may set the story's time for the events after it;
and the first sentence always (the dateline). The others are blanked in place — each character but line
breaks becomes a space — so the text keeps its length and every offset of the kept sentences is unchanged.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc, Span

from dyads import nlp as nlp_mod
from dyads import wordclasses
from dyads.bounded import Bounded
from dyads.events.lexicon import load_lexicon

_YEAR = re.compile(r"(?:1[89]|20)\d\d(?:s|'s)?$")  # "2019", "the 1990s"
_NUMERIC_DATE = re.compile(r"\d{1,4}[/.-]\d{1,2}(?:[/.-]\d{1,4})?$")
_BLANKED = re.compile(r"[^\n]")
_LEMMATIZED = ("noun", "verb", "adj")
_LEMMAS_KEPT = 200_000  # words whose possible lemmas are kept
_NAMES = frozenset(
    n.lower() for names in (calendar.month_name, calendar.month_abbr, calendar.day_name) for n in names if n
)


@dataclass
class Blanked:
    """A text as the full parse is to see it: its words, unparsed, with the sentences that cannot hold an
    event blanked; and how many sentences it has and kept."""

    doc: Doc
    sentences: int
    kept: int


class Prepass:
    """Built once per pipeline (``nlp`` gives the tokenizer and the lemmatizer's tables)."""

    def __init__(self, nlp: Language) -> None:
        self._make_doc = nlp.make_doc  # the tokenizer, after the check of the pipeline's max_length
        self._sentencizer = Sentencizer()
        lookups = nlp.get_pipe("lemmatizer").lookups
        index, exc, rules = (lookups.get_table(t) for t in ("lemma_index", "lemma_exc", "lemma_rules"))
        self._tables = [(index.get(pos, {}), exc.get(pos, {}), rules.get(pos, [])) for pos in _LEMMATIZED]
        self._alone, self._paired = load_lexicon().cues()
        self._alone |= wordclasses.words("demand_aux")
        self._time_words = wordclasses.words("time_word")
        self._lemmas: Bounded[str, frozenset[str]] = Bounded(_LEMMAS_KEPT)

    def blank(self, text: str) -> Blanked:
        """The kept sentences' tokens are the tokenizer's, so the full pipeline takes the words as they are
        (``nlp.pipe`` accepts a ``Doc``) instead of tokenizing the text again; a blanked sentence is one
        whitespace token, as the tokenizer makes of a run of spaces."""
        doc = self._sentencizer(self._make_doc(text))
        sents = list(doc.sents)
        words: list[str] = []
        spaces: list[bool] = []
        kept = 0
        for k, sent in enumerate(sents):
            if k and not self._keeps(sent):
                _add(words, spaces, _BLANKED.sub(" ", sent.text_with_ws), False)
                continue
            kept += 1
            for tok in sent:
                _add(words, spaces, tok.text, bool(tok.whitespace_))
        return Blanked(Doc(doc.vocab, words=words, spaces=spaces), len(sents), kept)

    def _keeps(self, sent: Span) -> bool:
        lemmas: set[str] = set()
        for tok in sent:
            word = tok.lower_
            if word in self._time_words or _YEAR.match(word) or _NUMERIC_DATE.match(word):
                return True
            if word in _NAMES and tok.text[:1].isupper():
                return True
            lemmas |= self._lemmas_of(word)
        if not lemmas.isdisjoint(self._alone):
            return True
        return any(not lemmas.isdisjoint(self._paired[h]) for h in lemmas.intersection(self._paired))

    def _lemmas_of(self, word: str) -> frozenset[str]:
        """Every lemma the lemmatizer can give the word, whatever its part of speech, with the word itself
        and the stems the lexicon mends a verb's lemma with (``Lexicon._verb_lemma``)."""
        known = self._lemmas.get(word)
        if known is None:
            out = {word}
            for index, exceptions, rules in self._tables:
                stems = (word[: len(word) - len(old)] + new for old, new in rules if word.endswith(old))
                forms = [f for f in stems if f]
                known_forms = [f for f in forms if f in index or not f.isalpha()]
                out.update(exceptions.get(word, ()), known_forms or forms)
            if word.endswith("ed"):
                out.update((word[:-1], word[:-2]))
            elif word.endswith("ing"):
                out.update((word[:-3] + "e", word[:-3]))
            known = self._lemmas[word] = frozenset(out)
        return known


def _add(words: list[str], spaces: list[bool], word: str, space: bool) -> None:
    """One more token, as the tokenizer would cut the blanked text: whitespace after a whitespace token
    joins it, and a blank's first space after a word is that word's trailing space."""
    if words and not spaces[-1] and word.isspace():
        if words[-1].isspace():
            words[-1] += word
            spaces[-1] = space
            return
        if word[0] == " ":
            spaces[-1], word = True, word[1:]
            if not word:
                return
    words.append(word)
    spaces.append(space)


@lru_cache(maxsize=1)
def load_prepass() -> Prepass:
    """The pre-pass over the pipeline ``dyads.nlp.load`` gives, built once."""
    return Prepass(nlp_mod.load())
