"""Normalising and tokenising actor phrases, the same way for table keys and for input text."""

from __future__ import annotations

import re
import unicodedata

_TOKEN = re.compile(r"\w+(?:\.\w+)*\.?|[^\w\s]")
_POSSESSIVE = re.compile(r"(?<=\w)'s\b|(?<=s)'(?!\w)")
_DETERMINERS = frozenset({"the", "a", "an"})


def fold(text: str) -> str:
    """Strip accents and unify quotes/dashes: ``Khürelsükh`` -> ``Khurelsukh``."""
    if text.isascii():
        return text
    text = text.replace("’", "'").replace("‘", "'").replace("–", "-").replace("—", "-")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokens(text: str) -> list[str]:
    """Case-preserving tokens; possessives dropped, hyphens split off (``Guinea-Bissau`` -> 3 tokens)."""
    return _TOKEN.findall(_POSSESSIVE.sub("", fold(text)))


def key(text: str, toks: list[str] | None = None) -> str:
    """The lookup key of a table entry: lower-cased tokens without a leading determiner.
    ``toks``: the text's :func:`tokens`, where the caller already has them."""
    toks = [t.lower() for t in (tokens(text) if toks is None else toks)]
    if len(toks) > 1 and toks[0] in _DETERMINERS:
        toks = toks[1:]
    return " ".join(toks)


def singular(word: str) -> str | None:
    """A regular English singular of a lower-case plural, or None when ``word`` does not look plural."""
    if word.endswith("men") and len(word) >= 3:
        return word[:-3] + "man"
    if len(word) < 4 or not word.endswith("s") or word.endswith("ss"):
        return None
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    return word[:-1]


def is_acronym(alias: str) -> bool:
    """Short upper-case forms (``US``, ``UN``, ``PAN``) that must match with their exact case."""
    letters = alias.replace(".", "")
    return letters.isalpha() and letters.isupper() and len(letters) <= 6 and "." not in alias
