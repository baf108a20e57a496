"""The pre-pass: which sentences it leaves for the full parse; coding with it gives the same records."""

from __future__ import annotations

from datetime import date

import pytest

from dyads.events.lexicon import load_lexicon
from dyads.model import Article
from dyads.nlp import load
from dyads.pipeline import code_articles
from dyads.prepass import load_prepass

STORY = (
    "KORVASTA, Veldonia (Wire) - Militants ambushed a patrol near Ostrel. "
    "The valley is green and wide. "
    "On Tuesday, the roads were quiet. "
    "Her cousin plays the violin. "
    "Officials said the rebels must free the hostages."
)


@pytest.fixture(scope="module")
def blanked():
    return load_prepass().blank(STORY)


def test_the_words_are_those_the_tokenizer_makes_of_the_blanked_text(blanked):
    tokenizer = load().tokenizer
    ours = [(t.text, t.whitespace_) for t in blanked.doc]
    assert ours == [(t.text, t.whitespace_) for t in tokenizer(blanked.doc.text)]
    assert ours[:3] == [("KORVASTA", ""), (",", " "), ("Veldonia", " ")]
    assert not any(t.is_sent_start for t in blanked.doc[1:])  # the parser still decides the sentences


def test_a_sentence_with_no_predicate_word_and_no_time_is_blanked_in_place(blanked):
    assert len(blanked.doc.text) == len(STORY)
    assert "valley" not in blanked.doc.text and "violin" not in blanked.doc.text
    assert (blanked.sentences, blanked.kept) == (5, 3)
    for kept in ("Militants ambushed a patrol near Ostrel.", "On Tuesday, the roads were quiet."):
        assert blanked.doc.text.index(kept) == STORY.index(kept)  # every kept offset is unchanged


def test_the_dateline_sentence_a_time_and_a_demand_keep_their_sentences(blanked):
    assert blanked.doc.text.startswith("KORVASTA, Veldonia (Wire) - Militants ambushed")
    assert "On Tuesday" in blanked.doc.text  # may set the story's time for what follows
    assert "must free the hostages" in blanked.doc.text


def test_an_inflected_predicate_keeps_a_sentence_its_bare_form_would():
    pre = load_prepass()
    text = "The sky was grey. {} The sky was grey."
    for sentence in ("Troops clashed with herders.", "The clashes ended.", "Herders are clashing."):
        assert sentence in pre.blank(text.format(sentence)).doc.text
    assert pre.blank(text.format("The herders were tired.")).doc.text.count("grey") == 1


def test_a_paired_cue_needs_its_second_word():
    alone, paired = load_lexicon().cues()
    head = next(h for h, words in paired.items() if h.isalpha() and h not in alone)
    word = sorted(paired[head])[0]
    pre = load_prepass()
    assert f"{head} {word}" in pre.blank(f"The sky was grey. They {head} {word}.").doc.text
    assert head not in pre.blank(f"The sky was grey. They {head} it.").doc.text


def test_coding_with_the_pre_pass_gives_the_records_coding_without_it_gives():
    art = Article("prepass", STORY, date(2024, 3, 14))
    (_, without), (_, with_) = (next(code_articles([art], prepass=p)) for p in (False, True))
    assert without and [e.event for e in with_] == [e.event for e in without]
    assert [(e.span, e.date, e.actor, e.recipient) for e in with_] == [
        (e.span, e.date, e.actor, e.recipient) for e in without
    ]
