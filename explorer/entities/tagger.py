"""Finding mentions in a text: the exact pass, then rapidfuzz on the capitalised names and
descriptive phrases left over, then short names ("Friar" after "Sarah Friar"), then whatever
proper names are still left, kept as "unlinked" so a user can make entities of them."""

from __future__ import annotations

import re
from collections import Counter
from itertools import compress
from operator import itemgetter

from explorer.entities.candidates import PURE_TITLES, candidate_spans
from explorer.entities.document import DocumentLinker, uncovered as _uncovered, word_after
from explorer.entities.gazetteer import DERIVED, EPITHET_HEADS, TABLE, Gazetteer
from explorer.entities.names import AFTER_NAME, FUNCTION_WORDS, ROLES, is_common_word
from explorer.entities.matching import MatchingOptions
from explorer.entities.mentions import Mention
from explorer.entities.resolver import FuzzyIndex, Scored
from explorer.entities.scanner import Scanner
from explorer.entities.wordlists import CONNECTORS, NOT_NAMES
from explorer.entities.tokens import (
    ABBREVIATIONS, KEPT_JOINERS, STOPWORDS, SUFFIXES, Words, name_keys, Regions,
    strip_suffixes, words,
)

_MISSING = object()
_START = itemgetter(0)      # a Mention's start...
_ENTITY = itemgetter(3)     # ...and its entity
_new = tuple.__new__


class Tagger:
    def __init__(self, gazetteer: Gazetteer, options: MatchingOptions):
        self.gazetteer = gazetteer
        self.options = options
        self.names = [e.name for e in gazetteer.entities]
        self.types = [e.type for e in gazetteer.entities]
        self.priorities = [e.priority for e in gazetteer.entities]
        self.scanner = Scanner(gazetteer)
        self.fuzzy = FuzzyIndex(gazetteer, options)
        self.linker = DocumentLinker(gazetteer, options.short_name_score)
        self._weights = [e.weight for e in gazetteer.entities]
        self._stripped_names = [strip_suffixes(tuple(
            k for k in name_keys(e.name)[0] if k != "the")) for e in gazetteer.entities]
        # One-word names that are also common words ("Apple", "Shell"): they need context.
        self._weak = {eid for eid, e in enumerate(gazetteer.entities)
                      if len(name_keys(e.name)[0]) == 1 and is_common_word(name_keys(e.name)[0][0])}
        self.regions = Regions((self.scanner.triggers - STOPWORDS) | EPITHET_HEADS,
                               self.scanner.continuations | CONNECTORS | EPITHET_HEADS)
        self._spans: dict = {}          # a candidate's keys -> its best span (or None)
        self._spans_moved: dict = {}    # the same for "maker of X", as "X maker"

    # -- the passes ----------------------------------------------------------------------------
    def tag(self, text: str) -> list[Mention]:
        w = words(text, self.regions)
        n = len(w.folded)      # (Words.__len__ is a Python call: hot code asks the list)
        covered = [False] * n
        if n and _sign_off(w, n - 1, n):
            covered[-1] = True            # "REUTER" alone on the last line
        found: list[tuple[int, int, Scored, str]] = []     # (first, last, scored, method)

        def claim(first: int, last: int, scored: Scored, method: str) -> None:
            found.append((first, last, scored, method))
            for k in range(first, last):
                covered[k] = True

        part_of_longer: set[tuple[str, ...]] = set()
        weak: list = []
        for m in self.scanner.scan(w, skip=covered):
            if m.priority >= TABLE:
                keys = tuple(w.folded[m.first:m.last])
                where = self._inside_longer_name(w, m.first, m.last, True)
                if where == "before":
                    part_of_longer.add(keys)    # "Baker" of "James Baker": later "Baker" too
                if where:
                    continue                    # "Federal" of "Federal Reserve" is no company
                if keys in part_of_longer or (
                        m.last - m.first == 1 and _written_lowercase(text, keys[0])):
                    continue                    # "Board" where the text also says "the board"
                if m.last - m.first == 1 and _alone_on_line(w, m.first):
                    continue                    # a sign-off line ("REUTER") mid-text
            elif m.first and w.folded[m.first - 1] in PURE_TITLES and w.caps[m.first - 1] and \
                    all(self.types[e] != "person" for e in m.entities):
                continue        # "Mr Brown" is no company: the document pass reads it
            elif m.last - m.first == 1 and self._in_unknown_name(w, m.first, m.last, m.entities):
                continue        # "Paris Club", "the Big Apple": the longer name is unknown
            if len(m.entities) > 1:
                m = m._replace(entities=self.settle_exact(
                    m.entities, tuple(w.folded[m.first:m.last]), m.priority))
            if m.last - m.first == 1 and m.priority >= DERIVED and \
                    self.linker.is_surname(w.folded[m.first]):
                continue        # "Brown" of Brown Group, and Gordon Brown's: the next pass
            if len(m.entities) == 1:
                if m.entities[0] in self._weak or (
                        m.last - m.first == 1 and is_common_word(w.folded[m.first])):
                    weak.append(m)              # "Apple pie"? settled below
                    for k in range(m.first, m.last):
                        covered[k] = True
                    continue
                claim(m.first, m.last, Scored(m.entities[0], 100.0, m.alias), "exact")
            else:
                claim(m.first, m.last, Scored(None, 100.0, m.alias, m.entities), "ambiguous")
        runs = self._runs(w, covered)         # none of their words is claimed yet
        exact = len(found)
        self._fuzzy_pass(w, covered, runs, claim)
        if weak:
            self._weak_names(w, weak, found)
        if self.options.short_names:
            self.linker.link(w, covered, found, runs, claim)
            self._settle(found)
        mentions = [self._mention(w, first, last, scored, method)
                    for first, last, scored, method in found]
        if self.options.unlinked:
            mentions += self._unlinked(w, covered, runs, split=len(found) > exact)
        mentions.sort(key=_START)
        return mentions

    def _inside_longer_name(self, w: Words, first: int, last: int, strict: bool = False
                            ) -> str | None:
        """Whether words first..last sit in a longer capitalised name: "after" when a
        capitalised word follows them, "before" when one comes before them (unless that one is
        capitalised only as a sentence's first word; `strict`: only "The", "In" and the like
        are let off); None when they stand alone. Titles ("Chief"), months and corporate
        suffixes do not count."""
        caps, folded, joiners = w.caps, w.folded, w.joiners
        n = len(folded)
        if last < n and joiners[last] == "" and caps[last] and \
                folded[last] not in NOT_NAMES and folded[last] not in SUFFIXES:
            return "after"
        if strict and last + 1 < n and folded[last] in CONNECTORS and joiners[last] == "" \
                and joiners[last + 1] == "" and caps[last + 1] \
                and folded[last + 1] not in self.scanner.trie:
            return "after"    # "Standard" of "Standard and Poor's" (but "Chrysler and Ford")
        if strict and first >= 2 and folded[first - 1] in CONNECTORS - {"and", "&"} and \
                joiners[first] == "" and joiners[first - 1] == "" and caps[first - 2]:
            return "before"   # "Commerce" of "Department of Commerce"
        if first == 0 or not caps[first - 1] or folded[first - 1] in NOT_NAMES:
            return None
        joined = joiners[first] == "" or (joiners[first] == "." and len(folded[first - 1]) == 1)
        if joined and (strict or not self._sentence_start(w, first - 1)):
            return "before"
        return None

    def _in_unknown_name(self, w: Words, first: int, last: int, entities) -> bool:
        """A one-word name that is a word of a longer capitalised name ("Paris Club",
        "University of Rome"), or a place that stands for a team or an organisation ("Boston
        manager"): not that entity."""
        if self._inside_longer_name(w, first, last):
            return True
        folded, caps, joiners = w.folded, w.caps, w.joiners
        n = len(folded)
        if last + 1 < n and folded[last] in _OF and joiners[last] == "" and caps[last + 1] \
                and joiners[last + 1] == "":
            return True
        if first >= 2 and folded[first - 1] in _OF and joiners[first] == "" and \
                joiners[first - 1] == "" and caps[first - 2] and \
                folded[first - 2] not in NOT_NAMES:
            return True
        if last < n and joiners[last] == "" and not caps[last] and folded[last] in ROLES \
                and all(self.types[e] == "place" for e in entities):
            return True
        return False

    def _mention(self, w: Words, first: int, last: int, scored: Scored, method: str) -> Mention:
        start, end = w.starts[first], w.ends[last - 1]
        if scored.entity is None:
            kinds = {self.types[e] for e in scored.candidates}
            return Mention(start, end, w.text[start:end], None,
                           kinds.pop() if len(kinds) == 1 else "other", scored.score,
                           "ambiguous", tuple(sorted(self.names[e] for e in scored.candidates)))
        return Mention(start, end, w.text[start:end], self.names[scored.entity],
                       self.types[scored.entity], scored.score, method)

    # -- fuzzy candidates ----------------------------------------------------------------------
    def _runs(self, w: Words, covered: list[bool]) -> list[tuple[int, int]]:
        """Capitalised word sequences (with connectors inside) not already claimed."""
        runs: list[tuple[int, int]] = []
        caps, folded, joiners = w.caps, w.folded, w.joiners
        n = len(folded)
        resume = 0
        for i in compress(range(n), caps):
            if i < resume or covered[i]:
                continue
            j = i + 1
            while j < n and not covered[j] and joiners[j] is not None:
                if joiners[j] in _DOTTED and len(folded[j - 1]) > 1 and \
                        folded[j - 1] not in ABBREVIATIONS:
                    break                     # "London. The": a sentence ends there
                if caps[j]:
                    j += 1
                elif folded[j] in CONNECTORS and j + 1 < n and caps[j + 1] \
                        and not covered[j + 1] and joiners[j + 1] is not None:
                    j += 2
                else:
                    break
            runs.append((i, j))
            resume = j
        return runs

    def _fuzzy_pass(self, w: Words, covered: list[bool], runs: list[tuple[int, int]],
                    claim) -> None:
        """Each run as a fuzzy candidate, claimed when it (or a part of it) links. A run next
        to an epithet head ("Chat GPT maker", "maker of Chat GPT") takes the head along,
        written as "X maker". One loop, the remembered answers looked up in it: nearly every
        candidate was seen before (and links to nothing), so the loop is most of the cost."""
        folded, joiners, surface = w.folded, w.joiners, w.surface
        n = len(folded)
        spans, moved = self._spans, self._spans_moved
        for i, j in runs:
            while j - i > 1 and folded[i] in NOT_NAMES:     # "A Citibank", "The Fed"
                i += 1
            if j == i + 1 and folded[i] in NOT_NAMES:     # "The", "He", "In", "June" ...
                continue
            if i and folded[i - 1] in PURE_TITLES and w.caps[i - 1]:
                continue            # "Mr Brown", "President Obama": the document pass's
            if j == i + 1 and (is_common_word(folded[i]) or self.linker.is_surname(folded[i])):
                continue            # "Brown": an ordinary word, or someone's surname
            if j - i >= 4 and all(map(str.isupper, surface[i:j])):
                continue                                 # a headline or table row in capitals
            if j < n and not covered[j] and folded[j] in EPITHET_HEADS and joiners[j] == "":
                j += 1                                   # "Chat GPT maker"
            else:
                k = i - 2 if i >= 2 and folded[i - 1] == "of" else (
                    i - 3 if i >= 3 and folded[i - 1] == "the" and folded[i - 2] == "of"
                    else None)
                if k is not None and folded[k] in EPITHET_HEADS and not covered[k] \
                        and all(joiners[x] == "" for x in range(k + 1, i + 1)):
                    # "maker of Chat GPT", looked up as "chat gpt maker": the whole of it
                    keys = (*folded[i:j], folded[k])
                    span = moved.get(keys, _MISSING)
                    if span is _MISSING:
                        if len(moved) > 100_000:
                            moved.clear()
                        span = moved[keys] = self._best_span(keys, 1)
                    if span is not None:
                        scored = span[2]
                        claim(k, j, scored, "fuzzy" if scored.entity is not None else "ambiguous")
                    continue
            keys = tuple(folded[i:j])
            span = spans.get(keys, _MISSING)     # names repeat: remember
            if span is _MISSING:
                if len(spans) > 100_000:
                    spans.clear()
                span = spans[keys] = self._best_span(keys, 0)
            if span is not None:
                a, b, scored = span
                if b - a == 1 and j - i > 1:
                    continue      # one word of a longer unknown name ("Portland Archdiocese")
                claim(i + a, i + b, scored, "fuzzy" if scored.entity is not None else "ambiguous")

    def _best_span(self, keys: tuple[str, ...], offset: int):
        whole = self.fuzzy.best(keys)
        if whole is not None and whole.entity is not None and len(keys) == 1 and \
                self.priorities[whole.entity] >= TABLE:
            whole = None    # one word like a harvested name ("France" ~ "France's"): no
        if offset or len(keys) == 1 or (whole is not None and whole.entity is not None
                                        and whole.score >= 100):
            return (0, len(keys), whole) if whole is not None else None
        if not any(k in self.fuzzy.curated_tokens for k in keys):
            return (0, len(keys), whole) if whole is not None else None
        best = None if whole is None else ((whole.score, len(keys)), 0, len(keys), whole)
        n = len(keys)
        for a in range(0, min(3, n)):
            for b in range(n, max(a, n - 3), -1):
                if b - a == n or keys[a] in CONNECTORS or keys[b - 1] in CONNECTORS:
                    continue
                scored = self.fuzzy.best(keys[a:b])
                if scored is None or (scored.entity is not None and
                                      self.priorities[scored.entity] >= TABLE):
                    continue        # part of a longer name: not for a harvested name list
                rank = (scored.score, b - a)
                if best is None or rank > best[0]:
                    best = (rank, a, b, scored)
        if best is None:
            return None
        _, a, b, scored = best
        return a, b, scored

    def settle_exact(self, entities: tuple[int, ...], keys: tuple[str, ...], priority: int
                     ) -> tuple[int, ...]:
        """Of the entities a name matched exactly, the one whose own name it is ("Texaco" of
        Texaco Inc, not of Texaco Canada); of a table's tickers with that name, the one
        attested far more often. All of them when that settles nothing."""
        keys = strip_suffixes(keys)
        own = [e for e in entities if self._stripped_names[e] == keys]
        if len(own) > 1 and priority >= TABLE:
            own.sort(key=self._weights.__getitem__, reverse=True)
            if self._weights[own[0]] >= 2 * self._weights[own[1]]:
                own = own[:1]
        return (own[0],) if len(own) == 1 else entities

    @staticmethod
    def _settle(found: list) -> None:
        """A name several entities share is the one the article names for sure elsewhere
        ("Newmont" after "Newmont Mining Corp")."""
        sure = {scored.entity for _, _, scored, method in found if method != "ambiguous"}
        for k, (first, last, scored, method) in enumerate(found):
            if method == "ambiguous":
                known = sure.intersection(scored.candidates)
                if len(known) == 1:
                    found[k] = (first, last, Scored(known.pop(), scored.score, scored.alias),
                                "short-name")

    def _weak_names(self, w: Words, weak: list, found: list) -> None:
        """One-word names that are common words link where the text says they are a name: a
        verb or a role after them, the end of a clause, or a confident mention of the same
        entity elsewhere in the article (then every one links)."""
        sure = set()
        for m in weak:
            after = word_after(w.text, w.ends[m.last - 1])
            if not after[:1].isalpha() or after in AFTER_NAME or after in ROLES or \
                    after in FUNCTION_WORDS or (len(after) > 3 and after.endswith("ed")):
                sure.add(m.entities[0])     # "Apple said", "Apple's", "Apple." (not "pie")
        sure |= {scored.entity for _, _, scored, method in found if method != "ambiguous"}
        for m in weak:
            if m.entities[0] in sure:
                found.append((m.first, m.last, Scored(m.entities[0], 100.0, m.alias), "exact"))

    # -- unlinked ------------------------------------------------------------------------------
    def _unlinked(self, w: Words, covered: list[bool], runs: list[tuple[int, int]],
                  split: bool = True) -> list[Mention]:
        """The runs no mention claimed, as unlinked names. `split`: some run may have been
        claimed in part since the runs were found (else every run is whole and unclaimed)."""
        out = []
        surface, folded, starts, ends, text = w.surface, w.folded, w.starts, w.ends, w.text
        caps_lines: dict[int, bool] = {}       # line start -> written in capitals
        for i, j in (_uncovered(runs, covered) if split else runs):
            while i < j and folded[i] in _EDGES:
                i += 1
            while j > i and folded[j - 1] in _EDGES:
                j -= 1
            if i >= j:
                continue
            if j - i == 1:                             # most of them: one word
                word = surface[i]
                if word.isupper() and _all_caps_line(w, i, caps_lines):
                    continue                           # a headline in capitals
                if len(word) < 2 or (word[1:].islower() and self._sentence_start(w, i)):
                    continue
            elif all(map(str.isupper, surface[i:j])) and \
                    (j - i >= 3 or _all_caps_line(w, i, caps_lines)):
                continue
            else:       # "Tony Blair and Gordon Brown", "Backbencher Stephen Pound"
                for a, b in candidate_spans(folded, w.caps, i, j):
                    if b - a > 1 or len(surface[a]) > 1:
                        out.append(_new(Mention, (starts[a], ends[b - 1],
                                                  text[starts[a]:ends[b - 1]], None, "other",
                                                  0.0, "unlinked", ())))
                continue
            start, end = starts[i], ends[j - 1]
            # tuple.__new__ makes the named tuple without its Python-level __new__.
            out.append(_new(Mention, (start, end, text[start:end], None, "other", 0.0,
                                      "unlinked", ())))
        return out

    @staticmethod
    def _sentence_start(w: Words, i: int) -> bool:
        at = w.starts[i]
        before = w.text[max(0, at - 12):at].rstrip(" \t\"'\u201c\u2018(")
        if not before and at > 12:
            return False
        return not before or before[-1] in ".!?:\n\u2026" or before.endswith("--")


def _all_caps_line(w: Words, i: int, known: dict[int, bool]) -> bool:
    """Word i sits in a line written in capitals (a Reuters headline in the body); `known`
    keeps the answer for each line start, as a headline's words ask one after another."""
    text = w.text
    start = text.rfind("\n", 0, w.starts[i]) + 1
    found = known.get(start)
    if found is None:
        end = text.find("\n", w.starts[i])
        line = text[start:end if end >= 0 else len(text)]
        letters = sum(map(str.isalpha, line))
        found = known[start] = letters > 12 and sum(map(str.isupper, line)) > 0.8 * letters
    return found


# Joiners that start with a full stop (see tokens.gap_joiner): a sentence may end there.
_DOTTED = frozenset(j for j in KEPT_JOINERS if j.startswith("."))
_OF = frozenset({"of", "for", "de"})
# Words an unlinked name neither starts nor ends with.
_EDGES = frozenset(NOT_NAMES | CONNECTORS)


# What may follow a sign-off on its line: full stops, and a carriage return written "^M".
_SIGN_OFF_END = re.compile(r"[\s.\u2026]*(?:\^M)?\s*$")


def _alone_on_line(w: Words, i: int) -> bool:
    """Word i in capitals ends its line with nothing but full stops after it, alone there:
    an agency's sign-off ("REUTER", "REUTER..."), not a mention."""
    text = w.text
    if not w.surface[i].isupper():
        return False
    start = text.rfind("\n", 0, w.starts[i]) + 1
    end = text.find("\n", w.ends[i])
    if not _SIGN_OFF_END.match(text, w.ends[i], end if end >= 0 else len(text)):
        return False
    before = text[start:w.starts[i]]
    # Alone, or after the last sentence of a line ("... an ounce. REUTER").
    return not before.strip() or (before.endswith(" ") and before.rstrip()[-1:] in ".)")


def _written_lowercase(text: str, word: str) -> bool:
    """The text also uses the word in lower case (so it is a common word there)."""
    at = text.find(word)
    while at >= 0:
        after = at + len(word)
        if (not at or not text[at - 1].isalpha()) and \
                (after >= len(text) or not text[after].isalpha()):
            return True
        at = text.find(word, after)
    return False


def _sign_off(w: Words, first: int, last: int) -> bool:
    """The agency's word in capitals closing the text after a full stop or a line break
    ("... it said.  REUTER"): a sign-off, not a mention."""
    text = w.text
    if text[w.ends[last - 1]:].strip() or not w.surface[first].isupper():
        return False
    before = text[max(0, w.starts[first] - 12):w.starts[first]]
    return not before.strip() or "\n" in before or before.rstrip()[-1:] in ".!?\"'"


def tag_counts(mentions: list[Mention]) -> list[str]:
    """Linked entity names, most-mentioned first (ties: first mentioned first). Worked out
    by C functions over the linked mentions (filter, map, Counter): at index time, no Python
    code runs per mention."""
    linked = list(filter(_ENTITY, mentions))
    names = list(map(_ENTITY, linked))
    counts = Counter(names)
    # Each name's first mention: walking backwards, the first one is written last.
    first = dict(zip(reversed(names), map(_START, reversed(linked))))
    return sorted(counts, key=lambda name: (-counts[name], first[name]))
