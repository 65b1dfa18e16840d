"""Walking a corpus (a folder or one file): which files there are and reading each into Articles."""

from __future__ import annotations

import codecs
import dataclasses
import json
import os
import stat as stat_mode
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from explorer.ingest.articles import (
    Article, RecordError, article_id, read_json, read_jsonl_lines, read_md, read_record,
    read_txt,
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
    encoding: str = ""       # the encoding its text was read in
    seen: tuple[int, int] | None = None     # (mtime_ns, size) as a JSON Lines file was read


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


Found = Callable[[Article, int], None]     # (article, where it starts in its file, or -1)


def read_file(file: SourceFile) -> FileContents:
    """Read one file into Articles (under the limits of its walk); anything unreadable becomes
    a Skip with its reason."""
    articles: list[Article] = []
    out = scan_file(file, lambda article, _start: articles.append(article))
    out.articles = articles
    return out


def scan_file(file: SourceFile, found: Found) -> FileContents:
    """Read one file as `read_file` does, but hand each article kept to `found(article,
    start)` as it is read instead of keeping it (the contents returned hold no articles).
    `start` is the byte offset of the article's JSON Lines record (`Rereader` reads it
    alone), or -1 for an article of a file read whole. A JSON Lines file is read line by
    line, so that its articles stream (explorer/index/build.py reads a corpus twice: once to
    plan, once to write); the other formats are read whole. A file that cannot be read
    (`failed`) may have handed over some articles first: they are not its articles."""
    out = FileContents(file)
    count = 0
    notes: list[Skip] = []

    def take(article: Article, start: int) -> None:
        nonlocal count
        count += 1
        if article.date_error:       # still indexed (undated), but listed like a skipped file
            notes.append(Skip(article.path, article.date_error))
        if not article.body and not article.title:
            notes.append(Skip(article.path, "no text"))
        else:
            found(article, start)

    try:
        if FORMATS[file.path.suffix.lower()] == "jsonl":
            _scan_jsonl(file, out, take)
        else:
            _scan_whole(file, out, take)
    except OSError as exc:
        out.skips[:] = [Skip(file.rel, f"unreadable: {exc.strerror or exc}")]
        out.failed = True
        return out
    except _Refused as exc:
        out.skips.append(Skip(file.rel, str(exc)))
        return out
    if not count and not out.skips:
        out.skips.append(Skip(file.rel, "no records"))     # '[]': said, not silently nothing
    out.skips.extend(notes)
    return out


def _scan_whole(file: SourceFile, out: FileContents, take: Found) -> None:
    data = _read_limited(file, file.limits)
    if not data.strip():
        raise _Refused("empty file")
    if looks_binary(data):
        raise _Refused("binary file, not text")
    text, out.encoding = decode_bytes(data)
    kind = FORMATS[file.path.suffix.lower()]
    try:
        if kind == "txt":
            take(read_txt(text, file.rel), -1)
        elif kind == "md":
            take(read_md(text, file.rel), -1)
        elif kind == "html":
            from explorer.ingest.pages import read_page      # trafilatura: slow to import

            take(read_page(text, file.rel), -1)
        elif kind == "feed":
            from explorer.ingest.feeds import looks_like_feed, read_feed

            if not looks_like_feed(data):
                raise RecordError("not an RSS or Atom feed")
            # feedparser reads the bytes itself: it honours the XML encoding declaration.
            for article in read_feed(data, file.rel):
                take(article, -1)
        else:
            _take(file, out, take, ((item, -1) for item in
                                    read_json(text, file.rel, visible_name(file.path.stem))))
    except RecordError as exc:
        out.skips.append(Skip(file.rel, str(exc)))


def _take(file: SourceFile, out: FileContents, take: Found, items) -> None:
    for item, start in items:
        if isinstance(item, RecordError):
            out.skips.append(Skip(file.rel, str(item).removeprefix(f"{file.rel}:").strip()))
        else:
            take(item, start)


# -- JSON Lines, streamed ------------------------------------------------------------------------
def _scan_jsonl(file: SourceFile, out: FileContents, take: Found) -> None:
    """A JSON Lines file line by line, to the same articles and skips as its whole text read,
    decoded and split with str.splitlines: a first look (the size, binary, empty, and the one
    encoding of the whole file: UTF-8, else cp1252, else Latin-1), then the records."""
    with _open_checked(file) as handle:
        out.encoding = _first_look(handle, file.limits)
        info = os.fstat(handle.fileno())
        out.seen = (info.st_mtime_ns, info.st_size)
        handle.seek(0)
        _take(file, out, take, read_jsonl_lines(_lines(handle, out.encoding), file.rel,
                                                visible_name(file.path.stem)))


def _open_checked(file: SourceFile):
    """The file open for reading, checked as `_read_limited` does (no FIFO, no device)."""
    fd = os.open(file.path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    try:
        reason = _refused(os.fstat(fd), file.limits)
        if reason:
            raise _Refused(reason)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


_CHUNK = 1 << 20


def _first_look(handle, limits: ReadLimits) -> str:
    """Read the whole file once, a chunk at a time, for what `read_file` checks on its bytes
    (the size limit, empty, binary); returns the encoding `decode_bytes` would choose."""
    candidates = ["utf-8", "cp1252"]
    decoders = {name: codecs.getincrementaldecoder(name)() for name in candidates}
    size, text, binary = 0, False, None
    while chunk := handle.read(_CHUNK):
        size += len(chunk)
        if size > limits.max_bytes:
            raise _Refused(f"too big (over the limit of {_size(limits.max_bytes)}, config "
                           "'max_file_mb')")
        if binary is None:
            binary = looks_binary(chunk)        # its first 8 KiB
        text = text or bool(chunk.strip())
        for name in list(candidates):
            try:
                decoders[name].decode(chunk)
            except UnicodeDecodeError:
                candidates.remove(name)
    if not text:
        raise _Refused("empty file")
    if binary:
        raise _Refused("binary file, not text")
    for name in list(candidates):
        try:
            decoders[name].decode(b"", final=True)
        except UnicodeDecodeError:
            candidates.remove(name)
    return candidates[0] if candidates else "latin-1"


def _lines(handle, encoding: str) -> Iterator[tuple[str, int]]:
    """(line, byte offset where it starts) as str.splitlines splits the decoded text: the
    bytes are cut after each newline (a byte none of these encodings uses in another
    character) and each piece is split again (a lone CR, U+2028, ... end lines too)."""
    offset = 0
    for piece in handle:
        try:
            text = piece.decode(encoding)
        except UnicodeDecodeError:
            raise OSError(f"{handle.name}: changed while it was read") from None
        lines = text.splitlines()
        if len(lines) == 1:
            yield lines[0], offset
        else:
            at = offset
            for line, whole in zip(lines, text.splitlines(keepends=True)):
                yield line, at
                at += len(whole.encode(encoding))
        offset += len(piece)


class Changed(Exception):
    """A file is not what it was when it was scanned (it changed in between)."""


class Rereader:
    """Reads the articles of scanned JSON Lines files again, one record at a time (each file
    stays open while its records are read: one at a time). A file whose size or modification
    time is not what `scan_file` saw, or a record that is not there any more, raises Changed."""

    def __init__(self) -> None:
        self._handle = None
        self._rel: str | None = None

    def article(self, contents: FileContents, start: int, locator: str) -> Article:
        """The article `scan_file` handed over with `start`, whose locator was `locator` (a
        record whose id another record of the file has too is 'f.jsonl#7~2')."""
        file = contents.file
        if self._rel != file.rel:
            self.close()
            self._handle = _open_checked(file)
            self._rel = file.rel
            info = os.fstat(self._handle.fileno())
            if (info.st_mtime_ns, info.st_size) != contents.seen:
                raise Changed(f"{file.rel} changed while it was indexed")
        self._handle.seek(start)
        piece = self._handle.readline()
        # The line number is the locator's when the record has no id of its own.
        number = locator[len(file.rel) + 1:].split("~")[0]
        try:
            line = piece.decode(contents.encoding).splitlines()[0]
            article = read_record(json.loads(line), file.rel,
                                  int(number) if number.isdigit() else 0,
                                  visible_name(file.path.stem))
        except (ValueError, IndexError, RecordError, RecursionError):
            raise Changed(f"{file.rel} changed while it was indexed") from None
        if article.path != locator:
            if not locator.startswith(article.path + "~"):
                raise Changed(f"{file.rel} changed while it was indexed")
            article = dataclasses.replace(article, id=article_id(locator), path=locator)
        return article

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
        self._handle, self._rel = None, None
