"""Named entities of a span or at a token, read once per document.

spaCy's ``Span.ents`` and ``Doc.ents`` rebuild every entity of the whole document on each call, so asking
once per sentence costs the square of an article's length. These read the document's entities once, keep
them with it, and give the same entities (``Span.ents``'s: those wholly inside the span)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from spacy.tokens import Doc, Span, Token

_I, _B = 1, 3  # Token.ent_iob: 1 inside, 2 outside, 3 begins, 0 unset

Entity = tuple[int, int, int, int, int]


def ents_in(span: Span) -> list[Span]:
    """The entities wholly inside ``span``, in order: what ``span.ents`` gives, without reading the rest
    of the document."""
    doc = span.doc
    starts, ents = _entities(doc)
    out: list[Span] = []
    for k in range(bisect_left(starts, span.start), len(ents)):  # not a slice: that copies the rest
        start, end, label, kb_id, ent_id = ents[k]
        if start >= span.end or end > span.end:
            break
        out.append(Span(doc, start, end, label=label, kb_id=kb_id, span_id=ent_id))
    return out


def ent_at(tok: Token) -> Span | None:
    """The entity ``tok`` is part of, as ``doc.ents`` has it, or None."""
    doc = tok.doc
    starts, ents = _entities(doc)
    k = bisect_right(starts, tok.i) - 1
    if k < 0 or ents[k][1] <= tok.i:
        return None
    start, end, label, kb_id, ent_id = ents[k]
    return Span(doc, start, end, label=label, kb_id=kb_id, span_id=ent_id)


def _entities(doc: Doc) -> tuple[list[int], list[Entity]]:
    """The document's entities, read once and kept with it (as numbers, which hold no reference back to
    the document): their starts, and (start, end, label, kb id, id) for each."""
    found = doc.user_data.get("entities")
    if found is None:
        ents: list[Entity] = []
        i = 0
        while i < len(doc):
            tok = doc[i]
            if tok.ent_iob == _B and tok.ent_type:
                end = i + 1
                while end < len(doc) and doc[end].ent_iob == _I:
                    end += 1
                ents.append((i, end, tok.ent_type, tok.ent_kb_id, tok.ent_id))
                i = end
            else:
                i += 1
        found = doc.user_data["entities"] = ([e[0] for e in ents], ents)
    return found
