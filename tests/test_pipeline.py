"""The composed pipeline on real sentences: what each stage adds shows up in the record."""

from __future__ import annotations

from datetime import date

import jsonschema
import pytest

import dyads
from dyads.model import Article


def test_code_returns_events_for_a_story():
    events = dyads.code(
        "Mali and Burkina Faso have expelled French forces. "
        "Russian military instructors arrived in Niamey on Friday.",
        published="2024-04-20",
        article_id="sahel",
    )
    expel = next(e for e in events if "expel" in e.event_text)
    assert {a.code for a in expel.actor} == {"MLI", "BFA"}
    assert [a.code for a in expel.recipient] == ["FRA"]
    arrival = next(e for e in events if "arriv" in e.event_text)
    assert arrival.actor[0].code == "RUS" and arrival.actor[0].sector == "MIL"
    assert arrival.date == date(2024, 4, 19) and arrival.date_precision == "day"
    assert arrival.event_loc.name == "Niamey"
    assert arrival.recipient and arrival.recipient[0].code == "NER"  # a visit's host is where it took place
    assert all(e.article_id == "sahel" for e in events)


def test_dateline_dates_and_places_an_article_without_metadata():
    [(article, events)] = list(
        dyads.code_articles(
            [
                Article(
                    "wire",
                    "NIAMEY, April 20, 2024 (Reuters) - Nigerien police arrested two opposition leaders.",
                )
            ]
        )
    )
    assert article.published == date(2024, 4, 20)
    [arrest] = [e for e in events if e.event == "COERCE"]
    assert arrest.date == date(2024, 4, 20)
    assert arrest.actor[0].code == "NER" and arrest.actor[0].sector == "COP"


def test_domestic_actor_takes_the_country_of_the_event():
    [e, *_] = [
        e
        for e in dyads.code(
            "Protesters marched in Bamako on Sunday against French troops.", published="2023-01-24"
        )
        if e.event == "PROTEST"
    ]
    assert e.actor[0].code == "MLI" and e.actor[0].sector == "CVL"
    assert e.recipient[0].code == "FRA"


def test_future_and_negated_events_are_flagged():
    events = dyads.code(
        "The United States will withdraw its troops from Niger. Niger did not expel the American ambassador.",
        published="2024-04-20",
    )
    by_type = {e.event: e for e in events}
    assert by_type["RETREAT"].factuality == "future"
    negated = [e for e in events if e.factuality == "negated"]
    assert negated and "expel" in negated[0].event_text


def test_records_validate_and_ids_are_unique():
    schema = __import__("json").loads(
        (__import__("pathlib").Path(dyads.__file__).parent / "data" / "event.schema.json").read_text()
    )
    events = dyads.code(
        "Last weekend in Niamey, thousands of demonstrators gathered at a protest, demanding the withdrawal "
        "of US forces from the country.",
        published="2024-04-20",
    )
    assert len({e.id for e in events}) == len(events) > 0
    for e in events:
        jsonschema.validate(e.to_dict(), schema)


@pytest.mark.parametrize("text", ["", "   ", "Nothing happened here."])
def test_text_without_events_codes_nothing(text):
    assert dyads.code(text, published="2024-04-20") == []


def test_a_clause_hanging_on_an_event_happened_where_it_did():
    events = dyads.code(
        "Last weekend in Niamey, thousands of demonstrators gathered at a protest, demanding the withdrawal "
        "of US forces from the country.",
        published="2024-04-20",
    )
    demand = next(e for e in events if e.event == "REQUEST")
    assert demand.event_loc is not None and demand.event_loc.name == "Niamey"
    assert (demand.date, demand.date_end) == (date(2024, 4, 13), date(2024, 4, 14))


def test_one_article_that_fails_does_not_lose_the_rest(monkeypatch):
    import dyads.pipeline as pipeline

    real = pipeline._code_doc

    def flaky(article, doc):
        if article.id == "bad":
            raise RuntimeError("boom")
        return real(article, doc)

    monkeypatch.setattr(pipeline, "_code_doc", flaky)
    arts = [Article(i, "Mali expelled the French ambassador.", date(2022, 1, 31)) for i in ("a", "bad", "c")]
    failed = []
    coded = list(pipeline.code_articles(arts, on_error=lambda a, e: failed.append((a.id, str(e)))))
    assert [a.id for a, _ in coded] == ["a", "c"] and all(evs for _, evs in coded)
    assert failed == [("bad", "boom")]
    with pytest.raises(pipeline.CodingError, match="'bad'"):
        list(pipeline.code_articles(arts))


def test_hostile_dates_and_long_texts_do_not_crash():
    events = dyads.code(
        "NIAMEY, April 20, 0000 (Reuters) - Police arrested 3000 protesters 3000 years ago.",
        published="2024-04-20",
    )
    assert events and events[0].date_precision == "reported"
    # spaCy refuses texts over a million characters by default; dyads raises the limit
    from dyads.nlp import MAX_CHARS, load

    assert load().max_length == MAX_CHARS > 1_000_000


@pytest.mark.parametrize(
    "text",
    [
        "Chad claimed that Sudanese militias had attacked a border village on Tuesday.",  # a claim
        "Washington wants Tehran to free the detained sailors.",  # a wish: an appeal
        "The rebels threatened to blow up the pipeline near Agadez.",  # a threat and the act it names
        "Rioters attacked a police station in Kano on Friday.",  # a riot
        "Niger said France must withdraw its ambassador.",  # a demand
        "The junta will not release the detained ministers.",  # a refusal
    ],
)
def test_every_record_names_the_rules_that_chose_its_event_place_and_date(text):
    events = dyads.code(text, published="2024-03-15")
    assert events
    for e in events:
        named = [e.evidence[k] for k in ("rule", "place_rule", "date_rule")]
        assert all(isinstance(rule, str) and rule for rule in named), (e.event, named)


def test_coding_leaves_spacys_vocabulary_as_loaded_and_codes_the_same(monkeypatch):
    """A stream's new words (names, numbers) would otherwise stay in spaCy's vocabulary for good: memory
    that grows with the corpus. Zones of two articles here, so that zones end between the articles."""
    from dyads import nlp as nlp_mod
    from dyads import pipeline

    monkeypatch.setattr(pipeline, "ZONE_ARTICLES", 2)
    strings = nlp_mod.load().vocab.strings
    names = ["Brelvonia", "Quastrel", "Vondaria", "Tresquilon", "Harvoq"]
    articles = [
        Article(f"a{i}", f"Police in {name} arrested {i + 2} protesters on Monday.", date(2024, 5, 6))
        for i, name in enumerate(names)
    ]
    zoned = list(pipeline.code_articles(articles))
    assert not any(name in strings for name in names)
    assert [len(events) for _, events in zoned] == [1] * len(names)
    kept = list(pipeline.code_articles(articles, keep_words=True))
    assert all(name in strings for name in names)
    assert zoned == kept
