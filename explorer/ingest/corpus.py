"""Walking a corpus (a folder or one file): which files there are and reading each into Articles."""

from __future__ import annotations

import os
import stat as stat_mode
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from explorer.ingest.articles import (
    Article, RecordError, read_json, read_jsonl, read_md, read_txt,
)
from explorer.text import decode_bytes, looks_binary, printable

FORMATS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
           ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
           ".rss": "feed", ".atom": "feed", ".rdf": "feed", ".xml": "feed",
           ".html": "html", ".htm": "html"}


DEFAULT_MAX_FILE_MB = 64


@dataclass(frozen=True)
class ReadLimits:
    """What a corpus file may be (config: `max_file_mb`, `symlinks_out`): a regular file of at
    most `max_bytes`, reached through a symlink only when it stays inside the corpus (unless
    `symlinks_out`). FIFOs, devices and sockets are never read (a FIFO blocks for ever, and
    /dev/zero never ends)."""

    max_bytes: int = DEFAULT_MAX_FILE_MB * 1024 * 1024
    symlinks_out: bool = False


@dataclass(frozen=True)
class SourceFile:
    path: Path          # absolute
    rel: str            # relative to the corpus root, with forward slashes
    size: int
    mtime_ns: int
    limits: ReadLimits = ReadLimits()    # what read_file accepts (those of the walk)

    @property
    def signature(self) -> list[int]:
        return [self.mtime_ns, self.size]


@dataclass(frozen=True)
class Skip:
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class FileContents:
    file: SourceFile
    articles: list[Article] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)
    failed: bool = False     # the file could not be read (an OSError): not a fact about it


def corpus_root(corpus: Path) -> Path:
    """The folder article paths are relative to: the corpus itself, or a single file's folder."""
    return corpus if corpus.is_dir() else corpus.parent


def walk(corpus: Path, limits: ReadLimits = ReadLimits()
         ) -> tuple[list[SourceFile], list[Skip]]:
    """Every file of the corpus in a stable order, and those passed over (unknown format, not a
    regular file, too big, a symlink out of the corpus)."""
    corpus = Path(corpus)
    if not corpus.exists():
        from explorer.errors import UserError
        raise UserError(f"{corpus}: corpus not found (point 'corpus:' in the config at your "
                        "articles, or list feeds under 'feeds:' and run `news-explorer fetch`)")
    root = corpus_root(corpus)
    real_root = root.resolve()
    files: list[SourceFile] = []
    skips: list[Skip] = []
    for path in _paths(corpus):
        rel = visible_name(path.relative_to(root).as_posix())
        if path.suffix.lower() not in FORMATS:
            skips.append(Skip(rel, f"unsupported format '{visible_name(path.suffix) or '(none)'}'"))
            continue
        try:
            if path.is_symlink() and not limits.symlinks_out:
                target = path.resolve()
                if target != real_root and real_root not in target.parents:
                    skips.append(Skip(rel, f"a symlink out of the corpus (to "
                                           f"{visible_name(str(target))}; config "
                                           f"'symlinks_out: true' allows it)"))
                    continue
            info = path.stat()
        except (OSError, RuntimeError) as exc:   # RuntimeError: a symlink loop (Python < 3.13)
            skips.append(Skip(rel, f"unreadable: {getattr(exc, 'strerror', None) or exc}"))
            continue
        reason = _refused(info, limits)
        if reason:
            skips.append(Skip(rel, reason))
            continue
        files.append(SourceFile(path, rel, info.st_size, info.st_mtime_ns, limits))
    return files, skips


def visible_name(name: str) -> str:
    """A file name as text we can store and show: bytes that are not UTF-8 as \\xNN (Python
    holds them as lone surrogates), control characters as their visible pictures."""
    if any("\udc80" <= c <= "\udcff" for c in name):
        name = os.fsencode(name).decode("utf-8", "backslashreplace")
    return printable(name)


def _refused(info: os.stat_result, limits: ReadLimits) -> str | None:
    """Why a file with this stat is not read, or None."""
    if not stat_mode.S_ISREG(info.st_mode):
        kind = ("a FIFO" if stat_mode.S_ISFIFO(info.st_mode) else
                "a device" if stat_mode.S_ISCHR(info.st_mode) or stat_mode.S_ISBLK(info.st_mode)
                else "a socket" if stat_mode.S_ISSOCK(info.st_mode) else "a folder"
                if stat_mode.S_ISDIR(info.st_mode) else "special")
        return f"not a regular file ({kind})"
    if info.st_size > limits.max_bytes:
        return (f"too big ({_size(info.st_size)}; the limit is {_size(limits.max_bytes)}, "
                "config 'max_file_mb')")
    return None


def _paths(corpus: Path) -> Iterator[Path]:
    if corpus.is_file():
        yield corpus
        return
    for folder, dirs, names in os.walk(corpus):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if not name.startswith("."):
                yield Path(folder) / name


def _size(count: int) -> str:
    return f"{count / 1048576:.1f} MB" if count >= 1048576 else f"{count:,} bytes"


class _Refused(Exception):
    """The file changed into something we do not read since the walk."""


def _read_limited(file: SourceFile, limits: ReadLimits) -> bytes:
    """The file's bytes, checked again on the open file: a FIFO put in its place since the walk
    does not block (O_NONBLOCK), a device is not read, a file grown past the limit is refused."""
    fd = os.open(file.path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    try:
        reason = _refused(os.fstat(fd), limits)
        if reason:
            raise _Refused(reason)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limits.max_bytes + 1)
    finally:
        os.close(fd)
    if len(data) > limits.max_bytes:
        raise _Refused(f"too big (over the limit of {_size(limits.max_bytes)}, config "
                       "'max_file_mb')")
    return data


def read_file(file: SourceFile) -> FileContents:
    """Read one file into Articles (under the limits of its walk); anything unreadable becomes
    a Skip with its reason."""
    out = FileContents(file)
    try:
        data = _read_limited(file, file.limits)
    except OSError as exc:
        out.skips.append(Skip(file.rel, f"unreadable: {exc.strerror}"))
        out.failed = True
        return out
    except _Refused as exc:
        out.skips.append(Skip(file.rel, str(exc)))
        return out
    if not data.strip():
        out.skips.append(Skip(file.rel, "empty file"))
        return out
    if looks_binary(data):
        out.skips.append(Skip(file.rel, "binary file, not text"))
        return out
    text, _encoding = decode_bytes(data)
    kind = FORMATS[file.path.suffix.lower()]
    try:
        if kind == "txt":
            out.articles.append(read_txt(text, file.rel))
        elif kind == "md":
            out.articles.append(read_md(text, file.rel))
        elif kind == "html":
            from explorer.ingest.pages import read_page      # trafilatura: slow to import

            out.articles.append(read_page(text, file.rel))
        elif kind == "feed":
            from explorer.ingest.feeds import looks_like_feed, read_feed

            if not looks_like_feed(data):
                raise RecordError("not an RSS or Atom feed")
            # feedparser reads the bytes itself: it honours the XML encoding declaration.
            out.articles.extend(read_feed(data, file.rel))
        else:
            reader = read_jsonl if kind == "jsonl" else read_json
            for item in reader(text, file.rel, default_source=visible_name(file.path.stem)):
                if isinstance(item, RecordError):
                    out.skips.append(Skip(file.rel, str(item).removeprefix(f"{file.rel}:").strip()))
                else:
                    out.articles.append(item)
    except RecordError as exc:
        out.skips.append(Skip(file.rel, str(exc)))
    if not out.articles and not out.skips:
        out.skips.append(Skip(file.rel, "no records"))     # '[]': said, not silently nothing
    for article in out.articles:
        if article.date_error:       # still indexed (undated), but listed like a skipped file
            out.skips.append(Skip(article.path, article.date_error))
        if not article.body and not article.title:
            out.skips.append(Skip(article.path, "no text"))
    out.articles = [a for a in out.articles if a.body or a.title]
    return out
