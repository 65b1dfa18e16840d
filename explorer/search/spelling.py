"""Did-you-mean: the query as the user typed it, with only the words the index lacks (or
nearly lacks) changed to the nearest whole words it has.

Whoosh's ReaderCorrector walks a Levenshtein automaton over the term list in pure Python
(200-600 ms a word on Reuters, paid on every half-typed word in the app), and ranks every word
within the distance by frequency alone, so "cofe" became "of". Whoosh's `correct_query` then
rewrote every term of every field (a word missing from titles only was "corrected": `Tony Blari`
became "tori blair"), printed the index's stems ("economi growth"), skipped phrases, and changed
the phrase objects of the query itself. Here the vocabulary of the text fields is compared in
rapidfuzz (C++, a few ms for 45,000 words), ranked by edit distance (a swap of two letters is
one edit), then by how many articles have the word; the stem found is shown as a word of the
articles that hold it (the one nearest to what was typed), in the user's case.
"""

from __future__ import annotations

import re
from collections import Counter
from heapq import nlargest
from itertools import islice
from typing import Callable, Iterator

from rapidfuzz import process
from rapidfuzz.distance import OSA

from explorer.index.whoosh_internals import field_words

RARE = 3            # a word in at most this many articles may be a misspelling...
MORE = 10           # ...of a word in at least this many times as many
SURFACE_DOCS = 12   # articles read to find the whole word a stem stands for
CANDIDATES = 5      # nearest stems tried for one word

OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}
TEXT_CLAUSE_FIELDS = {"title", "body"}
# A query's pieces: a phrase (with its ~N), a field clause, or a bare token.
_PIECE = re.compile(r'(?P<phrase>"[^"]*")(?:~\d+)?'
                    r'|(?P<field>[A-Za-z_]\w*):(?P<value>"[^"]*"|\[[^\]]*\]|\{[^}]*[\]}]|[^\s()]+)'
                    r'|(?P<token>[^\s()"]+)')


class LexiconCorrector:
    """Suggestions for one field of an open reader (its vocabulary is read on first use).
    Whoosh's query corrector calls `suggest` (the interface of whoosh.spelling.Corrector)."""

    def __init__(self, reader, fieldname: str):
        self.reader = reader
        self.fieldname = fieldname
        self._words: list[str] | None = None

    def words(self) -> list[str]:
        if self._words is None:
            self._words = [word.decode("utf-8") if isinstance(word, bytes) else word
                           for word in self.reader.lexicon(self.fieldname)]
        return self._words

    def suggest(self, text: str, limit: int = 5, maxdist: int = 2, prefix: int = 0) -> list[str]:
        """Up to `limit` words within `maxdist` edits of `text`, best first."""
        best = nlargest(limit, self._suggestions(text, maxdist, prefix))
        return [word for _, word in sorted(best, key=lambda item: (-item[0], item[1]))]

    def _suggestions(self, text: str, maxdist: int, prefix: int):
        frequency = self.reader.doc_frequency
        for word, distance, _ in process.extract(text, self.words(), scorer=OSA.distance,
                                                 score_cutoff=maxdist, limit=None):
            if word == text or (prefix and word[:prefix] != text[:prefix]):
                continue
            count = frequency(self.fieldname, word)
            # Higher is better: nearer first, then more frequent (the bonus stays below 0.5).
            yield -distance + 0.5 * (1 - 1 / (1 + count)), word


def query_words(text: str, word: re.Pattern) -> Iterator[tuple[int, int]]:
    """(start, end) of the words of a query a suggestion may change: free words and the words
    of phrases (also in title:/body:), not operators, other fields' values, wildcards, fuzzy
    terms or boosts."""
    for piece in _PIECE.finditer(text):
        if piece.group("phrase"):
            start = piece.start("phrase")
            inner = piece.group("phrase")
        elif piece.group("field"):
            if piece.group("field") not in TEXT_CLAUSE_FIELDS:
                continue
            start, inner = piece.start("value"), piece.group("value")
            if inner[:1] in "[{":
                continue
        else:
            start, inner = piece.start("token"), piece.group("token")
            if inner in OPERATORS:
                continue
        if not inner.startswith('"') and re.search(r"[*?~^]", inner):
            continue
        for found in word.finditer(inner):
            yield start + found.start(), start + found.end()


class QuerySpeller:
    """Did-you-mean over the text fields of one searcher (make one per searcher).
    `term(word)` is the indexed form of a word, `words(text)` the words of a text."""

    def __init__(self, searcher, fields: tuple[str, ...], term: Callable[[str], str | None],
                 word: re.Pattern):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.fields = fields
        self.term = term
        self.word = word
        self._vocabulary: list[str] | None = None

    def vocabulary(self) -> list[str]:
        if self._vocabulary is None:
            words: set[bytes] = set()
            for name in self.fields:
                words |= field_words(self.reader, name)      # the lexicon, read in bulk
            self._vocabulary = sorted(w.decode("utf-8") for w in words)
        return self._vocabulary

    def frequency(self, term: str) -> int:
        """Articles with the term in any text field (at most: the largest field count)."""
        return max(self.reader.doc_frequency(name, term) for name in self.fields)

    def suggest(self, text: str, total: int) -> str | None:
        """The query with its unknown words (no hits: words no article has; few hits: words
        very few articles have) replaced, or None when no word changes."""
        changes = []
        for start, end in query_words(text, self.word):
            typed = text[start:end]
            term = self.term(typed)
            if not term:
                continue
            count = self.frequency(term)
            if total == 0 and count:
                continue
            if total > 0 and count > RARE:
                continue
            better = self.nearest(typed, term, minimum=max(1, count * MORE) if total else 1)
            if better is not None:
                changes.append((start, end, better))
        if not changes:
            return None
        for start, end, word in reversed(changes):
            text = text[:start] + word + text[end:]
        return text

    def nearest(self, typed: str, term: str, minimum: int) -> str | None:
        """The whole word nearest to `typed` among the articles' words whose stems are nearest
        to `term`, in `typed`'s case; only words in at least `minimum` articles."""
        # Stems can be further apart than the words ("awya" -> "awai" is 2, -> "away" 1): the
        # stems are searched wider than the word finally offered may be from what was typed.
        maxdist = 1 if len(typed) <= 4 else 2
        found = process.extract(term, self.vocabulary(), scorer=OSA.distance,
                                score_cutoff=2 if len(term) > 3 else 1, limit=None)
        ranked = []
        for stem, distance, _ in found:
            if stem == term or stem.isalpha() != term.isalpha():
                continue
            count = self.frequency(stem)
            if count >= minimum:
                ranked.append((distance, -count, stem))
        best = None
        for distance, minus_count, stem in sorted(ranked)[:CANDIDATES]:
            surface = self.surface(stem, typed)
            if surface is None:
                continue
            key = (OSA.distance(typed.lower(), surface.lower()), distance, minus_count)
            if key[0] <= maxdist and (best is None or key < best[0]):
                best = (key, surface)
        return _in_case_of(typed, best[1]) if best else None

    def surface(self, stem: str, typed: str) -> str | None:
        """A word of the articles that indexes as `stem`, the nearest to `typed` (ties: the
        most common)."""
        seen: Counter[str] = Counter()
        initial = stem[:1]
        for name in self.fields[::-1]:           # the body first: more words to find it in
            if (name, stem) not in self.reader:
                continue
            for docnum in islice(self.reader.postings(name, stem).all_ids(), SURFACE_DOCS):
                text = self.searcher.stored_fields(docnum).get(name) or ""
                # Lowercasing and stemming keep a word's first letter: only those words can
                # index as the stem, and only they are analyzed.
                seen.update(w.lower() for w in self.word.findall(text)
                            if w[:1].lower() == initial and self.term(w) == stem)
            if seen:
                break
        if not seen:
            return None
        typed = typed.lower()
        return min(seen, key=lambda w: (OSA.distance(typed, w), -seen[w], w))


def _in_case_of(typed: str, word: str) -> str:
    if len(typed) > 1 and typed.isupper():
        return word.upper()
    if typed[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
