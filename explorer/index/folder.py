"""The index folder: what it may hold, the lock its one writer holds, and what a killed
writer leaves behind.

One process writes the index at a time: it holds `index.lock` (an exclusive lock that goes
with the process, so a killed writer never leaves it taken). Readers never take it to read:
every commit is a new Whoosh generation (`_MAIN_<n>.toc`, written under a temporary name and
renamed), so a reader opens the last committed generation whatever a writer is doing.
Imports no Whoosh.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

from explorer.errors import UserError
from explorer.files import FileLock
from explorer.text import printable

LOCK_FILE = "index.lock"
MANIFEST_PREFIX = "manifest"
_TOC = re.compile(r"_MAIN_(\d+)\.toc\Z")          # Whoosh's table of contents, one per commit
# What an index folder may hold: Whoosh's files (`_MAIN_<n>.toc`, `MAIN_<id>.seg` and the
# other files of a segment, its write lock, `MAIN.tmp`, a table of contents being written:
# `_MAIN_<n>.toc.<time>`), ours (the manifest of each generation, the first page, the
# writer's lock, the saved gazetteer of explorer/entities/saved.py, the discovered names, the
# names in record tags, temporary files) and a
# `.gitkeep`. A folder holding anything else is not ours: it is refused, never emptied.
_INDEX_FILE = re.compile(
    r"(_MAIN_\d+\.toc|MAIN_[0-9a-z]+\.[A-Za-z0-9_.]+|MAIN_WRITELOCK|MAIN\.tmp"
    r"|_MAIN_\d+\.toc\.[0-9.]+|.*\.tmp|manifest(_\d+)?\.json|first_page\.json|index\.lock"
    r"|entities\.json|entities\.pickle|discovered\.json|record_entities\.json|\.gitkeep)")
_LEFTOVER = re.compile(r"_MAIN_\d+\.toc\.[0-9.]+|.*\.tmp")
_MANIFEST = re.compile(r"manifest_(\d+)\.json\Z")


class IndexBusy(UserError):
    """Another process is writing the index."""


class IndexWriteError(UserError):
    """The index could not be written (a full disk, a read-only folder); the last committed
    generation still serves."""


def check_index_folder(index_dir: Path) -> None:
    """Refuse (UserError) a folder that holds anything an index does not: it is never emptied."""
    index_dir = Path(index_dir)
    if index_dir.exists() and not index_dir.is_dir():
        raise UserError(f"not an index: {index_dir} is a file, not a folder")
    if not index_dir.is_dir():
        return
    for child in sorted(index_dir.iterdir()):
        if not _INDEX_FILE.fullmatch(child.name):
            raise UserError(f"not an index: {index_dir} holds {printable(child.name)!r}; "
                            f"give --index an empty folder or one that holds an index")


def latest_generation(index_dir: Path) -> int:
    """The generation Whoosh opens now (the highest `_MAIN_<n>.toc`), -1 when there is none."""
    try:
        names = os.listdir(index_dir)
    except OSError:
        return -1
    return max((int(m.group(1)) for name in names if (m := _TOC.match(name))), default=-1)


def manifest_path(index_dir: Path, generation: int) -> Path:
    return Path(index_dir) / f"{MANIFEST_PREFIX}_{generation}.json"


def writer_lock(index_dir: Path) -> FileLock:
    """The lock the one writer of the index holds (not taken yet)."""
    return FileLock(Path(index_dir) / LOCK_FILE)


def take_writer_lock(index_dir: Path, *, wait: bool, waiting=None) -> FileLock:
    """Hold the writer lock of an index folder (made if missing, once checked to be ours).
    Without `wait`, IndexBusy when another process holds it; with it, `waiting()` is called
    once before waiting. A folder we cannot write in is one line naming it."""
    index_dir = Path(index_dir)
    check_index_folder(index_dir)
    lock = writer_lock(index_dir)
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        if lock.acquire(blocking=False):
            return lock
        if not wait:
            raise IndexBusy(f"{index_dir}: the index is being updated by another process")
        if waiting is not None:
            waiting()
        lock.acquire()
    except OSError as exc:
        raise IndexWriteError(f"{exc.filename or index_dir}: cannot write the index: "
                              f"{exc.strerror or exc}") from None
    return lock


def leftovers(index_dir: Path) -> list[str]:
    """What a killed or failed writer left in the folder: temporary files and folders, and
    manifests of generations that were never committed or are no longer current."""
    index_dir = Path(index_dir)
    current = latest_generation(index_dir)
    found = []
    try:
        names = sorted(os.listdir(index_dir))
    except OSError:
        return []
    for name in names:
        manifest = _MANIFEST.match(name)
        stale_manifest = (manifest and int(manifest.group(1)) != current) or (
            name == f"{MANIFEST_PREFIX}.json" and manifest_path(index_dir, current).exists())
        if name == "MAIN.tmp" or _LEFTOVER.fullmatch(name) or stale_manifest:
            if name.startswith(_BESIDE) and _young(index_dir / name):
                continue      # a reader writing its file beside the index right now
            found.append(name)
    return found


# Files readers write beside the index without the writer lock (the first page, the discovered
# names, the saved gazetteer): their temporary files are theirs while young, and removing one
# mid-write made that write fail (the app's first page was then not kept).
_BESIDE = (".first_page.json.", ".discovered.json.", ".entities.json.", ".entities.pickle.")
_YOUNG_SECONDS = 60


def _young(path: Path) -> bool:
    try:
        return time.time() - path.stat().st_mtime < _YOUNG_SECONDS
    except OSError:
        return False


def clean_leftovers(index_dir: Path) -> list[str]:
    """Remove the leftovers, only in a folder that holds nothing but an index. Call it holding
    the writer lock. Returns the names removed."""
    index_dir = Path(index_dir)
    check_index_folder(index_dir)
    removed = leftovers(index_dir)
    for name in removed:
        path = index_dir / name
        try:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
        except FileNotFoundError:
            pass
    return removed


def tidy(index_dir: Path) -> None:
    """Clean the leftovers at start, when there are any and no writer is at work (a reader
    calls it: one listing of the folder when there is nothing to do)."""
    if not leftovers(index_dir):
        return
    lock = writer_lock(index_dir)
    try:
        if not lock.acquire(blocking=False):
            return                      # a writer is at work: it cleans up itself
    except OSError:
        return                          # a read-only folder: nothing can be cleaned
    try:
        clean_leftovers(index_dir)
    except (OSError, UserError):
        pass
    finally:
        lock.release()
