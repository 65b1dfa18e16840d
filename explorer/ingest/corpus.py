"""Walking a corpus (a folder or one file): which files there are and reading each into Articles."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from explorer.ingest.articles import (
    Article, RecordError, read_json, read_jsonl, read_md, read_txt,
)
from explorer.text import decode_bytes, looks_binary

FORMATS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
           ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json"}


@dataclass(frozen=True)
class SourceFile:
    path: Path          # absolute
    rel: str            # relative to the corpus root, with forward slashes
    size: int
    mtime_ns: int

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


def walk(corpus: Path) -> tuple[list[SourceFile], list[Skip]]:
    """Every file of the corpus in a stable order, and those passed over (unknown format)."""
    corpus = Path(corpus)
    if not corpus.exists():
        from explorer.errors import UserError
        raise UserError(f"{corpus}: corpus not found")
    root = corpus_root(corpus)
    files: list[SourceFile] = []
    skips: list[Skip] = []
    for path in _paths(corpus):
        rel = path.relative_to(root).as_posix()
        if path.suffix.lower() not in FORMATS:
            skips.append(Skip(rel, f"unsupported format '{path.suffix or '(none)'}'"))
            continue
        try:
            stat = path.stat()
        except OSError as exc:
            skips.append(Skip(rel, f"unreadable: {exc.strerror}"))
            continue
        files.append(SourceFile(path, rel, stat.st_size, stat.st_mtime_ns))
    return files, skips


def _paths(corpus: Path) -> Iterator[Path]:
    if corpus.is_file():
        yield corpus
        return
    for folder, dirs, names in os.walk(corpus):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if not name.startswith("."):
                yield Path(folder) / name


def read_file(file: SourceFile) -> FileContents:
    """Read one file into Articles; anything unreadable becomes a Skip with its reason."""
    out = FileContents(file)
    try:
        data = file.path.read_bytes()
    except OSError as exc:
        out.skips.append(Skip(file.rel, f"unreadable: {exc.strerror}"))
        out.failed = True
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
        else:
            reader = read_jsonl if kind == "jsonl" else read_json
            for item in reader(text, file.rel, default_source=file.path.stem):
                if isinstance(item, RecordError):
                    out.skips.append(Skip(file.rel, str(item).removeprefix(f"{file.rel}:").strip()))
                else:
                    out.articles.append(item)
    except RecordError as exc:
        out.skips.append(Skip(file.rel, str(exc)))
    for article in out.articles:
        if not article.body and not article.title:
            out.skips.append(Skip(article.path, "no text"))
    out.articles = [a for a in out.articles if a.body or a.title]
    return out
