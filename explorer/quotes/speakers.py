"""Who a phrase names, and who the people of an article are: the speaker side of quotations.

`parse_speaker` reads an attribution phrase ("chief executive Tim Cook", "an OpenAI
spokesperson", "he") into a name, a role, an organisation or a pronoun; `ArticleNames` knows the
people an article names, to turn "Friar" into Sarah Friar and "he" into the person it most likely
is. Word lists are plain data: the speech verbs, titles, job words, sentence starters.
"""

from __future__ import annotations

import re
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


class ArticleNames:
    """The people an article names, to resolve 'Friar', 'Mr Smith' and 'he'."""

    def __init__(self, body: str, mentions: Sequence[Any] = (),
                 quoted: Sequence[tuple[int, int]] = ()):
        self.body = body
        self.quoted = list(quoted)
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
        for surname, full in {f.split()[-1]: f for _, f in self.full}.items():
            for match in re.finditer(rf"(?<![\w'-]){re.escape(surname)}(?![\w'-])", body):
                previous = body[max(0, match.start() - 30):match.start()].split()[-1:]
                word = previous[0] if previous else ""
                if not word[:1].isupper() or word[-1:] in ".!?:;,\"\u201d":
                    self.people.append((match.start(), full))
        self.people.sort()

    def full_name(self, name: str, position: int) -> str:
        """'Friar' or 'Mr Friar' -> 'Sarah Friar' when the article names her in full."""
        words = name.split()
        if words and words[0].lower().strip(".") in TITLES:
            words = words[1:]
        if not words:
            return name
        surname = words[-1]
        found = [(o, full) for o, full in self.full
                 if full.split()[-1] == surname and len(full.split()) > len(words)
                 and (len(words) == 1 or full.split()[0] == words[0])]
        if not found and len(words) == 1:        # 'Cairn said' -> 'Cairn Energy'
            found = [(o, seq) for o, seq in self.sequences
                     if seq.split()[0] == surname and seq.split()[-1].lower() not in STARTERS]
        if not found:
            return name
        before = [f for f in found if f[0] <= position]
        return (before[-1] if before else found[0])[1]

    def person_before(self, position: int, gender: str | None,
                      speakers: list[tuple[int, str, str | None]]) -> tuple[str, str | None] | None:
        """Who 'he' or 'she' at `position` is, among the people named before it (not inside a
        quotation, gender not contradicting): one who speaks in the last few sentences ('Paul
        Jones, who sang ..., said'), else the subject (first person named) of the nearest
        sentence that names anyone."""
        people = [(o, n, g, True) for o, n, g in speakers]
        people += [(o, n, g, self._speaking(o)) for o, n, g in self.titled]
        people += [(o, n, None, self._speaking(o)) for o, n in self.people]
        for mention in self.mentions:
            if str(getattr(mention, "type", "")).lower() in {"person", "per"}:
                name = getattr(mention, "entity", None) or getattr(mention, "text", "")
                start = getattr(mention, "start", 0)
                people.append((start, name, None, self._speaking(start)))
        people = [p for p in people if p[0] < position and
                  (gender is None or p[2] is None or p[2] == gender) and
                  not any(s <= p[0] < e for s, e in self.quoted)]   # not a name quoted
        if not people:
            return None
        speaking = [p for p in people if p[3] and position - p[0] <= PRONOUN_WINDOW]
        if speaking:
            chosen = max(speaking, key=lambda p: p[0])
        else:
            nearest = max(people, key=lambda p: p[0])
            start = self._sentence_start(nearest[0])
            chosen = min((p for p in people if p[0] >= start), key=lambda p: p[0])
        return chosen[1], chosen[2]

    def _sentence_start(self, offset: int) -> int:
        para = self.body.rfind("\n", 0, offset) + 1
        ends = [m.end() for m in SENTENCE_END.finditer(self.body, para, offset)]
        return ends[-1] if ends else para

    def _speaking(self, offset: int) -> bool:
        """The name at `offset` is the subject of a speech verb ('Jones, who ..., said')."""
        match = NAME_SEQ.match(self.body, offset)
        end = match.end() if match else offset
        return _SPEAKING.match(self.body, end) is not None


def person_like(words: list[str]) -> bool:
    return all(w[:1].isupper() and (len(w) == 1 or not w[1:].isupper()) and
               w.lower() not in ORG_WORDS | STARTERS | ROLE_WORDS for w in words)
