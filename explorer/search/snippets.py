"""Snippets: the best passages of an article around the words a query matched, hits marked.

Whoosh's highlighter runs the full token pipeline (a Token object per word, stemming each one) over
every hit's text: about 10 ms an article, most of a search. This scans the text once with the
field's own tokenizer expression and remembers the analyzed form of each distinct word, so a
snippet costs a fraction of a millisecond and marks exactly the words the index matched.
"""

from __future__ import annotations

import functools
import heapq
import re

from whoosh.analysis import CompositeAnalyzer, LowercaseFilter, RegexTokenizer, StemFilter
from whoosh.lang.porter import stem as porter_stem

from explorer.records import Snippet
from explorer.index.positions import whole_words
from explorer.index.whoosh_internals import analyze_word, expanded_words, word_local

_DEFAULT_WORD = re.compile(r"\w+(\.?\w+)*", re.UNICODE)   # RegexTokenizer's default expression
_MEMO_LIMIT = 300_000


def opening(body: str, limit: int = 160) -> Snippet:
    """The start of an article, for hits with nothing to mark (a date range, an entity)."""
    text = " ".join(body.split())
    if len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        text = text[: cut if cut > 0 else limit] + " \u2026"
    return Snippet(((text, False),))


class SnippetMaker:
    """Snippets for one field: passages of at most `maxchars` with `surround` characters of
    context either side of the hits; the `top` passages with the most (and most varied) hits,
    in text order."""

    between = " \u2026 "

    def __init__(self, analyzer, maxchars: int = 220, surround: int = 50, top: int = 2,
                 charlimit: int = 2 ** 15):
        self.analyzer = analyzer
        self.maxchars, self.surround, self.top, self.charlimit = maxchars, surround, top, charlimit
        tokenizer = analyzer.items[0] if isinstance(analyzer, CompositeAnalyzer) else analyzer
        word = tokenizer.expression if isinstance(tokenizer, RegexTokenizer) else _DEFAULT_WORD
        self.word = whole_words(word)
        self._terms: dict[str, str | None] = {}          # word -> indexed form
        self._surfaces: dict[str, set[str]] = {}         # indexed form -> words seen with it
        self._word_local = word_local(analyzer)
        # Lowercasing and Porter stemming keep a word's first letter (the stemmer only rewrites
        # endings and never empties a word), so a word can only index as a term that starts
        # with its first letter, lowercased: the other new words need not be analyzed.
        self._keeps_initial = self._word_local and all(
            isinstance(item, LowercaseFilter)
            or (isinstance(item, StemFilter) and item.stemfn is porter_stem and not item.lang)
            for item in analyzer.items[1:])
        # With a word expression of Whoosh's shape (`X+(\.X+)*`) the regex itself can skip to
        # the words with those first letters (a character class it scans for in C): a third of
        # a snippet's time went to listing every distinct word of the text.
        shape = _WORD_SHAPE.fullmatch(self.word.pattern)
        self._word_class = shape.group(1) if shape else r"\w"
        self._by_initial = bool(shape) and self._keeps_initial

    def term(self, word: str) -> str | None:
        """The indexed form of one word (None when the analyzer drops it)."""
        try:
            return self._terms[word]
        except KeyError:
            pass
        if self._word_local:      # lowercase and stem straight away (Whoosh's pipeline: 70 us)
            term = analyze_word(self.analyzer, word)
        else:
            found = [token.text for token in self.analyzer(word, mode="index")]
            term = found[0] if len(found) == 1 else None
        if len(self._terms) > _MEMO_LIMIT:
            self._forget()
        self._terms[word] = term
        if term is not None:
            self._surfaces.setdefault(term, set()).add(word)
        return term

    def _forget(self) -> None:
        self._terms.clear()
        self._surfaces.clear()

    def hits(self, text: str, terms: set[str] | frozenset[str]) -> list[tuple[int, int, str]]:
        """(start, end, term) of every word of `text` whose indexed form is in `terms`."""
        if not terms:
            return []
        if len(text) > self.charlimit:
            text = text[: self.charlimit]
        if self._by_initial:
            return self._hits_by_initial(text, terms)
        # The distinct words (the regex runs in C), each analyzed once ever; then the words
        # known to index as one of the terms, all by set operations.
        words = set(self.word.findall(text))
        if len(self._terms) + len(words) > _MEMO_LIMIT:
            self._forget()          # now, not halfway through this text's words
        unseen = words.difference(self._terms)
        if unseen and self._keeps_initial:      # only words that can index as one of the terms
            initials = {term[:1] for term in terms}
            unseen = [word for word in unseen if word[:1].lower() in initials]
        for word in unseen:
            self.term(word)
        surfaces = self._surfaces
        wanted = words.intersection(set().union(*[surfaces.get(t, ()) for t in terms]))
        if not wanted:
            return []
        memo = self._terms
        return [(m.start(), m.end(), memo[m.group()])
                for m in _surface_pattern(tuple(sorted(wanted)), self._word_class).finditer(text)]

    def _hits_by_initial(self, text: str, terms) -> list[tuple[int, int, str]]:
        """hits() in one pass over the words that start with one of the terms' first letters
        (only they can index as one of the terms): the regex skips the others in C, and each
        word found is looked up in the memo of analyzed words."""
        initials = "".join(sorted({term[:1] for term in terms}))
        memo, analyze = self._terms, self.term
        found = []
        for match in _initial_words(initials, self._word_class).finditer(text):
            word = match.group()
            term = memo[word] if word in memo else analyze(word)
            if term in terms:
                found.append((match.start(), match.end(), term))
        return found

    def make(self, text: str, terms: set[str] | frozenset[str]) -> Snippet | None:
        """The snippet of `text` for the matched `terms`, or None when none of them occurs."""
        hits = self.hits(text, terms) if terms and text else []
        if not hits:
            return None
        groups: list[tuple[int, int]] = []      # (first, last) hit of each passage
        first = 0
        while first < len(hits):
            last = first
            start = hits[first][0]
            while (last + 1 < len(hits)
                   and hits[last + 1][1] - start + 2 * self.surround <= self.maxchars):
                last += 1
            groups.append((first, last))
            first = last + 1

        def score(group: tuple[int, int]) -> tuple[int, int]:
            count = group[1] - group[0] + 1
            varied = len({hits[i][2] for i in range(group[0], group[1] + 1)})
            return count * varied, -group[0]      # ties: the earlier passage

        best = sorted(heapq.nlargest(self.top, groups, key=score))
        parts: list[tuple[str, bool]] = []
        for number, (first, last) in enumerate(best):
            if number:
                parts.append((self.between, False))
            parts.extend(self._passage(text, hits, first, last))
        return Snippet(tuple((t.replace("\n", " "), hit) for t, hit in parts if t))

    def _passage(self, text: str, hits: list[tuple[int, int, str]], first: int, last: int
                 ) -> list[tuple[str, bool]]:
        """The passage around hits[first..last]; every hit in it is marked, those of the
        context either side too ("Mr Blair" just after a passage's last hit)."""
        low = max(0, hits[first][0] - self.surround)
        if low > 0 and not text[low - 1].isspace():          # do not start mid-word
            space = _find_space(text, low, hits[first][0])
            low = space + 1 if space >= 0 else low
        high = min(len(text), hits[last][1] + self.surround)
        if high < len(text) and not text[high].isspace():    # nor end mid-word
            space = _rfind_space(text, hits[last][1], high)
            high = space if space >= 0 else high
        while first > 0 and hits[first - 1][1] > low:
            first -= 1
        while last + 1 < len(hits) and hits[last + 1][0] < high:
            last += 1
            high = max(high, hits[last][1])     # a hit the context cuts is shown whole
        parts: list[tuple[str, bool]] = []
        at = low
        for start, end, _ in hits[first:last + 1]:
            if start < low or start < at:
                continue
            if start > at:
                parts.append((text[at:start], False))
            parts.append((text[start:end], True))
            at = end
        parts.append((text[at:high], False))
        return parts


_WORD_SHAPE = re.compile(r"(\[[^\]]*\]|\\w)\+\(\?:\\\.\1\+\)\*")   # X+(?:\.X+)*, X a class


@functools.lru_cache(maxsize=256)
def _initial_words(initials: str, word: str = r"\w") -> re.Pattern:
    """The tokens of `X+(\\.X+)*` (X = `word`, a character class; whole tokens, as findall
    gives them) whose first letter lowercases to one of `initials`. The letters come first so
    the regex engine scans for them; the look-behinds then reject a letter inside a token
    (after a word character, or after a word character and a dot). Case-insensitive matching
    of a class takes every character whose lowercase starts with one of its letters (checked
    over all of Unicode by a test)."""
    letters = "".join(re.escape(c) for c in initials)
    return re.compile(rf"[{letters}](?<!{word}.)(?<!{word}\..){word}*(?:\.{word}+)*",
                      re.IGNORECASE)


@functools.lru_cache(maxsize=512)
def _surface_pattern(words: tuple[str, ...], word: str = r"\w") -> re.Pattern:
    """The given words where each is a whole token of `X+(\\.X+)*` (X = `word`; not part of a
    longer one: no word character or word-joining dot either side)."""
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!{word})(?<!{word}\.)(?:{alternation})(?!{word})(?!\.{word})")


def _find_space(text: str, start: int, end: int) -> int:
    for i in range(start, end):
        if text[i].isspace():
            return i
    return -1


def _rfind_space(text: str, start: int, end: int) -> int:
    for i in range(end - 1, start - 1, -1):
        if text[i].isspace():
            return i
    return -1


def snippet_terms(q, reader, fields: tuple[str, ...], expand_limit: int = 200
                  ) -> dict[str, set[str]]:
    """The indexed words a snippet should mark, by field: every word the query looks for, except
    under NOT; prefixes, wildcards and fuzzy terms expanded (up to `expand_limit` words each).
    Computed once per query, so Whoosh need not record the matched terms of every document."""
    from whoosh import query as wq

    found: dict[str, set[str]] = {name: set() for name in fields}

    def text(value) -> str:
        return value.decode("utf-8") if isinstance(value, bytes) else str(value)

    def walk(node) -> None:
        if isinstance(node, wq.Not):
            return
        if isinstance(node, wq.AndNot):
            walk(node.a)
            return
        name = getattr(node, "fieldname", None)
        if isinstance(node, wq.MultiTerm) and name in found:
            for number, word in enumerate(expanded_words(node, reader)):
                if number >= expand_limit:
                    break
                found[name].add(text(word))
        elif isinstance(node, wq.Phrase) and name in found:
            found[name].update(text(w) for w in node.words)
        elif isinstance(node, wq.Term) and name in found:
            found[name].add(text(node.text))
        elif not node.is_leaf():
            for child in node.children():
                walk(child)

    walk(q)
    return found
