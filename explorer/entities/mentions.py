"""Mention and EntityCount records, and the compact form mentions are stored in the index."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import repeat
from typing import NamedTuple

# Stored by position in this tuple: add new methods at the end.
METHODS = ("exact", "fuzzy", "short-name", "ambiguous", "unlinked", "settled")
_METHOD_NUMBERS = {method: number for number, method in enumerate(METHODS)}


class Mention(NamedTuple):
    """One mention. A named tuple, not a frozen dataclass: a frozen dataclass sets each field
    through object.__setattr__ (about 4 us a mention against 1 us), and tagging Reuters makes
    160,000 of them."""

    start: int                 # character offsets into the text (the article body)
    end: int
    text: str
    entity: str | None         # canonical name; None when unlinked or ambiguous
    type: str                  # person, organization, product, place, other
    score: float
    method: str                # exact, fuzzy, short-name, ambiguous, unlinked, settled
    candidates: tuple[str, ...] = ()   # the entities an ambiguous mention could be

    def to_dict(self) -> dict:
        data = {"start": self.start, "end": self.end, "text": self.text, "entity": self.entity,
                "type": self.type, "score": round(self.score, 1), "method": self.method}
        if self.candidates:
            data["candidates"] = list(self.candidates)
        return data

    def pack(self) -> tuple:
        return (self.start, self.end, self.entity, self.type, METHODS.index(self.method),
                round(self.score, 1), self.candidates)

    @classmethod
    def unpack(cls, packed, body: str) -> "Mention":
        start, end, entity, kind, method, score, candidates = packed
        return cls(start, end, body[start:end], entity, kind, score, METHODS[method],
                   tuple(candidates))


def pack_all(mentions: list[Mention]) -> list[tuple]:
    """[m.pack() for m in mentions], built column by column by C functions (zip, map): an
    article has a few dozen mentions, and a Python call per mention was a tenth of what
    tagging costs at index time."""
    if not mentions:
        return []
    start, end, _, entity, kind, score, method, candidates = zip(*mentions)
    return list(zip(start, end, entity, kind, map(_METHOD_NUMBERS.__getitem__, method),
                    map(round, score, repeat(1)), candidates))


@dataclass(frozen=True)
class EntityCount:
    name: str
    type: str
    articles: int
    mentions: int

    def to_dict(self) -> dict:
        return {"name": self.name, "type": self.type, "articles": self.articles,
                "mentions": self.mentions}
