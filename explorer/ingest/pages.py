"""Web pages (saved .html files, or one fetched by `news-explorer fetch URL`): the article's
main text, title, date and author, extracted by trafilatura, so navigation, cookie banners,
related links and footers never reach the index."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from explorer.ingest.articles import Article, RecordError, article_id, iso_date
from explorer.text import clean_text, first_sentence_title, fold


@dataclass(frozen=True)
class Page:
    title: str
    body: str
    date: str | None
    author: str | None
    source: str | None
    url: str | None


def extract_page(html: str, url: str | None = None) -> Page:
    """The story in a web page; RecordError when no article text can be found in it."""
    import trafilatura      # slow to import (lxml, dateparser): only when a page is read

    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, favor_precision=True, include_comments=False,
        include_tables=False, include_images=False, include_links=False,
    )
    data = document.as_dict() if hasattr(document, "as_dict") else (document or {})
    text = clean_text(data.get("text") or "").strip()
    title = _str(data.get("title"))
    if title and text.startswith(title):
        text = text[len(title):].lstrip("\n")          # the headline is the title, not body
    if not text:
        raise RecordError("no article text found in the page")
    page_url = _str(data.get("url")) or url
    source = _str(data.get("sitename")) or (urlsplit(page_url).hostname if page_url else None)
    return Page(title=title or first_sentence_title(text), body=text,
                date=iso_date(data.get("date")), author=_str(data.get("author")),
                source=source, url=page_url)


def read_page(html: str, path: str) -> Article:
    """A saved page of the corpus as one Article (its id from its path, like any file)."""
    page = extract_page(html)
    return Article(id=article_id(path), title=page.title, body=page.body, path=path,
                   date=page.date, source=page.source, url=page.url, author=page.author)


def _str(value) -> str | None:
    if not value:
        return None
    return fold(clean_text(str(value))) or None
