"""Places: toponyms found in a parsed article, resolved against the gazetteer, and where an event happened.

Three seams, one module each: ``mentions`` finds the toponym candidates in a Doc, ``resolve`` picks each
one's gazetteer entry with the story's context (``find_places``), and ``attach`` decides which place an
event happened at (``event_place``, ``event_location``). The words the rules test are word classes
(``data/wordclasses.tsv``)."""

from dyads.attributes.gazetteer import load_gazetteer
from dyads.attributes.places.attach import event_location, event_place
from dyads.attributes.places.resolve import find_places

__all__ = ["event_location", "event_place", "find_places", "load_gazetteer"]
