"""Direct quotations in an article and who said them.

Detection pairs double quote marks (straight or curly) within a paragraph; a quotation that runs
on into a paragraph opening with a quote mark continues there (the newspaper convention for
multi-paragraph quotes). Short quoted words ("so-called "superintelligence"") and titles of works
are not quotations. Attribution reads the sentence around the quotation: `..." said X`,
`..." X said`, `X said: "...`, `according to X`, `an OpenAI spokesperson said`; a pronoun ("he
said") is the nearest person named before it; an unattributed quotation right after an attributed
one in the same passage continues it. Speakers are resolved through the article's own names
("Friar" -> Sarah Friar) and, when given, the entity mentions and resolver.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Iterable, Sequence

# resolve(text) -> (canonical entity name, score) or None (the Workspace's entity resolver).
Resolver = Callable[[str], "tuple[str, float] | None"]

OPENING = "\u201c\u201e\u201f"          # curly and low-9 opening marks
CLOSING = "\u201d"
MARKS = OPENING + CLOSING + '"'
MIN_WORDS = 4                            # fewer words need an attribution to count as a quotation
SHORT_MIN_WORDS = 2

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
_VERB = rf"(?:{VERBS})"
_AUX = r"(?:has |had |have |would |will |also |later |then |previously |once )*"

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
_CAP = r"(?:\d*[A-Z](?:[\w&-]|['\u2019](?=\w)(?!s\b)|\.(?=[A-Z]))*)"
_ORG = rf"{_CAP}(?:\s+(?:of|for|and|&|de|the)?\s*{_CAP})*"
_ROLE_PHRASE = re.compile(
    rf"^(?:an?|the)\s+(?:(?P<org1>{_ORG})\s+)?(?:(?:senior|chief|top|former)\s+)?"
    rf"(?P<role>{ROLE_NOUNS})(?:\s+(?:for|from|at|of|with|to)\s+(?:the\s+)?(?P<org2>{_ORG}))?$")
_NAME_SEQ = re.compile(rf"{_CAP}(?:\s+(?:(?:de|van|von|der|da|di|bin|al|la|le)\s+)?{_CAP})*")
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
_PHRASE_STOP = re.compile(
    r"\s+(?:at|in|on|who|whose|when|while|during|after|before|to|from|last|yesterday|today|"
    r"this|earlier|later|recently|on|as|because|adding|and\s+(?:added|said)|but|told|"
    r"speaking|writing|in\s+a)\b.*$", re.S)
_LEADING = re.compile(r"^(?:(?:but|and|so|yet|however|meanwhile|instead|indeed|now|then|also|"
                      r"still|though|although|while|because|as)\b[,\s]*)+", re.I)


@dataclass(frozen=True)
class Quotation:
    """A direct quotation: the quoted words, where they are, and who said them."""

    article_id: str
    start: int                      # offsets of the quoted words in the article body
    end: int
    text: str                       # the quoted words (continuation marks of later paragraphs
                                    # removed)
    speaker: str | None = None      # the resolved name: "Sarah Friar", "OpenAI"
    speaker_text: str | None = None  # as written: "Friar", "an OpenAI spokesperson", "he"
    speaker_role: str | None = None  # "spokesperson", "chief executive"
    speaker_entity: str | None = None  # the canonical entity, when the resolver knows it
    method: str | None = None       # how it was attributed (see ATTRIBUTION_METHODS)
    paragraphs: int = 1
    entities: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["entities"] = list(self.entities)
        return data


ATTRIBUTION_METHODS = {
    "said-after": '"...," said X / "...," X said',
    "said-before": 'X said: "..."',
    "according-to": 'according to X, "..." / "..." according to X',
    "pronoun": '"...," he said: the nearest person named before',
    "continuation": "an unattributed quotation following one by the same speaker",
}


@dataclass
class _Span:
    start: int
    end: int
    pieces: list[tuple[int, int]]   # (start, end) of the quoted words in each paragraph
    closed: bool = True

    def text(self, body: str) -> str:
        out = body[self.pieces[0][0]:self.pieces[0][1]].strip()
        for (_, prev_end), (start, end) in zip(self.pieces, self.pieces[1:]):
            out += ("\n\n" if "\n" in body[prev_end:start] else " ") + body[start:end].strip()
        return out


# ---- detection -------------------------------------------------------------------------------

def _paragraphs(body: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in body.split("\n"):
        if line.strip():
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _starts_with_opening(body: str, para: tuple[int, int]) -> int | None:
    text = body[para[0]:para[1]]
    stripped = len(text) - len(text.lstrip())
    if text.lstrip()[:1] and text.lstrip()[0] in OPENING + '"':
        return para[0] + stripped
    return None


def find_spans(body: str) -> list[_Span]:
    """Every span between paired double quote marks, multi-paragraph quotes joined."""
    spans: list[_Span] = []
    paras = _paragraphs(body)
    current: _Span | None = None     # open quotation carried between paragraphs
    skip_mark: int | None = None     # the continuation mark that opens the next paragraph
    for number, (p_start, p_end) in enumerate(paras):
        piece_start = None
        if current is not None:
            piece_start = (skip_mark or p_start) + 1
        for pos in range(p_start, p_end):
            char = body[pos]
            if char not in MARKS or pos == skip_mark:
                continue
            opening = char in OPENING or (char == '"' and (piece_start is None
                                                           or _opens_sentence(body, pos)))
            if opening and piece_start is not None and _after_sentence(body, piece_start, pos):
                # '... in LA. "My second passion ...': a quotation whose paragraph break was
                # lost (common in the BBC texts) goes on in the same quotation
                pieces = (current.pieces if current else []) + [(piece_start, pos)]
                current, piece_start = _Span(pieces[0][0], pos, pieces), pos + 1
                continue
            if opening:                  # an opening mark inside an open quotation: start again
                current, piece_start = None, pos + 1
                continue
            if piece_start is None:
                continue                                   # a closing mark with no opening
            pieces = (current.pieces if current else []) + [(piece_start, pos)]
            spans.append(_Span(pieces[0][0], pos, pieces))
            current, piece_start = None, None
        skip_mark = None
        if piece_start is None:
            continue
        pieces = (current.pieces if current else []) + [(piece_start, p_end)]
        following = paras[number + 1] if number + 1 < len(paras) else None
        mark = _starts_with_opening(body, following) if following else None
        if mark is not None:
            current, skip_mark = _Span(pieces[0][0], p_end, pieces), mark
        else:                                              # unterminated: ends with its paragraph
            spans.append(_Span(pieces[0][0], p_end, pieces, closed=False))
            current = None
    return spans


def _opens_sentence(body: str, pos: int) -> bool:
    """A straight mark after a space and before a word: it opens a quotation."""
    return (0 < pos < len(body) - 1 and body[pos - 1].isspace()
            and (body[pos + 1].isalnum() or body[pos + 1] in "'\u2018"))


def _after_sentence(body: str, start: int, pos: int) -> bool:
    before = body[start:pos].rstrip()
    return len(before) > 0 and before[-1] in ".?!\u2026" and body[pos - 1].isspace()


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'\u2019-]+", text)


def _is_title_of_work(text: str) -> bool:
    """'The Lord of the Rings': every significant word capitalised and no sentence punctuation."""
    words = _words(text)
    significant = [w for w in words if w.lower() not in
                   {"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "with",
                    "from", "by", "is", "are"}]
    if not significant or any(c in text for c in ",.!?;"):
        return False
    return all(w[0].isupper() or w[0].isdigit() for w in significant)


# ---- attribution -----------------------------------------------------------------------------

@dataclass
class _Speaker:
    text: str                       # as written
    name: str | None                # a proper name found in it ("Sarah Friar", "Mr Smith")
    role: str | None = None
    org: str | None = None          # for "an OpenAI spokesperson": OpenAI
    pronoun: str | None = None
    gender: str | None = None
    start: int = -1                 # offset of the speaker phrase in the body


_SENTENCE_END = re.compile(r"(?<!\b[A-Z])(?<!\b(?:Mr|Ms|Dr|St|Jr|Sr|Co|vs))(?<!\bMrs)[.!?](?=\s|$)")


def parse_speaker(phrase: str, start: int = -1) -> _Speaker | None:
    """Who a speaker phrase names: a pronoun, an organisation's role, or a person's name."""
    phrase = _LEADING.sub("", phrase.strip(" ,;:\t\n")).strip(" ,;:")
    if not phrase or len(phrase) > 90:
        return None
    low = phrase.lower()
    if low in PRONOUNS:
        return _Speaker(phrase, None, pronoun=low, gender=PRONOUNS[low], start=start)
    role = _ROLE_PHRASE.match(phrase)
    if role:
        org = role.group("org1") or role.group("org2")
        return _Speaker(phrase, None, role=_role_name(role.group("role")), org=org, start=start)
    descriptor = re.match(r"^(?:the|a|an)\s+(?:[\w'-]+\s+){0,3}(?P<noun>[\w-]+)$", low)
    if descriptor and descriptor.group("noun") in SPEAKER_NOUNS:
        return _Speaker(phrase, None, role=phrase, start=start)   # "the England captain"
    org = re.match(rf"^the\s+(?P<org>{_ORG})$", phrase)
    if org and not _person_like(org.group("org").split()):
        return _Speaker(phrase, None, org=org.group("org"), start=start)  # "the Bank of England"
    head = phrase.split(",")[0].strip()
    for match in reversed(list(_NAME_SEQ.finditer(head))):
        words = match.group().split()
        skip, cut = _name_bounds(words)
        name_words = _strip_postnominals(words[cut:])
        if not name_words or (len(name_words) == 1 and
                              name_words[0].lower().strip(".") in ROLE_WORDS | STARTERS):
            continue
        gender = TITLES.get(name_words[0].lower().strip("."))
        before = head[:match.start()]
        name = " ".join(name_words)
        joint = re.search(rf"({_CAP}(?:\s+{_CAP})*)\s+and\s+$", before) if not cut else None
        if joint:                                  # 'Ryan Crabbe and Gordon Rennie'
            first = joint.group(1).split()
            first = first[_name_bounds(first)[1]:]
            if first and _person_like(first[-1:]):
                name, before, gender = " ".join(first) + " and " + name, before[:joint.start()], None
        role_text = (before + " ".join(words[skip:cut])).strip(" ,") or None
        if role_text and (role_text.lower() in STARTERS | {"the", "a", "an"}
                          or len(role_text.split()) > 6 or _VERB_RE.search(role_text)
                          or re.search(r"\b(?:was|were|is|are)\b", role_text)):
            role_text = None
        offset = phrase.find(match.group()) + len(" ".join(words[:cut])) + (1 if cut else 0)
        return _Speaker(phrase, name, role=role_text, gender=gender,
                        start=start + offset if start >= 0 else -1)
    return None


POSTNOMINALS = {"QC", "KC", "MP", "MEP", "MSP", "AM", "OBE", "CBE", "MBE", "Jr", "Sr", "Jr.",
                "Sr.", "PhD"}


def _strip_postnominals(words: list[str]) -> list[str]:
    """'Guy Mansfield QC' -> 'Guy Mansfield'."""
    while len(words) > 1 and words[-1].strip(",") in POSTNOMINALS:
        words = words[:-1]
    return words


def _name_bounds(words: list[str]) -> tuple[int, int]:
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


def _after(body: str, end: int, para_end: int) -> str:
    text = body[end + 1:para_end] if end < len(body) else ""
    cut = len(text)
    for i, c in enumerate(text):
        if c in MARKS:
            cut = i
            break
    text = text[:cut]
    sentence = _SENTENCE_END.search(text)
    return text[:sentence.start()] if sentence else text


def _before(body: str, start: int, para_start: int) -> tuple[str, int]:
    """The sentence before an opening mark (back to a sentence end, a quote mark or paragraph)."""
    text = body[para_start:start - 1]
    base = para_start
    last = max((i for i, c in enumerate(text) if c in MARKS), default=-1)
    if last >= 0:
        base, text = base + last + 1, text[last + 1:]
    ends = list(_SENTENCE_END.finditer(text))
    if ends:
        cut = ends[-1].end()
        base, text = base + cut, text[cut:]
    return text, base


_AFTER_VERB_FIRST = re.compile(rf"^\s*,?\s*{_AUX}(?P<verb>{_VERB})\s+(?P<spk>[^,;:\n]+)"
                               r"(?:,\s*(?P<app>[^,;:\n]{3,80}))?", re.I)
_AFTER_SPEAKER_FIRST = re.compile(
    rf"^\s*,?\s*(?P<spk>[^,;:\n]{{1,80}}?)(?:,[^,;:\n]{{1,80}},)?\s+{_AUX}(?P<verb>{_VERB})\b")
_ATTRIBUTION_END = re.compile(r"\s*(?:[.,;]|$|(?:on|at|in|from|during|after|before|last|"
                              r"yesterday|today|earlier|later|recently|this|when|while|"
                              r"reporters|journalists|the\s+BBC|BBC)\b)")
_ACCORDING_AFTER = re.compile(r"^\s*,?\s*according to\s+(?P<spk>[^,;:\n]+)", re.I)
_ACCORDING_BEFORE = re.compile(r"according to\s+(?P<spk>[^,;:\n]+?)\s*[,:]?\s*$", re.I)
_DESCRIBED_BY = re.compile(r"\b(?:described|called|dubbed|branded|quoted)\s+by\s+"
                           rf"(?P<spk>{_CAP}(?:\s+{_CAP})*)\s+as(?:\s+(?:the|a|an|being))?\s*$")
_TRAILING_AUX = re.compile(r"(?:\s+(?:has|have|had|would|will|also|later|then|previously|once|"
                           r"is|was|were|are|has been|have been|quoted as|reported as))+\s*$",
                           re.I)
# 'recent comments in a newspaper', 'his claims': a speech word used as a noun
_NOUN_BEFORE = re.compile(r"\b(?:the|a|an|his|her|their|its|our|my|your|recent|these|those|such|"
                          r"any|no|some|whose|new|further|earlier|latest)\s+$", re.I)
_VERB_RE = re.compile(rf"(?P<verb>\b{_VERB})\b", re.I)


# A clause after a quotation that starts like this is not its attribution ('a "tough meeting"
# where some senior Tories argued ...').
_CLAUSE_START = re.compile(r"\s*(?:where|which|who|whom|whose|when|while|that|because|after|"
                           r"before|if|since|until|than|so|and|but|or|to|for|in|on|at|of|by|"
                           r"with)\b", re.I)


def _after_speaker(body: str, span: _Span, para_end: int) -> tuple[_Speaker, str] | None:
    if not span.closed:
        return None
    text = _after(body, span.end, para_end)
    base = span.end + 1
    if text.rstrip().endswith(":"):
        return None      # '"A." Gere said: "B."': the attribution introduces the next quotation
    match = _ACCORDING_AFTER.match(text)
    if match:
        spk = parse_speaker(match.group("spk"), base + match.start("spk"))
        return (spk, "according-to") if spk else None
    match = _AFTER_VERB_FIRST.match(text)
    if match and not re.match(r"\s*(?:that|it|to|by|in)\b", match.group("spk")):
        phrase = _PHRASE_STOP.sub("", match.group("spk"))
        spk = parse_speaker(phrase, base + match.start("spk"))
        if spk and spk.pronoun is None and (spk.name or spk.org or spk.role):
            appositive = (match.group("app") or "").strip()
            if (spk.name and not spk.role and appositive[:1].islower()
                    and not _CLAUSE_START.match(appositive)):
                spk.role = appositive            # 'said Ian Shepherdson, chief economist at X'
            return spk, "said-after"
    match = _AFTER_SPEAKER_FIRST.match(text)
    if match:
        phrase = match.group("spk")
        ended = body[span.pieces[-1][0]:span.end].rstrip()[-1:] in (".", "\u2026")
        if (len(_words(phrase)) <= 8 and not re.search(r"\b(?:that|which)\b", phrase)
                and not _CLAUSE_START.match(phrase)
                and not (ended and not _ATTRIBUTION_END.match(text, match.end()))):
            # after a quotation that ends its sentence, 'Shearer said he was unsure ...' is a
            # new sentence of reported speech, not this quotation's attribution
            spk = parse_speaker(phrase, base + match.start("spk"))
            if spk:
                return spk, ("pronoun" if spk.pronoun else "said-after")
    return None


def _before_speaker(body: str, span: _Span, para_start: int) -> tuple[_Speaker, str] | None:
    text, base = _before(body, span.start, para_start)
    if not text.strip():
        return None
    match = _ACCORDING_BEFORE.search(text)
    if match:
        spk = parse_speaker(match.group("spk"), base + match.start("spk"))
        return (spk, "according-to") if spk else None
    match = _DESCRIBED_BY.search(text)
    if match:
        spk = parse_speaker(match.group("spk"), base + match.start("spk"))
        return (spk, "said-before") if spk and spk.name else None
    verbs = [m for m in _VERB_RE.finditer(text) if len(text) - m.end() <= 60
             and not _NOUN_BEFORE.search(text, 0, m.start())]
    if not verbs:
        return None
    match = verbs[-1]                   # 'Asked for his worst memory, he said:': the last verb
    # 'Mansfield warned there was a risk that people on the "margins of society"': a partial
    # quotation in reported speech is still the words of the subject of the speech verb
    subject = _TRAILING_AUX.sub("", text[:match.start("verb")])
    segments = subject.split(",")
    offset = 0
    starts = []
    for seg in segments:
        starts.append(offset)
        offset += len(seg) + 1
    ordered = list(zip(segments, starts))
    if not subject.rstrip().endswith(","):       # 'Speaking on Today, Mr Smith said': the last
        ordered.reverse()                        # 'Mr Smith, the firm's boss, said': the first
    for seg, seg_start in ordered:
        if (not seg.strip() or len(_words(seg)) > 12
                or re.search(rf"\b(?:{VERBS}|that)\b", seg, re.I)):
            continue
        spk = parse_speaker(seg, base + seg_start + (len(seg) - len(seg.lstrip())))
        if spk and (spk.name or spk.pronoun or spk.org or spk.role):
            return spk, ("pronoun" if spk.pronoun else "said-before")
    return None


# ---- resolution ------------------------------------------------------------------------------

PRONOUN_WINDOW = 300      # characters before a pronoun in which a speaking person is preferred
_SPEAKING = re.compile(rf"(?:['\u2019]s?)?(?:,[^.;\"\u201c\u201d]{{0,110}}?,\s*(?:who\s+)?|,\s*who\s+|\s+"
                       rf"(?:who\s+)?){_AUX}(?:{VERBS}|described|wrote)\b", re.I)


class _Names:
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
        for match in _NAME_SEQ.finditer(body):
            words = match.group().split()
            _, cut = _name_bounds(words)
            name = _strip_postnominals(words[cut:])
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
            elif 2 <= len(name) <= 3 and _person_like(name):
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
        ends = [m.end() for m in _SENTENCE_END.finditer(self.body, para, offset)]
        return ends[-1] if ends else para

    def _speaking(self, offset: int) -> bool:
        """The name at `offset` is the subject of a speech verb ('Jones, who ..., said')."""
        match = _NAME_SEQ.match(self.body, offset)
        end = match.end() if match else offset
        return _SPEAKING.match(self.body, end) is not None


def _person_like(words: list[str]) -> bool:
    return all(w[:1].isupper() and (len(w) == 1 or not w[1:].isupper()) and
               w.lower() not in ORG_WORDS | STARTERS | ROLE_WORDS for w in words)


def _mention_at(mentions: Sequence[Any], start: int, end: int):
    for mention in mentions:
        m_start, m_end = getattr(mention, "start", -1), getattr(mention, "end", -1)
        if m_start < end and m_end > start and getattr(mention, "entity", None):
            return mention
    return None


def _entities_in(mentions: Sequence[Any], start: int, end: int) -> tuple[str, ...]:
    names: list[str] = []
    for mention in mentions:
        if getattr(mention, "start", -1) >= start and getattr(mention, "end", 1 << 60) <= end:
            name = getattr(mention, "entity", None)
            if name and name not in names:
                names.append(name)
    return tuple(names)


# ---- the whole article -----------------------------------------------------------------------

def detect_quotations(body: str, article_id: str = "", *, mentions: Sequence[Any] = (),
                      resolve: Resolver | None = None) -> list[Quotation]:
    """The direct quotations of an article body, attributed where the text says who spoke."""
    paras = _paragraphs(body)
    spans = find_spans(body)
    names = _Names(body, mentions, [(s.start, s.end) for s in spans])
    found: list[Quotation] = []
    speakers: list[tuple[int, str, str | None]] = []    # named speakers so far, for pronouns
    previous: tuple[_Span, Quotation] | None = None
    for span in spans:
        para_start = max((p[0] for p in paras if p[0] <= span.start), default=0)
        para_end = min((p[1] for p in paras if p[1] >= span.end), default=len(body))
        text = span.text(body)
        text_end = span.pieces[-1][1]
        stripped = text.rstrip()
        if stripped.endswith(","):                           # '"...," he said': drop the comma
            text = stripped[:-1]
            text_end = body.rfind(",", span.pieces[-1][0], span.pieces[-1][1])
        text_start = span.pieces[0][0] + (len(body[span.pieces[0][0]:span.end])
                                          - len(body[span.pieces[0][0]:span.end].lstrip()))
        attribution = _after_speaker(body, span, para_end) or _before_speaker(body, span,
                                                                                para_start)
        words = len(_words(text))
        if words < SHORT_MIN_WORDS or (words < MIN_WORDS and attribution is None):
            continue
        if attribution is None and _is_title_of_work(text):
            continue
        quote = Quotation(article_id, text_start, text_end, text.strip(),
                          paragraphs=len(span.pieces))
        if attribution is not None:
            speaker, method = attribution
            quote = _resolved(quote, speaker, method, names, speakers, mentions, resolve)
        elif previous is not None and previous[1].speaker and _continues(
                body, previous[0], span, paras, previous[1].speaker):
            prev = previous[1]
            quote = _replace(quote, speaker=prev.speaker, speaker_text=prev.speaker_text,
                             speaker_role=prev.speaker_role, speaker_entity=prev.speaker_entity,
                             method="continuation")
        quote = _replace(quote, entities=_entities_in(mentions, quote.start, quote.end))
        if quote.speaker and quote.method not in ("continuation",) and quote.speaker_role != \
                quote.speaker_text:
            speakers.append((span.start - 1, quote.speaker, _gender_of(quote.speaker, names)))
        found.append(quote)
        previous = (span, quote)
    return found


def _gender_of(name: str, names: _Names) -> str | None:
    for _, titled, gender in names.titled:
        if titled.split()[-1] == name.split()[-1]:
            return gender
    return None


def _continues(body: str, prev: _Span, span: _Span, paras: list[tuple[int, int]],
               speaker: str = "") -> bool:
    """The quotation follows `prev` with nothing but its attribution or a paragraph between,
    and no one else is named in between ('Parker praised French films, saying: "...'")."""
    between = body[prev.end + 1:span.start - 1]
    known = set(speaker.split())
    for match in _NAME_SEQ.finditer(between):
        words = _strip_postnominals(match.group().split()[_name_bounds(match.group().split())[1]:])
        titled = len(words) >= 2 and words[0].lower().strip(".") in TITLES
        if (titled or len(words) >= 2 and _person_like(words)) and not set(words) & known:
            return False
    if "\n" not in between.strip():                # the attribution sentence at most
        return len(between) < 240 and len(_SENTENCE_END.findall(between.strip())) <= 1
    para = next((p for p in paras if p[0] <= prev.end <= p[1]), None)
    if para is None or para[1] - prev.end > 80:
        return False
    rest = body[para[1]:span.start - 1]
    return not rest.strip()                     # the next paragraph opens with the quotation


def _replace(quote: Quotation, **changes) -> Quotation:
    data = {**quote.__dict__, **changes}
    return Quotation(**data)


def _resolved(quote: Quotation, speaker: _Speaker, method: str, names: _Names,
              speakers: list[tuple[int, str, str | None]], mentions: Sequence[Any],
              resolve: Resolver | None) -> Quotation:
    surface = speaker.text
    role = speaker.role
    entity = None
    if speaker.pronoun:
        if speaker.pronoun not in ("he", "she"):
            return _replace(quote, speaker_text=surface, method=None)
        # the people named before the pronoun itself ('But he told Five Live: "..."')
        where = speaker.start if speaker.start >= 0 else quote.start
        person = names.person_before(where, speaker.gender, speakers)
        if person is None:
            return _replace(quote, speaker_text=surface, method=None)
        name = names.full_name(person[0], quote.start)
    elif speaker.name:
        name = names.full_name(speaker.name, speaker.start)
    elif speaker.org:
        name = speaker.org
    else:                                    # "the company": said, but by no one named
        return _replace(quote, speaker_text=surface, speaker_role=role, method=method)
    mention = _mention_at(mentions, speaker.start, speaker.start + len(surface)) \
        if speaker.start >= 0 and not speaker.pronoun else None
    if mention is not None and (speaker.org or _same_person(name, mention.entity)):
        entity = mention.entity
    else:
        entity = _entity_for(name, mentions, resolve)
    if entity:
        name = entity
    return _replace(quote, speaker=name, speaker_text=surface, speaker_role=role,
                    speaker_entity=entity, method=method)


def _same_person(name: str, entity: str) -> bool:
    return name.split()[-1].lower() in entity.lower()


def _entity_for(name: str, mentions: Sequence[Any], resolve: Resolver | None) -> str | None:
    """The canonical entity of a speaker name: an article mention first, then the resolver."""
    words = name.split()
    for mention in mentions:
        entity = getattr(mention, "entity", None)
        text = str(getattr(mention, "text", "")).split()
        # the same name, or a mention ending with it ('OpenAI CFO Sarah Friar'), or a surname
        # alone that the mention ends with ('Friar' in 'Sarah Friar'); never 'Paul Jones' for
        # 'Quincy Jones'
        if entity and (entity == name or text[-len(words):] == words):
            return entity
    if resolve is not None:
        found = resolve(name)
        if found:
            return found[0]
    return None


def filter_by_speaker(quotes: Iterable[Quotation], name: str,
                      resolve: Resolver | None = None) -> list[Quotation]:
    """Quotations whose speaker is `name` (any alias the resolver knows, or a word of it)."""
    wanted = {name.casefold()}
    if resolve is not None:
        found = resolve(name)
        if found:
            wanted.add(found[0].casefold())
    out = []
    for quote in quotes:
        names = {n.casefold() for n in (quote.speaker, quote.speaker_entity, quote.speaker_text)
                 if n}
        words = {w for n in names for w in n.split()}
        if wanted & names or any(w in words for w in wanted if " " not in w):
            out.append(quote)
    return out


# ---- over a workspace ------------------------------------------------------------------------

def article_mentions(workspace, article_id: str) -> list[Any]:
    """The entity mentions of an article, when the workspace has an entity annotator."""
    mentions = getattr(workspace, "mentions", None)
    if mentions is None:
        return []
    return list(mentions(article_id) or [])


def article_quotations(workspace, article) -> list[Quotation]:
    """The quotations of one article, speakers resolved through the workspace's entities."""
    return detect_quotations(article.body, article.id,
                             mentions=article_mentions(workspace, article.id),
                             resolve=getattr(workspace, "resolve_entity", None))


def corpus_quotations(workspace, query: str = "", *, speaker: str | None = None,
                      entities: Sequence[str] = ()) -> list[tuple[Any, Quotation]]:
    """(article, quotation) for every quotation in the articles a query matches (every article
    when it is empty), newest articles first; `speaker` keeps one speaker's (any alias)."""
    from explorer.search import SearchRequest

    request = SearchRequest(query, tuple(entities), "date", None)
    results = workspace.index.search(request, snippets=False)
    resolve = getattr(workspace, "resolve_entity", None)
    out: list[tuple[Any, Quotation]] = []
    for hit in results.hits:
        article = workspace.article(hit.id)
        quotes = article_quotations(workspace, article)
        if speaker:
            quotes = filter_by_speaker(quotes, speaker, resolve)
        out.extend((article, q) for q in quotes)
    return out


def quotation_record(article, quote: Quotation) -> dict[str, Any]:
    """A quotation with its article's citation fields, as the exporters and --json take it."""
    data = quote.to_dict()
    data.update({"title": article.title, "date": article.date, "source": article.source,
                 "url": article.url, "path": article.path})
    return data
