"""The indexed attribute ruler sets exactly what spaCy's own attribute ruler sets."""

import pytest
import spacy

from dyads.nlp import MODEL, load
from dyads.tag_attributes import IndexedAttributeRuler, index_attribute_ruler

# sentences of our own that reach the ruler's exceptions: auxiliaries, negation, subordinators, pronoun
# cases, expletive "there", determiners as pronouns, two-token rules, runs of whitespace
TEXTS = [
    "The minister is not happy, but he has said that the talks will go on if the rebels agree.",
    "There are soldiers in the town, and it is they who asked you to leave; I told it to them.",
    "Y'all gonna see: it ain't over, let's go and c'm on, we gotta win.  \n\n  Nothin' changed.",
    "Which of these did they do? Those were the days when we had done what that man did.",
    "Police    arrested\t\ttwo men.\n\n\nThe army, though, has been deployed whilst the president was away.",
]


def _attrs(doc):
    return [(t.text, t.pos_, str(t.morph), t.lemma_, t.tag_, t.dep_) for t in doc]


@pytest.fixture(scope="module")
def stock():
    return spacy.load(MODEL)


def test_same_attributes_as_the_stock_ruler(stock):
    indexed = load()
    assert isinstance(indexed.get_pipe("attribute_ruler"), IndexedAttributeRuler)
    for text in TEXTS:
        assert _attrs(indexed(text)) == _attrs(stock(text))


def test_rules_of_two_tokens_are_applied(stock):
    doc = load()("They gonna fight.")
    assert [t.lemma_ for t in doc[1:3]] == ["go", "to"]


def test_a_pattern_it_cannot_index_keeps_the_stock_ruler():
    nlp = spacy.load(MODEL)
    nlp.get_pipe("attribute_ruler").add([[{"LOWER": "x", "OP": "+"}]], {"POS": "X"})
    index_attribute_ruler(nlp)
    assert not isinstance(nlp.get_pipe("attribute_ruler"), IndexedAttributeRuler)
    assert nlp.pipe_names == spacy.load(MODEL).pipe_names


def test_new_words_add_nothing_it_keeps(stock):
    """What it keeps is closed (tags, dependencies, the patterns' own words): a stream of new names must not
    grow it, and the new names get the stock ruler's attributes."""
    nlp = load()
    ruler = nlp.get_pipe("attribute_ruler")
    template = "Officials said {} of {} was arrested by soldiers near {}."
    nlp(template.format("Kamaru Doleso", "Tinvari", "Bemsala"))
    kept = len(ruler._candidates)
    for names in [("Orumba Sikedi", "Valmoru", "Duntaro"), ("Pelesi Agomar", "Kirvan", "Osmenda")]:
        text = template.format(*names)
        assert _attrs(nlp(text)) == _attrs(stock(text))
    assert len(ruler._candidates) == kept
