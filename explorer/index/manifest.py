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
"""

from __future__ import annotations

import json
from pathlib import Path

from explorer.index.folder import latest_generation, manifest_path
from explorer.files import atomic_write_text
from explorer.loading import collector_paused

FORMAT = 2
LEGACY = "manifest.json"


def read_manifest(index_dir: Path, generation: int | None = None) -> dict | None:
    """The manifest of the index as Whoosh opens it now (or of `generation`); None when there
    is no index or no readable manifest for it."""
    index_dir = Path(index_dir)
    if generation is None:
        generation = latest_generation(index_dir)
    if generation < 0:
        return None
    try:
        text = manifest_path(index_dir, generation).read_text(encoding="utf-8")
        with collector_paused():           # one list per article (explorer/loading.py)
            manifest = json.loads(text)
    except FileNotFoundError:
        try:
            legacy = json.loads((index_dir / LEGACY).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return upgrade(legacy) if isinstance(legacy, dict) else None
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and manifest.get("format") == FORMAT else None


def write_manifest(index_dir: Path, generation: int, manifest: dict) -> Path:
    """Write the manifest of `generation` (atomically, fsynced); returns its path."""
    path = manifest_path(index_dir, generation)
    atomic_write_text(path, json.dumps({**manifest, "format": FORMAT}))
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
