"""Who a phrase names, and who the people of an article are: the speaker side of quotations.

`parse_speaker` reads an attribution phrase ("chief executive Tim Cook", "an OpenAI
spokesperson", "he") into a name, a role, an organisation or a pronoun; `ArticleNames` knows the
people an article names, to turn "Friar" into Sarah Friar and "he" into the person it most likely
is. Word lists are plain data: the speech verbs, titles, job words, sentence starters.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any, Sequence

VERBS = (
    "said|says|say|told|tells|tell|added|adds|explained|explains|continued|continues|asked|asks|"
    "insisted|insists|argued|argues|warned|warns|stated|states|noted|notes|claimed|claims|"
    "commented|comments|remarked|remarks|replied|replies|admitted|admits|declared|declares|"
    "announced|wrote|writes|joked|jokes|acknowledged|acknowledges|conceded|concedes|"
    "predicted|predicts|suggested|suggests|confirmed|confirms|stressed|stresses|urged|urges|"
    "recalled|recalls|observed|revealed|maintained|maintains|concluded|cautioned|"
    "emphasised|emphasized|responded|responds|agreed|agrees|complained|complains|"
    "pointed out|points out|went on|goes on|saying|adding"
)
VERB = rf"(?:{VERBS})"
AUX = r"(?:has |had |have |would |will |also |later |then |previously |once )*"

PRONOUNS = {"he": "m", "she": "f", "they": None, "it": None, "we": None, "i": None}
TITLES = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "dr": None, "sir": "m", "lord": "m",
          "lady": "f", "dame": "f", "prof": None, "professor": None, "rev": None, "mx": None}
# Capitalised words that describe a job rather than name a person ("Chief Executive Tim Cook").
ROLE_WORDS = {
    "chief", "executive", "officer", "financial", "operating", "technology", "president",
    "vice", "chairman", "chairwoman", "chair", "director", "managing", "general", "manager",
    "minister", "prime", "secretary", "chancellor", "shadow", "deputy", "senior", "head",
    "founder", "co-founder", "ceo", "cfo", "coo", "cto", "spokesman", "spokeswoman",
    "spokesperson", "analyst", "economist", "governor", "senator", "representative", "judge",
    "coach", "captain", "manager", "boss", "leader", "mayor", "king", "queen", "prince",
    "princess", "commissioner", "attorney", "prosecutor", "inspector", "detective", "sergeant",
    "general", "colonel", "major", "foreign", "home", "health", "culture", "trade", "labour",
    "conservative", "tory", "liberal", "democrat", "republican", "mp", "mep", "chairperson",
    "editor", "professor", "doctor", "former", "new", "acting", "interim", "the", "a", "an",
    "exchequer", "film-maker", "filmmaker", "producer", "co-producer", "writer", "author", "presenter", "host", "creator", "designer",
    "composer", "playwright", "novelist", "poet", "director", "strategist", "consultant",
    "australian", "american", "british", "french", "german", "irish", "scottish", "welsh",
    "english", "italian", "spanish", "dutch", "russian", "chinese", "japanese", "indian",
    "canadian", "swiss", "swedish", "belgian", "brazilian", "argentine", "south", "african",
    "fly-half", "scrum-half", "full-back", "winger", "striker", "midfielder", "defender",
    "forward", "goalkeeper", "keeper", "prop", "hooker", "lock", "flanker", "centre", "skipper",
    "lawyer", "economist", "chancellor", "frontman", "singer", "star", "actor", "actress",
    "director-general", "secretary-general", "envoy", "ambassador", "spokesperson",
}
ROLE_NOUNS = (r"spokes(?:man|woman|person)|official|officials|representative|source|sources|"
              r"statement|insider|executive|executives|analyst|analysts|lawyer|lawyers")
# A capitalised word: may hold an apostrophe (O'Neill) or be an initial (J.K.), never ends a
# sentence's full stop or a possessive 's.
CAP = r"(?:\d*[A-Z](?:[\w&-]|['\u2019](?=\w)(?!s\b)|\.(?=[A-Z]))*)"
ORG = rf"{CAP}(?:\s+(?:of|for|and|&|de|the)?\s*{CAP})*"
_ROLE_PHRASE = re.compile(
    rf"^(?:an?|the)\s+(?:(?P<org1>{ORG})\s+)?(?:(?:senior|chief|top|former)\s+)?"
    rf"(?P<role>{ROLE_NOUNS})(?:\s+(?:for|from|at|of|with|to)\s+(?:the\s+)?(?P<org2>{ORG}))?$")
NAME_SEQ = re.compile(rf"{CAP}(?:\s+(?:(?:de|van|von|der|da|di|bin|al|la|le)\s+)?{CAP})*")
# Where a speaker phrase after a verb stops: a clause or time word ("said Friar at the ...").
# Capitalised only because they start a sentence: never part of a name.
STARTERS = {
    "but", "and", "though", "although", "as", "so", "if", "when", "while", "after", "before",
    "speaking", "in", "at", "on", "for", "with", "by", "from", "to", "however", "meanwhile",
    "yet", "then", "now", "also", "still", "because", "since", "until", "even", "asked",
    "writing", "talking", "i", "we", "it", "he", "she", "they", "this", "that", "there",
    "these", "those", "his", "her", "their", "its", "our", "my", "of", "about", "under",
}
# Words that make a capitalised sequence an organisation or a place, not a person.
ORG_WORDS = {
    "commission", "council", "party", "bank", "group", "united", "association", "department",
    "ministry", "office", "union", "committee", "corporation", "company", "league", "club",
    "court", "parliament", "government", "street", "house", "city", "road", "cup", "games",
    "awards", "records", "institute", "university", "college", "school", "agency", "authority",
    "board", "centre", "center", "foundation", "fund", "trust", "services", "systems", "news",
    "times", "post", "journal", "review", "airlines", "airways", "motors", "international",
    "inc", "ltd", "plc", "corp", "co", "holdings", "industries", "federation", "organisation",
    "organization", "states", "kingdom", "republic", "championship", "championships", "open",
    "festival", "film", "show", "music", "radio", "tv", "television", "channel", "network",
    "exchange", "market", "markets", "street", "square", "hall", "stadium", "park", "europe",
    "america", "africa", "asia", "england", "scotland", "wales", "ireland", "britain", "france",
    "germany", "china", "japan", "india", "russia", "day", "week", "year", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "christmas", "ai", "labs", "technologies", "software", "studios",
    "villa", "rovers", "athletic", "wanderers", "albion", "county", "fc", "grand", "slam",
    "olympic", "olympics", "premiership", "world", "national", "royal", "airport", "hospital",
}
# Common nouns that can speak for themselves: "the company said", "the minister added".
SPEAKER_NOUNS = {
    "company", "firm", "group", "bank", "government", "ministry", "department", "minister",
    "spokesman", "spokeswoman", "spokesperson", "official", "officials", "source", "sources",
    "statement", "report", "analyst", "analysts", "economist", "chairman", "chief", "executive",
    "boss", "director", "manager", "coach", "player", "striker", "defender", "midfielder",
    "captain", "star", "singer", "actor", "actress", "band", "producer", "judge", "court",
    "police", "prosecutor", "prosecutors", "lawyer", "lawyers", "club", "team", "union",
    "committee", "commission", "council", "regulator", "watchdog", "survey", "study",
    "organisation", "organization", "agency", "authority", "party", "leader", "mp", "mps",
    "president", "secretary", "chancellor", "insider", "insiders", "expert", "experts",
    "researchers", "researcher", "campaigners", "campaigner", "critics", "fans", "minutes",
    "opposition", "ceo", "founder", "governor", "senator", "mayor", "aide", "adviser",
    "advisor", "retailer", "carmaker", "airline", "broadcaster", "network", "studio", "label",
}
PHRASE_STOP = re.compile(
    r"\s+(?:at|in|on|who|whose|when|while|during|after|before|to|from|last|yesterday|today|"
    r"this|earlier|later|recently|on|as|because|adding|and\s+(?:added|said)|but|told|"
    r"speaking|writing|in\s+a)\b.*$", re.S)
_LEADING = re.compile(r"^(?:(?:but|and|so|yet|however|meanwhile|instead|indeed|now|then|also|"
                      r"still|though|although|while|because|as)\b[,\s]*)+", re.I)


VERB_RE = re.compile(rf"(?P<verb>\b{VERB})\b", re.I)


@dataclass
class Speaker:
    text: str                       # as written
    name: str | None                # a proper name found in it ("Sarah Friar", "Mr Smith")
    role: str | None = None
    org: str | None = None          # for "an OpenAI spokesperson": OpenAI
    pronoun: str | None = None
    gender: str | None = None
    start: int = -1                 # offset of the speaker phrase in the body


SENTENCE_END = re.compile(r"(?<!\b[A-Z])(?<!\b(?:Mr|Ms|Dr|St|Jr|Sr|Co|vs))(?<!\bMrs)[.!?](?=\s|$)")


def parse_speaker(phrase: str, start: int = -1) -> Speaker | None:
    """Who a speaker phrase names: a pronoun, an organisation's role, or a person's name."""
    phrase = _LEADING.sub("", phrase.strip(" ,;:\t\n")).strip(" ,;:")
    if not phrase or len(phrase) > 90:
        return None
    low = phrase.lower()
    if low in PRONOUNS:
        return Speaker(phrase, None, pronoun=low, gender=PRONOUNS[low], start=start)
    role = _ROLE_PHRASE.match(phrase)
    if role:
        org = role.group("org1") or role.group("org2")
        return Speaker(phrase, None, role=_role_name(role.group("role")), org=org, start=start)
    descriptor = re.match(r"^(?:the|a|an)\s+(?:[\w'-]+\s+){0,3}(?P<noun>[\w-]+)$", low)
    if descriptor and descriptor.group("noun") in SPEAKER_NOUNS:
        return Speaker(phrase, None, role=phrase, start=start)   # "the England captain"
    org = re.match(rf"^the\s+(?P<org>{ORG})$", phrase)
    if org and not person_like(org.group("org").split()):
        return Speaker(phrase, None, org=org.group("org"), start=start)  # "the Bank of England"
    head = phrase.split(",")[0].strip()
    for match in reversed(list(NAME_SEQ.finditer(head))):
        words = match.group().split()
        skip, cut = name_bounds(words)
        name_words = strip_postnominals(words[cut:])
        if not name_words or (len(name_words) == 1 and
                              name_words[0].lower().strip(".") in ROLE_WORDS | STARTERS):
            continue
        gender = TITLES.get(name_words[0].lower().strip("."))
        before = head[:match.start()]
        name = " ".join(name_words)
        joint = re.search(rf"({CAP}(?:\s+{CAP})*)\s+and\s+$", before) if not cut else None
        if joint:                                  # 'Ryan Crabbe and Gordon Rennie'
            first = joint.group(1).split()
            first = first[name_bounds(first)[1]:]
            if first and person_like(first[-1:]):
                name, before, gender = " ".join(first) + " and " + name, before[:joint.start()], None
        role_text = (before + " ".join(words[skip:cut])).strip(" ,") or None
        if role_text and (role_text.lower() in STARTERS | {"the", "a", "an"}
                          or len(role_text.split()) > 6 or VERB_RE.search(role_text)
                          or re.search(r"\b(?:was|were|is|are)\b", role_text)):
            role_text = None
        offset = phrase.find(match.group()) + len(" ".join(words[:cut])) + (1 if cut else 0)
        return Speaker(phrase, name, role=role_text, gender=gender,
                        start=start + offset if start >= 0 else -1)
    return None


POSTNOMINALS = {"QC", "KC", "MP", "MEP", "MSP", "AM", "OBE", "CBE", "MBE", "Jr", "Sr", "Jr.",
                "Sr.", "PhD"}


def strip_postnominals(words: list[str]) -> list[str]:
    """'Guy Mansfield QC' -> 'Guy Mansfield'."""
    while len(words) > 1 and words[-1].strip(",") in POSTNOMINALS:
        words = words[:-1]
    return words


def name_bounds(words: list[str]) -> tuple[int, int]:
    """(sentence-start words to skip, where the name starts) in a capitalised sequence:
    'But Chief Financial Officer Sarah Friar' -> name 'Sarah Friar'."""
    skip = 0
    while skip < len(words) and words[skip].lower() in STARTERS:
        skip += 1
    cut = skip
    for i in range(skip, len(words) - 1):
        word = words[i].lower().strip(".")
        if word in ROLE_WORDS or (_looks_like_org(words[i]) and word not in TITLES):
            cut = i + 1
    return skip, cut


def _role_name(role: str) -> str:
    role = role.lower()
    if role.startswith("spokes"):
        return "spokesperson"
    return role.rstrip("s") if role.endswith(("officials", "sources", "analysts")) else role


def _looks_like_org(word: str) -> bool:
    return sum(c.isupper() for c in word) >= 2      # OpenAI, BBC, IBM: an acronym or camel case




PRONOUN_WINDOW = 300      # characters before a pronoun in which a speaking person is preferred
_SPEAKING = re.compile(rf"(?:['\u2019]s?)?(?:,[^.;\"\u201c\u201d]{{0,110}}?,\s*(?:who\s+)?|,\s*who\s+|\s+"
                       rf"(?:who\s+)?){AUX}(?:{VERBS}|described|wrote)\b", re.I)


class Intervals:
    """Half-open spans (start, end), merged, answering 'is this offset inside one' by bisection
    (a scan of every span per offset made long articles quadratic)."""

    def __init__(self, spans: Sequence[tuple[int, int]]):
        merged: list[list[int]] = []
        for start, end in sorted(s for s in spans if s[0] < s[1]):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self.starts = [m[0] for m in merged]
        self.ends = [m[1] for m in merged]

    def __contains__(self, offset: int) -> bool:
        i = bisect_right(self.starts, offset) - 1
        return i >= 0 and offset < self.ends[i]


def _compatible(gender: str | None, other: str | None) -> bool:
    return gender is None or other is None or other == gender


class SpeakerTrail:
    """The named speakers of an article so far (offset, name, gender), added in the order of
    the text: the people 'he' or 'she' most likely is. Kept per gender, for bisection."""

    def __init__(self) -> None:
        self._views: dict[str | None, tuple[list[int], list[tuple[int, str, str | None]]]] = {
            g: ([], []) for g in (None, "m", "f")}

    def append(self, entry: tuple[int, str, str | None]) -> None:
        for gender, (offsets, entries) in self._views.items():
            if _compatible(gender, entry[2]):
                offsets.append(entry[0])
                entries.append(entry)

    def view(self, gender: str | None) -> tuple[list[int], list[tuple[int, str, str | None]]]:
        if gender not in self._views:
            every = self._views[None][1]
            kept = [e for e in every if _compatible(gender, e[2])]
            self._views[gender] = ([e[0] for e in kept], kept)
        return self._views[gender]


class ArticleNames:
    """The people an article names, to resolve 'Friar', 'Mr Smith' and 'he'. Every lookup is
    a bisection or a dictionary: the work grows with the article, not with its square."""

    def __init__(self, body: str, mentions: Sequence[Any] = (),
                 quoted: Sequence[tuple[int, int]] = ()):
        self.body = body
        self.quoted = Intervals(quoted)
        self.full: list[tuple[int, str]] = []        # (offset, "Sarah Friar"): every person
        self.people: list[tuple[int, str]] = []      # the same, but not after a preposition,
                                                     # plus surnames alone: who 'he' can be
        self.sequences: list[tuple[int, str]] = []   # every capitalised run: 'Cairn Energy'
        self.titled: list[tuple[int, str, str | None]] = []   # (offset, "Mr Smith", gender)
        self.mentions = list(mentions)
        for match in NAME_SEQ.finditer(body):
            words = match.group().split()
            _, cut = name_bounds(words)
            name = strip_postnominals(words[cut:])
            if not name:
                continue
            offset = match.start() + len(" ".join(words[:cut])) + (1 if cut else 0)
            if len(name) >= 2:
                self.sequences.append((offset, " ".join(name)))
            title = name[0].lower().strip(".")
            after_preposition = re.search(   # 'joined Aston Villa': more likely a place
                r"\b(?:at|for|of|to|against|from|in|into|on|with|by|the)\s+$",
                body[max(0, offset - 12):offset])
            if title in TITLES and len(name) >= 2:
                self.titled.append((offset, " ".join(name), TITLES[title]))
                if len(name) >= 3:
                    self.full.append((offset, " ".join(name[1:])))
            elif 2 <= len(name) <= 3 and person_like(name):
                self.full.append((offset, " ".join(name)))
                if not after_preposition:
                    self.people.append((offset, " ".join(name)))

        # 'Henman added that ...': a surname alone names the person again (but not in
        # 'Mr Henman' or 'Tim Henman', counted already)
        for start, full in _surname_occurrences(body, {f.split()[-1]: f for _, f in self.full}):
            previous = body[max(0, start - 30):start].split()[-1:]
            word = previous[0] if previous else ""
            if not word[:1].isupper() or word[-1:] in ".!?:;,\"\u201d":
                self.people.append((start, full))
        self.people.sort()

        self._full_by_surname: dict[str, list[tuple[int, str]]] = {}
        for offset, full in self.full:
            self._full_by_surname.setdefault(full.split()[-1], []).append((offset, full))
        self._sequences_by_first: dict[str, list[tuple[int, str]]] = {}
        for offset, seq in self.sequences:
            if seq.split()[-1].lower() not in STARTERS:
                self._sequences_by_first.setdefault(seq.split()[0], []).append((offset, seq))
        self._gender_of: dict[str, str | None] = {}
        for _, titled, gender in self.titled:
            self._gender_of.setdefault(titled.split()[-1], gender)
        self._candidates: dict[str | None, tuple[list[int], list[tuple]]] = {}
        self._speaking_at: dict[int, bool] = {}
        self._newlines: list[int] | None = None
        self._sentence_ends: list[int] | None = None

    def gender_of(self, name: str) -> str | None:
        """The gender of the first titled name ('Mrs Smith') sharing the name's last word."""
        return self._gender_of.get(name.split()[-1]) if name.split() else None

    def full_name(self, name: str, position: int) -> str:
        """'Friar' or 'Mr Friar' -> 'Sarah Friar' when the article names her in full."""
        words = name.split()
        if words and words[0].lower().strip(".") in TITLES:
            words = words[1:]
        if not words:
            return name
        surname = words[-1]
        found = [(o, full) for o, full in self._full_by_surname.get(surname, ())
                 if len(full.split()) > len(words)
                 and (len(words) == 1 or full.split()[0] == words[0])]
        if not found and len(words) == 1:        # 'Cairn said' -> 'Cairn Energy'
            found = self._sequences_by_first.get(surname, [])
        if not found:
            return name
        # the last named at or before the position, else the first (offsets are in order)
        i = bisect_right(found, position, key=lambda f: f[0])
        return (found[i - 1] if i else found[0])[1]

    def person_before(self, position: int, gender: str | None,
                      speakers: SpeakerTrail) -> tuple[str, str | None] | None:
        """Who 'he' or 'she' at `position` is, among the people named before it (not inside a
        quotation, gender not contradicting): one who speaks in the last few sentences ('Paul
        Jones, who sang ..., said'), else the subject (first person named) of the nearest
        sentence that names anyone. Speakers already attributed win ties."""
        offsets, people = self._people(gender)
        s_offsets, s_people = speakers.view(gender)
        top = bisect_left(offsets, position)               # people[:top] are before it
        s_top = bisect_left(s_offsets, position)
        while s_top and s_people[s_top - 1][0] in self.quoted:
            s_top -= 1        # (speakers are quotation marks, never inside a quotation)

        # a person who speaks within PRONOUN_WINDOW characters: the nearest
        floor = position - PRONOUN_WINDOW
        spoke = s_people[s_top - 1] if s_top and s_people[s_top - 1][0] >= floor else None
        best = None
        i = top - 1
        while i >= 0 and offsets[i] >= floor:
            if self._speaking(offsets[i]) and (best is None or offsets[i] >= best[0]):
                best = people[i]          # the same offset again: a lower rank, first listed
            i -= 1
        if spoke is not None and (best is None or spoke[0] >= best[0]):
            return spoke[1], spoke[2]
        if best is not None:
            return best[2], best[3]

        # else the first person named in the sentence of the nearest one
        nearest = offsets[top - 1] if top else None
        s_nearest = s_people[s_top - 1][0] if s_top else None
        if nearest is None and s_nearest is None:
            return None
        start = self._sentence_start(max(o for o in (nearest, s_nearest) if o is not None))
        first = bisect_left(offsets, start, 0, top)
        s_first = bisect_left(s_offsets, start, 0, s_top)
        if s_first < s_top and (first >= top or s_offsets[s_first] <= offsets[first]):
            return s_people[s_first][1], s_people[s_first][2]
        return people[first][2], people[first][3]

    def _people(self, gender: str | None) -> tuple[list[int], list[tuple]]:
        """Who a pronoun can be, sorted by (offset, rank): the titled names, the people, then
        person mentions (rank keeps that order for ties), none inside a quotation."""
        if gender not in self._candidates:
            found: list[tuple] = []
            for offset, name, g in self.titled:
                found.append((offset, len(found), name, g))
            for offset, name in self.people:
                found.append((offset, len(found), name, None))
            for mention in self.mentions:
                if str(getattr(mention, "type", "")).lower() in {"person", "per"}:
                    name = getattr(mention, "entity", None) or getattr(mention, "text", "")
                    found.append((getattr(mention, "start", 0), len(found), name, None))
            found = sorted(p for p in found
                           if _compatible(gender, p[3]) and p[0] not in self.quoted)
            self._candidates[gender] = ([p[0] for p in found], found)
        return self._candidates[gender]

    def _sentence_start(self, offset: int) -> int:
        """Where the sentence holding `offset` starts (its paragraph's start at the latest)."""
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self.body)]
            self._sentence_ends = [m.end() for m in SENTENCE_END.finditer(self.body)]
        i = bisect_left(self._newlines, offset)          # the last newline before offset
        para = self._newlines[i - 1] + 1 if i else 0
        # a sentence end right before the offset counts even though no space follows it
        # (the text was read up to the offset); the others are those of the whole text
        if offset - 1 >= para and SENTENCE_END.match(self.body, offset - 1, offset):
            return offset
        j = bisect_right(self._sentence_ends, offset - 1)
        if j and self._sentence_ends[j - 1] > para:
            return self._sentence_ends[j - 1]
        return para

    def _speaking(self, offset: int) -> bool:
        """The name at `offset` is the subject of a speech verb ('Jones, who ..., said')."""
        known = self._speaking_at.get(offset)
        if known is None:
            match = NAME_SEQ.match(self.body, offset)
            end = match.end() if match else offset
            known = self._speaking_at[offset] = _SPEAKING.match(self.body, end) is not None
        return known


_RUN = re.compile(r"[\w'-]+")


def _surname_occurrences(body: str, surnames: dict[str, str]) -> list[tuple[int, str]]:
    """(offset, full name) of each surname standing alone (not inside a longer word): one pass
    over the text's word runs, not one pass per surname."""
    found: list[tuple[int, str]] = []
    plain = {s: f for s, f in surnames.items() if _RUN.fullmatch(s)}
    if plain:
        for match in _RUN.finditer(body):
            full = plain.get(match.group())
            if full is not None:
                found.append((match.start(), full))
    for surname, full in surnames.items():      # 'O\u2019Neill', 'J.K': rare, scanned alone
        if surname not in plain:
            for match in re.finditer(rf"(?<![\w'-]){re.escape(surname)}(?![\w'-])", body):
                found.append((match.start(), full))
    return found


def person_like(words: list[str]) -> bool:
    return all(w[:1].isupper() and (len(w) == 1 or not w[1:].isupper()) and
               w.lower() not in ORG_WORDS | STARTERS | ROLE_WORDS for w in words)
