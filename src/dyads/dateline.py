"""A wire dateline ("NIAMEY, April 20 (Reuters) -"): where and when a story says it was filed. A fact of
the text's form, read by the pipeline (the story's place and, for an undated story, its day) and by the
reader (a long text cut into pieces keeps its dateline on each)."""

from __future__ import annotations

import re
from typing import NamedTuple


class Dateline(NamedTuple):
    """A wire dateline: the place as written ("DAKAR, Senegal"), its date as written or None, and the
    offset where the story's body starts. The dates stage reads the date (``dates.dateline_date``)."""

    place: str
    date_text: str | None
    body_start: int


_DATELINE = re.compile(
    r"\A\s*(?P<place>(?P<city>[A-Z][A-Za-z.'’\- ]{1,40}?)(?:,\s*(?P<region>[A-Z][A-Za-z.'’\- ]{1,30}?))?)"
    r"(?:,\s*(?P<date>(?:[A-Z][a-z]+\.? \d{1,2}|\d{1,2} [A-Z][a-z]+\.?)(?:,? \d{4})?))?"
    r"\s*(?P<agency>\([A-Za-z/ &.-]{2,30}\))?\s*(?:-{1,2}|–|—)\s+"
)
_NOT_PLACES = {
    "BREAKING",
    "UPDATE",
    "UPDATED",
    "EXCLUSIVE",
    "ANALYSIS",
    "OPINION",
    "WATCH",
    "LIVE",
    "EDITORIAL",
}


def find_dateline(text: str) -> Dateline | None:
    """The dateline that opens ``text``, if any: a line counts when its city is in capitals or an agency
    is named in parentheses ("NIAMEY, April 20 (Reuters) -", "Niamey (AFP) -")."""
    m = _DATELINE.match(text)
    if m is None:
        return None
    city = m["city"].strip()
    if city.upper() in _NOT_PLACES or not (m["agency"] or (city.isupper() and len(city) > 1)):
        return None
    return Dateline(m["place"].strip(), m["date"], m.end())
