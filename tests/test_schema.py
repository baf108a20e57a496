"""``data/event.schema.json`` describes exactly what ``Event.to_dict()`` and the pipeline produce."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

import dyads
from dyads.model import DATE_PRECISION, FACTUALITY, Actor, Event, Location

DATA = Path(dyads.__file__).parent / "data"


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads((DATA / "event.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def full_record() -> dict:
    return Event(
        article_id="us-niger", event="PROTEST", cameo="141", mode="demonstrate", context=["military"],
        quad_code=4, goldstein=-6.5,
        actor=[Actor("thousands of demonstrators", "NER", "CVL")],
        recipient=[Actor("ECOWAS", "IGO", None, "ECOWAS", "igo:ecowas")],
        date=date(2024, 4, 13), date_end=date(2024, 4, 14), date_precision="weekend",
        date_text="Last weekend",
        event_loc=Location("Niamey", "NER", "Niamey", 13.51, 2.11, 2440485, "PPLC"),
        event_text="gathered at a protest", text="Last weekend thousands gathered at a protest.",
        span=(10, 55),
        confidence=0.87, evidence={"trigger": "protest", "trigger_span": (45, 52), "rule": "noun:protest"},
    ).to_dict()  # fmt: skip


def test_schema_matches_the_model(validator):
    schema = validator.schema
    minimal = Event(article_id="a", event="AGREE", cameo="057").to_dict()
    assert set(schema["required"]) == set(schema["properties"]) == set(minimal)
    assert tuple(schema["properties"]["factuality"]["enum"]) == FACTUALITY
    assert tuple(schema["properties"]["date_precision"]["enum"]) == DATE_PRECISION
    assert set(schema["$defs"]["actor"]["required"]) == set(Actor.__dataclass_fields__)
    assert set(schema["$defs"]["location"]["required"]) == set(Location.__dataclass_fields__)
    assert not list(validator.iter_errors(minimal))
    assert not list(validator.iter_errors(full_record()))


def test_event_types_are_the_lexicons():
    with (DATA / "cameo.tsv").open(encoding="utf-8") as f:
        lexicon = {row["plover_event"] for row in csv.DictReader(f, delimiter="\t") if row["plover_event"]}
    schema = json.loads((DATA / "event.schema.json").read_text(encoding="utf-8"))
    assert lexicon <= set(schema["properties"]["event"]["enum"])
    assert len(schema["properties"]["event"]["enum"]) == 16


@pytest.mark.parametrize(
    "path, value",
    [
        (("event",), "RIOT"),
        (("factuality",), "rumoured"),
        (("date_precision",), "decade"),
        (("cameo",), "14a"),
        (("date",), "13/04/2024"),
        (("span",), [1, 2, 3]),
        (("confidence",), 1.5),
        (("actor", 0, "code"), "us"),
        (("actor", 0, "sector"), "military"),
        (("event_loc", "lat"), 95.0),
        (("evidence", "trigger_span"), [3]),
        (("quad_code",), 7),
    ],
)
def test_bad_records_fail(validator, path, value):
    rec = full_record()
    target = rec
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert list(validator.iter_errors(rec)), f"{path} = {value!r} should not validate"


def test_unknown_fields_fail(validator):
    rec = full_record()
    rec["actor"][0]["role"] = "president"
    assert list(validator.iter_errors(rec))
    rec = full_record() | {"tone": 3.2}
    assert list(validator.iter_errors(rec))


SENTENCES = [
    "Thousands of demonstrators protested in Niamey on Saturday against the presence of US troops.",
    "Russia and China signed a trade agreement in Beijing on Monday, officials said.",
    "Iran accused Israel of bombing its embassy in Damascus last week.",
    "The European Union imposed new sanctions on Belarus.",
    "Ukraine will not attend the talks in Geneva, its foreign minister said.",
]


def test_pipeline_records_validate(validator):
    from dyads import pipeline

    records = [
        e.to_dict() for s in SENTENCES for e in pipeline.code(s, published="2024-04-15", article_id="s")
    ]
    assert records, "the pipeline coded no events from five eventful sentences"
    for rec in records:
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(rec)]
        assert not errors, (rec["text"], errors)
