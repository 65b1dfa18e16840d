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
from bisect import bisect_left, bisect_right
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Iterable, Sequence

from explorer.quotes.speakers import (
    AUX, CAP, NAME_SEQ, PHRASE_STOP, SENTENCE_END, TITLES, VERB, VERB_RE, VERBS, ArticleNames,
    Speaker, SpeakerTrail, name_bounds, parse_speaker, person_like, strip_postnominals,
)
from explorer.sources import ArticleSource, SearchSource
from explorer.text import full_title

# resolve(text) -> (canonical entity name, score) or None (the Workspace's entity resolver).
Resolver = Callable[[str], "tuple[str, float] | None"]

OPENING = "\u201c\u201e\u201f"          # curly and low-9 opening marks
CLOSING = "\u201d"
MARKS = OPENING + CLOSING + '"'
_MARK = re.compile(f"[{MARKS}]")
MIN_WORDS = 4                            # fewer words need an attribution to count as a quotation
SHORT_MIN_WORDS = 2

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
    # How it was attributed: said-after ('"...," said X'), said-before ('X said: "..."'),
    # according-to, pronoun (the nearest person named before), continuation (follows one by
    # the same speaker).
    method: str | None = None
    paragraphs: int = 1
    entities: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["entities"] = list(self.entities)
        return data




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
        for found in _MARK.finditer(body, p_start, p_end):
            pos, char = found.start(), found.group()
            if pos == skip_mark:
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


# ---- attribution: the sentence around a quotation --------------------------------------------

def _after(body: str, end: int, para_end: int) -> str:
    """The sentence after a closing mark, up to the next quote mark (only that far is read)."""
    mark = _MARK.search(body, end + 1, para_end) if end < len(body) else None
    text = body[end + 1:mark.start() if mark else para_end] if end < len(body) else ""
    sentence = SENTENCE_END.search(text)
    return text[:sentence.start()] if sentence else text


def _before(body: str, start: int, para_start: int,
            marks: Sequence[int] | None = None) -> tuple[str, int]:
    """The sentence before an opening mark (back to a sentence end, a quote mark or paragraph).
    `marks`, the offsets of every quote mark in order, saves reading back to the paragraph."""
    if marks is None:
        marks = [m.start() for m in _MARK.finditer(body, para_start, max(para_start, start - 1))]
    i = bisect_left(marks, start - 1)
    last = marks[i - 1] if i and marks[i - 1] >= para_start else -1
    base = last + 1 if last >= 0 else para_start
    text = body[base:start - 1]
    ends = list(SENTENCE_END.finditer(text))
    if ends:
        cut = ends[-1].end()
        base, text = base + cut, text[cut:]
    return text, base


_AFTER_VERB_FIRST = re.compile(rf"^\s*,?\s*{AUX}(?P<verb>{VERB})\s+(?P<spk>[^,;:\n]+)"
                               r"(?:,\s*(?P<app>[^,;:\n]{3,80}))?", re.I)
_AFTER_SPEAKER_FIRST = re.compile(
    rf"^\s*,?\s*(?P<spk>[^,;:\n]{{1,80}}?)(?:,[^,;:\n]{{1,80}},)?\s+{AUX}(?P<verb>{VERB})\b")
_ATTRIBUTION_END = re.compile(r"\s*(?:[.,;]|$|(?:on|at|in|from|during|after|before|last|"
                              r"yesterday|today|earlier|later|recently|this|when|while|"
                              r"reporters|journalists|the\s+BBC|BBC)\b)")
_ACCORDING_AFTER = re.compile(r"^\s*,?\s*according to\s+(?P<spk>[^,;:\n]+)", re.I)
_ACCORDING_BEFORE = re.compile(r"according to\s+(?P<spk>[^,;:\n]+?)\s*[,:]?\s*$", re.I)
_DESCRIBED_BY = re.compile(r"\b(?:described|called|dubbed|branded|quoted)\s+by\s+"
                           rf"(?P<spk>{CAP}(?:\s+{CAP})*)\s+as(?:\s+(?:the|a|an|being))?\s*$")
_TRAILING_AUX = re.compile(r"(?:\s+(?:has|have|had|would|will|also|later|then|previously|once|"
                           r"is|was|were|are|has been|have been|quoted as|reported as))+\s*$",
                           re.I)
# 'recent comments in a newspaper', 'his claims': a speech word used as a noun
_NOUN_BEFORE = re.compile(r"\b(?:the|a|an|his|her|their|its|our|my|your|recent|these|those|such|"
                          r"any|no|some|whose|new|further|earlier|latest)\s+$", re.I)


# A clause after a quotation that starts like this is not its attribution ('a "tough meeting"
# where some senior Tories argued ...').
_CLAUSE_START = re.compile(r"\s*(?:where|which|who|whom|whose|when|while|that|because|after|"
                           r"before|if|since|until|than|so|and|but|or|to|for|in|on|at|of|by|"
                           r"with)\b", re.I)


def _after_speaker(body: str, span: _Span, para_end: int) -> tuple[Speaker, str] | None:
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
        phrase = PHRASE_STOP.sub("", match.group("spk"))
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


def _before_speaker(body: str, span: _Span, para_start: int,
                    marks: Sequence[int] | None = None) -> tuple[Speaker, str] | None:
    text, base = _before(body, span.start, para_start, marks)
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
    verbs = [m for m in VERB_RE.finditer(text) if len(text) - m.end() <= 60
             and not _NOUN_BEFORE.search(text, max(0, m.start() - 64), m.start())]
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


class _Mentions:
    """An article's entity mentions by offset, for the lookups of each quotation (a scan of
    every mention per quotation made long articles quadratic). Ties keep the given order."""

    def __init__(self, mentions: Sequence[Any]):
        self.items = [(getattr(m, "start", -1), i, m) for i, m in enumerate(mentions)]
        self.items.sort(key=lambda item: (item[0], item[1]))
        self.starts = [item[0] for item in self.items]
        self.longest = max((getattr(m, "end", -1) - start for start, _, m in self.items),
                           default=0)
        self._by_entity: dict | None = None      # built on first use by entity_for
        self._by_ending: dict = {}

    def at(self, start: int, end: int):
        """The first mention with an entity overlapping [start, end)."""
        low = bisect_left(self.starts, start - self.longest)
        high = bisect_left(self.starts, end)
        found = [(i, m) for s, i, m in self.items[low:high]
                 if getattr(m, "end", -1) > start and getattr(m, "entity", None)]
        return min(found, key=lambda f: f[0])[1] if found else None

    def within(self, start: int, end: int) -> tuple[str, ...]:
        """The entities of the mentions inside [start, end), each once, in the given order."""
        low, high = bisect_left(self.starts, start), bisect_left(self.starts, end + 1)
        inside = sorted((i, m) for s, i, m in self.items[low:high]
                        if getattr(m, "end", 1 << 60) <= end)
        names: list[str] = []
        for _, mention in inside:
            name = getattr(mention, "entity", None)
            if name and name not in names:
                names.append(name)
        return tuple(names)

    def entity_for(self, name: str) -> str | None:
        """The entity of the first mention (in the given order) that is the name, or whose
        text ends with its words ('OpenAI CFO Sarah Friar', 'Sarah Friar' for 'Friar')."""
        if self._by_entity is None:
            self._by_entity, self._by_ending = {}, {}
            for _, i, mention in self.items:
                entity = getattr(mention, "entity", None)
                if not entity:
                    continue
                if self._by_entity.get(entity, (1 << 60,))[0] > i:
                    self._by_entity[entity] = (i, entity)
                text = tuple(str(getattr(mention, "text", "")).split())
                for key in [text[len(text) - k:] for k in range(1, len(text) + 1)] or [()]:
                    if self._by_ending.get(key, (1 << 60,))[0] > i:
                        self._by_ending[key] = (i, entity)
        found = [f for f in (self._by_entity.get(name), self._by_ending.get(tuple(name.split())))
                 if f is not None]
        return min(found)[1] if found else None


# ---- the whole article -----------------------------------------------------------------------

def detect_quotations(body: str, article_id: str = "", *, mentions: Sequence[Any] = (),
                      resolve: Resolver | None = None) -> list[Quotation]:
    """The direct quotations of an article body, attributed where the text says who spoke."""
    paras = _paragraphs(body)
    spans = find_spans(body)
    names = ArticleNames(body, mentions, [(s.start, s.end) for s in spans])
    index = _Mentions(mentions)
    marks = [m.start() for m in _MARK.finditer(body)]
    # Every lookup below is a bisection of these (a scan per quotation was quadratic: 100 /
    # 200 / 400 / 800 KB articles took 0.4 / 1.8 / 9.6 / 34 s).
    para_starts, para_ends = [p[0] for p in paras], [p[1] for p in paras]
    found: list[Quotation] = []
    speakers = SpeakerTrail()                            # named speakers so far, for pronouns
    previous: tuple[_Span, Quotation] | None = None
    for span in spans:
        i = bisect_right(para_starts, span.start)       # the last paragraph starting by it
        para_start = para_starts[i - 1] if i else 0
        i = bisect_left(para_ends, span.end)            # the first paragraph ending after it
        para_end = para_ends[i] if i < len(para_ends) else len(body)
        text = span.text(body)
        text_end = span.pieces[-1][1]
        stripped = text.rstrip()
        if stripped.endswith(","):                           # '"...," he said': drop the comma
            text = stripped[:-1]
            text_end = body.rfind(",", span.pieces[-1][0], span.pieces[-1][1])
        text_start = span.pieces[0][0] + (len(body[span.pieces[0][0]:span.end])
                                          - len(body[span.pieces[0][0]:span.end].lstrip()))
        attribution = _after_speaker(body, span, para_end) or _before_speaker(
            body, span, para_start, marks)
        words = len(_words(text))
        if words < SHORT_MIN_WORDS or (words < MIN_WORDS and attribution is None):
            continue
        if attribution is None and _is_title_of_work(text):
            continue
        quote = Quotation(article_id, text_start, text_end, text.strip(),
                          paragraphs=len(span.pieces))
        if attribution is not None:
            speaker, method = attribution
            quote = _resolved(quote, speaker, method, names, speakers, index, resolve)
        elif previous is not None and previous[1].speaker and _continues(
                body, previous[0], span, paras, previous[1].speaker):
            prev = previous[1]
            quote = _replace(quote, speaker=prev.speaker, speaker_text=prev.speaker_text,
                             speaker_role=prev.speaker_role, speaker_entity=prev.speaker_entity,
                             method="continuation")
        quote = _replace(quote, entities=index.within(quote.start, quote.end))
        if quote.speaker and quote.method not in ("continuation",) and quote.speaker_role != \
                quote.speaker_text:
            speakers.append((span.start - 1, quote.speaker, names.gender_of(quote.speaker)))
        found.append(quote)
        previous = (span, quote)
    return found


def _continues(body: str, prev: _Span, span: _Span, paras: list[tuple[int, int]],
               speaker: str = "") -> bool:
    """The quotation follows `prev` with nothing but its attribution or a paragraph between,
    and no one else is named in between ('Parker praised French films, saying: "...'")."""
    between = body[prev.end + 1:span.start - 1]
    known = set(speaker.split())
    for match in NAME_SEQ.finditer(between):
        words = strip_postnominals(match.group().split()[name_bounds(match.group().split())[1]:])
        titled = len(words) >= 2 and words[0].lower().strip(".") in TITLES
        if (titled or len(words) >= 2 and person_like(words)) and not set(words) & known:
            return False
    if "\n" not in between.strip():                # the attribution sentence at most
        return len(between) < 240 and len(SENTENCE_END.findall(between.strip())) <= 1
    i = bisect_right(paras, prev.end, key=lambda p: p[0])   # the paragraph holding prev.end
    para = paras[i - 1] if i and paras[i - 1][1] >= prev.end else None
    if para is None or para[1] - prev.end > 80:
        return False
    rest = body[para[1]:span.start - 1]
    return not rest.strip()                     # the next paragraph opens with the quotation


def _replace(quote: Quotation, **changes) -> Quotation:
    data = {**quote.__dict__, **changes}
    return Quotation(**data)


def _resolved(quote: Quotation, speaker: Speaker, method: str, names: ArticleNames,
              speakers: SpeakerTrail, mentions: _Mentions,
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
    mention = mentions.at(speaker.start, speaker.start + len(surface)) \
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


def _entity_for(name: str, mentions: _Mentions, resolve: Resolver | None) -> str | None:
    """The canonical entity of a speaker name: an article mention first, then the resolver."""
    # the same name, or a mention ending with it ('OpenAI CFO Sarah Friar'), or a surname
    # alone that the mention ends with ('Friar' in 'Sarah Friar'); never 'Paul Jones' for
    # 'Quincy Jones'
    entity = mentions.entity_for(name)
    if entity:
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

def article_mentions(workspace: ArticleSource, article_id: str) -> list[Any]:
    """The entity mentions of an article (stored at index time)."""
    return list(workspace.mentions(article_id) or [])


def article_quotations(workspace: ArticleSource, article) -> list[Quotation]:
    """The quotations of one article, speakers resolved through the workspace's entities."""
    return detect_quotations(article.body, article.id,
                             mentions=article_mentions(workspace, article.id),
                             resolve=workspace.resolve_entity)


def corpus_quotations(workspace: SearchSource, query: str = "", *, speaker: str | None = None,
                      entities: Sequence[str] = ()) -> list[tuple[Any, Quotation]]:
    """(article, quotation) for every quotation in the articles a query matches (every article
    when it is empty), newest articles first; `speaker` keeps one speaker's (any alias)."""
    from explorer.search.article_index import SearchRequest

    request = SearchRequest(query, tuple(entities), "date", None)
    results = workspace.search(request, snippets=False)
    resolve = workspace.resolve_entity
    ids = [hit.id for hit in results.hits]
    if speaker:
        allowed = _speaker_articles(workspace, speaker, resolve)
        if allowed is not None:
            ids = [i for i in ids if i in allowed]
    out: list[tuple[Any, Quotation]] = []
    for article_id in ids:
        article = workspace.article(article_id)
        quotes = article_quotations(workspace, article)
        if speaker:
            quotes = filter_by_speaker(quotes, speaker, resolve)
        out.extend((article, q) for q in quotes)
    return out


def _speaker_articles(workspace: SearchSource, speaker: str, resolve: Resolver | None) -> set[str] | None:
    """The articles that can hold a quotation by `speaker`: a speaker's name is always written
    in the article, so those with its last word in the text or its entity among their mentions
    (None: no way to narrow it down)."""
    from explorer.errors import UserError
    from explorer.search.article_index import SearchRequest

    word = re.sub(r"[^\w'-]", "", speaker.split()[-1]) if speaker.split() else ""
    if not word:
        return None
    try:
        found = set(workspace.matching_ids(SearchRequest(f'"{word}"')))
        entity = resolve(speaker) if resolve is not None else None
        if entity:
            found |= set(workspace.matching_ids(SearchRequest("", (entity[0],))))
    except UserError:
        return None
    return found


def quotation_record(article, quote: Quotation) -> dict[str, Any]:
    """A quotation with its article's citation fields, as the exporters and --json take it."""
    data = quote.to_dict()
    data.update({"title": full_title(article.title, article.body), "author": article.author,
                 "date": article.date, "source": article.source, "url": article.url,
                 "path": article.path, "article_id": article.id})
    return data
