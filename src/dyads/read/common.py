"""What every reader shares: error and warning records, decoding, date parsing, HTML-to-text."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html.parser import HTMLParser


@dataclass
class ReadError:
    """An input that was not coded: which file, which line (if any), and why. ``skipped`` marks one left
    out on purpose (an empty file, a text not in English) rather than one that failed."""

    path: str
    line: int | None
    reason: str
    skipped: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.reason}"


@dataclass
class ReadWarning:
    """An input that was read, but not as written: re-encoded, cut into pieces, salvaged, a date dropped."""

    path: str
    line: int | None
    reason: str

    __str__ = ReadError.__str__


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose mark it starts with
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
SNIFF_BYTES = 8192
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\f\v\x1b") + b"\x7f"
BINARY_SHARE = 0.05  # control bytes in text that is not binary: a stray NUL, never one byte in twenty


def _utf16_without_bom(head: bytes) -> str | None:
    """Mostly-ASCII UTF-16 has a NUL in every other byte, on one side only."""
    even, odd = head[0::2], head[1::2]
    if len(head) < 4:
        return None
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nul > 0.4 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.4 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def looks_wide(head: bytes) -> bool:
    """Whether bytes start like UTF-16 or UTF-32 text (a byte-order mark, or ASCII with NULs between)."""
    return head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_without_bom(head) is not None


def decode(content: bytes) -> tuple[str, str | None]:
    """Text from bytes, and what was done to read it if it was not plain UTF-8; ValueError for binary.

    A byte-order mark names the encoding; UTF-16 without one is known by its NULs; UTF-8 with a few
    broken bytes keeps the rest (the broken bytes become U+FFFD); text that is not UTF-8 at all is read
    as Windows-1252 (Latin-1 where that has no character)."""
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            text = content.decode(encoding, errors="replace")
            return text, None if encoding == "utf-8-sig" else f"{encoding.upper()} text, read as such"
    head = content[:SNIFF_BYTES]
    wide = _utf16_without_bom(head)
    if wide:
        return content.decode(wide, errors="replace"), f"{wide.upper()} text without a byte-order mark"
    controls = sum(head.count(b) for b in _CONTROL)
    if controls > BINARY_SHARE * len(head):
        raise ValueError("binary file, not text")
    nuls = content.count(0)
    note = f"{nuls} NUL byte(s) removed" if nuls else None
    try:
        return content.decode("utf-8"), note
    except UnicodeDecodeError as e:
        first_bad = e.start
    replaced = content.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd")
    if any(ord(c) > 127 and c != "\ufffd" for c in replaced):  # real UTF-8 around the damage
        return replaced, f"{bad} byte sequence(s) that are not UTF-8 replaced (first at byte {first_bad})"
    try:
        return content.decode("cp1252"), "not UTF-8: read as Windows-1252"
    except UnicodeDecodeError:
        return content.decode("latin-1"), "not UTF-8: read as Latin-1"


EARLIEST = date(1900, 1, 1)


def parse_date(value: str) -> date:
    """``YYYY-MM-DD`` or an ISO 8601 datetime (``Z`` allowed) → date; ValueError otherwise."""
    value = value.strip()
    try:
        return date.fromisoformat(value)
    except ValueError:
        return datetime.fromisoformat(value).date()


def implausible(day: date, today: date | None = None) -> str | None:
    """Why a publication date cannot be right (after tomorrow, wherever one is; before 1900), or None."""
    today = today or date.today()
    if day > today + timedelta(days=1):
        return f"publication date {day} is in the future"
    if day < EARLIEST:
        return f"publication date {day} is before {EARLIEST.year}"
    return None


_BLOCK = set(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr table blockquote section article header footer pre hr "
    "figcaption".split()
)
_SKIP = {"script", "style", "noscript", "template"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def strip_html(markup: str) -> str:
    """Visible text of an HTML fragment: block elements become line breaks, spaces collapsed."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    lines = (re.sub(r"[ \t\r\f\v\xa0]+", " ", line).strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)
