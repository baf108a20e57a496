"""The model's attribute ruler (a tag's part of speech and morphology, and its exceptions: "is" tagged VBZ is
the auxiliary *be*) applied through an index instead of spaCy's Matcher.

The Matcher tries each of the ruler's ~180 patterns at every token: a tenth of a worker's CPU, as much as the
parser. The patterns ask for a token's tag, lowercase form, dependency or whitespace, so the rules a token
can start are found by its tag and word, and kept for its values of all four, its word only where a
pattern names it (a closed set: nothing grows with the words a stream brings); the rest of a rule (another
token, a NOT_IN or REGEX) is checked as the Matcher would. The matches are the Matcher's, in the ruler's
order, and the ruler itself sets them: the tokens' attributes are exactly the stock component's (tested).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

_COLUMNS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}  # the columns of ``Doc.to_array`` below

Values = tuple[int, int, int, int]
Limits = list[frozenset[int] | None]
Check = Callable[[Values], bool]
TokenSpec = tuple[Limits, Check | None]
Rule = tuple[int, int, list[TokenSpec]]  # rule number, its key in the ruler's Matcher, its tokens
# a rule as a token's values meet its first token: number, key, that token's check, the tokens after it
Candidate = tuple[int, int, Check | None, list[TokenSpec]]


class Unindexable(ValueError):
    """A pattern this index cannot take (an operator or attribute it does not know)."""


class IndexedAttributeRuler:
    """Called as the pipeline's ``attribute_ruler`` with the stock ruler's patterns and attributes."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self._ruler = ruler
        self._strings = ruler.vocab.strings
        self._rules: list[Rule] = []
        for number, entry in enumerate(ruler.patterns):
            key = self._strings[str(number)]
            self._rules += [(number, key, [self._compile(spec) for spec in p]) for p in entry["patterns"]]
        # a tag's rules: by the word their first token must be, and those for any word
        self._by_tag: dict[int, tuple[dict[int, list[Rule]], list[Rule]]] = {}
        # the words the rules' first tokens name: another word starts the same rules as any word it is not
        self._words = frozenset(w for _, _, specs in self._rules for w in specs[0][0][1] or ())
        self._candidates: dict[Values, list[Candidate]] = {}

    def _compile(self, spec: dict) -> tuple[Limits, Check | None]:
        """The values a pattern's token limits each column to (None: any), and a check of what a set of
        values cannot say (NOT_IN, REGEX)."""
        limits: Limits = [None] * len(_COLUMNS)
        checks: list[Check] = []
        for attr, want in spec.items():
            if attr not in _COLUMNS:
                raise Unindexable(f"attribute {attr}")
            col = _COLUMNS[attr]
            if isinstance(want, bool) and attr == "IS_SPACE":
                limits[col] = frozenset((int(want),))
            elif isinstance(want, str) and attr != "IS_SPACE":
                limits[col] = frozenset((self._strings.add(want),))
            elif isinstance(want, dict) and set(want) == {"IN"} and attr != "IS_SPACE":
                limits[col] = frozenset(self._strings.add(s) for s in want["IN"])
            elif isinstance(want, dict) and set(want) == {"NOT_IN"} and attr != "IS_SPACE":
                bad = frozenset(self._strings.add(s) for s in want["NOT_IN"])
                checks.append(lambda v, c=col, b=bad: v[c] not in b)
            elif isinstance(want, dict) and set(want) == {"REGEX"} and attr != "IS_SPACE":
                rx = re.compile(want["REGEX"])
                checks.append(lambda v, c=col, r=rx: r.search(self._strings[v[c]]) is not None)
            else:
                raise Unindexable(f"{attr} {want!r}")
        check = (
            None if not checks else checks[0] if len(checks) == 1 else (lambda v: all(c(v) for c in checks))
        )
        return limits, check

    def _for_tag(self, tag: int) -> tuple[dict[int, list[Rule]], list[Rule]]:
        found = self._by_tag.get(tag)
        if found is None:  # the tag set is small and closed: this fills once
            by_word: dict[int, list[Rule]] = {}
            any_word: list[Rule] = []
            for rule in self._rules:
                tags, words = rule[2][0][0][:2]
                if tags is not None and tag not in tags:
                    continue
                for word in words or ():
                    by_word.setdefault(word, []).append(rule)
                if words is None:
                    any_word.append(rule)
            found = self._by_tag[tag] = (by_word, any_word)
        return found

    def _for(self, values: Values) -> list[Candidate]:
        """The rules whose first token these values meet, bar its check: looked up among the tag's rules
        for the word and kept, so that a known token is one look-up."""
        if values[1] not in self._words:
            values = (values[0], 0, values[2], values[3])
        found = self._candidates.get(values)
        if found is None:
            by_word, any_word = self._for_tag(values[0])
            found = [
                (number, key, specs[0][1], specs[1:])
                for rules in (by_word.get(values[1], ()), any_word)
                for number, key, specs in rules
                if _within(values, specs[0][0])
            ]
            self._candidates[values] = found
        return found

    def __call__(self, doc: Doc) -> Doc:
        columns = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).T.tolist()
        rows = list(zip(*columns, strict=True))
        matches = []
        for i, values in enumerate(rows):
            for number, key, check, after in self._for(values):
                if (check is None or check(values)) and (not after or _follow(rows, i + 1, after)):
                    matches.append((number, key, i, i + 1 + len(after)))
        matches.sort()  # the stock ruler's order: later rules overrule earlier ones
        self._ruler.set_annotations(doc, matches)
        return doc


def _within(values: Values, limits: Limits) -> bool:
    return all(lim is None or v in lim for lim, v in zip(limits, values, strict=True))


def _follow(rows: list[Values], start: int, specs: list[TokenSpec]) -> bool:
    """Whether the tokens from ``start`` on meet a pattern's tokens."""
    if start + len(specs) > len(rows):
        return False
    for k, (limits, check) in enumerate(specs):
        values = rows[start + k]
        if not _within(values, limits) or (check is not None and not check(values)):
            return False
    return True


@Language.factory("dyads_indexed_attribute_ruler")
def _make(nlp: Language, name: str) -> IndexedAttributeRuler:
    return IndexedAttributeRuler(nlp.get_pipe("attribute_ruler"))


def index_attribute_ruler(nlp: Language) -> None:
    """Puts the indexed ruler in the place and name of the pipeline's ``attribute_ruler``, unless one of the
    patterns cannot be indexed."""
    try:
        nlp.add_pipe(
            "dyads_indexed_attribute_ruler", name="indexed_attribute_ruler", before="attribute_ruler"
        )
    except Unindexable:
        return
    nlp.remove_pipe("attribute_ruler")
    nlp.rename_pipe("indexed_attribute_ruler", "attribute_ruler")
