"""Kept quotes in `<data>/quotes.yaml`, anchored so they survive re-indexing.

Each kept quote is anchored like a W3C TextQuoteSelector: character offsets plus the exact text
with a short prefix and suffix. When the article changes, the text is looked for again (the
occurrence whose prefix and suffix fit best wins) and the kept quote is re-anchored; when the text
is gone it is flagged orphaned and kept, never dropped. The file is written atomically under a
lock; a corrupt file is reported with its line and left untouched.
"""

from __future__ import annotations

import datetime as dt
import secrets
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from explorer.errors import DataFileError, NotFoundError, UserError
from explorer.files import locked
from explorer.sources import ArticleSource
from explorer.text import fold, full_title
from explorer.yamlfile import line_of, load_yaml, save_yaml

QUOTES_FILE = "quotes.yaml"
CONTEXT = 32                     # characters of prefix and suffix kept with each kept quote
STATUSES = ("anchored", "reanchored", "orphaned")
HEADER = ("# news-explorer quotes: passages kept from articles. Edit notes and tags freely;\n"
          "# start/end/prefix/suffix anchor each quote in its article.\n")


class TextNotInArticle(UserError):
    """The text given for a quote does not occur in the article."""


class AlreadyKept(UserError):
    """That passage is kept already: `existing` is the kept quote (numbered)."""

    def __init__(self, existing: "KeptQuote") -> None:
        super().__init__(f"already kept as quote {existing.number}: "
                         f"\u201c{opening(existing.text)}\u201d")
        self.existing = existing


def opening(text: str, limit: int = 60) -> str:
    """The first words of a quote, whitespace folded, cut at a word with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0] if " " in text[:limit - 1] else text[:limit - 1]
    return cut.rstrip(",;:") + "\u2026"


@dataclass(frozen=True)
class KeptQuote:
    id: str
    text: str
    article_id: str
    start: int
    end: int
    prefix: str = ""
    suffix: str = ""
    note: str = ""
    tags: tuple[str, ...] = ()
    created: str = ""
    title: str = ""
    author: str | None = None
    date: str | None = None
    source: str | None = None
    url: str | None = None
    path: str | None = None
    speaker: str | None = None
    speaker_role: str | None = None
    entities: tuple[str, ...] = ()
    status: str = "anchored"
    number: int = field(default=0, compare=False)   # position in the file, 1-based (not stored)

    @property
    def orphaned(self) -> bool:
        return self.status == "orphaned"

    def stored(self) -> dict[str, Any]:
        """The fields written to quotes.yaml."""
        return {
            "id": self.id, "text": self.text, "article_id": self.article_id,
            "start": self.start, "end": self.end, "prefix": self.prefix, "suffix": self.suffix,
            "note": self.note, "tags": list(self.tags), "created": self.created,
            "title": self.title, "author": self.author, "date": self.date,
            "source": self.source, "url": self.url,
            "path": self.path, "speaker": self.speaker, "speaker_role": self.speaker_role,
            "entities": list(self.entities), "status": self.status,
        }

    def to_dict(self) -> dict[str, Any]:
        """Every field, for JSON and CSV export: the number first."""
        return {"number": self.number, **self.stored()}


# ---- anchoring -------------------------------------------------------------------------------

def selector(body: str, start: int, end: int) -> dict[str, Any]:
    """The anchor of body[start:end]: offsets, exact text, prefix and suffix."""
    return {"start": start, "end": end, "text": body[start:end],
            "prefix": body[max(0, start - CONTEXT):start], "suffix": body[end:end + CONTEXT]}


def _folded_with_map(text: str, casefold: bool = False) -> tuple[str, list[int]]:
    """fold() character by character, with the original offset of every folded character."""
    out: list[str] = []
    where: list[int] = []
    space = False
    for i, char in enumerate(text):
        piece = fold(char) if not char.isspace() else " "
        if casefold:
            piece = piece.casefold()
        if piece == " " or piece == "":
            if piece == " " and out and not space:
                out.append(" ")
                where.append(i)
                space = True
            continue
        space = False
        for c in piece:
            out.append(c)
            where.append(i)
    return "".join(out), where


def find_text(body: str, text: str) -> list[tuple[int, int]]:
    """Every (start, end) in `body` where `text` occurs: exactly, else with quotes, dashes and
    whitespace folded, else also ignoring case."""
    if not text.strip():
        return []
    found, pos = [], body.find(text)
    while pos >= 0:
        found.append((pos, pos + len(text)))
        pos = body.find(text, pos + 1)
    if found:
        return found
    for casefold in (False, True):
        folded_body, where = _folded_with_map(body, casefold)
        needle = fold(text).casefold() if casefold else fold(text)
        pos = folded_body.find(needle)
        while pos >= 0 and needle:
            last = pos + len(needle) - 1
            found.append((where[pos], where[last] + 1))
            pos = folded_body.find(needle, pos + 1)
        if found:
            return found
    return []


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def reanchor(quote: KeptQuote, body: str | None) -> KeptQuote:
    """The kept quote anchored in the article's current body (None: the article is gone)."""
    if body is None:
        return replace(quote, status="orphaned")
    start, end = quote.start, quote.end
    if 0 <= start <= end <= len(body) and body[start:end] == quote.text:
        status = "reanchored" if quote.status == "reanchored" else "anchored"
        return replace(quote, status=status, **_context(body, start, end))
    candidates = find_text(body, quote.text)
    if not candidates:
        return replace(quote, status="orphaned")

    def fit(span: tuple[int, int]) -> tuple[int, int]:
        s, e = span
        context = (_common_suffix(body[max(0, s - CONTEXT):s], quote.prefix)
                   + _common_prefix(body[e:e + CONTEXT], quote.suffix))
        return context, -abs(s - quote.start)

    s, e = max(candidates, key=fit)
    return replace(quote, start=s, end=e, text=body[s:e], status="reanchored",
                   **_context(body, s, e))


def _context(body: str, start: int, end: int) -> dict[str, str]:
    anchor = selector(body, start, end)
    return {"prefix": anchor["prefix"], "suffix": anchor["suffix"]}


# ---- making one ------------------------------------------------------------------------------

def make_kept_quote(article, start: int, end: int, *, note: str = "", tags: Iterable[str] = (),
                   quotations: Sequence[Any] = (), mentions: Sequence[Any] = (),
                   now: dt.datetime | None = None) -> KeptQuote:
    """A new kept quote of article.body[start:end] with its citation, speaker and entities."""
    body = article.body
    if not (0 <= start < end <= len(body)):
        raise UserError(f"passage {start}-{end} is outside the article (0-{len(body)})")
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    if start == end:
        raise UserError("the passage is empty")
    anchor = selector(body, start, end)
    speaker, role = speaker_of(start, end, quotations)
    created = (now or dt.datetime.now(dt.timezone.utc)).replace(microsecond=0)
    return KeptQuote(
        id=secrets.token_hex(4), text=anchor["text"], article_id=article.id, start=start,
        end=end, prefix=anchor["prefix"], suffix=anchor["suffix"], note=note.strip(),
        tags=normalize_tags(tags), created=created.isoformat(),
        title=full_title(article.title, body), author=article.author, date=article.date, source=article.source, url=article.url, path=article.path,
        speaker=speaker, speaker_role=role, entities=entities_within(start, end, mentions),
    )


def speaker_of(start: int, end: int, quotations: Sequence[Any]) -> tuple[str | None, str | None]:
    """The speaker of the quotation a passage lies in (or of the one quotation it holds)."""
    overlapping = [q for q in quotations if q.start < end and start < q.end and q.speaker]
    inside = [q for q in overlapping if q.start <= start and end <= q.end + 1]
    chosen = inside or overlapping
    speakers = {q.speaker for q in chosen}
    if len(speakers) != 1:
        return None, None
    return chosen[0].speaker, chosen[0].speaker_role


def entities_within(start: int, end: int, mentions: Sequence[Any]) -> tuple[str, ...]:
    names: list[str] = []
    for mention in mentions:
        name = getattr(mention, "entity", None)
        if name and getattr(mention, "start", -1) >= start and getattr(mention, "end", -1) <= end:
            if name not in names:
                names.append(name)
    return tuple(names)


def normalize_tags(tags: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for tag in tags:
        for part in str(tag).split(","):
            part = " ".join(part.split())
            if part and part not in out:
                out.append(part)
    return tuple(out)


# ---- the file --------------------------------------------------------------------------------

class KeptQuoteStore:
    """`<data>/quotes.yaml`: load, add, remove, update, re-anchor; writes are atomic and locked."""

    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / QUOTES_FILE

    def load(self) -> list[KeptQuote]:
        if not self.path.exists():
            return []
        data = load_yaml(self.path)
        return _parse(data, str(self.path))

    @contextmanager
    def editing(self) -> Iterator[list[KeptQuote]]:
        """Read-modify-write under the file's lock (explorer/files.py, the one lock of every
        user file); the list is saved, atomically, when the block ends having changed it. A
        corrupt file raises before the block runs: nothing is written."""
        with locked(self.path):
            items = self.load()
            before = [h.stored() for h in items]
            yield items
            if [h.stored() for h in items] != before or not self.path.exists():
                self._save(items)

    def _save(self, items: list[KeptQuote]) -> None:
        save_yaml(self.path, {"version": 1, "quotes": [h.stored() for h in items]}, HEADER)

    def add(self, quote: KeptQuote) -> KeptQuote:
        """Append a kept quote; the same passage of the same article kept again raises
        AlreadyKept (naming the quote) instead of adding a copy."""
        with self.editing() as items:
            for i, item in enumerate(items):
                if item.article_id == quote.article_id and \
                        (item.start, item.end) == (quote.start, quote.end):
                    raise AlreadyKept(replace(item, number=i + 1))
            items.append(quote)
        return replace(quote, number=len(items))

    def restore(self, quote: KeptQuote) -> KeptQuote:
        """Put a removed quote back where it was (its `number`), with its id, note and tags:
        the undo of a removal."""
        with self.editing() as items:
            if any(item.id == quote.id for item in items):
                raise UserError(f"quote {quote.id} is kept already")
            index = min(max(quote.number, 1), len(items) + 1) - 1
            items.insert(index, quote)
        return replace(quote, number=index + 1)

    def remove(self, number: int) -> KeptQuote:
        with self.editing() as items:
            if not 1 <= number <= len(items):
                raise NotFoundError(f"no quote number {number} (there are {len(items)})")
            removed = items.pop(number - 1)
        return removed

    def remove_id(self, quote_id: str) -> KeptQuote:
        """Remove the quote with this id (what the app uses: numbers shift as quotes go)."""
        with self.editing() as items:
            for i, item in enumerate(items):
                if item.id == quote_id:
                    return items.pop(i)
        raise NotFoundError(f"no quote with id '{quote_id}'")

    def update(self, quote_id: str, **changes) -> KeptQuote:
        """Change a kept quote's note or tags."""
        if "tags" in changes:
            changes["tags"] = normalize_tags(changes["tags"])
        with self.editing() as items:
            for i, item in enumerate(items):
                if item.id == quote_id:
                    items[i] = replace(item, **changes)
                    return replace(items[i], number=i + 1)
        raise NotFoundError(f"no quote with id '{quote_id}'")

    def reanchor_article(self, article_id: str, body: str) -> list[KeptQuote]:
        """The kept quotes of one article, re-anchored in its current body (saved if moved)."""
        if not self.path.exists() or not any(h.article_id == article_id for h in self.load()):
            return []
        found: list[KeptQuote] = []
        with self.editing() as items:
            for i, item in enumerate(items):
                if item.article_id == article_id:
                    items[i] = reanchor(item, body)
                    found.append(replace(items[i], number=i + 1))
        return found

    def reanchor_all(self, body_of: Callable[[str], str | None],
                     enrich: Callable[[KeptQuote], KeptQuote] | None = None) -> list[KeptQuote]:
        """Re-anchor every kept quote in its article's current body (None: article gone), then
        `enrich` it; saves only when something changed. Returns the kept quotes."""
        if not self.path.exists():
            return []
        with self.editing() as items:
            bodies: dict[str, str | None] = {}
            for i, item in enumerate(items):
                if item.article_id not in bodies:
                    bodies[item.article_id] = body_of(item.article_id)
                items[i] = reanchor(item, bodies[item.article_id])
                if enrich is not None:
                    items[i] = enrich(items[i])
            result = list(items)
        return [replace(h, number=i) for i, h in enumerate(result, 1)]


def filter_kept_quotes(items: Iterable[KeptQuote], *, query: str | None = None,
                      tag: str | None = None,
                      entities: Iterable[Iterable[str]] = ()) -> list[KeptQuote]:
    """Kept quotes whose text, note, title or speaker holds every word of `query` (folded, any
    case), tagged `tag`, and mentioning or spoken by each entity in `entities` (each given as
    its alternative names: what the user typed and what it resolves to)."""
    out = []
    wanted = [{n.casefold() for n in names} for names in entities]
    for item in items:
        if query:
            haystack = fold(" ".join(str(v) for v in (item.text, item.note, item.title,
                                                      item.speaker or "", item.source or "")))
            if not all(word in haystack.casefold() for word in fold(query).casefold().split()):
                continue
        if tag and tag.casefold() not in {t.casefold() for t in item.tags}:
            continue
        names = {n.casefold() for n in (*item.entities, item.speaker or "") if n}
        names |= {w for n in names for w in n.split()}      # 'Friar' names 'Sarah Friar'

        text = fold(item.text).casefold()
        if any(not (alternatives & names or any(_has_words(text, n) for n in alternatives))
               for alternatives in wanted):
            continue
        out.append(item)
    return out


def _has_words(text: str, name: str) -> bool:
    import re

    return bool(name) and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) is not None


def _parse(data: Any, name: str) -> list[KeptQuote]:
    if data is None:
        return []
    if not isinstance(data, dict) or not isinstance(data.get("quotes", []), list):
        raise DataFileError(f"{name}:{line_of(data, 1)}: expected 'quotes:' and a list of quotes")
    items = []
    for number, entry in enumerate(data.get("quotes") or [], 1):
        items.append(_entry(entry, name, number))
    return items


def _entry(entry: Any, name: str, number: int) -> KeptQuote:
    where = f"{name}:{line_of(entry, 0) or '?'}"
    if not isinstance(entry, dict):
        raise DataFileError(f"{where}: quote {number} must be a mapping of fields")
    for key in ("text", "article_id"):
        if not isinstance(entry.get(key), str) or not entry[key]:
            raise DataFileError(f"{where}: quote {number} needs '{key}' (text)")
    for key in ("start", "end"):
        if not isinstance(entry.get(key), int) or isinstance(entry[key], bool) or entry[key] < 0:
            raise DataFileError(f"{where}: quote {number}: '{key}' must be a whole number >= 0")
    tags = entry.get("tags") or []
    if isinstance(tags, str):
        tags = [tags]
    if not isinstance(tags, list):
        raise DataFileError(f"{where}: quote {number}: 'tags' must be a list")
    entities = entry.get("entities") or []
    if not isinstance(entities, list):
        raise DataFileError(f"{where}: quote {number}: 'entities' must be a list")
    status = entry.get("status") or "anchored"
    if status not in STATUSES:
        raise DataFileError(f"{where}: quote {number}: status must be one of "
                            f"{', '.join(STATUSES)}")

    def text(key: str) -> str | None:
        value = entry.get(key)
        return None if value is None else str(value)

    return KeptQuote(
        id=text("id") or f"q{number}", text=entry["text"], article_id=entry["article_id"],
        start=entry["start"], end=entry["end"], prefix=text("prefix") or "",
        suffix=text("suffix") or "", note=text("note") or "",
        tags=normalize_tags(str(t) for t in tags), created=text("created") or "",
        title=text("title") or "", author=text("author"), date=text("date"),
        source=text("source"), url=text("url"), path=text("path"), speaker=text("speaker"), speaker_role=text("speaker_role"),
        entities=tuple(str(e) for e in entities), status=status, number=number,
    )



# ---- over a workspace ------------------------------------------------------------------------

def store_for(workspace: ArticleSource) -> KeptQuoteStore:
    return KeptQuoteStore(workspace.config.data)


def keep_passage(workspace: ArticleSource, article_id: str, start: int, end: int, *, note: str = "",
                 tags: Iterable[str] = ()) -> KeptQuote:
    """Store article[start:end] as a kept quote, with citation, speaker and entities."""
    from explorer.quotes.detection import article_mentions, article_quotations

    article = workspace.article(article_id)
    quote = make_kept_quote(article, start, end, note=note, tags=tags,
                            quotations=article_quotations(workspace, article),
                            mentions=article_mentions(workspace, article.id))
    return store_for(workspace).add(quote)


def keep_text(workspace: ArticleSource, article_id: str, text: str, *, note: str = "",
              tags: Iterable[str] = (), near: int | None = None) -> KeptQuote:
    """Store the first occurrence of `text` in the article (quotes and whitespace folded), or
    the one nearest the offset `near` (how a removed quote is put back where it was)."""
    article = workspace.article(article_id)
    start, end = _first(article, text, near)
    return keep_passage(workspace, article.id, start, end, note=note, tags=tags)


def _first(article, text: str, near: int | None = None) -> tuple[int, int]:
    found = find_text(article.body, text)
    if not found:
        shown = text if len(text) <= 60 else text[:57] + "..."
        raise TextNotInArticle(f"'{shown}' does not occur in article {article.id}")
    if near is not None:
        return min(found, key=lambda span: abs(span[0] - near))
    return found[0]


def refresh(workspace: ArticleSource) -> list[KeptQuote]:
    """Every kept quote re-anchored in the current index, its speaker and entities brought up to
    date; orphans (article gone or text removed) are kept and flagged."""
    from explorer.quotes.detection import article_mentions, article_quotations

    articles: dict[str, Any] = {}

    def article_of(article_id: str):
        if article_id not in articles:
            try:
                articles[article_id] = workspace.article(article_id)
            except NotFoundError:
                articles[article_id] = None
        return articles[article_id]

    def body_of(article_id: str) -> str | None:
        article = article_of(article_id)
        return article.body if article is not None else None

    def enrich(item: KeptQuote) -> KeptQuote:
        article = article_of(item.article_id)
        if article is None or item.orphaned:
            return item
        mentions = article_mentions(workspace, article.id)
        speaker, role = speaker_of(item.start, item.end, article_quotations(workspace, article))
        return replace(item, title=full_title(article.title, article.body) or item.title,
                       author=article.author or item.author,
                       date=article.date or item.date, source=article.source or item.source,
                       url=article.url or item.url, path=article.path or item.path,
                       speaker=speaker or item.speaker,
                       speaker_role=role if speaker else item.speaker_role,
                       entities=entities_within(item.start, item.end, mentions)
                       or item.entities)

    return store_for(workspace).reanchor_all(body_of, enrich)
