"""Readers: every input format to ``Article``; bad input to a one-line ``ReadError``."""

from __future__ import annotations

import io
import json
import sys
from datetime import date

import pytest

from dyads.model import Article
from dyads.read import ReadError, read_paths

RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Sahel Wire</title>
<item><guid>sw-1</guid><title>Protest in Niamey</title><link>https://example.org/1</link>
<pubDate>Sat, 13 Apr 2024 09:00:00 GMT</pubDate>
<description>&lt;p&gt;Thousands of demonstrators &lt;b&gt;marched&lt;/b&gt; in Niamey.&lt;/p&gt;
&lt;script&gt;x()&lt;/script&gt;</description>
</item>
<item><link>https://example.org/2</link><title>Talks</title>
<description>Mali and Niger held talks in Bamako.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>
<entry><id>urn:x:1</id><title>Sanctions</title><updated>2024-05-02T10:00:00Z</updated>
<content type="html">&lt;p&gt;The EU imposed sanctions on Belarus.&lt;/p&gt;</content></entry>
</feed>"""

HTML = """<html><head><title>Protest in Niamey</title>
<meta property="article:published_time" content="2024-04-15T08:00:00Z"></head>
<body><nav>Home | World</nav><article><h1>Protest in Niamey</h1>
<p>Thousands of demonstrators gathered in Niamey on Saturday to demand the withdrawal of US troops.</p>
<p>The protest was peaceful, police said, and organisers promised another march next week.</p>
</article><script>var tracking = 1;</script></body></html>"""


def read(*paths, published=None):
    return list(read_paths([str(p) for p in paths], published))


def test_txt_id_is_stem_and_published_flag_wins(tmp_path):
    f = tmp_path / "niger-story.txt"
    f.write_text("NIAMEY, April 15, 2024 (Reuters) - Protesters marched.\n", encoding="utf-8")
    [a] = read(f)
    assert a == Article(
        id="niger-story",
        text="NIAMEY, April 15, 2024 (Reuters) - Protesters marched.",
        published=None,  # the pipeline dates it from the dateline
    )
    [b] = read(f, published=date(2024, 4, 16))
    assert b.published == date(2024, 4, 16)


def test_jsonl_bad_lines_reported_others_read(tmp_path):
    f = tmp_path / "batch.jsonl"
    lines = [
        json.dumps(
            {"id": "a", "text": "Russia attacked Ukraine.", "published": "2022-02-24", "title": "War"}
        ),
        "{not json",
        json.dumps({"id": "b"}),
        json.dumps({"id": "c", "text": "Talks.", "published": "24/02/2022"}),
        "",
        json.dumps({"id": "a", "text": "again"}),
        json.dumps({"id": 7, "text": "Mali expelled the envoy.", "published": "2023-01-02T10:30:00Z"}),
        json.dumps(["not", "an", "object"]),
    ]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    warnings = []
    out = list(read_paths([str(f)], date(2020, 1, 1), warnings.append))
    articles = [x for x in out if isinstance(x, Article)]
    errors = [x for x in out if isinstance(x, ReadError)]
    assert [(a.id, a.published, a.title) for a in articles] == [
        ("a", date(2022, 2, 24), "War"),
        ("c", date(2020, 1, 1), None),  # its own date cannot be read: --published stands in, with a warning
        ("7", date(2023, 1, 2), None),
    ]
    assert [(e.line, e.reason.split(" ")[0]) for e in errors] == [
        (2, "invalid"),
        (3, "missing"),
        (6, "duplicate"),
        (8, "expected"),
    ]
    assert [(w.line, w.reason.split(" ")[0]) for w in warnings] == [(4, "bad")]
    assert str(errors[0]).startswith(f"{f}:2: invalid JSON")
    assert "first on line 1" in errors[2].reason


def test_jsonl_line_in_latin1_is_read_with_a_warning(tmp_path):
    f = tmp_path / "mixed.jsonl"
    f.write_bytes(
        b'\xef\xbb\xbf{"id": "u", "text": "Caf\xc3\xa9 talks."}\n'  # BOM + UTF-8
        b'{"id": "l", "text": "Caf\xe9 talks."}\n'  # latin-1
        b'{"id": "v", "text": "Vienna talks."}\n'
    )
    warnings = []
    out = list(read_paths([str(f)], None, warnings.append))
    assert [a.text for a in out] == ["Café talks.", "Café talks.", "Vienna talks."]
    assert [(w.line, w.reason) for w in warnings] == [(2, "not UTF-8: read as Windows-1252")]


def test_jsonl_published_flag_fills_missing_dates(tmp_path):
    f = tmp_path / "b.jsonl"
    f.write_text('{"id": "x", "text": "Talks began."}\n', encoding="utf-8")
    [a] = read(f, published=date(2024, 1, 5))
    assert a.published == date(2024, 1, 5)


def test_html_main_text_title_and_date(tmp_path):
    f = tmp_path / "page.html"
    f.write_text(HTML, encoding="utf-8")
    [a] = read(f)
    assert a.id == "page"
    assert "demonstrators gathered in Niamey" in a.text
    assert "tracking" not in a.text and "Home | World" not in a.text
    assert a.title == "Protest in Niamey"
    assert a.published == date(2024, 4, 15)


def test_rss_items(tmp_path):
    f = tmp_path / "wire.rss"
    f.write_text(RSS, encoding="utf-8")
    a, b = read(f)
    assert (a.id, a.published, a.title, a.url, a.source) == (
        "sw-1",
        date(2024, 4, 13),
        "Protest in Niamey",
        "https://example.org/1",
        "Sahel Wire",
    )
    assert a.text == "Thousands of demonstrators marched in Niamey."
    assert (b.id, b.published, b.text) == (
        "https://example.org/2",
        None,
        "Mali and Niger held talks in Bamako.",
    )


def test_atom_sniffed_without_feed_extension(tmp_path):
    f = tmp_path / "updates.feed"
    f.write_text(ATOM, encoding="utf-8")
    [a] = read(f)
    assert (a.id, a.published, a.text) == (
        "urn:x:1",
        date(2024, 5, 2),
        "The EU imposed sanctions on Belarus.",
    )


def test_folder_reads_known_files(tmp_path):
    (tmp_path / "a.txt").write_text("One.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.jsonl").write_text('{"id": "b", "text": "Two."}\n', encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    assert sorted(a.id for a in read(tmp_path)) == ["a", "b"]


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("empty.txt", b"  \n", "empty file"),
        ("empty.jsonl", b"\n \n", "empty file"),
        ("blob.jsonl", b'{"id": "x"\x00\x00}', "binary file"),
        ("blob.txt", b"\x89PNG\r\n\x00\x00\x00", "binary file"),
        ("report.pdf", b"%PDF-1.4 ...", "unknown file type '.pdf'"),
        ("broken.xml", b"<?xml version='1.0'?><html><p>not a feed</p></html>", "not an RSS/Atom feed"),
        ("blank.html", b"<html><body><script>x=1</script></body></html>", "no main text"),
    ],
)
def test_bad_files_are_one_line_errors(tmp_path, name, content, reason):
    f = tmp_path / name
    f.write_bytes(content)
    [err] = read(f)
    assert isinstance(err, ReadError)
    assert err.path == str(f) and err.line is None
    assert reason in err.reason and "\n" not in str(err)


def test_missing_file_then_good_file(tmp_path):
    good = tmp_path / "ok.txt"
    good.write_text("Fine.", encoding="utf-8")
    err, art = read(tmp_path / "nope.txt", good)
    assert str(err) == f"{tmp_path / 'nope.txt'}: no such file"
    assert art.id == "ok"


@pytest.mark.parametrize(
    "data, kind",
    [
        (b'\n {"id": "s1", "text": "Iran warned Israel."}\n', "s1"),
        (b"Iran warned Israel.\n", "stdin"),
    ],
)
def test_stdin_sniffs_jsonl_or_text(monkeypatch, data, kind):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    [a] = list(read_paths(["-"]))
    assert a.id == kind and a.text == "Iran warned Israel."


def test_invisible_characters_are_cleaned_and_an_invisible_text_is_an_error(tmp_path):
    blank = tmp_path / "blank.txt"
    blank.write_bytes("\ufeff\u00a0\u200b\n".encode())
    word = tmp_path / "word.txt"
    word.write_text("Niger\u200b expelled\u200b the French ambassador.", encoding="utf-8")
    got = read(blank, word)
    assert [str(x) for x in got if isinstance(x, ReadError)] == [f"{blank}: article 'blank' has no text"]
    [article] = [x for x in got if isinstance(x, Article)]
    assert article.text == "Niger expelled the French ambassador."
