"""Plain text: the whole file is one article; the publication date may come from its dateline."""

from __future__ import annotations

import re
from datetime import date

from dyads.model import Article

_MONTH_NAMES = (
    "jan/january feb/february mar/march apr/april may jun/june jul/july aug/august sep/sept/september "
    "oct/october nov/november dec/december"
)
_MONTHS = {name: i for i, names in enumerate(_MONTH_NAMES.split(), start=1) for name in names.split("/")}
_MONTH = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATELINE = re.compile(
    r"\b(?:(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})"
    rf"|{_MONTH}\s+(?P<d1>\d{{1,2}}),?\s+(?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}})\s+{_MONTH.replace('mon', 'mon2')}\s+(?P<y2>\d{{4}}))\b",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"\s-{1,2}\s|[–—]|\(")  # where a dateline ends: " - ", a dash, "(Reuters)"
DATELINE_CHARS = 200
HEADER_CHARS = 40  # a first line this short with no separator is a header ("2024-04-15", "April 15, 2024")


def dateline(text: str) -> date | None:
    """The date of a dateline ("NIAMEY, April 15, 2024 (Reuters) -") or a short date header line.

    Only the first line counts, and only before the dateline's separator, so a date in the
    story's first sentence ("the war that began on February 24, 2022") is not taken for it.
    """
    first = text.lstrip().split("\n", 1)[0][:DATELINE_CHARS]
    cut = _SEPARATOR.search(first)
    head = first[: cut.start()] if cut else first if len(first) <= HEADER_CHARS else ""
    for m in _DATELINE.finditer(head):
        g = m.groupdict()
        try:
            if g["iy"]:
                return date(int(g["iy"]), int(g["im"]), int(g["id"]))
            if g["y1"]:
                return date(int(g["y1"]), _MONTHS[g["mon"].lower()], int(g["d1"]))
            return date(int(g["y2"]), _MONTHS[g["mon2"].lower()], int(g["d2"]))
        except ValueError:  # "February 30": not a date, keep looking
            continue
    return None


def read_text(article_id: str, text: str, published: date | None) -> Article:
    """One article; ``published`` (from the command line) wins over a dateline guess."""
    return Article(id=article_id, text=text.strip(), published=published or dateline(text))
