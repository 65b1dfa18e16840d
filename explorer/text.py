"""Text hygiene shared by ingest and display: decoding, control characters, normalisation."""

from __future__ import annotations

import re
import unicodedata

# C0 controls (but tab and newline) become their visible Unicode "control pictures", so an
# ESC in an article shows as ␛ and can never start a terminal escape sequence. C1 controls and
# bidi overrides become U+FFFD. One character in, one character out: offsets are preserved.
_CONTROL_MAP = {c: 0x2400 + c for c in range(0x20) if c not in (0x09, 0x0A)}
_CONTROL_MAP[0x7F] = 0x2421
_CONTROL_MAP.update({c: 0xFFFD for c in range(0x80, 0xA0)})
_CONTROL_MAP.update({c: 0xFFFD for c in (0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
                                           0x2066, 0x2067, 0x2068, 0x2069)})
# Lone surrogates ("\ud800" in JSON, undecodable bytes of a file name) cannot be written as
# UTF-8 at all: stored or printed, they were an error.
_CONTROL_MAP.update({c: 0xFFFD for c in range(0xD800, 0xE000)})


def printable(text: str) -> str:
    """Text safe to put on a terminal: control characters made visible, offsets unchanged."""
    return text.translate(_CONTROL_MAP)


def clean_text(text: str) -> str:
    """Article text as we store it: newlines normalised, BOM dropped, controls made visible."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return printable(text)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode article bytes: UTF-8, else cp1252, else Latin-1. Returns (text, encoding)."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def looks_binary(data: bytes) -> bool:
    """A NUL byte, or many control bytes, in the first 8 KiB means this is not text."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    if not head:
        return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls / len(head) > 0.05


_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                         "\u00a0": " ", "\u2013": "-", "\u2014": "-"})


def fold(text: str) -> str:
    """Quotes straightened and whitespace collapsed (for matching typed text to articles)."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text).translate(_QUOTES)).strip()


def normalize_for_duplicates(text: str) -> str:
    """The form two copies of one article share: folded, case-insensitive."""
    return fold(text).casefold()


def first_sentence_title(body: str, limit: int = 90) -> str:
    """A title from the first sentence, cut at a word near `limit` characters."""
    text = fold(body)
    match = re.search(r"(?<=[.!?])\s+(?=[A-Z\"'\u201c])", text)
    sentence = text[: match.start()] if match else text
    if len(sentence) <= limit:
        return sentence
    cut = sentence.rfind(" ", 0, limit)
    return (sentence[: cut if cut > limit // 2 else limit]).rstrip(",;:") + "\u2026"


def full_title(title: str | None, body: str) -> str:
    """The title to cite: a title made from the first sentence and cut near 90 characters is
    given whole again (a citation needs every word); any other title as it is."""
    title = title or ""
    if title.endswith("\u2026") and title == first_sentence_title(body):
        return first_sentence_title(body, limit=len(body) + 1)
    return title
