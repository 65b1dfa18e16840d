"""The gazetteer's fingerprint and the built tagger, kept beside the index.

A one-shot `search` checks that the index was tagged with the current gazetteer (its
fingerprint) and resolves the query text to an entity (the tagger). Both meant loading every
entity file and alias table and building the tagger, in every process: with the Reuters ticker
table (5,245 entities) 0.3 s to load the gazetteer and 0.25 s to build the tagger, more than the
search itself. They are saved beside the index instead, under a key made from what they are
built from (the config's entities, the matching options, and the path, size and modification
time of each entity file, alias table and the curated file): `entities.json` holds the
fingerprint (read without loading anything), `entities.pickle` the gazetteer and tagger
(unpickled in about a tenth of a second). A changed input changes the key, and the files are
then rebuilt and written again. The index folder is the user's own, like the index's pickled
table of contents; the files are written atomically.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from pathlib import Path
from typing import Any

from explorer.files import atomic_write_bytes
from explorer.loading import collector_paused

FINGERPRINT_FILE = "entities.json"
TAGGER_FILE = "entities.pickle"
FORMAT = 1


def inputs_key(config, curated_path: Path, extra: str) -> str:
    """A key that changes when anything the gazetteer is built from may have changed."""
    parts: list[Any] = [FORMAT, extra, repr(config.entities), repr(config.alias_tables)]
    for path in (*config.entity_files, *(t.path for t in config.alias_tables), curated_path):
        try:
            stat = Path(path).stat()
            parts.append((str(path), stat.st_size, stat.st_mtime_ns))
        except OSError:
            parts.append((str(path), None))
    return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()


def _is_index(index_dir: Path) -> bool:
    """Only a folder holding an index (a Whoosh table of contents) or being made one (the
    writer's lock, explorer/index/folder.py) gets the files."""
    folder = Path(index_dir)
    return (folder / "index.lock").exists() or any(folder.glob("_MAIN_*.toc"))


def read_fingerprint(index_dir: Path, key: str) -> str | None:
    try:
        saved = json.loads((Path(index_dir) / FINGERPRINT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(saved, dict) and saved.get("key") == key:
        return saved.get("fingerprint")
    return None


def save_fingerprint(index_dir: Path, key: str, fingerprint: str,
                     words: dict | None = None) -> None:
    if not _is_index(index_dir):
        return
    if words is None and read_fingerprint(index_dir, key) == fingerprint:
        return
    if words is None:                # keep the name words already saved (read as frozensets)
        found = read_name_words(index_dir, key)
        words = {name: sorted(values) for name, values in found.items()} if found else None
    _write(Path(index_dir) / FINGERPRINT_FILE,
           json.dumps({"key": key, "fingerprint": fingerprint, "words": words}).encode("utf-8"))


# -- the compact resolver: which texts cannot resolve, without the tagger -------------------------
def name_words(tagger) -> dict[str, list[str]]:
    """What a text must contain to resolve (explorer/entities/catalog.py: resolve): a first
    word of a name (the exact pass starts only there), a name's compact form or a word the fuzzy
    pass picks candidates by, or an acronym."""
    fuzzy = tagger.fuzzy
    return {"starts": sorted(tagger.scanner.trie), "compacts": sorted(fuzzy.compact_index),
            "words": sorted(fuzzy.postings), "acronyms": sorted(fuzzy.acronyms)}


_WORDS_CACHE: dict[tuple[str, str], dict[str, frozenset]] = {}


def read_name_words(index_dir: Path, key: str) -> dict | None:
    cached = _WORDS_CACHE.get((str(index_dir), key))
    if cached is not None:
        return cached
    try:
        saved = json.loads((Path(index_dir) / FINGERPRINT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    words = saved.get("words") if isinstance(saved, dict) and saved.get("key") == key else None
    if not isinstance(words, dict) or set(words) != {"starts", "compacts", "words", "acronyms"}:
        return None
    found = {name: frozenset(values) for name, values in words.items()}
    _WORDS_CACHE.clear()
    _WORDS_CACHE[(str(index_dir), key)] = found
    return found


def looks_like_code(text: str) -> bool:
    """A ticker or other code as typed ("XON", "GM"): resolved through the alias tables' codes,
    which the saved name words do not hold, so never spared the tagger."""
    code = " ".join(text.split())
    return 2 <= len(code) <= 12 and code.isupper() and " " not in code


def may_resolve(found: dict, folded: list[str], first: int, last: int, acronyms: bool) -> bool:
    """Whether the catalog's resolve could find an entity for these words (a superset: True
    may still find none; False never misses one)."""
    from explorer.entities.tokens import plain, strip_suffixes

    if any(word in found["starts"] for word in folded[:first + 1]):
        return True
    keys = tuple(folded[first:last])
    for variant in {keys, strip_suffixes(keys)}:
        text = plain(variant)
        if text.replace(" ", "") in found["compacts"] or \
                any(word in found["words"] for word in text.split()):
            return True
    if acronyms and last - first == 1 and folded[first].casefold() in found["acronyms"]:
        return True
    return False


def read_tagger(index_dir: Path, key: str):
    """(gazetteer, tagger) saved under `key`, or None (absent, stale or unreadable)."""
    try:
        with open(Path(index_dir) / TAGGER_FILE, "rb") as handle:
            saved_key = pickle.load(handle)
            if saved_key != key:
                return None
            with collector_paused():       # 4x faster (explorer/loading.py)
                return pickle.load(handle)
    except Exception:  # a file from another version, or cut short: build afresh instead
        return None


def save_tagger(index_dir: Path, key: str, gazetteer, tagger) -> None:
    if not _is_index(index_dir):
        return
    try:
        data = pickle.dumps(key, 5) + pickle.dumps((gazetteer, tagger), 5)
    except Exception:  # something in the tagger cannot be pickled: not kept, still works
        return
    _write(Path(index_dir) / TAGGER_FILE, data)


def _write(path: Path, data: bytes) -> None:
    """Atomically (explorer/files.py); best effort: a read-only index folder or a full disk
    only means the next process builds the tagger again."""
    try:
        atomic_write_bytes(path, data)
    except OSError:         # a WriteError is one too
        pass
