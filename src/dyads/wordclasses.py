"""Word classes: the named sets of words the rules test (saying verbs, motion verbs, place nouns, ...).

They live in one checked table, ``data/wordclasses.tsv`` (``class``, ``word``, ``note``; ``#`` comments),
loaded once. Code asks for a class by name: ``words("saying_verb")``. A class the table does not have is an
error at the call, not an empty set, so a typo cannot silently switch a rule off. Imports nothing of ours.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).resolve().parent / "data" / "wordclasses.tsv"
HEADER = ["class", "word", "note"]
CLASS_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class WordClassError(ValueError):
    """A malformed row of the word-class table, or a class it does not have."""


@lru_cache(maxsize=1)
def _table(path: Path = TABLE) -> dict[str, frozenset[str]]:
    return load(path)


def load(path: Path) -> dict[str, frozenset[str]]:
    """Read and check a word-class table: a header, then rows of class, word (lowercase; a lemma unless
    the class says otherwise) and an optional note; no word twice in one class."""
    classes: dict[str, set[str]] = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [(n, line) for n, line in enumerate(lines, 1) if line.strip() and not line.startswith("#")]
    if not rows or rows[0][1].split("\t") != HEADER:
        raise WordClassError(f"{path}:1: the header must be {' / '.join(HEADER)}")
    for n, line in rows[1:]:
        cells = line.split("\t")
        if len(cells) not in (2, 3):
            raise WordClassError(f"{path}:{n}: expected class, word and note, got {len(cells)} cells")
        name, word = cells[0].strip(), cells[1].strip()
        if not CLASS_NAME.match(name):
            raise WordClassError(f"{path}:{n}: bad class name {name!r}")
        if not word or word != word.lower():
            raise WordClassError(f"{path}:{n}: a word must be non-empty and lowercase, got {word!r}")
        if word in classes.setdefault(name, set()):
            raise WordClassError(f"{path}:{n}: {word!r} is twice in class {name!r}")
        classes[name].add(word)
    return {name: frozenset(ws) for name, ws in classes.items()}


def words(name: str) -> frozenset[str]:
    """The words of one class."""
    table = _table()
    if name not in table:
        raise WordClassError(f"no word class {name!r} in {TABLE.name}")
    return table[name]
