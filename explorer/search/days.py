"""Date filters without Whoosh: the index's `day` column, sorted, answers a range by bisection.

Whoosh answers `day:[a TO b]` by OR-ing one posting list per trie term and scoring every match:
a month of Reuters took longer than any word query. A searcher's day column, read once and
sorted, gives the articles of any range (newest first) in microseconds, and the set of them to
filter a word query with.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from heapq import nlargest
from typing import Iterator

from whoosh import query as wq

from explorer.index.schema import UNDATED

FIELD = "day"
TIME = "time"     # seconds: the order within a day


class DayIndex:
    """(day, docnum) of every dated document of one searcher, in order of day and time of
    day (so the newest of a range come first to the second, not just to the day)."""

    def __init__(self, searcher, times: list[int] | None = None):
        """`times`: the searcher's document_times, when already read."""
        reader = searcher.reader()
        days = list(reader.column_reader(FIELD))
        times = document_times(searcher) if times is None else times
        pairs = sorted((day, times[docnum], docnum)
                       for docnum, day in enumerate(days) if day != UNDATED)
        self.days = [day for day, _, _ in pairs]
        self.docnums = [docnum for _, _, docnum in pairs]
        self._reader = reader

    def span(self, q: wq.NumericRange) -> tuple[int, int]:
        """The slice of `docnums` a day range covers."""
        low, high = q.start, q.end
        start = 0 if low is None else (bisect_right if q.startexcl else bisect_left)(self.days, low)
        end = len(self.days) if high is None else (
            bisect_left if q.endexcl else bisect_right)(self.days, high)
        return start, max(start, end)

    def docs(self, ranges: list[wq.NumericRange]) -> set[int]:
        """Document numbers within every one of the ranges."""
        found: set[int] | None = None
        for q in ranges:
            start, end = self.span(q)
            docs = set(self.docnums[start:end])
            found = docs if found is None else found & docs
        return found or set()

    def newest(self, ranges: list[wq.NumericRange], limit: int | None) -> tuple[list[int], int]:
        """The newest `limit` live documents within the ranges (all when None), and how many
        there are."""
        if len(ranges) == 1:
            start, end = self.span(ranges[0])
            candidates: Iterator[int] = (self.docnums[i] for i in range(end - 1, start - 1, -1))
            total = end - start
        else:
            inside = self.docs(ranges)
            candidates = (d for d in reversed(self.docnums) if d in inside)
            total = len(inside)
        reader = self._reader
        if reader.has_deletions():
            candidates = (d for d in candidates if not reader.is_deleted(d))
            total = sum(1 for d in (self.docs(ranges)) if not reader.is_deleted(d))
        picked = []
        for docnum in candidates:
            if limit is not None and len(picked) >= limit:
                break
            picked.append(docnum)
        return picked, total


def split_day_ranges(q: wq.Query) -> tuple[wq.Query | None, list[wq.NumericRange]]:
    """A query as (the rest, the day ranges ANDed with it at the top); rest None: dates only."""
    if _is_day_range(q):
        return None, [q]
    if isinstance(q, wq.And):
        ranges = [sub for sub in q.subqueries if _is_day_range(sub)]
        if ranges:
            rest = [sub for sub in q.subqueries if not _is_day_range(sub)]
            if not rest:
                return None, ranges
            return (rest[0] if len(rest) == 1 else wq.And(rest)), ranges
    return q, []


def _is_day_range(q: wq.Query) -> bool:
    return isinstance(q, wq.NumericRange) and q.fieldname == FIELD


def document_times(searcher) -> list[int]:
    """Every document's `time` by document number (0 when the index has no such column)."""
    reader = searcher.reader()
    if reader.has_column(TIME):
        return list(reader.column_reader(TIME))
    return [0] * reader.doc_count_all()


def newest_of(times: list[int], docs, limit: int | None) -> list[int]:
    """`docs` newest first by `time` (document_times), as Whoosh sorts by that column in
    reverse: a tie (the same second, or undated) goes to the higher document number first."""
    key = lambda docnum: (times[docnum], docnum)  # noqa: E731
    if limit is not None and limit < len(docs):
        return nlargest(limit, docs, key=key)
    return sorted(docs, key=key, reverse=True)
