"""Words of a text with their offsets, and the folded keys names are matched on.

A name is a sequence of word keys: the word case-folded (accents dropped), prefixed by the
punctuation that joins it to the word before when that punctuation matters ("AT&T" is `at`, `&t`;
"Alex. Brown" is `alex`, `.brown`). Spaces, line breaks and hyphens all join words the same way,
so "ChatGPT-maker" and "ChatGPT maker" have the same keys.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

WORD = re.compile(r"[^\W_]+")
# Punctuation that may join two words of one name; anything else (a comma, a full stop followed
# by a space after a long word, a blank line) ends the name.
JOINERS = {"", "-", "\u2010", "\u2011", "\u2013"}
KEPT_JOINERS = {".", "'", "&", "/", "+", ".-"}
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
# Abbreviations after which a full stop does not end a name ("Aluminum Co. of America").
ABBREVIATIONS = {"co", "corp", "inc", "ltd", "bros", "st", "mt", "jr", "sr", "dr", "mr", "mrs",
                 "ms", "no", "intl", "mfg", "assn", "dept", "gen", "cos"}

# Corporate suffixes: optional at the end of a company name.
SUFFIXES = {"inc", "corp", "corporation", "co", "cos", "company", "ltd", "limited", "plc",
            "gmbh", "llc", "lp", "ag", "sa", "nv", "bv", "spa", "ab", "as", "oy", "kk", "pty",
            "incorporated", "holdings", "group"}
# Words too common to identify anything on their own (prefilter and distinctive-word rules).
STOPWORDS = {"the", "a", "an", "of", "and", "&", "for", "in", "on", "at", "to", "by", "de", "la",
             "le", "du", "van", "von", "der", "den", "y", "et", "'s", "s"}


def fold_word(word: str) -> str:
    """Case-folded, accents dropped: 'Nestlé' -> 'nestle'."""
    if not word.isascii():
        word = "".join(c for c in unicodedata.normalize("NFKD", word)
                       if not unicodedata.combining(c))
    return word.casefold()


def gap_joiner(gap: str) -> str | None:
    """The punctuation joining two words of a name, '' for none, or None when the gap ends it."""
    if "\n\n" in gap or len(gap) > 12:
        return None
    mark = "".join(gap.split()).translate(_APOSTROPHES)
    if mark in JOINERS:
        return ""
    if mark in KEPT_JOINERS:
        return mark
    return None


@dataclass(frozen=True)
class Words:
    """The words of a text: offsets, surface forms and folded forms, index-aligned."""

    text: str
    starts: list[int]
    ends: list[int]
    surface: list[str]
    folded: list[str]

    def __len__(self) -> int:
        return len(self.surface)

    def joiner(self, i: int) -> str | None:
        """How word i joins word i-1 (see `gap_joiner`)."""
        return gap_joiner(self.text[self.ends[i - 1]:self.starts[i]])

    def key(self, i: int, first: bool) -> str | None:
        """Word i's key when it continues a name (None when the gap ends the name)."""
        if first:
            return self.folded[i]
        joiner = self.joiner(i)
        if joiner is None:
            return None
        return joiner + self.folded[i] if joiner else self.folded[i]

    def capitalised(self, i: int) -> bool:
        first = self.surface[i][0]
        return first.isupper() or first.isdigit()


def words(text: str) -> Words:
    starts, ends, surface = [], [], []
    for match in WORD.finditer(text):
        starts.append(match.start())
        ends.append(match.end())
        surface.append(match.group())
    return Words(text, starts, ends, surface, [fold_word(w) for w in surface])


def name_keys(name: str) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    """A name's word keys and, for each, whether the name writes it capitalised."""
    w = words(" ".join(name.split()))
    keys, caps = [], []
    for i in range(len(w)):
        key = w.key(i, first=(i == 0))
        if key is None:            # a comma or the like inside a name: keep the word, drop it
            key = w.folded[i]
        keys.append(key)
        caps.append(w.capitalised(i) and not w.surface[i][0].isdigit())
    return tuple(keys), tuple(caps)


def bare(key: str) -> str:
    """A key without its joining punctuation: '.brown' -> 'brown'."""
    return key.lstrip(".'&/+-")


def strip_suffixes(keys: tuple[str, ...]) -> tuple[str, ...]:
    """Keys without trailing corporate suffixes ('apple computer inc' -> 'apple computer')."""
    end = len(keys)
    while end > 1 and (bare(keys[end - 1]) in SUFFIXES or keys[end - 1] in {"&co", "&"}):
        end -= 1
    if end < len(keys) and end >= 1 and bare(keys[end - 1]) in {"and", "&"}:
        end -= 1
    return keys[:end]


def plain(keys: tuple[str, ...]) -> str:
    """Keys as one string for fuzzy scoring: 'alex brown'."""
    return " ".join(bare(k) for k in keys if bare(k))
