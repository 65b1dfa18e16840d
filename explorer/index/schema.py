"""The Whoosh schema: one document per unique article."""

from __future__ import annotations

import sys
import weakref
from array import array
from collections import defaultdict

from whoosh.analysis import (
    CompositeAnalyzer, LowercaseFilter, RegexTokenizer, SimpleAnalyzer, StemFilter,
    StemmingAnalyzer,
)
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Positions

# Bump when the schema or what goes into a field changes: older indexes are then rebuilt.
SCHEMA_VERSION = 4

UNDATED = 0  # `day` of an undated article: sorts last when newest come first
_MEMO_LIMIT = 500_000


class PositionBits(Positions):
    """Whoosh's Positions format with a word's positions in a document written as one number,
    bit p set for position p (little-endian bytes), and computed faster.

    Phrases: Whoosh's own format pickles a list of gaps for every word of every document, and
    a phrase of two common words had to unpickle both words' lists in every document with the
    two, thousands on Reuters (one pickle call each), to keep the count of matches exact. With
    bits, `"a b"` is in a document when `(bits(a) << 1) & bits(b)` is not zero: two
    `int.from_bytes` and two big-int operations in C (explorer/search/ranking.py). The frequency is the
    number of bits set. Whoosh's own readers (proximity, highlighting) get the positions back
    as a list from `decode_positions`. Bits cost one bit per word up to the word's last
    position: a word seen once near the end of a long article would take thousands of bytes,
    and a book-length text gigabytes while it is indexed. So a word whose bits would take more
    bytes than its positions as 4-byte numbers is written that way instead, with a zero byte
    after them; bits never end with a zero byte (the last byte holds the last position).

    Speed: Whoosh runs every word through a chain of generators and builds a Token object for
    it: most of the time spent indexing. When the analyzer is a regex tokenizer followed only by
    filters that look at one word at a time (lowercase, stem), the indexed form of a word never
    depends on its neighbours, so each distinct word is analyzed once and remembered; positions
    are then the word's rank in the text. Any other analyzer takes Whoosh's own path (with
    these bits).
    """

    def word_values(self, value, analyzer, **kwargs):
        found = self._word_terms(analyzer)
        if found is None or not isinstance(value, str) or kwargs.get("mode") == "query":
            yield from super().word_values(value, analyzer, **kwargs)
            return
        expression, memo = found
        words = expression.findall(value)
        terms = list(map(memo.get, words))          # the C loop; unseen words come back None
        if None in terms:
            terms = [term if term is not None else _analyze_word(analyzer, memo, word)
                     for word, term in zip(words, terms)]
        positions: dict[str, list[int]] = defaultdict(list)
        for position, term in enumerate(terms):
            positions[term].append(position)
        boost = self.field_boost
        for term, found_at in positions.items():
            yield term, len(found_at), len(found_at) * boost, self.encode(found_at)

    def encode(self, poslist):
        size = poslist[-1] // 8 + 1 if poslist else 0
        if size > 4 * len(poslist):            # sparse: the positions, then a zero byte
            numbers = array("I", poslist)
            if sys.byteorder == "big":
                numbers.byteswap()
            return numbers.tobytes() + b"\0"
        bits = bytearray(size)
        for position in poslist:
            bits[position >> 3] |= 1 << (position & 7)
        return bytes(bits)

    def decode_positions(self, valuestring):
        if valuestring and not valuestring[-1]:
            return _sparse(valuestring).tolist()
        return bit_positions(int.from_bytes(valuestring, "little"))

    def decode_frequency(self, valuestring):
        if valuestring and not valuestring[-1]:
            return (len(valuestring) - 1) // 4
        return int.from_bytes(valuestring, "little").bit_count()

    def _word_terms(self, analyzer):
        """(findall expression, memo of word -> indexed term) for a word-local analyzer."""
        key = id(analyzer)
        try:
            return _WORD_TERMS[key]
        except KeyError:
            pass
        found = _WORD_TERMS[key] = _word_local(analyzer)
        # Kept beside the analyzer, not in it (the schema is pickled into the index), and
        # dropped with it, so a later analyzer at the same address starts afresh.
        weakref.finalize(analyzer, _WORD_TERMS.pop, key, None)
        return found


_WORD_TERMS: dict[int, tuple | None] = {}



# Indexes written before schema 3 name this class in their pickled schema. Kept so that such an
# index still opens, is found stale by its manifest (explorer/index/build.py) and is rebuilt, rather
# than failing to unpickle: nothing reads its postings before that.
FastPositions = PositionBits


def position_bits(value: bytes) -> int:
    """The positions in a PositionBits value as one number, bit p for position p."""
    if value[-1]:
        return int.from_bytes(value, "little")
    number = 0
    for position in _sparse(value):
        number |= 1 << position
    return number


def follows(first: bytes, second: bytes) -> bool:
    """Whether some position in the PositionBits value `second` is one after a position in
    `first`: the two-word phrase test. Dense values are compared as numbers in C; a sparse
    value's few positions are looked up in the other value's bytes directly, without building
    its bit number (that took most of a phrase of two common words)."""
    if first[-1] and second[-1]:
        return bool((int.from_bytes(first, "little") << 1) & int.from_bytes(second, "little"))
    if not first[-1]:
        if not second[-1]:
            return not set(_sparse(second)).isdisjoint([p + 1 for p in _sparse(first)])
        size = len(second)
        for position in _sparse(first):
            position += 1
            at = position >> 3
            if at < size and second[at] >> (position & 7) & 1:
                return True
        return False
    size = len(first)
    for position in _sparse(second):
        if position:
            position -= 1
            at = position >> 3
            if at < size and first[at] >> (position & 7) & 1:
                return True
    return False


def _sparse(value: bytes) -> array:
    numbers = array("I", value[:-1])
    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers


def bit_positions(number: int) -> list[int]:
    """The positions of the bits set in `number`, lowest first."""
    digits = bin(number)[:1:-1]          # lowest bit first
    found, at = [], digits.find("1")
    while at >= 0:
        found.append(at)
        at = digits.find("1", at + 1)
    return found


def _word_local(analyzer):
    if isinstance(analyzer, CompositeAnalyzer) and isinstance(analyzer.items[0], RegexTokenizer) \
            and not analyzer.items[0].gaps \
            and all(type(item) in (LowercaseFilter, StemFilter) for item in analyzer.items[1:]):
        from explorer.search.snippets import whole_words
        return whole_words(analyzer.items[0].expression), {}
    return None


def word_local(analyzer) -> bool:
    """Whether the analyzer is a regex tokenizer followed only by lowercase and stem filters,
    so that `analyze_word` gives what it gives for one word."""
    return _word_local(analyzer) is not None


def analyze_word(analyzer, word: str) -> str:
    """The indexed form of one word (one token of the tokenizer) under a word-local analyzer:
    its filters applied directly, without Whoosh's Token pipeline."""
    term = word
    for item in analyzer.items[1:]:          # only LowercaseFilter and StemFilter get here
        if isinstance(item, LowercaseFilter):
            term = term.lower()
        elif term not in item.ignore:
            term = item._stem(term)
    return term


def _analyze_word(analyzer, memo: dict, word: str) -> str:
    term = analyze_word(analyzer, word)
    if len(memo) > _MEMO_LIMIT:
        memo.clear()
    memo[word] = term
    return term


def build_schema() -> Schema:
    # No stop list: phrases such as "the maker of ChatGPT" must match word for word.
    stemmed = StemmingAnalyzer(stoplist=None, minsize=1)
    title = TEXT(stored=True, analyzer=stemmed, field_boost=2.0)
    body = TEXT(stored=True, analyzer=stemmed, phrase=True)
    for field in (title, body):
        field.format = PositionBits(field_boost=field.format.field_boost)
    return Schema(
        id=ID(stored=True, unique=True),
        title=title,
        body=body,
        date=DATETIME(stored=True),
        # Days since 0001-01-01 (UNDATED when unknown): few distinct values, so date ranges
        # expand to few terms, and a cheap column to sort by. Signed on purpose: Whoosh 2.7.5
        # answers NumericRange wrongly on an unsigned field ([1 TO n] matched every day).
        day=NUMERIC(int, bits=32, sortable=True),
        source=TEXT(stored=True, analyzer=SimpleAnalyzer()),
        path=ID(stored=True),
        url=STORED(),
        author=STORED(),
        duplicates=STORED(),
        entity=KEYWORD(stored=True, commas=True, lowercase=True, scorable=True),
        mentions=STORED(),
    )
