"""A corpus of bad inputs, generated here (no stored binaries): each costs at most one line naming the file
(and line), the rest is still read, nothing raises, and what was read differently says so."""

from __future__ import annotations

import codecs
import io
import json
import random
import sys
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dyads.model import Article
from dyads.pipeline import code_articles
from dyads.read import MAX_PIECE, ReadError, ReadWarning, english_share, pieces, read_bytes, read_paths

ENGLISH = (
    "The ministers of the two countries met in the capital on Tuesday and agreed to reopen the border, "
    "which had been closed for a year after clashes between their armies. The talks were the first since "
    "the war, and both sides said they would meet again in the spring."
)
WORDS = "the army of talks and border to minister in protest river the market convoy election village".split()


def read(*paths, published=None):
    """What came out, split: articles, errors, warnings."""
    warnings: list[ReadWarning] = []
    out = list(read_paths([str(p) for p in paths], published, warnings.append))
    articles = [x for x in out if isinstance(x, Article)]
    errors = [x for x in out if isinstance(x, ReadError)]
    assert len(articles) + len(errors) == len(out)
    for line in map(str, errors + warnings):
        assert "\n" not in line and "Traceback" not in line
    return articles, errors, warnings


def salad(n_words: int, seed: int = 0) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(n_words))


def test_empty_files_of_every_kind_are_skipped(tmp_path):
    names = ["a.txt", "b.jsonl", "c.html", "d.rss"]
    for name in names:
        (tmp_path / name).write_bytes(b" \n\t\n")
    good = tmp_path / "good.txt"
    good.write_text(ENGLISH, encoding="utf-8")
    articles, errors, _ = read(*(tmp_path / n for n in names), good)
    assert [a.id for a in articles] == ["good"]
    assert [(e.path, e.reason, e.skipped) for e in errors] == [
        (str(tmp_path / n), "empty file", True) for n in names
    ]


def test_binary_files_fail_in_one_line(tmp_path):
    rng = random.Random(1)
    blob = bytes(rng.randrange(256) for _ in range(20_000))
    for name in ("photo.txt", "dump.jsonl", "page.html"):
        (tmp_path / name).write_bytes(blob)
    articles, errors, _ = read(*(tmp_path / n for n in ("photo.txt", "dump.jsonl", "page.html")))
    assert articles == []
    assert [e.reason for e in errors] == ["binary file, not text"] * 3
    assert not any(e.skipped for e in errors)


def test_a_few_nul_bytes_are_removed_with_a_warning(tmp_path):
    f = tmp_path / "nul.txt"
    f.write_bytes(ENGLISH.encode().replace(b" the ", b" the\x00 ", 2))
    [a], errors, [w] = read(f)
    assert errors == [] and "\x00" not in a.text and a.text.startswith("The ministers")
    assert w.reason == "2 NUL byte(s) removed"


@pytest.mark.parametrize(
    "encoded, note",
    [
        (codecs.BOM_UTF16_LE + ENGLISH.replace("capital", "capitál").encode("utf-16-le"), "UTF-16 text"),
        (codecs.BOM_UTF16_BE + ENGLISH.replace("capital", "capitál").encode("utf-16-be"), "UTF-16 text"),
        (ENGLISH.replace("capital", "capitál").encode("utf-16-le"), "UTF-16-LE text without a byte-order"),
        (ENGLISH.replace("capital", "capitál").encode("utf-16-be"), "UTF-16-BE text without a byte-order"),
        (ENGLISH.replace("capital", "capitál").encode("latin-1"), "not UTF-8: read as Windows-1252"),
    ],
)
def test_other_encodings_are_read_and_said(tmp_path, encoded, note):
    f = tmp_path / "story.txt"
    f.write_bytes(encoded)
    [a], errors, [w] = read(f)
    assert errors == [] and "capitál" in a.text and a.text.startswith("The ministers")
    assert w.path == str(f) and w.reason.startswith(note)


def test_broken_utf8_keeps_the_rest(tmp_path):
    f = tmp_path / "cut.txt"
    text = ENGLISH.replace("capital", "capitál").encode()
    f.write_bytes(text[:40] + b"\xe2\x82" + text[40:])  # half a euro sign
    [a], _, [w] = read(f)
    assert "capitál" in a.text and "\ufffd" in a.text
    assert w.reason.startswith("1 byte sequence(s) that are not UTF-8 replaced (first at byte 40)")


def test_a_50000_word_sentence_is_cut_into_pieces_without_losing_a_word(tmp_path):
    f = tmp_path / "long.txt"
    text = salad(50_000)
    f.write_text(text, encoding="utf-8")
    articles, errors, [w] = read(f)
    assert errors == [] and len(articles) > 1
    assert [a.id for a in articles] == ["long"] + [f"long#part{k}" for k in range(2, len(articles) + 1)]
    assert all(len(a.text) <= MAX_PIECE for a in articles)
    assert " ".join(a.text for a in articles).split() == text.split()  # cut at spaces, nothing lost
    assert f"coded in {len(articles)} pieces" in w.reason


def test_pieces_end_at_paragraphs_or_sentences_where_there_are_some():
    paragraph = ("The army left the town. " * 30).strip()
    text = "\n".join([paragraph] * 300)
    cut = pieces(text, limit=10_000)
    assert len(cut) > 1 and all(len(p) <= 10_000 and p.endswith("the town.") for p in cut)
    sentences = " ".join(["Rebels seized the village after a long siege."] * 2000)
    assert all(p.endswith("siege.") for p in pieces(sentences, limit=10_000))


def test_a_20_mb_single_line_is_read_in_pieces(tmp_path):
    f = tmp_path / "line.txt"
    f.write_text(salad(3_400_000, seed=2), encoding="utf-8")  # ~20 MB, no line break, no full stop
    articles, errors, [w] = read(f)
    assert errors == [] and len(articles) == len({a.id for a in articles}) > 300
    assert max(len(a.text) for a in articles) <= MAX_PIECE
    assert sum(len(a.text) for a in articles) + len(articles) - 1 == f.stat().st_size


def test_html_without_body_or_with_only_scripts_fails_in_one_line(tmp_path):
    (tmp_path / "nobody.html").write_text("<html><head><title>Empty</title></head></html>", encoding="utf-8")
    (tmp_path / "scripts.html").write_text(
        "<html><body>" + "<script>var x = 'The army left the town.';</script>" * 50 + "</body></html>",
        encoding="utf-8",
    )
    articles, errors, _ = read(tmp_path)
    assert articles == []
    assert sorted((e.path.rsplit("/", 1)[1], e.reason) for e in errors) == [
        ("nobody.html", "no main text found in the HTML page"),
        ("scripts.html", "no main text found in the HTML page"),
    ]


def test_html_nested_10000_deep_is_read_whole_with_a_warning(tmp_path):
    f = tmp_path / "deep.html"
    body = "".join(f"<div><p>Sentence {i} of the report said the army moved.</p>" for i in range(10_000))
    f.write_text(f"<html><body>{body}{'</div>' * 10_000}</body></html>", encoding="utf-8")
    articles, errors, warnings = read(f)
    text = "\n".join(a.text for a in articles)
    assert errors == [] and "Sentence 0 of" in text and "Sentence 9999 of" in text
    assert "main-text extraction kept" in warnings[0].reason


RSS_ITEM = "<item><guid>g{n}</guid><description>The army left the town {n}.</description></item>"


def test_truncated_feed_is_salvaged_with_a_warning(tmp_path):
    f = tmp_path / "cut.rss"
    whole = f"<rss version='2.0'><channel><title>W</title>{RSS_ITEM.format(n=1)}{RSS_ITEM.format(n=2)}"
    f.write_text(whole[:-40], encoding="utf-8")  # the second item cut off mid-way
    articles, errors, [w] = read(f)
    assert [a.id for a in articles][:1] == ["g1"]
    assert "not well-formed XML" in w.reason and "salvaged" in w.reason


def test_feed_that_is_not_xml_fails_in_one_line(tmp_path):
    f = tmp_path / "junk.atom"
    f.write_text("{this is not xml at all}", encoding="utf-8")
    articles, [e], _ = read(f)
    assert articles == [] and "not an RSS/Atom feed" in e.reason


def test_entity_bomb_is_not_expanded(tmp_path):
    decl = '<!ENTITY l0 "lol">' + "".join(  # nine levels of ten: a billion "lol"s if expanded
        f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    f = tmp_path / "bomb.rss"
    f.write_text(
        f"<?xml version='1.0'?><!DOCTYPE rss [{decl}]><rss><channel>"
        f"<item><guid>b1</guid><description>&l9;</description></item></channel></rss>",
        encoding="utf-8",
    )
    articles, errors, _ = read(f)
    assert sum(len(a.text) for a in articles) < 10_000 and len(articles) + len(errors) == 1


def test_jsonl_of_every_kind_of_bad_line(tmp_path):
    f = tmp_path / "bad.jsonl"
    lines = [
        json.dumps({"id": "ok1", "text": ENGLISH}),
        '{"id": "half", "text": "cut off',
        json.dumps([{"id": "x", "text": ENGLISH}]),
        json.dumps({"id": "n", "text": 123}),
        json.dumps({"text": ENGLISH}),
        json.dumps({"id": "t"}),
        json.dumps({"id": True, "text": ENGLISH}),
        json.dumps({"id": "ok1", "text": ENGLISH}),
        json.dumps({"id": "big", "text": salad(40_000)}),
    ]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    articles, errors, _ = read(f)
    assert [a.id for a in articles][:2] == ["ok1", "big"] and len(articles) > 2
    assert [(e.line, e.reason.split(" (")[0]) for e in errors] == [
        (2, "invalid JSON"),
        (3, "expected a JSON object, got list"),
        (4, "'text' must be a non-empty string"),
        (5, "missing 'id'"),
        (6, "missing 'text'"),
        (7, "'id' must be a string or an integer"),
        (8, "duplicate id 'ok1'"),
    ]


def test_jsonl_in_utf16_is_read(tmp_path):
    f = tmp_path / "wide.jsonl"
    f.write_bytes(codecs.BOM_UTF16_LE + (json.dumps({"id": "w", "text": ENGLISH}) + "\n").encode("utf-16-le"))
    [a], [], [w] = read(f)
    assert a.id == "w" and a.text == ENGLISH and "UTF-16" in w.reason


@pytest.mark.parametrize(
    "published, why",
    [
        ("last Tuesday", "bad 'published'"),
        ("9999-99-99", "bad 'published'"),
        ("2999-01-01", "is in the future"),
        ("1800-05-01", "is before 1900"),
    ],
)
def test_implausible_publication_dates_are_dropped_with_a_warning(tmp_path, published, why):
    f = tmp_path / "dated.jsonl"
    f.write_text(json.dumps({"id": "d", "text": ENGLISH, "published": published}) + "\n", encoding="utf-8")
    [a], [], [w] = read(f)
    assert a.published is None and why in w.reason and "coded without a date" in w.reason


def test_a_plausible_date_is_kept(tmp_path):
    f = tmp_path / "dated.jsonl"
    f.write_text(json.dumps({"id": "d", "text": ENGLISH, "published": "1991-08-19"}) + "\n", encoding="utf-8")
    [a], [], [] = read(f)
    assert a.published == date(1991, 8, 19)


def test_texts_not_in_english_are_skipped_and_said(tmp_path):
    (tmp_path / "fr.txt").write_text(
        "Les ministres des deux pays se sont réunis mardi dans la capitale et ont convenu de rouvrir la "
        "frontière, fermée depuis un an après des affrontements entre leurs armées.",
        encoding="utf-8",
    )
    (tmp_path / "zh.txt").write_text("两国部长星期二在首都会面，同意重新开放边境。" * 5, encoding="utf-8")
    (tmp_path / "de.txt").write_text(
        "Die Minister der beiden Länder trafen sich am Dienstag in der Hauptstadt und vereinbarten, die "
        "Grenze wieder zu öffnen, die nach Zusammenstößen ein Jahr lang geschlossen war.",
        encoding="utf-8",
    )
    (tmp_path / "it.txt").write_text(
        "I ministri dei due paesi si sono incontrati martedì nella capitale e hanno concordato di riaprire "
        "il confine, chiuso da un anno dopo gli scontri tra i loro eserciti.",
        encoding="utf-8",
    )
    (tmp_path / "en.txt").write_text(ENGLISH, encoding="utf-8")
    articles, errors, _ = read(tmp_path)
    assert [a.id for a in articles] == ["en"]
    assert all(e.skipped and "not English" in e.reason and "skipped" in e.reason for e in errors)
    assert sorted(e.path.rsplit("/", 1)[1] for e in errors) == ["de.txt", "fr.txt", "it.txt", "zh.txt"]


def test_english_share_leaves_short_texts_alone():
    assert english_share("Niger expels French ambassador") is None
    assert english_share(ENGLISH) > 0.2


def test_a_folder_of_1000_files(tmp_path):
    for i in range(1000):
        (tmp_path / f"s{i:04d}.txt").write_text(f"Story {i}. {ENGLISH}", encoding="utf-8")
    articles, errors, _ = read(tmp_path)
    assert errors == [] and len({a.id for a in articles}) == 1000


def test_two_files_with_one_stem_are_told_apart(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "story.txt").write_text(f"{folder.upper()}: {ENGLISH}", encoding="utf-8")
    articles, errors, _ = read(tmp_path)
    assert errors == [] and [(a.id, a.text[0]) for a in articles] == [("story", "A"), ("b/story", "B")]
    articles, errors, _ = read(tmp_path / "a" / "story.txt", tmp_path / "b" / "story.txt")
    assert [a.text[0] for a in articles] == ["A", "B"] and len({a.id for a in articles}) == 2


def test_one_id_in_two_jsonl_files_is_reported(tmp_path):
    for name in ("one", "two"):
        (tmp_path / f"{name}.jsonl").write_text(json.dumps({"id": "x", "text": ENGLISH}) + "\n", "utf-8")
    articles, [e], _ = read(tmp_path / "one.jsonl", tmp_path / "two.jsonl")
    assert [a.id for a in articles] == ["x"]
    assert (e.path, e.line) == (str(tmp_path / "two.jsonl"), 1)
    assert f"duplicate id 'x' (first on {tmp_path / 'one.jsonl'}:1)" in e.reason


@pytest.mark.parametrize("stdin", [None, io.TextIOWrapper(io.BytesIO(b""))])
def test_standard_input_closed_or_missing(monkeypatch, stdin):
    if stdin is not None:
        stdin.close()
    monkeypatch.setattr(sys, "stdin", stdin)
    [e] = list(read_paths(["-"]))
    assert str(e) == "<stdin>: standard input is closed"


def test_read_bytes_checks_as_files_are_checked():
    body = (json.dumps({"id": "p", "text": ENGLISH, "published": "2999-01-01"}) + "\n").encode()
    warnings: list[ReadWarning] = []
    [a] = list(read_bytes("request", body, "jsonl", warn=warnings.append))
    assert a.published is None and "in the future" in str(warnings[0])


FUZZ = settings(max_examples=120, deadline=None, database=None, derandomize=True)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=50),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


def _only_articles_and_errors(out: list) -> None:
    assert all(isinstance(x, Article | ReadError) for x in out)
    assert all(x.text.strip() for x in out if isinstance(x, Article))


@FUZZ
@given(content=st.binary(max_size=3000), kind=st.sampled_from(["text", "jsonl", "html", "feed"]))
def test_fuzz_readers_with_bytes(content, kind):
    _only_articles_and_errors(list(read_bytes("fuzz", content, kind, warn=lambda w: None)))


@FUZZ
@given(
    text=st.text(max_size=2000),
    encoding=st.sampled_from(["utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1", "cp1252"]),
    kind=st.sampled_from(["text", "jsonl", "html", "feed"]),
)
def test_fuzz_readers_with_text_in_any_encoding(text, encoding, kind):
    content = text.encode(encoding, errors="replace")
    _only_articles_and_errors(list(read_bytes("fuzz", content, kind, warn=lambda w: None)))


@FUZZ
@given(
    records=st.lists(
        st.fixed_dictionaries(
            {},
            optional={
                "id": JSON,
                "text": JSON | st.text(min_size=1),
                "published": JSON | st.dates().map(str),
            },
        )
        | JSON,
        max_size=6,
    )
)
def test_fuzz_jsonl_records(records):
    body = "\n".join(json.dumps(r) for r in records).encode()
    out = list(read_bytes("fuzz.jsonl", body, "jsonl", warn=lambda w: None))
    _only_articles_and_errors(out)
    assert len({a.id for a in out if isinstance(a, Article)}) == sum(isinstance(a, Article) for a in out)


def test_a_latin1_jsonl_file_warns_once_and_counts_the_rest(tmp_path):
    f = tmp_path / "old.jsonl"
    record = {"text": ENGLISH + " Caf\u00e9."}
    lines = [json.dumps({"id": f"l{i}", **record}, ensure_ascii=False) for i in range(50)]
    f.write_bytes("\n".join(lines).encode("latin-1"))
    articles, errors, warnings = read(f)
    assert errors == [] and len(articles) == 50 and articles[-1].text.endswith("Café.")
    assert [(w.line, w.reason) for w in warnings] == [
        (1, "not UTF-8: read as Windows-1252"),
        (None, "49 more line(s) were not UTF-8 and were read likewise"),
    ]


def test_each_piece_of_a_long_datelined_story_keeps_its_dateline(tmp_path):
    f = tmp_path / "wire.txt"
    body = " ".join(["Police arrested two of the protesters in the market on Friday."] * 2_500)  # 160 kB
    f.write_text("NIAMEY, April 20, 2024 (Reuters) - " + body, encoding="utf-8")
    articles, errors, _ = read(f)
    assert errors == [] and len(articles) > 2
    assert all(a.text.startswith("NIAMEY, April 20, 2024 (Reuters) - Police") for a in articles)
    assert all(len(a.text) <= MAX_PIECE for a in articles)
    [(_, events)] = code_articles(articles[-1:])  # undated: the day comes from its dateline
    assert events and all(e.date == date(2024, 4, 19) for e in events)  # the Friday before
    assert all(e.event_loc is not None and e.event_loc.name == "Niamey" for e in events)
