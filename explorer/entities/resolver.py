"""The fuzzy pass: a name that is not written exactly as in the gazetteer ("Alexander Wang",
"Open AI", "Wang Alexandr") scored with rapidfuzz against the few entities that share a word
with it, so that it stays fast with thousands of entities."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz

from explorer.entities.gazetteer import DERIVED, CONFIG, Gazetteer
from explorer.entities.matching import MatchingOptions
from explorer.entities.tokens import (
    STOPWORDS, SUFFIXES, bare, name_keys, plain, strip_suffixes,
)


@dataclass(frozen=True)
class Scored:
    entity: int | None       # entity id; None when ambiguous
    score: float
    alias: str               # the gazetteer name the text is closest to
    candidates: tuple[int, ...] = ()   # when ambiguous: the entities within the margin


class FuzzyIndex:
    def __init__(self, gazetteer: Gazetteer, options: MatchingOptions):
        self.options = options
        self.plains: list[str] = []         # one per variant: 'alexandr wang'
        self.compacts: list[str] = []       # 'alexandrwang'
        self.owner: list[int] = []          # entity id of each variant
        self.alias: list[str] = []
        self.priority: list[int] = []
        postings: dict[str, set[int]] = defaultdict(set)
        # 'openai' -> {entity id: (priority, alias)}: "Open AI" and "OpenAI" are one name.
        self.compact_index: dict[str, dict[int, tuple[int, str]]] = defaultdict(dict)
        self.acronyms: dict[str, set[int]] = defaultdict(set)
        for eid, entity in enumerate(gazetteer.entities):
            derived = DERIVED if entity.priority <= CONFIG else entity.priority
            for name in entity.names():
                keys = name_keys(name)[0]
                if keys and keys[0] == "the" and len(keys) > 1:
                    keys = keys[1:]
                for variant, priority in ((keys, entity.priority),
                                          (strip_suffixes(keys), derived)):
                    text = plain(variant)
                    if not text:
                        continue
                    vid = len(self.plains)
                    self.plains.append(text)
                    self.compacts.append(text.replace(" ", ""))
                    self.owner.append(eid)
                    self.alias.append(name)
                    self.priority.append(priority)
                    for token in text.split():
                        if token not in STOPWORDS and token not in SUFFIXES:
                            postings[token].add(vid)
                    old = self.compact_index[self.compacts[vid]].get(eid)
                    if old is None or priority < old[0]:
                        self.compact_index[self.compacts[vid]][eid] = (priority, name)
                acronym = _acronym(strip_suffixes(keys))
                if acronym:
                    self.acronyms[acronym].add(eid)
        # A word shared by many entities ("american", "bank") does not select candidates alone.
        limit = options.prefilter_max_entities
        self.postings = {t: sorted(v) for t, v in postings.items()
                         if len({self.owner[x] for x in v}) <= limit}

    def candidates(self, tokens: list[str]) -> set[int]:
        found: set[int] = set()
        for token in tokens:
            hits = self.postings.get(token)
            if hits:
                found.update(hits)
        return found

    def best(self, keys: tuple[str, ...]) -> Scored | None:
        """The entity a name most likely is, or None; `Scored.entity` None when ambiguous."""
        keys = strip_suffixes(keys)
        text = plain(keys)
        if not text:
            return None
        compact = text.replace(" ", "")
        scores: dict[int, tuple[float, int, str]] = {}     # entity -> (score, -priority, alias)
        exact = self.compact_index.get(compact)
        if exact:
            for eid, (priority, alias) in exact.items():
                scores[eid] = (100.0, -priority, alias)
        else:
            for vid in self.candidates(text.split()):
                score = max(fuzz.ratio(text, self.plains[vid]),
                            fuzz.token_sort_ratio(text, self.plains[vid]),
                            fuzz.ratio(compact, self.compacts[vid]))
                eid = self.owner[vid]
                entry = (score, -self.priority[vid], self.alias[vid])
                if eid not in scores or entry > scores[eid]:
                    scores[eid] = entry
        if not scores:
            return None
        ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
        top_eid, (top, top_priority, alias) = ranked[0]
        if top < self.options.fuzzy_threshold:
            return None
        close = [eid for eid, (s, p, _) in ranked
                 if top - s <= self.options.ambiguity_margin and p == top_priority]
        if len(close) > 1:
            return Scored(None, top, alias, tuple(close))
        return Scored(top_eid, top, alias)

    def acronym(self, word: str) -> set[int]:
        if not self.options.acronyms:
            return set()
        return self.acronyms.get(word.casefold(), set())


def _acronym(keys: tuple[str, ...]) -> str | None:
    """'International Business Machines' -> 'ibm' (three or more significant words)."""
    significant = [bare(k) for k in keys if bare(k) and bare(k) not in STOPWORDS]
    if len(significant) < 3 or not all(s[0].isalpha() for s in significant):
        return None
    return "".join(s[0] for s in significant)
