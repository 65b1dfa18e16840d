"""Ranking word queries straight from the posting lists, with the scores Whoosh gives them.

Whoosh finds the best N documents by walking a tree of matcher objects one document at a time,
several method calls per document and per term, in pure Python. On Reuters a query with a common
word (`said` is in 15,342 of 21,317 stories) took 50-70 ms before the first snippet was made.
Here each term's posting blocks are read whole (document numbers and weights come out of a block
as arrays), scored with BM25F in one loop per block, the terms are combined with dict and set
operations, and the best N are picked with heapq. A phrase reads its rarest word whole, the other
words only in the blocks that can hold a document with the words before, and checks the words'
positions as bit masks (explorer/index/schema.py: PositionBits; two words in one loop:
explorer/index/positions.py: followed). A body phrase of two words where one is common
(`"japan and"`) is answered from the pair field's postings alone (body_pairs: both words'
weights are in its values), and a longer one looks only in the documents with all its indexed
pairs. An AND scores its smallest part whole and the others
only in the documents found so far (their other blocks unread, their other postings unscored);
a NOT reads document numbers without scores.

The scores are Whoosh's: the same BM25F formula with the same parameters, the same (byte-coded)
field lengths, the same idf and average lengths from the top searcher, sums in the order of
Whoosh's binary matcher trees, 1.0 for a NOT inside AND or OR (Whoosh's InverseMatcher weight)
and ties broken by document number. tests/test_ranking.py checks ranks and scores against
Whoosh's own searcher. Whatever is not listed in `Ranker.covers` (wildcards, fuzzy terms,
proximity, ranges, a weighting other than BM25F, ...) is left to Whoosh.

The posting blocks and field length columns are read through explorer/index/whoosh_internals.py,
the one module that touches Whoosh's private parts (whoosh-reloaded is pinned to one version).
"""

from __future__ import annotations

from bisect import bisect_left
from heapq import nlargest
from itertools import compress

from whoosh import query as wq
from whoosh.util.numeric import byte_to_length

from explorer.index.positions import followed
from explorer.index.positions import position_bits as _bits
from explorer.index.whoosh_internals import (
    PAIR_VALUE, PositionBits, WordPairs, bm25_parameters, length_codes, posting_blocks,
)
from explorer.recent import Recent

TERM_CACHE_POSTINGS = 500_000   # scored postings kept for the last terms (~40 MB at most)
POSITIONS_CACHE_POSTINGS = 200_000   # documents' positions kept for the last phrase words
NOT_SCORE = 1.0     # what Whoosh's InverseMatcher scores a NOT clause inside AND / OR


class Ranker:
    """Scores and ranks the queries it covers over one searcher (make one per searcher). Not
    for two threads at once, like the searcher itself (the app holds its domain lock)."""

    def __init__(self, searcher):
        self.searcher = searcher
        self.schema = searcher.schema
        weighting = searcher.weighting
        parameters = bm25_parameters(weighting)
        self._bm25 = parameters is not None
        self._k1, self._b = parameters or (0.0, 0.0)
        reader = searcher.reader()
        self._leaves = [(leaf, offset, leaf.deleted_docs_set if leaf.has_deletions() else ())
                        for leaf, offset in reader.leaf_readers()]
        self._norms: dict[tuple[int, str], list[float]] = {}
        # A field's pair field (explorer/index/schema.py: body_pairs), if the index has one.
        self._pair_fields = {field.source: (name, field) for name, field in self.schema.items()
                             if isinstance(field, WordPairs)}
        self._term_cache = Recent(TERM_CACHE_POSTINGS, len)
        self._positions_cache = Recent(POSITIONS_CACHE_POSTINGS, lambda known: len(known[0]))

    # -- which queries --------------------------------------------------------------------------
    def covers(self, q: wq.Query) -> bool:
        if not self._bm25:
            return False
        if isinstance(q, wq.Term):
            return q.fieldname in self.schema
        if isinstance(q, wq.Phrase):
            field = self.schema[q.fieldname] if q.fieldname in self.schema else None
            return (q.slop == 1 and field is not None and q.words
                    and isinstance(field.format, PositionBits))
        if isinstance(q, wq.Not):
            return self.covers(q.query)
        if isinstance(q, wq.Or) and type(q) in (wq.Or, wq.DefaultOr):
            return not q.scale and not q.minmatch and bool(q.subqueries) \
                and all(self.covers(sub) for sub in q.subqueries)
        if type(q) is wq.And:
            return bool(q.subqueries) and all(self.covers(sub) for sub in q.subqueries)
        if type(q) is wq.AndNot:
            return self.covers(q.a) and self.covers(q.b)
        return False

    # -- ranking ------------------------------------------------------------------------------
    def top(self, q: wq.Query, limit: int | None,
            allowed: set[int] | None = None) -> tuple[list[tuple[int, float]], int]:
        """The best `limit` (document number, score) pairs, best first (ties: lower number
        first), and how many documents match in all; only documents in `allowed` if given."""
        scores = self.scores(q)
        if allowed is not None:
            scores = {doc: score for doc, score in scores.items() if doc in allowed}
        total = len(scores)
        if limit is None or limit >= total:
            ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
            return ranked, total
        if limit <= 0:
            return [], total
        # The limit-th best score, then everything at or above it in order (ties included).
        floor = nlargest(limit, scores.values())[-1]
        best = [(doc, score) for doc, score in scores.items() if score >= floor]
        best.sort(key=lambda item: (-item[1], item[0]))
        return best[:limit], total

    def scores(self, q: wq.Query) -> dict[int, float]:
        """Every matching document number with its score."""
        if isinstance(q, wq.Term):
            found = self._term(q.fieldname, q.text)
        elif isinstance(q, wq.Phrase):
            found = self._phrase(q.fieldname, q.words)
        elif isinstance(q, wq.Not):
            excluded = self._docs(q.query)
            found = {doc: NOT_SCORE for doc in self._live_docs() if doc not in excluded}
        elif isinstance(q, wq.Or):
            found = _tree(q.subqueries, self.scores, _union)
        elif isinstance(q, wq.And):
            found = self._and(q.subqueries)
        elif isinstance(q, wq.AndNot):
            found = self.scores(q.a)
            excluded = self._docs(q.b, found)
            found = {doc: s for doc, s in found.items() if doc not in excluded}
        else:
            raise TypeError(f"not a query the ranker covers: {q!r}")
        if q.boost != 1.0:
            boost = q.boost
            found = {doc: score * boost for doc, score in found.items()}
        return found

    def _and(self, subqueries) -> dict[int, float]:
        nots = [sub for sub in subqueries if isinstance(sub, wq.Not)]
        positive = [sub for sub in subqueries if not isinstance(sub, wq.Not)]
        if not positive:
            return _tree(subqueries, self.scores, _intersection)
        # The smallest part first (by document frequency), scored whole; the others only in the
        # documents found so far, their other posting blocks skipped unread and their other
        # postings not scored (`market AND sullivan` scored every posting of `market`). Sums
        # do not depend on the order beyond float rounding (two parts: not at all).
        positive.sort(key=self._size)
        found = self.scores(positive[0])
        for sub in positive[1:]:
            if not found:
                return found
            found = _intersection(found, self._within(sub, found))
        for sub in nots:
            excluded = self._docs(sub.query, found)
            found = {doc: score + NOT_SCORE for doc, score in found.items()
                     if doc not in excluded}
        return found

    def _size(self, q: wq.Query) -> int:
        """How many documents a query may match, for ordering the parts of an AND: a term's
        document frequency, an OR's sum; 0 for the rest (scored first, whole)."""
        if isinstance(q, wq.Term):
            try:
                return self.searcher.reader().doc_frequency(
                    q.fieldname, self.schema[q.fieldname].to_bytes(q.text))
            except ValueError:
                return 0
        if isinstance(q, wq.Or):
            return sum(map(self._size, q.subqueries))
        return 0

    def _within(self, q: wq.Query, within: dict) -> dict[int, float]:
        """scores(q), exact for the documents in `within`; other documents may be missing."""
        if isinstance(q, wq.Term):
            found = self._term(q.fieldname, q.text, within)
        elif isinstance(q, wq.Or):
            found = _tree(q.subqueries, lambda sub: self._within(sub, within), _union)
        else:
            return self.scores(q)
        if q.boost != 1.0:
            boost = q.boost
            found = {doc: score * boost for doc, score in found.items()}
        return found

    def _docs(self, q: wq.Query, within: dict | None = None):
        """The documents q matches (a set or dict), for NOT: all of them, or at least those in
        `within`; terms are read without scoring them."""
        if isinstance(q, wq.Term):
            return self._term_docs(q.fieldname, q.text, within)
        if isinstance(q, wq.Or):
            found = set()
            for sub in q.subqueries:
                found.update(self._docs(sub, within))
            return found
        return self.scores(q)

    def _live_docs(self):
        for leaf, offset, deleted in self._leaves:
            for docnum in range(leaf.doc_count_all()):
                if docnum not in deleted:
                    yield docnum + offset

    # -- one term -----------------------------------------------------------------------------
    def _term(self, fieldname: str, text, within: dict | None = None) -> dict[int, float]:
        """Every document with the term, and its score (only those in `within` if given and
        the term's scores are not kept). Callers must not change the dict: the last terms'
        scores are kept, since a query typed letter by letter repeats its words."""
        field = self.schema[fieldname]
        try:
            btext = field.to_bytes(text)
        except ValueError:
            return {}
        found = self._term_cache.get((fieldname, btext))
        if found is None:
            found = self._score_term(fieldname, field, btext, within)
            if within is None:
                self._term_cache.put((fieldname, btext), found)
        return found

    def _term_docs(self, fieldname: str, text, within: dict | None):
        """The documents with the term (at least those in `within`), unscored."""
        field = self.schema[fieldname]
        try:
            btext = field.to_bytes(text)
        except ValueError:
            return ()
        found = self._term_cache.get((fieldname, btext))
        if found is not None:
            return found
        docs: set[int] = set()
        if (fieldname, btext) not in self.searcher.reader():
            return docs
        ordered = sorted(within) if within is not None else None
        for leaf, offset, _ in self._leaves:
            if (fieldname, btext) not in leaf:
                continue
            wanted = _leaf_wanted(ordered, leaf, offset) if ordered is not None else None
            if wanted == []:
                continue
            for ids, _, _ in posting_blocks(leaf, fieldname, btext, False, wanted):
                docs.update(map(offset.__add__, ids) if offset else ids)
        return docs

    def _score_term(self, fieldname: str, field, btext: bytes, within: dict | None = None
                    ) -> dict[int, float]:
        """Every live document with the term (in `within` if given), and its score."""
        searcher = self.searcher
        if (fieldname, btext) not in searcher.reader():
            return {}
        found: dict[int, float] = {}
        scorable = field.scorable
        if scorable:
            idf = searcher.idf(fieldname, btext)
            k1p1 = self._k1 + 1
        ordered = sorted(within) if within is not None else None
        for number, (leaf, offset, deleted) in enumerate(self._leaves):
            if (fieldname, btext) not in leaf:
                continue
            wanted = _leaf_wanted(ordered, leaf, offset) if ordered is not None else None
            if wanted == []:
                continue
            norms = self._norms_of(number, leaf, fieldname) if scorable else None
            for ids, weights, _ in posting_blocks(leaf, fieldname, btext, False, wanted):
                postings = zip(ids, weights)
                if within is not None:      # only the documents wanted, picked out in C
                    docs = map(offset.__add__, ids) if offset else ids
                    postings = compress(postings, list(map(within.__contains__, docs)))
                if not scorable:   # Whoosh scores a field without lengths by the weight
                    for docnum, weight in postings:
                        if not (deleted and docnum in deleted):
                            found[docnum + offset] = weight
                    continue
                for docnum, weight in postings:
                    if deleted and docnum in deleted:
                        continue
                    found[docnum + offset] = idf * ((weight * k1p1) / (weight + norms[docnum]))
        return found

    def _norms_of(self, number: int, leaf, fieldname: str) -> list[float]:
        """K1 * ((1 - B) + B * length / average length), per document of a leaf: the part of
        BM25 that depends on the document, from the byte-coded lengths Whoosh scores with."""
        key = (number, fieldname)
        norms = self._norms.get(key)
        if norms is None:
            k1, b = self._k1, self._b
            avgfl = self.searcher.avg_field_length(fieldname) or 1
            table = [k1 * ((1 - b) + b * byte_to_length(code) / avgfl) for code in range(256)]
            norms = self._norms[key] = [table[code] for code in length_codes(leaf, fieldname)]
        return norms

    # -- one phrase ---------------------------------------------------------------------------
    def _phrase(self, fieldname: str, words) -> dict[int, float]:
        """Documents with the words next to each other in this order (Whoosh's Phrase with
        slop 1), scored as Whoosh does: the sum of the words' scores."""
        field = self.schema[fieldname]
        try:
            btexts = [field.to_bytes(word) for word in words]
        except ValueError:
            return {}
        reader = self.searcher.reader()
        if any((fieldname, btext) not in reader for btext in btexts):
            return {}
        count = len(btexts)
        candidates = None       # the documents with the words so far (a set or dict keys)
        pairs = self._pair_fields.get(fieldname) if count > 1 else None
        indexed = pairs[1].pairs(words) if pairs is not None else []
        if indexed:
            # Adjacent words with a common one are indexed as pairs: a two-word phrase is
            # answered from its pair's postings, a longer one only looks in the documents
            # with all its indexed pairs.
            name, pair_field = pairs
            if count == 2:
                return self._pair_phrase(fieldname, field, btexts, name,
                                         pair_field.to_bytes(pair_field.pair_text(*words)))
            for i in indexed:
                docs = self._pair_docs(name, pair_field.to_bytes(
                    pair_field.pair_text(words[i], words[i + 1])))
                candidates = docs if candidates is None else candidates & docs
                if not candidates:
                    return {}
        # The rarest word first, read whole (and kept for the next queries: a phrase typed or
        # refined repeats its words); the others only in the documents that have the words
        # before, their other posting blocks skipped unread.
        positions: list = [None] * count
        weights: list = [None] * count
        for i in sorted(range(count), key=lambda i: reader.doc_frequency(fieldname, btexts[i])):
            key = (fieldname, btexts[i])
            known = self._positions_cache.get(key)
            if known is None:
                known = self._postings(fieldname, btexts[i], candidates)
                if candidates is None:
                    self._positions_cache.put(key, known)
                candidates = known[0].keys()     # read only where the words before are
            elif candidates is None:
                candidates = known[0].keys()
            else:
                candidates = candidates & known[0].keys()
            positions[i], weights[i] = known
            if not candidates:
                return {}
        # A word's positions are bits (explorer/index/schema.py: PositionBits): the phrase is in a
        # document when shifting the first word's bits along the words leaves one set.
        first, rest = positions[0], positions[1:]
        if len(rest) == 1:                # the common case: explorer/index/positions.py
            matched = followed(candidates, first, rest[0])
        else:
            matched = []
            for doc in candidates:
                bits = _bits(first[doc])
                for later in rest:
                    bits = (bits << 1) & _bits(later[doc])
                    if not bits:
                        break
                if bits:
                    matched.append(doc)
        # Scores only for the documents with the phrase (the words' postings were only read).
        scores = [self._score_docs(fieldname, field, btext, found, matched)
                  for btext, found in zip(btexts, weights)]
        if count == 2:
            scores_a, scores_b = scores
            return {doc: scores_a[doc] + scores_b[doc] for doc in matched}
        return {doc: _tree_sum([word[doc] for word in scores]) for doc in matched}

    def _pair_phrase(self, fieldname: str, field, btexts: list[bytes], pairname: str,
                     pair: bytes) -> dict[int, float]:
        """A two-word phrase from its pair's postings (explorer/index/whoosh_internals.py:
        PairWeights): the live documents with the pair, scored with the two words' weights
        the pair's values hold, as _phrase scores them."""
        matched: list[int] = []
        first: dict[int, float] = {}
        second: dict[int, float] = {}
        unpack = PAIR_VALUE.unpack
        for leaf, offset, deleted in self._leaves:
            if (pairname, pair) not in leaf:
                continue
            for ids, _, values in posting_blocks(leaf, pairname, pair, True):
                for docnum, value in zip(ids, values):
                    if deleted and docnum in deleted:
                        continue
                    doc = docnum + offset
                    matched.append(doc)
                    first[doc], second[doc] = unpack(value)
        if not matched:
            return {}
        scores_a = self._score_docs(fieldname, field, btexts[0], first, matched)
        scores_b = self._score_docs(fieldname, field, btexts[1], second, matched)
        return {doc: scores_a[doc] + scores_b[doc] for doc in matched}

    def _pair_docs(self, pairname: str, pair: bytes) -> set[int]:
        """The live documents with an indexed pair."""
        docs: set[int] = set()
        for leaf, offset, deleted in self._leaves:
            if (pairname, pair) not in leaf:
                continue
            for ids, _, _ in posting_blocks(leaf, pairname, pair):
                if offset:
                    ids = map(offset.__add__, ids)
                docs.update(ids)
            if deleted:
                docs.difference_update(doc + offset for doc in deleted)
        return docs

    def _postings(self, fieldname: str, btext: bytes, within=None
                  ) -> tuple[dict[int, bytes], dict[int, float]]:
        """A term's encoded positions and weights by live document (only those in `within`
        when given: the posting blocks that cannot hold one are not read)."""
        positions: dict[int, bytes] = {}
        weights: dict[int, float] = {}
        ordered = sorted(within) if within is not None else None
        for leaf, offset, deleted in self._leaves:
            if (fieldname, btext) not in leaf:
                continue
            wanted = _leaf_wanted(ordered, leaf, offset) if ordered is not None else None
            if wanted == []:
                continue
            for ids, found, values in posting_blocks(leaf, fieldname, btext, True, wanted):
                if offset:
                    ids = list(map(offset.__add__, ids))
                if within is not None or deleted:
                    chosen = list(map(within.__contains__, ids)) if within is not None \
                        else [True] * len(ids)
                    if deleted:
                        chosen = [keep and doc - offset not in deleted
                                  for keep, doc in zip(chosen, ids)]
                    positions.update(zip(compress(ids, chosen), compress(values, chosen)))
                    weights.update(zip(compress(ids, chosen), compress(found, chosen)))
                else:
                    positions.update(zip(ids, values))
                    weights.update(zip(ids, found))
        return positions, weights

    def _score_docs(self, fieldname: str, field, btext: bytes, weights: dict[int, float],
                    docs: list[int]) -> dict[int, float]:
        """The term's scores in `docs` from its weights there: _score_term's formula."""
        if not field.scorable:
            return {doc: weights[doc] for doc in docs}
        idf = self.searcher.idf(fieldname, btext)
        k1p1 = self._k1 + 1
        found: dict[int, float] = {}
        for number, (leaf, offset, _) in enumerate(self._leaves):
            end = offset + leaf.doc_count_all()
            mine = [doc for doc in docs if offset <= doc < end] if len(self._leaves) > 1 else docs
            if not mine:
                continue
            norms = self._norms_of(number, leaf, fieldname)
            for doc in mine:
                weight = weights[doc]
                found[doc] = idf * ((weight * k1p1) / (weight + norms[doc - offset]))
        return found


def _leaf_wanted(ordered: list[int], leaf, offset: int) -> list[int]:
    """The leaf's own document numbers of the (sorted, top-level) document numbers given."""
    wanted = ordered[bisect_left(ordered, offset):
                     bisect_left(ordered, offset + leaf.doc_count_all())]
    return [doc - offset for doc in wanted] if offset else wanted


def _union(a: dict[int, float], b: dict[int, float]) -> dict[int, float]:
    """Documents in either, their scores added (Whoosh's UnionMatcher: a's score + b's)."""
    if len(a) < len(b):
        merged = dict(b)
        for doc, score in a.items():
            other = merged.get(doc)
            merged[doc] = score if other is None else score + other
    else:
        merged = dict(a)
        for doc, score in b.items():
            mine = merged.get(doc)
            merged[doc] = score if mine is None else mine + score
    return merged


def _intersection(a: dict[int, float], b: dict[int, float]) -> dict[int, float]:
    if len(b) < len(a):
        return {doc: a[doc] + score for doc, score in b.items() if doc in a}
    return {doc: score + b[doc] for doc, score in a.items() if doc in b}


def _tree(items, value, combine):
    """Combine the values of `items` in the shape of Whoosh's make_binary_tree, so that float
    sums come out in the same order as Whoosh's."""
    if len(items) == 1:
        return value(items[0])
    half = len(items) // 2
    return combine(_tree(items[:half], value, combine), _tree(items[half:], value, combine))


def _tree_sum(scores: list[float]) -> float:
    if len(scores) == 2:
        return scores[0] + scores[1]
    if len(scores) == 1:
        return scores[0]
    half = len(scores) // 2
    return _tree_sum(scores[:half]) + _tree_sum(scores[half:])
