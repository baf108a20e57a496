"""Small readings of a dependency parse that both the event stage and the attribute stage need.

It sits below both (it imports nothing of ours), so ``attributes`` does not reach into ``events``.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token


def auxiliaries(verb: Token) -> list[Token]:
    """Auxiliaries of a verb, with those of the verb it is coordinated with ("will go and hand over")."""
    out = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if not out and verb.dep_ == "conj":
        out = [c for c in verb.head.children if c.dep_ in ("aux", "auxpass")]
    return out


def lemmas(tok: Token) -> set[str]:
    """The lemma the tagger gives a word and the plain stems of its surface form, for looking a verb up in a
    word class when the tagger's lemma is wrong ("hopes" → "hop")."""
    lower = tok.lower_
    out = {tok.lemma_.lower(), lower}
    if lower.endswith("ing"):
        out |= {lower[:-3], lower[:-3] + "e"}
    elif lower.endswith(("es", "ed")):
        out |= {lower[:-1], lower[:-2]}
    elif lower.endswith("s"):
        out.add(lower[:-1])
    return out


def text_of(doc: Doc) -> str:
    """The document's text, joined once: spaCy joins every token's text again on each ``doc.text``, and the
    stages ask for it several times a story."""
    text = doc.user_data.get("text")
    if text is None:
        text = doc.user_data["text"] = doc.text
    return text
