"""Words of a text with their offsets, and the folded keys names are matched on.

A name is a sequence of word keys: the word case-folded (accents dropped), prefixed by the
punctuation that joins it to the word before when that punctuation matters ("AT&T" is `at`, `&t`;
"Alex. Brown" is `alex`, `.brown`). Spaces, line breaks and hyphens all join words the same way,
so "ChatGPT-maker" and "ChatGPT maker" have the same keys.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import accumulate
from operator import itemgetter

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
    if gap == " ":
        return ""
    if "\n\n" in gap or len(gap) > 12:
        return None
    mark = "".join(gap.split()).translate(_APOSTROPHES)
    if mark in JOINERS:
        return ""
    if mark in KEPT_JOINERS:
        return mark
    return None


class Words:
    """The words of a text: offsets, surface forms and folded forms, index-aligned. A plain
    class with slots, not a frozen dataclass: a text is split into Words once per tagging, and
    a frozen dataclass sets each field through object.__setattr__; `caps` is filled in at once
    (every tagging asks for it) instead of through a cached_property, which takes a lock."""

    __slots__ = ("text", "starts", "ends", "surface", "folded", "joiners", "caps")

    def __init__(self, text: str, starts: list[int], ends: list[int], surface: list[str],
                 folded: list[str], joiners: list[str | None]):
        self.text = text
        self.starts = starts
        self.ends = ends
        self.surface = surface
        self.folded = folded
        self.joiners = joiners   # joiners[i]: how word i joins word i-1 (see `gap_joiner`)
        # Whether each word starts with a capital letter.
        self.caps: list[bool] = list(map(str.isupper, map(itemgetter(0), surface)))

    def __len__(self) -> int:
        return len(self.surface)

    def joiner(self, i: int) -> str | None:
        return self.joiners[i]

    def key(self, i: int, first: bool) -> str | None:
        """Word i's key when it continues a name (None when the gap ends the name)."""
        if first:
            return self.folded[i]
        joiner = self.joiners[i]
        if joiner is None:
            return None
        return joiner + self.folded[i] if joiner else self.folded[i]

    def capitalised(self, i: int) -> bool:
        first = self.surface[i][0]
        return first.isupper() or first.isdigit()


# Split on words, keeping them: [gap, word, gap, word, ..., gap after the last word].
_SPLIT_WORDS = re.compile(r"([^\W_]+)")
_SPLIT_WORDS_ASCII = re.compile(_SPLIT_WORDS.pattern, re.ASCII)   # twice as fast where enough


def words(text: str, regions: "Regions | None" = None) -> Words:
    """The words of a text; with `regions`, only the words inside them (the first word of each
    region does not join the word before it), which skips most of an article's words."""
    return _words(text, text if regions is None else regions.blank_outside(text))


class _JoinerCache(dict):
    def __missing__(self, gap: str) -> str | None:
        joiner = gap_joiner(gap)
        if len(self) < 10_000:
            self[gap] = joiner
        return joiner


_JOINERS = _JoinerCache()


def _words(text: str, scanned: str) -> Words:
    """The words of `scanned` (the text, or the text with stretches blanked out), with offsets
    into the text. One C-level split gives gaps and words in one flat list; the running sums
    of their lengths are the words' starts and ends in turn; the rest is map() over C
    functions: no Python code runs per word (a findall of (gap, word) pairs took a tuple per
    word and a subtraction for each start)."""
    ascii_text = text.isascii()
    parts = (_SPLIT_WORDS_ASCII if ascii_text else _SPLIT_WORDS).split(scanned)
    if len(parts) == 1:
        return Words(text, [], [], [], [], [])
    bounds = list(accumulate(map(len, parts)))
    surface = parts[1::2]
    joiners = [None, *map(_JOINERS.__getitem__, parts[2:-1:2])]
    if ascii_text:
        folded = list(map(str.lower, surface))
    else:
        folded = [w.lower() if w.isascii() else fold_word(w) for w in surface]
    return Words(text, bounds[0:-1:2], bounds[1::2], surface, folded, joiners)


CAPITAL = r"[A-Z\u00c0-\u00d6\u00d8-\u00de][^\W_]*"


class Regions:
    """Where names can be: from a capitalised word or a trigger word (the lower-case first
    word of an alias: "maker" of "maker of ChatGPT"), on over capitalised words and
    continuation words joined by a little punctuation. Found by the C regex engine (and
    str.find for the triggers), so the tagger's Python code sees a fraction of the words."""

    def __init__(self, triggers: set[str], continuations: set[str]):
        words_ = sorted((w for w in continuations | triggers if w), key=len, reverse=True)
        more = "|".join(re.escape(w) for w in words_) or "(?!)"
        tail = rf"(?:[\W_]{{1,12}}(?:{CAPITAL}|(?:{more})(?![^\W_])))*"
        self.from_capital = re.compile(CAPITAL + tail)
        self.from_here = re.compile(r"[^\W_]+" + tail)
        self.from_capital_ascii = re.compile(CAPITAL + tail, re.ASCII)
        self.triggers = sorted(w for w in triggers if w)

    MERGE_GAP = 40

    def spans(self, text: str) -> list[tuple[int, int]]:
        pattern = self.from_capital_ascii if text.isascii() else self.from_capital
        spans = [m.span() for m in pattern.finditer(text)]
        spans = [(a, b) for a, b in spans if not a or not text[a - 1].isalnum()]
        extra = [spans.pop()] if spans else []
        for word in self.triggers:
            at = text.find(word)
            while at >= 0:
                after = at + len(word)
                if (not at or not text[at - 1].isalnum()) and \
                        (after >= len(text) or not text[after].isalnum()):
                    extra.append(self.from_here.match(text, at).span())
                at = text.find(word, after)
        # Regions close together become one: fewer, longer pieces to split into words (the
        # words between are real neighbours, so this changes nothing but the speed).
        merged: list[tuple[int, int]] = []
        for a, b in sorted(spans + extra):
            if merged and a <= merged[-1][1] + self.MERGE_GAP:
                merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
            else:
                merged.append((a, b))
        return merged

    def blank_outside(self, text: str) -> str:
        """The text up to its last region, with everything outside the regions turned into
        spaces (offsets kept). Regions are more than MERGE_GAP apart, so no word joins the last
        word of the region before it (a gap of over 12 characters ends a name, see
        `gap_joiner`)."""
        pieces, end = [], 0
        for a, b in self.spans(text):
            pieces += (" " * (a - end), text[a:b])
            end = b
        return "".join(pieces)


@lru_cache(maxsize=1 << 16)
def name_keys(name: str) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    """A name's word keys and, for each, whether the name writes it capitalised. Remembered:
    building a tagger asks for the keys of every name several times (scanner, fuzzy index,
    alias checks)."""
    w = words(" ".join(name.split()))
    keys, caps = [], []
    for i in range(len(w)):
        key = w.key(i, first=(i == 0))
        if key is None:            # a comma or the like inside a name: keep the word, drop it
            key = w.folded[i]
        key = short_form(key) if i else key
        keys.append(key)
        # A name in capitals ("ALUMINUM CO OF AMERICA") says nothing about how "of" or the
        # "s" of "ALBERTSON'S" are written: those need no capital.
        small = bare(key) in STOPWORDS and (name.isupper() or key == "'s")
        caps.append(w.surface[i][0].isupper() and not small)
    return tuple(keys), tuple(caps)


# Long and short spellings of corporate words are one word: "Aluminum Company of America" is
# "Aluminum Co of America", "Westpac Banking Corporation" is "Westpac Banking Corp".
SHORT_FORMS = {"company": "co", "corporation": "corp", "incorporated": "inc",
               "limited": "ltd", "brothers": "bros", "companies": "cos",
               "international": "intl", "manufacturing": "mfg", "association": "assn"}


def short_form(key: str) -> str:
    """A key with its corporate word shortened ('company' -> 'co', '.company' -> '.co')."""
    word = bare(key)
    short = SHORT_FORMS.get(word)
    return key if short is None else key[:len(key) - len(word)] + short


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
    return " ".join(filter(None, map(_PLAIN_WORDS.__getitem__, keys)))


class _PlainWords(dict):
    """A key's word as `plain` writes it ('.company' -> 'co'; '' when no word is left),
    remembered: every name the fuzzy pass has not seen yet asks for its keys' words."""

    def __missing__(self, key: str) -> str:
        word = bare(key)
        word = short_form(word) if word else ""
        if len(self) < 100_000:
            self[key] = word
        return word


_PLAIN_WORDS = _PlainWords()
