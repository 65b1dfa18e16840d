"""The write side: building and incrementally updating the Whoosh index from a corpus."""

from __future__ import annotations

import hashlib
import json
import pickle
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Protocol

from whoosh import index as whoosh_index

from explorer.errors import UserError
from explorer.index.schema import SCHEMA_VERSION, UNDATED, build_schema
from explorer.index.whoosh_internals import IndexWriter
from explorer.ingest.articles import Article
from explorer.ingest.corpus import FileContents, ReadLimits, SourceFile, read_file, walk
from explorer.text import normalize_for_duplicates, printable
from explorer.yamlfile import atomic_write_text

MANIFEST = "manifest.json"
Progress = Callable[[str, int, int], None]  # (phase, done, total)


class Annotator(Protocol):
    """Adds fields to an article's document at index time (entity mentions, for one)."""

    fingerprint: str

    def annotate(self, article: Article) -> dict[str, Any]: ...


@dataclass
class IndexSummary:
    added: int = 0
    updated: int = 0
    removed: int = 0
    skipped: int = 0
    duplicates: int = 0
    articles: int = 0
    seconds: float = 0.0
    rebuilt: str | None = None     # why the index was rebuilt from scratch, if it was
    skips: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def line(self) -> str:
        return (f"{self.articles} articles: {self.added} added, {self.updated} updated, "
                f"{self.removed} removed, {self.skipped} skipped, {self.duplicates} duplicates "
                f"in {self.seconds:.1f}s")


def content_hash(article: Article) -> str:
    text = normalize_for_duplicates(article.title + "\n" + article.body)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def read_manifest(index_dir: Path) -> dict | None:
    try:
        return json.loads((Path(index_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def index_exists(index_dir: Path) -> bool:
    """Whether the folder holds a Whoosh index (one from another version counts: its manifest
    says so, and it is rebuilt)."""
    if not Path(index_dir).is_dir():
        return False
    try:
        return whoosh_index.exists_in(str(index_dir))
    except (ImportError, AttributeError, EOFError, pickle.UnpicklingError):
        return True       # a table of contents naming classes this version has moved


def staleness(corpus: Path, index_dir: Path, annotator: Annotator | None = None,
              limits: ReadLimits = ReadLimits()) -> str | None:
    """Why the index needs work before it answers for this corpus, or None when it is fresh."""
    manifest = read_manifest(index_dir)
    if manifest is None or not index_exists(index_dir):
        return "no index yet"
    reason = _rebuild_reason(manifest, corpus, annotator)
    if reason:
        return reason
    files, _ = walk(corpus, limits)
    known = manifest["files"]
    if len(files) != len(known):
        return "files were added or removed"
    for f in files:
        if known.get(f.rel, {}).get("sig") != f.signature:
            return f"{f.rel} changed"
    return None


def _rebuild_reason(manifest: dict, corpus: Path, annotator: Annotator | None) -> str | None:
    if manifest.get("schema") != SCHEMA_VERSION:
        return "the index was written by an older version"
    if manifest.get("corpus") != str(Path(corpus).resolve()):
        return "the corpus folder changed"
    if manifest.get("annotator") != (annotator.fingerprint if annotator else None):
        return "the entity gazetteer changed"
    return None


def update_index(
    corpus: Path,
    index_dir: Path,
    *,
    rebuild: bool = False,
    annotator: Annotator | None = None,
    progress: Progress | None = None,
    limits: ReadLimits = ReadLimits(),
) -> IndexSummary:
    """Bring the index up to date with the corpus: read only new or changed files."""
    started = time.perf_counter()
    corpus, index_dir = Path(corpus).resolve(), Path(index_dir)
    report = progress or (lambda phase, done, total: None)
    summary = IndexSummary()
    manifest = read_manifest(index_dir) if index_exists(index_dir) else None
    if manifest is not None and not rebuild:
        summary.rebuilt = _rebuild_reason(manifest, corpus, annotator)
    elif rebuild and manifest is not None:
        summary.rebuilt = "--rebuild"
    # Walk first: a corpus that is not there is an error before any index folder is made.
    files, walk_skips = walk(corpus, limits)
    if manifest is None or summary.rebuilt:
        manifest = None
        _create_empty(index_dir)
    old_files: dict[str, dict] = manifest["files"] if manifest else {}

    current = {f.rel: f for f in files}
    changed = [f for f in files if old_files.get(f.rel, {}).get("sig") != f.signature]
    removed = [rel for rel in old_files if rel not in current]
    if manifest is not None and not changed and not removed:
        return _unchanged(summary, manifest, index_dir, walk_skips, started)

    contents: dict[str, FileContents] = {}
    for done, f in enumerate(changed, 1):
        contents[f.rel] = read_file(f)
        report("reading", done, len(changed))

    new_files = {rel: entry for rel, entry in old_files.items() if rel in current}
    for rel, content in contents.items():
        new_files[rel] = {
            "sig": current[rel].signature,
            "articles": [[a.id, content_hash(a), a.path] for a in content.articles],
            "skips": [[s.path, s.reason] for s in content.skips],
        }

    old_groups = _groups(old_files)
    new_groups = _groups(new_files)
    fresh_ids = {a.id for c in contents.values() for a in c.articles}
    by_id = {a.id: a for c in contents.values() for a in c.articles}

    ix = whoosh_index.open_dir(str(index_dir))
    writer = IndexWriter(ix, limitmb=256)
    try:
        old_canonical = {g[0][0]: h for h, g in old_groups.items()}
        stale_ids = {entry[0] for rel in removed + list(contents) for entry in
                     old_files.get(rel, {}).get("articles", [])}
        to_write: list[tuple[str, list]] = []
        for h, group in new_groups.items():
            canonical_id = group[0][0]
            if old_groups.get(h) != group or canonical_id in fresh_ids:
                to_write.append((canonical_id, group))
        # Old canonical documents that are no longer canonical (or gone) leave the index.
        new_canonical = {g[0][0] for g in new_groups.values()}
        for old_id in set(old_canonical) | stale_ids:
            if old_id not in new_canonical or old_id in stale_ids:
                writer.delete_by_term("id", old_id)
        missing = [cid for cid, _ in to_write if cid not in by_id]
        by_id.update(_recover(missing, new_files, current, ix))
        for done, (canonical_id, group) in enumerate(to_write, 1):
            article = by_id[canonical_id]
            dups = tuple(path for _, path in group[1:])
            doc = document_fields(article, dups, annotator)
            if canonical_id in old_canonical:
                writer.update_document(**doc)
            else:
                writer.add_document(**doc)
            report("indexing", done, len(to_write))
        report("committing", 0, 1)
        writer.commit(optimize=False)
    except BaseException:
        writer.cancel()
        raise

    old_ids = set(old_canonical)
    written = {cid for cid, _ in to_write}
    summary.added = len(written - old_ids)
    summary.updated = len(written & old_ids)
    summary.removed = len(old_ids - new_canonical)
    summary.articles = len(new_groups)
    summary.duplicates = sum(len(g) - 1 for g in new_groups.values())
    all_skips = [[s.path, s.reason] for s in walk_skips]
    for entry in new_files.values():
        all_skips.extend(entry.get("skips", []))
    summary.skipped = len(all_skips)
    summary.skips = [tuple(s) for s in all_skips]
    atomic_write_text(index_dir / MANIFEST, json.dumps({
        "schema": SCHEMA_VERSION,
        "corpus": str(corpus),
        "annotator": annotator.fingerprint if annotator else None,
        "files": new_files,
        "walk_skips": [[s.path, s.reason] for s in walk_skips],
        "duplicates": summary.duplicates,
        "articles": summary.articles,
    }))
    summary.seconds = time.perf_counter() - started
    return summary


def _unchanged(summary: IndexSummary, manifest: dict, index_dir: Path, walk_skips: list,
               started: float) -> IndexSummary:
    """Nothing to index: the summary comes from the manifest, and the index is not touched
    (a Whoosh commit with no changes still writes a new generation and may merge segments)."""
    skips = [[s.path, s.reason] for s in walk_skips]
    if skips != manifest.get("walk_skips"):      # only unsupported files came or went
        atomic_write_text(index_dir / MANIFEST, json.dumps({**manifest, "walk_skips": skips}))
    for entry in manifest["files"].values():
        skips.extend(entry.get("skips", []))
    summary.articles = manifest.get("articles", 0)
    summary.duplicates = manifest.get("duplicates", 0)
    summary.skipped = len(skips)
    summary.skips = [tuple(s) for s in skips]
    summary.seconds = time.perf_counter() - started
    return summary


# What an index folder may hold: Whoosh's files (`_MAIN_<n>.toc`, `MAIN_<id>.seg`, the write
# lock, `MAIN.tmp` and other temporary files), ours (the manifest, the first page, their
# temporary files) and a `.gitkeep`. A folder holding anything else is not ours to empty.
_INDEX_FILE = re.compile(
    r"(_?MAIN_[A-Za-z0-9_]+\.(toc|seg|pst|trm|fln|vps|dci|dcz|pos|tiz)|MAIN_WRITELOCK|MAIN\.tmp"
    r"|.*\.tmp|manifest\.json|first_page\.json|\.gitkeep)")


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


def _create_empty(index_dir: Path) -> None:
    check_index_folder(index_dir)
    if index_dir.exists():
        for child in index_dir.iterdir():
            if child.name == ".gitkeep":
                continue
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    index_dir.mkdir(parents=True, exist_ok=True)
    whoosh_index.create_in(str(index_dir), build_schema())


def _groups(files: dict[str, dict]) -> dict[str, list[list[str]]]:
    """Articles grouped by content hash; the first (by path) of each group is the one indexed."""
    groups: dict[str, list[list[str]]] = {}
    for rel in sorted(files):
        for article_id, digest, path in files[rel]["articles"]:
            groups.setdefault(digest, []).append([article_id, path])
    for group in groups.values():
        group.sort(key=lambda item: item[1])
    return groups


def _recover(ids: list[str], files: dict[str, dict], current: dict[str, SourceFile],
             ix) -> dict[str, Article]:
    """Articles promoted to canonical that were not read this run: re-read their files."""
    if not ids:
        return {}
    wanted = set(ids)
    found: dict[str, Article] = {}
    for rel, entry in files.items():
        if wanted & {a[0] for a in entry["articles"]}:
            for article in read_file(current[rel]).articles:
                if article.id in wanted:
                    found[article.id] = article
    return found


def document_fields(article: Article, duplicates: tuple[str, ...],
              annotator: Annotator | None) -> dict[str, Any]:
    when = article.when
    doc: dict[str, Any] = {
        "id": article.id, "title": article.title, "body": article.body, "path": article.path,
        "source": article.source or "", "url": article.url, "author": article.author,
        "duplicates": list(duplicates),
        "day": when.toordinal() if when else UNDATED,
        "entity": "", "mentions": [],
    }
    if when is not None:
        # Index the datetime, store the ISO text as the corpus gave it (date, or date and time).
        doc["date"] = when
        doc["_stored_date"] = article.date
    if annotator is not None:
        doc.update(annotator.annotate(article))
    return doc
