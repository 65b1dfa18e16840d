"""Pure text geometry for the article view: wrapping with offsets, words, sentences.

Kept apart from the widget so it can be tested without a terminal.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from rich.cells import cell_len as _cell_len

_WORD = re.compile(r"\S+\s*")
_TOKEN = re.compile(r"\w+|[^\w\s]+")
_SENTENCE_END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s|$)|\n")
# A full stop after these is not the end of a sentence ("Mr. Wang", "Scale AI Inc. said").
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "jr", "sr", "inc", "co", "corp", "ltd", "vs",
                  "no", "gov", "sen", "rep", "gen", "u.s", "u.k", "e.g", "i.e", "jan", "feb",
                  "mar", "apr", "aug", "sep", "sept", "oct", "nov", "dec", "prof", "st"}


def soft_breaks(text: str) -> frozenset[int]:
    """Offsets of the line breaks of hard-wrapped text that are not paragraph ends, so the
    view can reflow them (a wire story's lines of about 70 characters, paragraphs starting on
    an indented line). Text whose lines are paragraphs (BBC's, the seeds') has none.

    The text is hard-wrapped when its full lines (the 80th percentile of line lengths) are 40
    to 100 characters and none is over 130. A break is soft when its line is at least 60% of a
    full line (or is the first line, cut short where a dateline was taken off, with a full
    line after it) and the next line starts with a letter, a digit or an opening quote (not
    an indent, a blank line or a table's column), and does not end with a colon."""
    if "\n" not in text:
        return frozenset()
    lines = text.split("\n")
    lengths = [len(line.rstrip()) for line in lines]
    full = sorted(n for n in lengths if n)
    if len(full) < 3:
        return frozenset()
    reference = full[min(len(full) - 1, int(len(full) * 0.8))]
    if full[-1] > 130 or not 40 <= reference <= 100:
        return frozenset()
    soft = []
    position = 0
    for number, line in enumerate(lines):
        end = position + len(line)
        nxt = text[end + 1:end + 2]
        long_enough = lengths[number] >= 0.6 * reference or (
            number == 0 and number + 1 < len(lengths) and lengths[1] >= 0.8 * reference)
        if end < len(text) and long_enough and lengths[number] and nxt and \
                (nxt.isalnum() or nxt in "\"'(\u201c\u2018$") and not line.rstrip().endswith(":"):
            soft.append(end)
        position = end + 1
    return frozenset(soft)


def cell_len(text: str) -> int:
    """Cells `text` takes as the view draws it (a reflowed newline is a space: one cell)."""
    return _cell_len(text.replace("\n", " ") if "\n" in text else text)


def wrap_spans(text: str, width: int, soft: frozenset[int] = frozenset()
               ) -> list[tuple[int, int]]:
    """Lines of `text` wrapped at word boundaries to `width` cells, as (start, end) offsets.

    A line's end excludes the newline that ends its paragraph; an empty paragraph is (n, n).
    Newlines at the offsets in `soft` (see soft_breaks) are wrapped over like spaces: the text
    is reflowed, its offsets untouched (the view draws such a newline as a space).
    Trailing spaces stay on the line they follow (the view crops them), so offsets stay exact.
    """
    width = max(1, width)
    lines: list[tuple[int, int]] = []
    position = 0
    for paragraph in _paragraphs(text, soft):
        start, end = position, position + len(paragraph)
        position = end + 1
        line_start, used = start, 0
        first = _WORD.search(text, start, end)
        if first is None:
            lines.append((start, end))
            continue
        used = cell_len(text[start:first.start()])
        for match in _WORD.finditer(text, start, end):
            word_start, word_end = match.span()
            word_cells = cell_len(text[word_start:word_end].rstrip())
            if used and used + word_cells > width:
                lines.append((line_start, word_start))
                line_start, used = word_start, 0
            while word_cells > width:  # a word wider than the line is cut into pieces
                cut = _fit(text, word_start, width)
                lines.append((line_start, cut))
                line_start = word_start = cut
                word_cells = cell_len(text[word_start:word_end].rstrip())
                used = 0
            used += cell_len(text[word_start:word_end])
        lines.append((line_start, end))
    return lines


def _paragraphs(text: str, soft: frozenset[int]) -> list[str]:
    """`text` split at its newlines but the soft ones (which stay inside a paragraph)."""
    if not soft:
        return text.split("\n")
    pieces, start = [], 0
    at = text.find("\n")
    while at >= 0:
        if at not in soft:
            pieces.append(text[start:at])
            start = at + 1
        at = text.find("\n", at + 1)
    pieces.append(text[start:])
    return pieces


def _fit(text: str, start: int, width: int) -> int:
    """The offset after the most characters from `start` that fit in `width` cells (>= 1)."""
    used, index = 0, start
    while index < len(text):
        cells = cell_len(text[index])
        if used + cells > width and index > start:
            break
        used += cells
        index += 1
    return index


def offset_at_cell(text: str, start: int, end: int, x: int) -> int:
    """The offset of the character drawn at cell column `x` of the line text[start:end]."""
    used = 0
    for index in range(start, end):
        used += cell_len(text[index])
        if used > x:
            return index
    return end


def line_of(starts: list[int], offset: int) -> int:
    """Index of the line (by sorted start offsets) holding `offset`."""
    return max(0, bisect_right(starts, offset) - 1)


def next_word(text: str, offset: int) -> int:
    for match in _TOKEN.finditer(text, offset):    # a match at `offset` is the current word
        if match.start() > offset:
            return match.start()
    return max(0, len(text) - 1)


def previous_word(text: str, offset: int) -> int:
    best = 0
    for match in _TOKEN.finditer(text):
        if match.start() >= offset:
            break
        best = match.start()
    return best


def sentence_spans(text: str, soft: frozenset[int] = frozenset()) -> list[tuple[int, int]]:
    """Sentences as (start, end) offsets: split after . ! ? (and closing quotes) and at newlines
    (but the soft ones of hard-wrapped text), not after common abbreviations or single
    initials."""
    spans: list[tuple[int, int]] = []
    start = 0

    def add(begin: int, finish: int) -> None:
        piece = text[begin:finish]
        left = len(piece) - len(piece.lstrip())
        right = len(piece.rstrip())
        if right > left:
            spans.append((begin + left, begin + right))

    for match in _SENTENCE_END.finditer(text):
        if match.group() == "\n" and match.start() in soft:
            continue
        if match.group() != "\n" and match.group().startswith("."):
            word = re.search(r"([\w.]+)$", text[start:match.start()])
            stem = word.group(1).lower() if word else ""
            if stem in _ABBREVIATIONS or (len(stem) == 1 and stem.isalpha()):
                continue
        add(start, match.end())
        start = match.end()
    add(start, len(text))
    return spans


def sentence_at(spans: list[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    """The sentence holding `offset` (or the next one, when the offset is between sentences)."""
    for start, end in spans:
        if offset < end:
            return (start, end)
    return spans[-1] if spans else None


_JOINERS = "'\u2019-\u2010\u2011"     # inside a word when letters stand on both sides: don't, ex-CEO


def _wordish(text: str, index: int) -> bool:
    """Whether text[index] belongs to a word (a letter or digit, or a joiner between two)."""
    if not 0 <= index < len(text):
        return False
    char = text[index]
    if char.isalnum() or char == "_":
        return True
    return (char in _JOINERS and 0 < index < len(text) - 1
            and text[index - 1].isalnum() and text[index + 1].isalnum())


def inside_word(text: str, offset: int) -> bool:
    """Whether the boundary before text[offset] cuts a word in two."""
    return _wordish(text, offset - 1) and _wordish(text, offset)


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """The span [start, end) widened to whole words at both ends, then without the blank space
    at its edges: what a selection keeps, so a kept quote never starts or ends inside a word."""
    start, end = max(0, start), min(len(text), end)
    while start > 0 and inside_word(text, start):
        start -= 1
    while end < len(text) and inside_word(text, end):
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def word_end(text: str, offset: int) -> int:
    """The offset of the last character of the word after `offset` (or of the word `offset` is
    in, when it is not already its last character): where `w` moves a selection's end."""
    index = offset + 1
    while index < len(text) and not _wordish(text, index):
        index += 1
    while index < len(text) - 1 and _wordish(text, index + 1):
        index += 1
    return min(index, max(0, len(text) - 1))


def word_count(text: str) -> int:
    return sum(1 for i in range(len(text)) if _wordish(text, i) and not _wordish(text, i - 1))


def sentence_end(spans: list[tuple[int, int]], offset: int) -> int | None:
    """The offset of the last character of the sentence holding `offset` (of the next one when
    `offset` already is a sentence's last character): where `)` moves a selection's end."""
    for start, end in spans:
        if offset < end - 1:
            return end - 1
    return None
