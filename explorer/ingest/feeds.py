"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds, read with feedparser: each item one Article (title,
plain-text body from its content or summary, date, source = the feed's title, url, author),
its id stable from the item's guid, else its link."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Iterator

from explorer.ingest.articles import Article, RecordError, article_id
from explorer.ingest.html_text import html_to_text
from explorer.text import clean_text, first_sentence_title, fold

_FEED_START = re.compile(rb"<(rss|feed|rdf:RDF|RDF)\b", re.I)


@dataclass(frozen=True)
class FeedItem:
    key: str                 # the guid, else the link, else title and date: what makes it new
    title: str
    body: str
    date: str | None
    url: str | None
    author: str | None
    guid: str | None
    summary_only: bool       # the feed carries a summary, no full content


@dataclass
class Feed:
    title: str | None
    items: list[FeedItem] = field(default_factory=list)
    warning: str | None = None          # malformed XML that feedparser recovered from


def looks_like_feed(data: bytes) -> bool:
    """An RSS, RDF or Atom root element near the start (for .xml files, which may be anything)."""
    return bool(_FEED_START.search(data[:4096]))


def parse_feed(data: bytes, url: str | None = None, content_type: str | None = None) -> Feed:
    """The feed's title and items; RecordError when the bytes hold no feed at all. `url` and
    `content_type` come from the HTTP answer, when it was fetched."""
    import feedparser

    headers = {}
    if url and content_type:
        headers = {"content-location": url, "content-type": content_type}
    # Always bytes: given a str that looks like a URL or a path, feedparser would open it.
    parsed = feedparser.parse(bytes(data), response_headers=headers)
    if parsed.bozo and not parsed.entries:
        problem = getattr(parsed, "bozo_exception", None)
        detail = f": {_short(problem)}" if problem else ""
        raise RecordError(f"not a readable RSS or Atom feed{detail}")
    if not parsed.entries and not parsed.get("version"):
        raise RecordError("not an RSS or Atom feed")
    feed = Feed(_text(parsed.feed.get("title"), _kind(parsed.feed, "title")))
    # A served content type or a declared encoding that differs is no problem for the reader.
    benign = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
    if parsed.bozo and not isinstance(parsed.get("bozo_exception"), benign):
        feed.warning = f"malformed XML ({_short(parsed.bozo_exception)}), items recovered"
    for position, entry in enumerate(parsed.entries, 1):
        item = _item(entry, position)
        if item is not None:
            feed.items.append(item)
    return feed


def _item(entry, position: int) -> FeedItem | None:
    contents = [c for c in entry.get("content", []) if c.get("value")]
    content = max(contents, key=lambda c: len(c["value"]), default=None)
    raw = content or entry.get("summary_detail") or {"value": entry.get("summary", "")}
    value = raw.get("value") or ""
    kind = raw.get("type") or "text/html"
    body = value if kind == "text/plain" else html_to_text(value)
    body = clean_text(body).strip()
    title = _text(entry.get("title"), _kind(entry, "title"))
    if not title and not body:
        return None
    link = _text(entry.get("link"))
    guid = _text(entry.get("id"))
    date = _date(entry)
    key = guid or link or f"{title}|{date}|{position}"
    return FeedItem(key=key, title=title or first_sentence_title(body), body=body, date=date,
                    url=link, author=_text(entry.get("author")), guid=guid,
                    summary_only=content is None)


def _date(entry) -> str | None:
    """The item's time in UTC, with its offset (feedparser gives every date in UTC), so that
    it is shown in local time like any dated article."""
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(name)
        if parsed:
            try:
                return dt.datetime(*parsed[:6], tzinfo=dt.timezone.utc).isoformat()
            except (TypeError, ValueError):
                continue
    return None


def _kind(node, name: str) -> str | None:
    return (node.get(f"{name}_detail") or {}).get("type")


def _text(value, kind: str | None = "text/plain") -> str | None:
    """One line of text; HTML only when the feed says so ('<Cpml>' in a plain title stays)."""
    if not value:
        return None
    value = str(value)
    text = fold(clean_text(html_to_text(value) if kind in ("text/html", "application/xhtml+xml")
                           else value))
    return text or None


def _short(problem) -> str:
    return " ".join(str(problem).split())[:120]


def read_feed(data: bytes, path: str) -> Iterator[Article]:
    """A feed file of the corpus: one Article per item (RecordError when it is no feed)."""
    feed = parse_feed(data)
    for item in feed.items:
        locator = f"{path}#{item.key}"
        yield Article(id=article_id(locator), title=item.title, body=item.body, path=locator,
                      date=item.date, source=feed.title, url=item.url, author=item.author)
