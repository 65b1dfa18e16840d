"""Counting over sets of articles: who appears with whom (co-mentions), and when (timelines).

Both read what was stored at index time, never the article text: the `entity` field's postings
(every entity an article mentions, lowercased) and the `day` column. A searcher's table of both
is built once (a pass over the entity field's posting lists) and answers any set of articles by
counting, so a view costs the size of its set, not of the index.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from explorer.index.schema import UNDATED

ENTITY_FIELD = "entity"
DAY_FIELD = "day"
BY = ("day", "week", "month")


@dataclass(frozen=True)
class CoMention:
    """An entity met in the same articles as the subject."""

    name: str
    type: str
    shared: int          # articles of the set that mention it
    articles: int        # articles of the whole index that mention it
    lift: float          # shared / expected by chance: (shared / set size) / (articles / all)

    def to_dict(self) -> dict:
        return {"name": self.name, "type": self.type, "shared": self.shared,
                "articles": self.articles, "lift": round(self.lift, 3)}


@dataclass(frozen=True)
class CoMentions:
    subject: str                  # the entity, or the query, whose articles were counted
    articles: int                 # the size of that set
    total: int                    # live articles in the index
    rows: tuple[CoMention, ...]   # most shared first (then highest lift, then name)

    def to_dict(self) -> dict:
        return {"subject": self.subject, "articles": self.articles, "total": self.total,
                "measure": "lift = (shared / articles) / (entity's articles / total)",
                "entities": [row.to_dict() for row in self.rows]}


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date          # the last day of the period (inclusive)
    count: int

    @property
    def label(self) -> str:
        return self.start.isoformat()

    def query(self) -> str:
        """The date clause that narrows a search to this period."""
        return f"date:[{self.start.isoformat()} to {self.end.isoformat()}]"

    def to_dict(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(),
                "count": self.count}


@dataclass(frozen=True)
class Timeline:
    subject: str
    by: str
    periods: tuple[Period, ...]            # every period from the first to the last, zeros too
    undated: int                           # articles of the set with no date: counted apart
    busiest: tuple[Period, ...] = field(default=())

    @property
    def dated(self) -> int:
        return sum(period.count for period in self.periods)

    def to_dict(self) -> dict:
        return {"subject": self.subject, "by": self.by, "dated": self.dated,
                "undated": self.undated, "periods": [p.to_dict() for p in self.periods],
                "busiest": [p.to_dict() for p in self.busiest]}


class ArticleTable:
    """The entities and the day of every live article of one searcher."""

    def __init__(self, searcher, names: dict[str, str] | None = None):
        reader = searcher.reader()
        canonical = names or {}
        self.entities: dict[int, list[str]] = {}
        self.articles_of: dict[str, list[int]] = {}
        if ENTITY_FIELD in reader.schema and reader.doc_count():
            for term in reader.lexicon(ENTITY_FIELD):
                text = term.decode("utf-8") if isinstance(term, bytes) else term
                name = canonical.get(text, text)
                docs = list(reader.postings(ENTITY_FIELD, term).all_ids())   # live ones only
                if not docs:
                    continue
                self.articles_of[name] = docs
                for docnum in docs:
                    self.entities.setdefault(docnum, []).append(name)
        self.live = [docnum for docnum in range(reader.doc_count_all())
                     if not reader.is_deleted(docnum)]
        days = reader.column_reader(DAY_FIELD) if DAY_FIELD in reader.schema else None
        self.day = {docnum: days[docnum] for docnum in self.live} if days is not None else {}

    def co_mentions(self, docs: Iterable[int], subject: str, types: dict[str, str],
                    exclude: str | None = None) -> CoMentions:
        docs = list(docs)
        counts: Counter[str] = Counter()
        for docnum in docs:
            counts.update(self.entities.get(docnum, ()))
        total = len(self.live)
        rows = []
        for name, shared in counts.items():
            if name == exclude:
                continue
            articles = len(self.articles_of.get(name, ())) or shared
            lift = (shared / len(docs)) / (articles / total) if docs and total else 0.0
            rows.append(CoMention(name, types.get(name, "other"), shared, articles, lift))
        rows.sort(key=lambda row: (-row.shared, -row.lift, row.name.casefold()))
        return CoMentions(subject, len(docs), total, tuple(rows))

    def timeline(self, docs: Iterable[int], subject: str, by: str = "month",
                 busiest: int = 3) -> Timeline:
        if by not in BY:
            raise ValueError(f"by must be one of {', '.join(BY)}")
        counts: Counter[dt.date] = Counter()
        undated = 0
        for docnum in docs:
            day = self.day.get(docnum, UNDATED)
            if day == UNDATED:
                undated += 1
            else:
                counts[period_start(dt.date.fromordinal(day), by)] += 1
        periods: list[Period] = []
        if counts:
            start, last = min(counts), max(counts)
            while start <= last:
                following = next_period(start, by)
                periods.append(Period(start, following - dt.timedelta(days=1), counts[start]))
                start = following
        top = sorted((p for p in periods if p.count), key=lambda p: (-p.count, p.start))
        return Timeline(subject, by, tuple(periods), undated, tuple(top[:busiest]))


def period_start(day: dt.date, by: str) -> dt.date:
    if by == "week":                      # ISO weeks: Monday to Sunday
        return day - dt.timedelta(days=day.weekday())
    if by == "month":
        return day.replace(day=1)
    return day


def next_period(start: dt.date, by: str) -> dt.date:
    if by == "week":
        return start + dt.timedelta(days=7)
    if by == "month":
        return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start + dt.timedelta(days=1)


def sparkline(counts: list[int]) -> str:
    """The counts as one line of block characters (the highest a full block)."""
    blocks = " ▁▂▃▄▅▆▇█"
    top = max(counts, default=0)
    if not top:
        return " " * len(counts)
    return "".join(blocks[0 if not n else max(1, round(n * 8 / top))] for n in counts)
