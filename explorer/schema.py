"""The Whoosh schema: one document per unique article."""

from __future__ import annotations

import weakref
from collections import defaultdict
from pickle import dumps as _dumps

from whoosh.analysis import (
    CompositeAnalyzer, LowercaseFilter, RegexTokenizer, SimpleAnalyzer, StemFilter,
    StemmingAnalyzer,
)
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Positions
from whoosh.system import pack_uint as _pack_uint

# Bump when the schema or what goes into a field changes: older indexes are then rebuilt.
SCHEMA_VERSION = 2

UNDATED = 0  # `day` of an undated article: sorts last when newest come first
_MEMO_LIMIT = 500_000


class FastPositions(Positions):
    """Whoosh's Positions format (same postings, same bytes on disk), computed faster.

    Whoosh runs every word through a chain of generators and builds a Token object for it: most
    of the time spent indexing. When the analyzer is a regex tokenizer followed only by filters
    that look at one word at a time (lowercase, stem), the indexed form of a word never depends on
    its neighbours, so each distinct word is analyzed once and remembered; positions are then the
    word's rank in the text. Any other analyzer takes Whoosh's own path.
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
            yield term, len(found_at), len(found_at) * boost, _encode(found_at)

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


def _encode(positions: list[int]) -> bytes:
    """Positions.encode, without its Python loop: the count, then the pickled deltas."""
    deltas = [b - a for a, b in zip([0] + positions, positions)] if len(positions) > 1 \
        else positions
    return _pack_uint(len(deltas)) + _dumps(deltas, 2)


def _word_local(analyzer):
    if isinstance(analyzer, CompositeAnalyzer) and isinstance(analyzer.items[0], RegexTokenizer) \
            and not analyzer.items[0].gaps \
            and all(type(item) in (LowercaseFilter, StemFilter) for item in analyzer.items[1:]):
        from explorer.snippets import whole_words
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
        field.format = FastPositions(field_boost=field.format.field_boost)
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
