"""The second pass of linking, over a whole article: the short and partial forms a writer uses
for someone the article (or the gazetteer) already names. After the exact and fuzzy passes have
found every confident mention, headline included:

- "Mr Blair", "President Obama", "Blair said": a surname (after a title, before a verb of
  saying, or once the article named the person in full); a title whose gender conflicts with
  the person's first name ("Mrs Blair" for Tony Blair) does not link;
- "John F. Kennedy", "Bill Clinton" for John Kennedy and William Clinton: middle names and
  initials dropped, nicknames (the `nicknames` package);
- "Telekom" for Deutsche Telekom, "Environmental Defense" for Environmental Defense Fund:
  a distinctive part of an organisation's name; "WTO": the initials of a name;
- "Calif.", "N.Y.", "U.K.": standard abbreviations of places;
- a short form several entities share is settled by the one the article names in full, and is
  otherwise reported as ambiguous with its candidates.

A harvested alias table (thousands of companies) only gives short forms of entities the article
named in full: on their own, its short forms are too often something else.
"""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import compress

from explorer.entities.candidates import PURE_TITLES, title_length
from explorer.entities.gazetteer import TABLE, Gazetteer
from explorer.entities.names import (
    AFTER_NAME, COUNTRY_ABBREVIATIONS, GENERATIONAL, HONORIFICS, PARTICLES, ROLES,
    first_name_forms, first_name_gender, is_common_word, place_abbreviations,
)
from explorer.entities.resolver import Scored
from explorer.entities.tokens import STOPWORDS, SUFFIXES, Words, strip_suffixes, words
from explorer.entities.wordlists import CONNECTORS, GENERIC, NOT_NAMES, PLACES

# A short form shared by more entities than this says nothing (not even "ambiguous").
MAX_OWNERS = 4
SAYING = {"said", "says", "told", "added", "asked", "according", "wrote"}
# Words ending a club's or company's name that a writer leaves out ("Chelsea FC").
CLUB_SUFFIXES = {"fc", "cf", "afc", "sc", "ac"}
# Verbs before their object that say the object is someone ("beat Obama", "met Hershey").
BEFORE_PERSON = {"beat", "met", "praised", "thanked", "criticised", "criticized", "named",
                 "appointed", "replaced", "succeeded", "defeated", "interviewed", "told",
                 "asked", "urged", "called", "joined", "visited", "hired", "fired", "sacked"}


def _name_words(name: str) -> list[tuple[str, ...]]:
    """A name's words, hyphenated ones kept together: "Tim Berners-Lee" ->
    [("tim",), ("berners", "lee")]; full stops and apostrophes dropped."""
    w = words(name)
    groups: list[list[str]] = []
    for k in range(len(w.folded)):
        gap = name[w.ends[k - 1]:w.starts[k]] if k else " "
        if k and gap.strip() in ("-", "\u2010", "\u2011") and groups:
            groups[-1].append(w.folded[k])
        elif k and gap in ("'", "\u2019") and w.folded[k] == "s":
            continue
        else:
            groups.append([w.folded[k]])
    return [tuple(g) for g in groups]


def _flat(groups) -> tuple[str, ...]:
    return tuple(k for g in groups for k in g)


class ShortForms:
    """Every entity's short forms, by their folded words."""

    def __init__(self, gazetteer: Gazetteer):
        self.entities = gazetteer.entities
        self.surnames: dict[tuple, set[int]] = defaultdict(set)
        self.full: dict[tuple, set[int]] = defaultdict(set)     # person name variants
        self.parts: dict[tuple, set[int]] = defaultdict(set)    # organisations and places
        self.acronyms: dict[str, set[int]] = defaultdict(set)
        # (part, entity) where the part is the name's first word ("Highland" of Highland
        # Capital Partners): often a place or a person's name, so only once established.
        self.first_words: set[tuple] = set()
        self.gender: dict[int, str] = {}
        self.table = [e.priority >= TABLE for e in gazetteer.entities]
        self.persons = [e.type == "person" for e in gazetteer.entities]
        whole: set[tuple] = set()
        for eid, entity in enumerate(gazetteer.entities):
            names = [entity.name] if entity.priority >= TABLE else entity.names()
            if entity.quiet:
                continue
            for name in names:
                for part in [name, *(p for p in name.split(",")[1:] if p.strip())]:
                    groups = _name_words(part.split(",")[0] if part is name else part)
                    if not groups:
                        continue
                    if part is name:
                        whole.add(_flat(_name_words(name.replace(",", " "))))
                    if part is not name:             # "Henry Home, Lord Kames": each part
                        if len(groups) > 1:
                            self.parts[_flat(groups)].add(eid)
                        continue
                    if entity.type == "person":
                        self._person(eid, groups)
                    else:
                        self._other(eid, entity.type, groups)
                        if "," in name:    # "Washington" of "Washington, D.C."
                            self.parts[_flat(groups)].add(eid)
                            self._acronym(eid, _flat(_name_words(name.replace(",", " "))))
        # A short form that is some entity's whole name is that entity's, not a short form.
        for table in (self.surnames, self.parts):
            for key in list(table):
                if key in whole:
                    del table[key]
        self.last_words = {key[-1] for key in self.surnames}
        abbreviations = {**place_abbreviations(), **COUNTRY_ABBREVIATIONS}
        # The words of short forms: of the configured entities (looked for everywhere), and of
        # each table entity (looked for only where the article names that entity).
        self.words: set[str] = set()
        self.words_of: dict[int, set[str]] = defaultdict(set)
        for table in (self.surnames, self.parts, self.full):
            for key, eids in table.items():
                for eid in eids:
                    if self.table[eid]:
                        self.words_of[eid].update(key)
                    else:
                        self.words.update(key)
        for letters, eids in self.acronyms.items():
            for eid in eids:
                (self.words_of[eid].add(letters) if self.table[eid]
                 else self.words.add(letters))
        # The words an abbreviation is written in: "calif", and "n", "y" of "N.Y.".
        for letters in abbreviations:
            self.words.add(letters)
            self.words.update(letters)
        places = defaultdict(set)
        for eid, entity in enumerate(gazetteer.entities):
            if entity.type != "person":
                places[tuple(words(entity.name).folded)].add(eid)
        self.places: dict[str, set[int]] = {}
        for letters, expansion in {**place_abbreviations(), **COUNTRY_ABBREVIATIONS}.items():
            key = tuple(expansion.split())
            owners = {eid for name, eids in places.items() for eid in eids
                      if name == key or (name[:len(key)] == key and name[len(key)] == "of")}
            if owners:
                self.places[letters] = owners

    def _person(self, eid: int, groups: list[tuple[str, ...]]) -> None:
        while len(groups) > 2 and groups[-1][0] in GENERATIONAL:
            groups = groups[:-1]
        if len(groups) < 2:
            return
        first, last = groups[0], groups[-1]
        self.gender.setdefault(eid, first_name_gender(first[0]))
        self.surnames[last].add(eid)
        if len(groups) > 2 and groups[-2][0] in PARTICLES:
            last = groups[-2] + last
            self.surnames[last].add(eid)
        for given in (first[0], *first_name_forms(first[0])):
            self.full[(given, *first[1:], *last)].add(eid)
        if len(groups) == 3 and len(groups[1][0]) > 1:       # "Bradford Wilcox"
            self.full[(*groups[1], *last)].add(eid)

    def _acronym(self, eid: int, keys: tuple[str, ...]) -> None:
        significant = [k for k in keys if k not in STOPWORDS]
        if len(significant) >= 2 and all(k[0].isalpha() for k in significant):
            self.acronyms["".join(k[0] for k in significant)].add(eid)

    def _other(self, eid: int, kind: str, groups: list[tuple[str, ...]]) -> None:
        keys = _flat(groups)
        if keys and keys[0] == "the":
            keys = keys[1:]
        # Legal and club suffixes, and initials ending a name ("Chelsea F.C.", "Foo S.A.").
        end = len(keys)
        while end > 1 and (keys[end - 1] in SUFFIXES or keys[end - 1] in CLUB_SUFFIXES):
            end -= 1
        if end > 2 and len(keys[end - 1]) == 1 and len(keys[end - 2]) == 1:
            while end > 1 and len(keys[end - 1]) == 1:
                end -= 1
        stripped = strip_suffixes(keys[:end])
        if 0 < len(stripped) < len(keys):
            self.parts[stripped].add(eid)
        keys = stripped
        n = len(keys)
        if n < 2:
            return
        self._acronym(eid, keys)
        # A name's first word stands for it alone only when the rest is an ordinary word
        # ("Harvard" of Harvard University, not "Highland" of Highland Capital Partners).
        first_alone = n == 2 and is_common_word(keys[1])
        for position, k in enumerate(keys):
            if len(k) >= 3 and k not in STOPWORDS and k not in SUFFIXES and k not in GENERIC \
                    and (k not in PLACES or kind == "place") and k not in NOT_NAMES \
                    and k not in HONORIFICS and k.isalpha():
                self.parts[(k,)].add(eid)
                if not position and not first_alone:
                    self.first_words.add(((k,), eid))
        # Two words or more from either end ("Environmental Defense", "Homeland Security"),
        # and a place's name before "of" ("United States" of United States of America).
        for size in range(2, n):
            for part in (keys[:size], keys[n - size:]):
                if part[0] in CONNECTORS or part[-1] in CONNECTORS or \
                        all(k in GENERIC or k in STOPWORDS or k in PLACES or len(k) == 1
                            for k in part):
                    continue
                self.parts[part].add(eid)
        if "of" in keys[1:] and (kind == "place" or keys.index("of") >= 2):
            self.parts[keys[:keys.index("of")]].add(eid)


class DocumentLinker:
    """The second pass (see the module's docstring) for one gazetteer."""

    def __init__(self, gazetteer: Gazetteer, score: float):
        self.forms = ShortForms(gazetteer)
        self.score = score
        first_name_gender("john")       # loads the first-name table now, not mid-tagging
        self._others: set[str] = set()

    def link(self, w: Words, covered: list[bool], found: list, runs, claim) -> None:
        forms = self.forms
        folded, caps = w.folded, w.caps
        n = len(folded)
        established: set[int] = {scored.entity for _, _, scored, method in found
                                 if scored.entity is not None and method != "ambiguous"}
        # Surnames the article gives someone else in full ("Craig Brown" beside Gordon
        # Brown): alone, they are not the gazetteer's person.
        self._others = others = set()
        last_words = forms.last_words
        # Only the words that are some surname are looked at (compress() picks them in C).
        for k in compress(range(n), map(last_words.__contains__, folded)):
            if k and caps[k - 1] and \
                    w.text[w.ends[k - 1]:w.starts[k]] == " " and \
                    not covered[k] and not covered[k - 1] and caps[k] and \
                    folded[k - 1] not in HONORIFICS and folded[k - 1] not in NOT_NAMES:
                others.add(folded[k])
        wanted = forms.words.union(*(forms.words_of.get(e, ()) for e in established))
        pieces = [(i, j) for i, j in uncovered(runs, covered)
                  if not wanted.isdisjoint(folded[i:j])]
        for i, j in pieces:
            self._link_run(w, i, j, established, claim, covered)

    def _link_run(self, w: Words, i: int, j: int, established: set[int], claim, covered
                  ) -> None:
        folded = w.folded
        # Cut at "and": "Minsky and Papert" is two names (when the whole is no name).
        if (tuple(folded[i:j]) not in self.forms.parts) and any(
                f == "and" for f in folded[i:j]):
            start = i
            for k in range(i, j + 1):
                if k == j or folded[k] == "and":
                    if start < k:
                        self._link_piece(w, start, k, established, claim)
                    start = k + 1
            return
        self._link_piece(w, i, j, established, claim)

    def _link_piece(self, w: Words, i: int, j: int, established: set[int], claim) -> None:
        folded, surface = w.folded, w.surface
        forms = self.forms
        skip = title_length(folded, i, j)
        if skip:        # "Lord Kames" of "Henry Home, Lord Kames": the title is the name
            whole = self.forms.parts.get(tuple(folded[i:j]), ())
            whole = {e for e in whole if not self.forms.table[e]}
            if whole and len(whole) <= MAX_OWNERS:
                self._claim(i, j, whole, established, claim, False, w)
                return
        title = folded[i:i + skip]
        if not skip and i > 0 and folded[i - 1] in HONORIFICS and w.caps[i - 1] \
                and w.joiners[i] is not None:
            title = [folded[i - 1]]                     # "Mr" claimed by nothing, split off
        a = i + skip
        gender = next((HONORIFICS[t] for t in title if HONORIFICS.get(t)), "")
        titled = bool(title) and any(t in PURE_TITLES or t in HONORIFICS for t in title)
        if 2 <= j - a <= 5 and self._full_name(w, a, j, gender, titled, established, claim):
            return
        while a < j - 1 and (folded[a] in NOT_NAMES or (
                a == i and is_common_word(folded[a]) and _sentence_start(w, a)
                and tuple(folded[a:j]) not in self.forms.parts)):
            a += 1              # "The", and "Other" of "Other Scale employees"
        if a >= j or (folded[a] in NOT_NAMES and a == j - 1):
            return
        keys = tuple(folded[a:j])
        before = word_before(w.text, w.starts[a])
        role_before = not titled and before in ROLES
        if 2 <= len(keys) <= 5 and self._full_name(w, a, j, gender, titled, established,
                                                   claim):
            return
        # An abbreviated place: "Calif.", "N.Y.", "U.K.", "US".
        letters = "".join(keys)
        if letters in forms.places and len(keys) <= 3 and self._abbreviated(w, a, j):
            self._claim(a, j, forms.places[letters], established, claim, True, w)
            return
        # Short forms: a surname, a distinctive part, an acronym; several kinds may answer.
        kinds: dict[int, str] = {}
        if len(keys) <= 2 and keys[-1] not in self._others:
            for eid in self._fit(forms.surnames.get(keys), gender, titled) or ():
                kinds[eid] = "surname"
        if not (titled and title[0] in PURE_TITLES and not role_before):  # "Mr Telekom"
            for eid in forms.parts.get(keys, ()):
                kinds.setdefault(eid, "part")
        if len(keys) == 1 and surface[a].isupper() and len(keys[0]) >= 2:
            for eid in forms.acronyms.get(keys[0], ()):
                kinds.setdefault(eid, "acronym")
        if not kinds or len(kinds) > MAX_OWNERS:
            return
        known = kinds.keys() & established
        if known:
            self._claim(a, j, known, established, claim, False, w)
            return
        # A capitalised phrase ("Daily News") is a name; one word may be an ordinary one.
        common = len(keys) == 1 and is_common_word(keys[0])
        after = word_after(w.text, w.ends[j - 1])
        said = after in SAYING or before in SAYING
        object_of = before in BEFORE_PERSON or (len(before) > 4 and before.endswith("ed"))
        acting = after in AFTER_NAME or after == "'s"
        owners = set()
        for eid, kind in kinds.items():
            if forms.table[eid]:
                continue
            if kind == "surname":
                ok = titled or role_before or said or (not common and (
                    acting or object_of or (len(after) > 3 and after.endswith("ed"))))
            elif kind == "acronym":
                ok = len(keys[0]) >= 3 or acting or after in ROLES
            else:
                ok = (keys, eid) not in forms.first_words and (
                    not common or acting or after in ROLES or said)
            if ok:
                owners.add(eid)
        if owners:
            self._claim(a, j, owners, established, claim, False, w)

    def _full_name(self, w: Words, a: int, j: int, gender: str, titled: bool, established,
                   claim) -> bool:
        """A full name written another way: "John F. Kennedy", "Bill Clinton"."""
        keys = tuple(w.folded[a:j])
        for variant in (keys, tuple(k for k in keys if len(k) > 1), (keys[0], keys[-1])):
            owners = self._fit(self.forms.full.get(variant), gender, titled)
            if owners:
                self._claim(a, j, owners, established, claim, True, w)
                return True
        return False

    def _fit(self, owners, gender: str, titled: bool):
        """The persons among `owners` a title allows ("Mrs" rules out a man's name)."""
        if not owners:
            return owners
        if gender:
            owners = {e for e in owners if self.forms.gender.get(e, "") in ("", gender)}
        if titled:
            owners = {e for e in owners if self.forms.persons[e]}
        return owners

    def _claim(self, a, j, owners, established, claim, full: bool, w: Words) -> None:
        if len(owners) == 1:
            eid = next(iter(owners))
            claim(a, j, Scored(eid, self.score, w.text[w.starts[a]:w.ends[j - 1]]),
                  "short-name")
            if full:
                established.add(eid)
        else:
            claim(a, j, Scored(None, self.score, w.text[w.starts[a]:w.ends[j - 1]],
                               tuple(sorted(owners))), "ambiguous")

    @staticmethod
    def _abbreviated(w: Words, a: int, j: int) -> bool:
        """Written as an abbreviation: with full stops ("Calif.", "N.Y.") or in capitals."""
        text = w.text
        end = w.ends[j - 1]
        if end < len(text) and text[end] == ".":
            return True
        return all(s.isupper() for s in w.surface[a:j]) and j - a == 1 and \
            len(w.surface[a]) >= 2

    def is_surname(self, word: str) -> bool:
        """Some configured person has this surname."""
        return any(not self.forms.table[e] for e in self.forms.surnames.get((word,), ()))

    # -- the query side ------------------------------------------------------------------------
    def lookup(self, keys: tuple[str, ...]) -> set[int]:
        """The entities a typed short form can stand for ("altman", "telekom", "wto"): those
        of the configured gazetteer when any fits, else those of alias tables."""
        forms = self.forms
        owners = set()
        for table in (forms.full, forms.parts, forms.surnames):
            owners |= table.get(keys, set())
        if len(keys) == 1:
            owners |= forms.acronyms.get(keys[0], set()) | forms.places.get(keys[0], set())
        configured = {e for e in owners if not forms.table[e]}
        return configured or owners


# The text around a name, read from the text itself (the tagger's words skip most lower-case
# words): the next word, "'s", or a punctuation mark; the word before.
_NEXT = re.compile(r"[ \t]*\n?[ \t]*(['\u2019]s(?![^\W_])|[^\W\d_]+|[,.;:!?)\"\u201d])")


def word_after(text: str, end: int) -> str:
    """What follows a name at `end`: a lower-case word ("said"), "'s", a punctuation mark,
    "" for a capitalised word, a number or the end of the text."""
    found = _NEXT.match(text, end)
    if found is None:
        return ""
    word = found.group(1)
    if word[0] in "'\u2019":
        return "'s"
    if word[0].isalpha():
        return word if word[0].islower() else ""
    return word


def word_before(text: str, start: int) -> str:
    """The lower-case word right before a name ("said", "coach"), else ""."""
    chunk = text[max(0, start - 30):start].rstrip(" \t\n")
    k = len(chunk)
    while k and chunk[k - 1].isalpha():
        k -= 1
    word = chunk[k:]
    return word if word[:1].islower() else ""


def _sentence_start(w: Words, i: int) -> bool:
    """Word i starts a sentence (or a line): its capital says nothing."""
    before = w.text[max(0, w.starts[i] - 12):w.starts[i]].rstrip(" \t\"'\u201c\u2018(")
    return not before or before[-1] in ".!?:\n\u2026"


def uncovered(runs: list[tuple[int, int]], covered: list[bool]):
    """The parts of the runs that no mention claimed."""
    for i, j in runs:
        if True not in covered[i:j]:          # most runs: nothing claimed (checked in C)
            yield i, j
            continue
        start = None
        for k in range(i, j):
            if covered[k]:
                if start is not None:
                    yield start, k
                    start = None
            elif start is None:
                start = k
        if start is not None:
            yield start, j

