"""`news-explorer fetch`: download feeds (and single pages) concurrently, store each new item
as a file in the corpus, and say per source what happened. A source that fails is one line
in the summary, never a stop; ETag / Last-Modified are kept so the next run asks politely."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from explorer.fetch.http import TIMEOUT, FetchError, Response, get
from explorer.fetch.store import FEEDS_FOLDER, PAGES_FOLDER, ItemStore
from explorer.ingest.articles import RecordError
from explorer.yamlfile import atomic_write_text

Progress = Callable[[str, int, int], None]
WORKERS = 8                  # feeds fetched at once (different hosts, mostly)
STATE_FILE = "fetch-state.json"
SHORT_BODY = 600             # a summary-only item shorter than this gets its full page
                             # fetched when `fetch: full_articles: true`


@dataclass
class SourceResult:
    """What one URL gave: new items stored, items already there, or why it failed."""

    url: str
    title: str | None = None
    new: int = 0
    known: int = 0
    not_modified: bool = False
    error: str | None = None
    warning: str | None = None

    def line(self) -> str:
        name = self.title or self.url
        if self.error:
            return f"failed  {self.url}: {self.error}"
        if self.not_modified:
            return f"same    {name}: not modified since the last fetch"
        note = f" ({self.warning})" if self.warning else ""
        return f"ok      {name}: {self.new} new, {self.known} already stored{note}"


@dataclass
class FetchSummary:
    sources: list[SourceResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def new(self) -> int:
        return sum(s.new for s in self.sources)

    @property
    def failed(self) -> int:
        return sum(1 for s in self.sources if s.error)

    def line(self) -> str:
        return (f"fetched {len(self.sources)} source{'s' if len(self.sources) != 1 else ''}: "
                f"{self.new} new item{'s' if self.new != 1 else ''}, {self.failed} failed "
                f"in {self.seconds:.1f} s")


@dataclass
class _Fetched:
    """A worker's answer for one URL, stored by the calling thread."""

    url: str
    response: Response | None = None
    feed: object = None           # explorer.ingest.feeds.Feed
    page: object = None           # explorer.ingest.pages.Page
    full_pages: dict = field(default_factory=dict)   # item key -> Page
    error: str | None = None


def fetch_news(urls: list[str], corpus: Path, state_dir: Path, *, timeout: float = TIMEOUT,
               full_articles: bool = False, progress: Progress | None = None,
               workers: int = WORKERS) -> FetchSummary:
    """Fetch every URL (a feed, or one web page) and store what is new in `corpus`."""
    started = time.perf_counter()
    report = progress or (lambda phase, done, total: None)
    store = ItemStore(corpus)
    store.seen                  # read the stored keys once, before the workers look at them
    state_path = Path(state_dir) / STATE_FILE
    state = _load_state(state_path)
    summary = FetchSummary()
    results = {url: SourceResult(url) for url in urls}
    report("fetching", 0, len(urls))
    if urls:
        with ThreadPoolExecutor(max_workers=max(1, min(workers, len(urls)))) as pool:
            jobs = [pool.submit(_fetch_one, url, state.get(url, {}), store, timeout,
                                full_articles) for url in urls]
            for done, job in enumerate(as_completed(jobs), 1):
                fetched = job.result()
                _store(fetched, results[fetched.url], store, state)
                report("fetching", done, len(urls))
        store.flush()               # the items are on disk before the ETags that skip them
        _save_state(state_path, state)
    summary.sources = [results[url] for url in urls]
    summary.seconds = time.perf_counter() - started
    return summary


def _fetch_one(url: str, known: dict, store: ItemStore, timeout: float,
               full_articles: bool) -> _Fetched:
    from explorer.ingest.feeds import looks_like_feed, parse_feed

    out = _Fetched(url)
    try:
        out.response = get(url, etag=known.get("etag"), last_modified=known.get("modified"),
                           timeout=timeout)
        if out.response.status == 304:
            return out
        body = out.response.body
        if looks_like_feed(body):
            out.feed = parse_feed(body, out.response.url, out.response.content_type)
            if full_articles:
                _full_pages(out, store, timeout)
        elif _is_html(out.response, body):
            out.page = _page(body, out.response.url)
        else:
            raise RecordError("neither a feed nor a web page "
                              f"({out.response.content_type or 'no content type'})")
    except (FetchError, RecordError) as exc:
        out.error = str(exc)
    except Exception as exc:   # noqa: BLE001 - one bad source must never stop the others
        out.error = f"{type(exc).__name__}: {' '.join(str(exc).split())[:160]}"
    return out


def _full_pages(out: _Fetched, store: ItemStore, timeout: float) -> None:
    """Pull the article page of each new item that came with a short summary only."""
    for item in out.feed.items:
        if not item.summary_only or len(item.body) >= SHORT_BODY or not item.url:
            continue
        if store.has(item.guid, item.url):
            continue
        try:
            answer = get(item.url, timeout=timeout)
            out.full_pages[item.key] = _page(answer.body, answer.url)
        except (FetchError, RecordError):
            continue            # the summary is kept: better than nothing


def _page(body: bytes, url: str):
    from explorer.ingest.pages import extract_page
    from explorer.text import decode_bytes

    return extract_page(decode_bytes(body)[0], url)


def _is_html(response: Response, body: bytes) -> bool:
    head = body[:2048].lstrip().lower()
    return "html" in response.content_type.lower() or head.startswith((b"<!doctype html",
                                                                        b"<html"))


def _store(fetched: _Fetched, result: SourceResult, store: ItemStore, state: dict) -> None:
    if fetched.error:
        result.error = fetched.error
        return
    response = fetched.response
    if response.status == 304:
        result.not_modified = True
        result.title = state.get(fetched.url, {}).get("title")
        return
    if fetched.feed is not None:
        feed = fetched.feed
        result.title = feed.title
        result.warning = feed.warning
        for item in feed.items:
            if store.has(item.guid, item.url):
                result.known += 1
                continue
            page = fetched.full_pages.get(item.key)
            body = page.body if page is not None and len(page.body) > len(item.body) else item.body
            store.add(FEEDS_FOLDER, feed.title or _host(fetched.url), title=item.title,
                      body=body, date=item.date, source=feed.title, url=item.url,
                      author=item.author, guid=item.guid)
            result.new += 1
    else:
        page = fetched.page
        result.title = page.title
        if store.has(page.url, fetched.url):
            result.known += 1
        else:
            store.add(PAGES_FOLDER, page.source or _host(fetched.url), title=page.title,
                      body=page.body, date=page.date, source=page.source,
                      url=page.url or fetched.url, author=page.author, guid=None)
            result.new += 1
    if response.etag or response.last_modified:
        state[fetched.url] = {"etag": response.etag, "modified": response.last_modified,
                              "title": result.title}


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or "web"


def _load_state(path: Path) -> dict:
    """ETag / Last-Modified per URL. A missing or unreadable file only costs full downloads
    (items are still not stored twice), so it is never an error."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save_state(path: Path, state: dict) -> None:
    atomic_write_text(path, json.dumps(state, indent=1, sort_keys=True) + "\n")
