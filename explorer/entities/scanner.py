"""The exact pass: every name and alias of every entity, found in one left-to-right walk.

Names are stored in a trie over word keys (see `tokens`), so a text is scanned once whatever the
number of names: at each word, follow the trie as far as the text goes and keep the longest name
whose capitalisation the text respects. Variants are derived from each name: corporate suffix
dropped ("Apple Computer Inc" -> "Apple Computer"), leading "the" dropped, and a descriptive
"X maker" also as "maker of X".
"""

from __future__ import annotations

from itertools import compress
from typing import NamedTuple

from explorer.entities.gazetteer import (
    CONFIG, DERIVED, EPITHET_HEADS, TABLE, Gazetteer, common_word_name, useful_alias,
)
from explorer.entities.tokens import (
    SUFFIXES, STOPWORDS, Words, bare, name_keys, short_form, strip_suffixes,
)

END = ""          # the trie key that marks "a name ends here" (no word key is empty)
# Suffixes that may follow a found name and join its mention: "OpenAI Inc.", "Foo, Ltd".
TRAILING = {"inc", "corp", "co", "ltd", "plc", "gmbh", "llc", "ag", "sa", "nv", "lp"}


class Match(NamedTuple):
    """A name found by the walk (a named tuple: a frozen dataclass costs a few us to make)."""

    first: int                # word index of the first word
    last: int                 # word index after the last word
    entities: tuple[int, ...]  # entity ids (more than one: ambiguous)
    alias: str                # the name or alias as the gazetteer writes it
    priority: int


class _Ends(dict):
    """The names that end at a trie node: entity id -> (priority, caps). Filled in once the
    trie is built: the node's `keys` and `alias`, whether its last key is a corporate suffix,
    and `when_capitalised`, what `Scanner._pick` gives when every word of the text there starts
    with a capital (nearly every time), so the walk need not check the case word by word."""

    __slots__ = ("keys", "alias", "ends_in_suffix", "when_capitalised")


class Scanner:
    def __init__(self, gazetteer: Gazetteer):
        self.trie: dict = {}
        self.aliases: dict[tuple[str, ...], str] = {}
        # Lower-case words a name can start with, or go on with ("maker" of "maker of
        # ChatGPT"; "startup" of "data-labeling startup"): where the tagger must look.
        self.triggers: set[str] = set()
        self.continuations: set[str] = set()
        # First keys of names not written with a capital there ("maker of ...", "3Com"): only
        # these can start a name at a word of the text that has no capital.
        self.uncapitalised_starts: set[str] = set()
        for eid, entity in enumerate(gazetteer.entities):
            derived = DERIVED if entity.priority <= CONFIG else entity.priority
            for name in entity.names():
                if entity.priority >= TABLE and (not useful_alias(name) or (
                        entity.quiet and name == entity.name)):
                    continue
                keys, caps = name_keys(name)
                for vkeys, vcaps, priority in _variants(keys, caps, entity.priority, derived):
                    if priority >= TABLE and vkeys != keys and (
                            not useful_alias(" ".join(map(bare, vkeys)))
                            or common_word_name(" ".join(map(bare, vkeys)))):
                        continue      # "US" of "US INC", "NORTH AMERICAN" of "... GROUP"
                    self._add(vkeys, vcaps, eid, priority, name)
        self._finish(self.trie, ())

    def _finish(self, node: dict, keys: tuple[str, ...]) -> None:
        for key, child in node.items():
            if key == END:
                child.keys = keys
                child.alias = self.aliases.get(keys, " ".join(keys))
                child.ends_in_suffix = bare(keys[-1]) in SUFFIXES
                child.when_capitalised = self._pick(child, None, 0, False)
            else:
                self._finish(child, keys + (key,))

    def _add(self, keys, caps, eid, priority, alias) -> None:
        if not keys or all(bare(k) in STOPWORDS or bare(k) in SUFFIXES or bare(k).isdigit()
                           for k in keys):
            return
        for k, (key, cap) in enumerate(zip(keys, caps)):
            if not cap and not key[:1].isdigit():
                (self.continuations if k else self.triggers).add(bare(key))
        if not caps[0]:
            self.uncapitalised_starts.add(keys[0])
        node = self.trie
        for key in keys:
            node = node.setdefault(key, {})
        ends = node.setdefault(END, _Ends())
        old = ends.get(eid)
        if old is None or priority < old[0]:
            ends[eid] = (priority, caps)
            self.aliases.setdefault(keys, alias)
        elif priority == old[0]:     # the same keys written twice: the looser capitalisation
            ends[eid] = (priority, tuple(a and b for a, b in zip(old[1], caps)))

    def scan(self, w: Words, check_case: bool = True, skip: list[bool] | None = None
             ) -> list[Match]:
        """Longest matches, left to right, not overlapping (and not on `skip`ped words)."""
        found: list[Match] = []
        trie, folded, joiners = self.trie, w.folded, w.joiners
        n = len(folded)
        shorter = _SHORT_KEYS.__getitem__
        caps = w.caps if check_case else None
        uncapitalised = self.uncapitalised_starts
        resume = 0
        # Only words that start some name are looked at (compress() picks them in C).
        for i in compress(range(n), map(trie.__contains__, folded)):
            if i < resume or (skip and skip[i]):
                continue
            if caps is not None and not caps[i] and folded[i] not in uncapitalised:
                continue        # "general" in "general manager": every such name wants "G"
            node = trie[folded[i]]
            best = None
            # Every word so far starts with a capital (or the case does not matter): then
            # the node's `when_capitalised` is the pick.
            capitalised = caps is None or caps[i]
            j = i + 1
            key = folded[i]
            while True:
                ends = node.get(END)
                if ends:
                    hit = ends.when_capitalised if capitalised else \
                        self._pick(ends, w, i, check_case)
                    if hit:
                        best = (j, hit, ends)
                if j >= n or (skip and skip[j]):
                    break
                joiner = joiners[j]             # inlined Words.key(j, first=False)
                if joiner is None:
                    break
                previous = key
                key = joiner + folded[j] if joiner else folded[j]
                nxt = node.get(key)
                if nxt is None:
                    key = shorter(key)          # "Company" as "Co"
                    nxt = node.get(key)
                if nxt is None and key[0] == "." and bare(previous) in _ABBREV_OK:
                    key = key[1:]               # "Co. of America" written as "Co of America"
                    nxt = node.get(key)
                if nxt is None:
                    break
                node = nxt
                if capitalised and caps is not None:
                    capitalised = caps[j]
                j += 1
            if best is None:
                continue
            last, (entities, priority), ends = best
            if not ends.ends_in_suffix and last < n and shorter(folded[last]) in TRAILING:
                last = self._trailing_suffix(w, last)     # "OpenAI Inc." (rarely)
            found.append(Match(i, last, entities, ends.alias, priority))
            resume = last
        return found

    @staticmethod
    def _pick(ends: dict, w: Words | None, i: int, check_case: bool):
        best_priority, winners = None, []
        for eid, (priority, caps) in ends.items():
            if check_case:
                surface = w.surface
                if not all(not cap or surface[i + k][0].isupper() or surface[i + k][0].isdigit()
                           for k, cap in enumerate(caps)):
                    continue
            if best_priority is None or priority < best_priority:
                best_priority, winners = priority, [eid]
            elif priority == best_priority:
                winners.append(eid)
        return (tuple(sorted(winners)), best_priority) if winners else None

    @staticmethod
    def _trailing_suffix(w: Words, last: int) -> int:
        """Past one or two corporate suffixes after a name that does not end in one."""
        for _ in range(2):
            if last >= len(w) or short_form(w.folded[last]) not in TRAILING or \
                    not w.capitalised(last):
                break
            gap = "".join(w.text[w.ends[last - 1]:w.starts[last]].split())
            if gap not in ("", ",", "."):
                break
            last += 1
        return last


class _ShortKeys(dict):
    """short_form of a key, remembered: the walk asks for it at nearly every word it stops at."""

    def __missing__(self, key: str) -> str:
        short = short_form(key)
        if len(self) < 100_000:
            self[key] = short
        return short


_SHORT_KEYS = _ShortKeys()

_ABBREV_OK = {"co", "corp", "inc", "ltd", "bros", "st", "mt", "jr", "sr", "dr", "intl", "mfg",
              "cos", "gen"}


def _variants(keys, caps, priority, derived):
    """The forms a name is found in, with their priority."""
    if len(keys) > 1 and keys[0] == "the":      # mentions never start with "the"
        keys, caps = keys[1:], caps[1:]
    out = [(keys, caps, priority)]
    short = strip_suffixes(keys)
    if len(short) < len(keys):
        out.append((short, caps[:len(short)], derived))
    if len(keys) > 1 and keys[-1] in EPITHET_HEADS:            # "X maker" -> "maker of X"
        out.append(((keys[-1], "of") + keys[:-1], (False, False) + caps[:-1], derived))
    if len(keys) > 2 and keys[0] in EPITHET_HEADS and keys[1] == "of":   # and back
        rest = keys[2:][1:] if keys[2] == "the" else keys[2:]
        out.append((rest + (keys[0],), caps[len(keys) - len(rest):] + (False,), derived))
    return out
