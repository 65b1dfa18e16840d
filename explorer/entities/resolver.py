"""The fuzzy pass: a name that is not written exactly as in the gazetteer ("Alexander Wang",
"Open AI", "Wang Alexandr") scored with rapidfuzz against the few entities that share a word
with it, so that it stays fast with thousands of entities."""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

from rapidfuzz import fuzz, process

from explorer.entities.gazetteer import CONFIG, DERIVED, TABLE, Gazetteer, useful_alias
from explorer.entities.matching import MatchingOptions
from explorer.entities.tokens import (
    STOPWORDS, SUFFIXES, bare, name_keys, plain, strip_suffixes,
)


_MISSING = object()


class Scored(NamedTuple):
    """How a span links (a named tuple: the tagger makes one per exact match, and a frozen
    dataclass costs a few us to make)."""

    entity: int | None       # entity id; None when ambiguous
    score: float
    alias: str               # the gazetteer name the text is closest to
    candidates: tuple[int, ...] = ()   # when ambiguous: the entities within the margin


class FuzzyIndex:
    def __init__(self, gazetteer: Gazetteer, options: MatchingOptions):
        self.options = options
        self.plains: list[str] = []         # one per variant: 'alexandr wang'
        self.sorted_plains: list[str] = []  # its words sorted: 'alexandr wang', 'ai open'
        self.compacts: list[str] = []       # 'alexandrwang'
        self.owner: list[int] = []          # entity id of each variant
        self.alias: list[str] = []
        self.priority: list[int] = []
        postings: dict[str, set[int]] = defaultdict(set)
        # 'openai' -> {entity id: (priority, alias)}: "Open AI" and "OpenAI" are one name.
        self.compact_index: dict[str, dict[int, tuple[int, str]]] = defaultdict(dict)
        self.acronyms: dict[str, set[int]] = defaultdict(set)
        # Words of names that are not from a harvested table: only those can link a part of a
        # longer capitalised run (a table name must be the whole run).
        self.curated_tokens: set[str] = set()
        for eid, entity in enumerate(gazetteer.entities):
            derived = DERIVED if entity.priority <= CONFIG else entity.priority
            seen: set[str] = set()          # one variant per spelling ("ALCOA", "Alcoa")
            for name in entity.names():
                if entity.priority >= TABLE and (not useful_alias(name) or (
                        entity.quiet and name == entity.name)):
                    continue
                keys = name_keys(name)[0]
                if keys and keys[0] == "the" and len(keys) > 1:
                    keys = keys[1:]
                for variant, priority in ((keys, entity.priority),
                                          (strip_suffixes(keys), derived)):
                    text = plain(variant)
                    if priority >= TABLE and variant != keys and not useful_alias(text):
                        continue
                    if text in seen or len(text.replace(" ", "")) < 4 or all(
                            t in STOPWORDS or t in SUFFIXES for t in text.split()):
                        continue
                    seen.add(text)
                    vid = len(self.plains)
                    self.plains.append(text)
                    self.sorted_plains.append(_sorted_words(text))
                    self.compacts.append(text.replace(" ", ""))
                    self.owner.append(eid)
                    self.alias.append(name)
                    self.priority.append(priority)
                    for token in text.split():
                        if token not in STOPWORDS and token not in SUFFIXES:
                            postings[token].add(vid)
                            if priority < TABLE:
                                self.curated_tokens.add(token)
                    old = self.compact_index[self.compacts[vid]].get(eid)
                    if old is None or priority < old[0]:
                        self.compact_index[self.compacts[vid]][eid] = (priority, name)
                acronym = acronym_of(strip_suffixes(keys))
                if acronym:
                    self.acronyms[acronym].add(eid)
        # A word shared by many entities ("american", "bank") does not select candidates alone.
        limit = options.prefilter_max_entities
        self.postings = {t: sorted(v) for t, v in postings.items()
                         if len({self.owner[x] for x in v}) <= limit}
        self._cache: dict[tuple[str, ...], Scored | None] = {}

    def best(self, keys: tuple[str, ...]) -> Scored | None:
        """The entity a name most likely is, or None; `Scored.entity` None when ambiguous.
        Names repeat across articles, so answers are remembered."""
        if len(keys) == 1 and not self._may_match(keys[0]):
            return None
        keys = strip_suffixes(keys)
        found = self._cache.get(keys, _MISSING)
        if found is _MISSING:
            if len(self._cache) > 100_000:
                self._cache.clear()
            found = self._cache[keys] = self._best(keys)
        return found

    def _may_match(self, key: str) -> bool:
        """Whether one word can link at all: what `_best` would find out the long way (it is
        a name's whole compact form, or it has candidates), for the single capitalised words
        that make up most of what the fuzzy pass is asked about."""
        word = plain((key,))
        return len(word) >= 4 and (word in self.compact_index or word in self.postings)

    def _best(self, keys: tuple[str, ...]) -> Scored | None:
        text = plain(keys)
        if not text:
            return None
        compact = text.replace(" ", "")
        if len(compact) < 4:          # "U.S" is not "US Inc": short names link exactly or not
            return None
        scores: dict[int, tuple[float, int, str]] = {}     # entity -> (score, -priority, alias)
        exact = self.compact_index.get(compact)
        if exact:
            for eid, (priority, alias) in exact.items():
                scores[eid] = (100.0, -priority, alias)
        else:
            hits = [h for h in map(self.postings.get, text.split()) if h]
            if not hits:
                return None
            # One word's postings are sorted already; several are merged (sorted, once each).
            vids = hits[0] if len(hits) == 1 else sorted(set().union(*hits))
            # Only scores that can matter: at the threshold, or within the margin below it.
            cutoff = self.options.fuzzy_threshold - self.options.ambiguity_margin
            # token_sort_ratio: word order does not matter; spacing differences ("Chat GPT
            # maker") cost little, and "Open AI" = "OpenAI" was settled above. It is the ratio
            # of the words sorted, and the names' words are sorted once, here.
            choices = list(map(self.sorted_plains.__getitem__, vids))
            for _, score, k in process.extract(_sorted_words(text), choices, scorer=fuzz.ratio,
                                               limit=None, score_cutoff=cutoff):
                vid = vids[k]
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


def _sorted_words(text: str) -> str:
    """The words sorted, as rapidfuzz's token_sort_ratio compares them."""
    return " ".join(sorted(text.split()))


def acronym_of(keys: tuple[str, ...]) -> str | None:
    """'International Business Machines' -> 'ibm' (three or more significant words)."""
    significant = [bare(k) for k in keys if bare(k) and bare(k) not in STOPWORDS]
    if len(significant) < 3 or not all(s[0].isalpha() for s in significant):
        return None
    return "".join(s[0] for s in significant)
