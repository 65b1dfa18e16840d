"""The manifest: what the index was built from (each file's signature and articles, the id of
each distinct text), one per index generation, so that it and the index commit together.

The writer writes `manifest_<n>.json` for the generation `n` it is about to commit, before
Whoosh renames that generation's table of contents into place; readers read the manifest of
the generation Whoosh opens. A writer killed before the rename leaves the old generation and
its manifest (the new manifest is a leftover, removed at the next start); killed after it, the
new pair. Never a manifest that describes another index than the one searched.

Format 2 adds `ids` (the stable id of each distinct text, by content hash) to format 1, the
single `manifest.json` written before: it is read and upgraded (each text's id was its first
file's, by path, which is what format 1 indexed), so an old index keeps its ids.

Format 3 is format 2 written as two JSON lines: first the head (everything but the article
lists and `ids`: each file's signature and skips, the counts), then `ids` and each file's
articles. Whether the index is stale, `stats` and an update that finds nothing to do read the
head alone: at 300,000 articles the whole manifest is 30 MB of JSON, which took most of the
memory and time of a one-shot search and 3.5 s of a no-change `index`. A format 2 manifest is
still read (and written as format 3 at the next update).
"""

from __future__ import annotations

import json
from pathlib import Path

from explorer.index.folder import latest_generation, manifest_path
from explorer.files import atomic_write_text
from explorer.loading import collector_paused

FORMAT = 3
READ_FORMATS = (2, 3)
LEGACY = "manifest.json"


def read_manifest(index_dir: Path, generation: int | None = None, *,
                  head: bool = False) -> dict | None:
    """The manifest of the index as Whoosh opens it now (or of `generation`); None when there
    is no index or no readable manifest for it. With `head`, maybe only its head (`is_head`):
    the files without their article lists, and no `ids`."""
    index_dir = Path(index_dir)
    if generation is None:
        generation = latest_generation(index_dir)
    if generation < 0:
        return None
    try:
        with manifest_path(index_dir, generation).open("rb") as f:
            first = f.readline()
            rest = b"" if head else f.read()
        with collector_paused():           # one list per article (explorer/loading.py)
            manifest = json.loads(first)
            body = json.loads(rest) if rest.strip() else None
    except FileNotFoundError:
        try:
            legacy = json.loads((index_dir / LEGACY).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return upgrade(legacy) if isinstance(legacy, dict) else None
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("format") not in READ_FORMATS:
        return None
    if manifest["format"] == 2 or head:
        return manifest
    return _joined(manifest, body)


def is_head(manifest: dict) -> bool:
    """Whether `manifest` is only a head (read_manifest(..., head=True))."""
    return "ids" not in manifest


def _joined(head: dict, body) -> dict | None:
    """A format 3 manifest's two lines as one manifest (format 2's shape)."""
    try:
        articles = body["articles"]
        files = {rel: {**entry, "articles": articles[rel]}
                 for rel, entry in head["files"].items()}
        return {**head, "files": files, "ids": body["ids"]}
    except (KeyError, TypeError, AttributeError):
        return None


def write_manifest(index_dir: Path, generation: int, manifest: dict) -> Path:
    """Write the manifest of `generation` (atomically, fsynced), head first; returns its
    path."""
    path = manifest_path(index_dir, generation)
    files = manifest.get("files", {})
    head = {key: value for key, value in manifest.items() if key != "ids"}
    head["files"] = {rel: {key: value for key, value in entry.items() if key != "articles"}
                     for rel, entry in files.items()}
    head["format"] = FORMAT
    body = {"ids": manifest.get("ids", {}),
            "articles": {rel: entry.get("articles", []) for rel, entry in files.items()}}
    # json.dumps escapes newlines inside strings: each document is one line.
    atomic_write_text(path, json.dumps(head) + "\n" + json.dumps(body) + "\n")
    return path


def upgrade(legacy: dict) -> dict | None:
    """A format 1 manifest as format 2: each text's id is its first file's (by path)."""
    try:
        files = legacy["files"]
        ids: dict[str, str] = {}
        first: dict[str, str] = {}
        for rel in files:
            for article_id, digest, path in files[rel]["articles"]:
                if digest not in first or path < first[digest]:
                    first[digest], ids[digest] = path, article_id
    except (KeyError, TypeError, ValueError):
        return None
    return {**legacy, "format": FORMAT, "ids": ids}
