"""Fetched items kept as Markdown files in the corpus folder (front matter: title, date,
source, url, author, guid), so everything stays greppable and re-indexable; an item already
stored (same guid or same URL) is never stored twice."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import yaml

from explorer.errors import UserError
from explorer.files import atomic_write_text

FEEDS_FOLDER = "feeds"       # <corpus>/feeds/<feed>/<date>-<title>-<hash>.md
PAGES_FOLDER = "pages"       # <corpus>/pages/<site>/<date>-<title>-<hash>.md
_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)


def slug(text: str | None, limit: int = 50) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", (text or "").lower()).strip("-")
    return words[:limit].rstrip("-") or "untitled"


class ItemStore:
    """The fetched part of one corpus folder."""

    def __init__(self, corpus: Path):
        self.corpus = Path(corpus)
        if self.corpus.exists() and not self.corpus.is_dir():
            raise UserError(f"{self.corpus}: the corpus is a single file; fetching needs a "
                            "corpus folder (set 'corpus:' to a folder)")
        self._seen: set[str] | None = None
        self.written = 0

    @property
    def seen(self) -> set[str]:
        """The guids and URLs of every item stored before (read from the files themselves)."""
        if self._seen is None:
            self._seen = set()
            for folder in (FEEDS_FOLDER, PAGES_FOLDER):
                for path in _markdown_files(self.corpus / folder):
                    self._seen.update(_keys(path))
        return self._seen

    def has(self, *keys: str | None) -> bool:
        return any(k and k in self.seen for k in keys)

    def add(self, folder: str, group: str | None, *, title: str, body: str,
            date: str | None, source: str | None, url: str | None, author: str | None,
            guid: str | None) -> Path:
        """Write one item as a Markdown file (atomically) and remember its keys."""
        key = guid or url or f"{title}|{date}"
        digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
        name = f"{(date or 'undated')[:10]}-{slug(title)}-{digest}.md"
        path = self.corpus / folder / slug(group, 60) / name
        meta = {k: v for k, v in (("title", title), ("date", date), ("source", source),
                                  ("url", url), ("author", author), ("guid", guid)) if v}
        # A JSON string is a YAML double-quoted scalar: safe for any title, and 30 times
        # faster than PyYAML's pure-Python emitter (0.95 s for the 320 shared feed items).
        front = "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in meta.items())
        # Atomic (the indexer never sees half an item) but not fsynced one by one: flush()
        # syncs once for the whole fetch.
        atomic_write_text(path, f"---\n{front}---\n\n{body.strip()}\n", durable=False)
        self.seen.update(k for k in (guid, url) if k)
        self.written += 1
        return path

    def flush(self) -> None:
        """Make the items written so far durable: one sync for all of them, where an fsync
        per file cost 7 ms each (2.1 s of 3.5 for the 320 shared feed items)."""
        if self.written and hasattr(os, "sync"):
            os.sync()
        self.written = 0


def _markdown_files(folder: Path):
    if not folder.is_dir():
        return
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if name.endswith(".md") and not name.startswith("."):
                yield Path(root) / name


def _keys(path: Path) -> list[str]:
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            head = handle.read(8192)
    except OSError:
        return []
    match = _FRONT.match(head)
    if not match:
        return []
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return []
    if not isinstance(meta, dict):
        return []
    return [str(meta[k]) for k in ("guid", "url") if meta.get(k)]
