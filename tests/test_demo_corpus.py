"""The bundled demo corpus: well-formed, dated consistently, and covered by its hand key."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from functools import lru_cache
from pathlib import Path

DEMO = Path(__file__).resolve().parents[1] / "src" / "dyads" / "data" / "demo"
CORPUS = DEMO / "sahel_2023_2024.jsonl"
README = DEMO / "README.md"
FIELDS = {"id", "published", "title", "source", "text"}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
KEY_ROW = re.compile(r"^\| `([^`]+)` \| (\d{4}-\d{2}-\d{2}) \| (\d{4}-\d{2}-\d{2}) \| (.+) \|$")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
DATELINE = re.compile(r"^[A-Z][A-Z .'-]+(,| \(| —| -)")
ON_WEEKDAY = re.compile(r"\bon (" + "|".join(WEEKDAYS) + r")\b")


@lru_cache(maxsize=1)
def stories() -> list[dict]:
    rows = []
    for n, line in enumerate(CORPUS.read_text(encoding="utf-8").splitlines(), 1):
        assert line.strip(), f"{CORPUS.name}:{n}: blank line"
        rows.append(json.loads(line))
    return rows


@lru_cache(maxsize=1)
def hand_key() -> dict[str, tuple[date, date, str]]:
    key = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        m = KEY_ROW.match(line)
        if m:
            assert m.group(1) not in key, f"hand key lists {m.group(1)} twice"
            key[m.group(1)] = (date.fromisoformat(m.group(2)), date.fromisoformat(m.group(3)), m.group(4))
    return key


def test_fields_and_unique_ids() -> None:
    rows = stories()
    for row in rows:
        assert set(row) == FIELDS, row.get("id")
        assert row["source"] == "dyads demo corpus"
        assert row["title"].strip() and row["id"].strip()
    ids = [row["id"] for row in rows]
    assert len(set(ids)) == len(ids) >= 30


def test_published_dates_in_window_and_in_order() -> None:
    published = [date.fromisoformat(row["published"]) for row in stories()]
    assert all(date(2023, 1, 1) <= d <= date(2024, 12, 31) for d in published)
    assert published == sorted(published)


def test_text_length_and_no_dateline() -> None:
    for row in stories():
        words = len(row["text"].split())
        assert 80 <= words <= 300, (row["id"], words)
        first = SENTENCE_END.split(row["text"], maxsplit=1)[0]
        assert not DATELINE.match(first), row["id"]


def test_no_duplicate_sentences() -> None:
    counts = Counter(
        " ".join(s.lower().split()) for row in stories() for s in SENTENCE_END.split(row["text"]) if s.strip()
    )
    assert [s for s, c in counts.items() if c > 1] == []


def test_hand_key_covers_every_story_with_matching_dates() -> None:
    key = hand_key()
    assert set(key) == {row["id"] for row in stories()}
    for row in stories():
        event, published, events = key[row["id"]]
        assert published == date.fromisoformat(row["published"]), row["id"]
        assert 0 <= (published - event).days <= 3, row["id"]
        assert re.match(r"[A-Z]+ ", events), row["id"]


def test_first_weekday_named_is_the_event_day() -> None:
    key = hand_key()
    for row in stories():
        event, published, _ = key[row["id"]]
        named = ON_WEEKDAY.findall(row["text"])
        if named and event != published:
            assert named[0] == WEEKDAYS[event.weekday()], (row["id"], named[0], event)
