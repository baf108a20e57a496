"""A small store of hand-made events (our own sentences), for the query, export, server and page tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dyads.model import Actor, Article, Event, Location
from dyads.store import Store

NIAMEY = Location("Niamey", "NER", "NE.08", 13.51, 2.11, 2440485, "PPLC")
BAMAKO = Location("Bamako", "MLI", "ML.08", 12.65, -8.0, 2460596, "PPLC")
PARIS = Location("Paris", "FRA", "FR.11", 48.85, 2.35, 2988507, "PPLC")

ARTICLES = [
    Article(
        "a1",
        "Farmers marched on the French embassy in Niamey on Friday. Paris said it would recall its envoy.",
        date(2024, 3, 2), "Farmers march", "https://example.org/a1", "Example Wire",
    ),
    Article(
        "a2",
        "Mali's army shelled rebel positions near Bamako. Moscow pledged new helicopters to the Malian army.",
        date(2024, 5, 10), "Shelling", None, "Example Wire",
    ),
    Article(
        "a3",
        "The Nigerien junta hosted Russian officers in Niamey for talks on a defence pact.",
        date(2024, 6, 20), "Talks", None, "Other Wire",
    ),
]  # fmt: skip


def _event(article: Article, sentence: str, trigger: str, **kw) -> Event:
    kw.setdefault("root", True)  # each sentence here holds one event, its main one
    start = article.text.index(sentence)
    t0 = article.text.index(trigger, start)
    return Event(
        article_id=article.id,
        text=sentence,
        span=(start, start + len(sentence)),
        event_text=trigger,
        evidence={"trigger": trigger, "trigger_span": (t0, t0 + len(trigger)), "rule": "test", "model": None},
        **kw,
    )


def events() -> list[tuple[Article, list[Event]]]:
    a1, a2, a3 = ARTICLES
    s1, s2 = a1.text.split(". ")[0] + ".", a1.text.split(". ")[1]
    s3, s4 = a2.text.split(". ")[0] + ".", a2.text.split(". ")[1]
    return [
        (a1, [
            _event(a1, s1, "marched", event="PROTEST", cameo="141", mode="demonstrate", quad_code=4,
                   goldstein=-6.5, actor=[Actor("Farmers", "NER", "CVL")],
                   recipient=[Actor("the French embassy", "FRA", "GOV")], date=date(2024, 3, 1),
                   date_precision="day", date_text="on Friday", event_loc=NIAMEY, confidence=0.9),
            _event(a1, s2, "recall", event="REJECT", cameo="161", quad_code=3, goldstein=-4.0,
                   actor=[Actor("Paris", "FRA", "GOV")], recipient=[Actor("Niamey", "NER", "GOV")],
                   date=date(2024, 3, 2), date_precision="reported", event_loc=PARIS, factuality="future",
                   confidence=0.6),
        ]),
        (a2, [
            _event(a2, s3, "shelled", event="ASSAULT", cameo="195", quad_code=4, goldstein=-10.0,
                   actor=[Actor("Mali's army", "MLI", "MIL")],
                   recipient=[Actor("rebel positions", "MLI", "REB")],
                   date=date(2024, 5, 9), date_precision="day", event_loc=BAMAKO, confidence=0.8),
            _event(a2, s4, "pledged", event="AID", cameo="0312", quad_code=2, goldstein=5.2,
                   actor=[Actor("Moscow", "RUS", "GOV")], recipient=[Actor("the Malian army", "MLI", "MIL")],
                   date=date(2024, 5, 10), date_precision="reported", confidence=0.7),
        ]),
        (a3, [
            _event(a3, a3.text, "talks", event="CONSULT", cameo="043", mode="meet", quad_code=1,
                   goldstein=2.8,
                   actor=[Actor("The Nigerien junta", "NER", "GOV", name="National Council")],
                   recipient=[Actor("Russian officers", "RUS", "MIL")], date=date(2024, 6, 19),
                   date_precision="day", event_loc=NIAMEY, confidence=0.85),
        ]),
    ]  # fmt: skip


def make_store(path: Path) -> Path:
    with Store(path) as st:
        st.write_many(events())
    return path
