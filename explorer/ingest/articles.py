"""The Article record, and reading one file's text (or one JSON record) into Articles."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from explorer.ingest.dates import iso_date, parse_date, read_date  # noqa: F401 (iso_date: pages)
from explorer.text import clean_text, first_sentence_title, fold, printable
from explorer.yamlfile import parse_yaml


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    body: str
    path: str                      # the file, relative to the corpus root (plus #record for JSON)
    date: str | None = None        # ISO 8601: a date, or a date and time
    source: str | None = None
    url: str | None = None
    author: str | None = None
    duplicates: tuple[str, ...] = field(default=())
    # Why a date the file gives was not read ("unreadable date 'x': indexed undated"): the
    # corpus lists it with the skipped files.
    date_error: str | None = field(default=None, compare=False)
    section: str | None = None     # from the corpus's folders (config `folders: section`)

    @property
    def when(self) -> dt.datetime | None:
        return parse_date(self.date) if self.date else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title, "date": self.date, "source": self.source,
            "url": self.url, "author": self.author, "path": self.path, "body": self.body,
            "duplicates": list(self.duplicates),
            **({"section": self.section} if self.section else {}),
        }


class RecordError(ValueError):
    """One record of a file cannot be read; the message says which and why."""


def article_id(locator: str) -> str:
    """Stable id: the same file (or record) gives the same id on every run."""
    return hashlib.sha1(locator.encode("utf-8")).hexdigest()[:12]


# ---- .txt ------------------------------------------------------------------------------------

_SEED_DATE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*\n?")


def read_txt(text: str, path: str) -> Article:
    """Seed format (optional ' date YYYY-MM-DD' first) or headline format (title, blank, body)."""
    text = clean_text(text)
    date = None
    match = _SEED_DATE.match(text)
    if match:
        date = match.group(1)
        text = text[match.end():]
    text = text.strip("\n")
    title, body = _split_headline(text)
    if not title:
        body = text.strip()
        title = first_sentence_title(body)
    return Article(id=article_id(path), title=title, body=body, path=path, date=date)


def _split_headline(text: str) -> tuple[str, str]:
    first, sep, rest = text.partition("\n")
    if not sep or not rest.startswith("\n"):
        return "", text
    first = first.strip()
    if not first or len(first) > 120 or first.endswith((".", ",", ";", ":")):
        return "", text
    return first, rest.strip("\n")


# ---- .md -------------------------------------------------------------------------------------

_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_HEADING = re.compile(r"\A#\s+(.+)\n+")


def read_md(text: str, path: str) -> Article:
    text = clean_text(text)
    meta: dict[str, Any] = {}
    match = _FRONT.match(text)
    if match:
        # The strict loader of the user files: no anchors or aliases (a "billion laughs" front
        # matter expands without end), no key twice, no deep nesting. The leading newline
        # stands for the opening '---', so lines are the file's.
        loaded = parse_yaml("\n" + match.group(1), "front matter", RecordError)
        if loaded is not None and not isinstance(loaded, dict):
            raise RecordError("front matter must be a mapping of fields")
        meta = loaded or {}
        text = text[match.end():]
    text = text.strip("\n")
    title = _str(meta.get("title"))
    heading = _HEADING.match(text)
    if heading and not title:
        title = heading.group(1).strip()
        text = text[heading.end():]
    body = text.strip()
    date, date_error = read_date(meta.get("date"))
    return Article(
        id=article_id(path), title=title or first_sentence_title(body), body=body, path=path,
        date=date, date_error=date_error, source=_str(meta.get("source")),
        url=_str(meta.get("url")), author=_str(meta.get("author")),
    )


# ---- .json / .jsonl --------------------------------------------------------------------------

def read_record(record: Any, path: str, position: int, default_source: str | None) -> Article:
    """One JSON object into an Article; `position` (line or index) locates it when it has no id."""
    if not isinstance(record, dict):
        raise RecordError("a record must be a JSON object")
    body = record.get("body")
    if body is None:
        body = record.get("text")
    title = _str(record.get("title"))
    body = clean_text(body) if isinstance(body, str) else ""
    body = body.strip()
    if not title and not body:
        raise RecordError("record has neither title nor body")
    record_id = record.get("id")
    # An id is shown and hashed: no control characters, no lone surrogates ("\ud800" in JSON).
    locator = f"{path}#{printable(str(record_id)) if record_id not in (None, '') else position}"
    date, date_error = read_date(record.get("date"))
    return Article(
        id=article_id(locator),
        title=clean_text(fold(title)) if title else first_sentence_title(body),
        body=body, path=locator, date=date, date_error=date_error,
        source=_str(record.get("source")) or default_source,
        url=_str(record.get("url")), author=_str(record.get("author")),
    )


class _Locators:
    """Records of one file keep apart when they share an id: the second 'f.jsonl#7' becomes
    'f.jsonl#7~2' (the same on every run), and a note says so."""

    def __init__(self, path: str):
        self.path = path
        self.seen: dict[str, str] = {}

    def unique(self, article: Article, where: str) -> tuple[Article, RecordError | None]:
        first = self.seen.get(article.path)
        if first is None:
            self.seen[article.path] = where
            return article, None
        number = 2
        while f"{article.path}~{number}" in self.seen:
            number += 1
        locator = f"{article.path}~{number}"
        self.seen[locator] = where
        note = RecordError(f"{self.path}: {where}: its id is also that of {first}: indexed as "
                           f"'{locator}'")
        return dataclasses.replace(article, id=article_id(locator), path=locator), note


def read_jsonl_lines(lines: Iterable[tuple[str, int]], path: str, default_source: str | None
                     ) -> Iterator[tuple[Article | RecordError, int]]:
    """Each line a record; a bad line yields a RecordError naming the line, the rest still
    load. The lines come one at a time with where they start in the file (as str.splitlines
    cuts the file's text: explorer/ingest/corpus.py), and each article or note goes out with
    the start of its line."""
    locators = _Locators(path)
    for number, (line, start) in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            article, note = locators.unique(read_record(record, path, number, default_source),
                                            f"line {number}")
            yield article, start
            if note is not None:
                yield note, start
        except (json.JSONDecodeError, RecordError) as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            yield RecordError(f"{path}:{number}: {reason}"), start
        except RecursionError:   # '[' nested deeper than the interpreter's recursion limit
            yield RecordError(f"{path}:{number}: JSON nested too deeply"), start


def read_json(text: str, path: str, default_source: str | None) -> Iterator[Article | RecordError]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield RecordError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}")
        return
    except RecursionError:       # '[' nested deeper than the interpreter's recursion limit
        yield RecordError(f"{path}: JSON nested too deeply")
        return
    records = data if isinstance(data, list) else [data]
    locators = _Locators(path)
    for number, record in enumerate(records, 1):
        try:
            article, note = locators.unique(read_record(record, path, number, default_source),
                                            f"record {number}")
            yield article
            if note is not None:
                yield note
        except RecordError as exc:
            yield RecordError(f"{path}: record {number}: {exc}")
        except RecursionError:
            yield RecordError(f"{path}: record {number}: JSON nested too deeply")


def _str(value: Any) -> str | None:
    if value is None:
        return None
    text = fold(clean_text(str(value)))
    return text or None
