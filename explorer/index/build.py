"""The write side: building and incrementally updating the Whoosh index from a corpus."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Protocol

from whoosh import index as whoosh_index
from whoosh.writing import PostingPool, SegmentWriter

from explorer.ingest.articles import Article
from explorer.index.whoosh_internals import BlockCodec
from explorer.ingest.corpus import FileContents, SourceFile, read_file, walk
from explorer.index.first_page import PAGE, read_first_page, write_first_page
from explorer.index.schema import SCHEMA_VERSION, UNDATED, build_schema
from explorer.errors import UserError
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
    return Path(index_dir).is_dir() and whoosh_index.exists_in(str(index_dir))


def staleness(corpus: Path, index_dir: Path, annotator: Annotator | None = None) -> str | None:
    """Why the index needs work before it answers for this corpus, or None when it is fresh."""
    manifest = read_manifest(index_dir)
    if manifest is None or not index_exists(index_dir):
        return "no index yet"
    reason = _rebuild_reason(manifest, corpus, annotator)
    if reason:
        return reason
    files, _ = walk(corpus)
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
    if manifest is None or summary.rebuilt:
        manifest = None
        _create_empty(index_dir)
    old_files: dict[str, dict] = manifest["files"] if manifest else {}

    files, walk_skips = walk(corpus)
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
    writer = _Writer(ix, limitmb=256)
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
            doc = _document(article, dups, annotator)
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
    keep_first_page(index_dir)
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
    if read_first_page(index_dir, PAGE) is None:      # an index written before pages were kept
        keep_first_page(index_dir)
    summary.articles = manifest.get("articles", 0)
    summary.duplicates = manifest.get("duplicates", 0)
    summary.skipped = len(skips)
    summary.skips = [tuple(s) for s in skips]
    summary.seconds = time.perf_counter() - started
    return summary


def keep_first_page(index_dir: Path) -> None:
    """Keep the first page of the newest-first list of the index as committed, beside it, for
    the app to paint before it opens the index (explorer/index/first_page.py)."""
    from explorer.search.article_index import ArticleIndex

    index = ArticleIndex(index_dir)
    try:
        write_first_page(index_dir, index.search(PAGE), index.generation)
    finally:
        index.close()


def open_writer(ix) -> SegmentWriter:
    """A writer for the index, writing what the indexer writes (for changes made elsewhere,
    such as re-tagging articles)."""
    return _Writer(ix)


class _Writer(SegmentWriter):
    """Whoosh's writer, reading field lengths from memory while it writes the postings.

    At commit Whoosh looks up the length of the document's field for every posting it writes,
    reading it back from the column file just written: a third of the commit. The lengths are
    read once per document here instead.
    """

    def __init__(self, ix, limitmb: int = 256):
        # zlib level 1 for posting blocks (Whoosh's default is 3): 1% larger, compressed faster;
        # readers take the level from each block. Blocks pickled with protocol 5: codec.py.
        super().__init__(ix, limitmb=limitmb, codec=BlockCodec(compression=1))
        self.pool = _Pool(self._tempstorage, self.newsegment, limitmb=limitmb)

    def per_document_reader(self):
        return _CachedLengths(super().per_document_reader())

    def _flush_segment(self):
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        _add_postings(self.fieldwriter, self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if lengths is not None:
            lengths.close()


def _add_postings(fieldwriter, schema, lengths, items) -> None:
    """FieldWriter.add_postings with Whoosh 2.7.5's W3PostingsWriter.add_posting inlined, minus
    its per-posting checks (the pool hands postings over sorted and typed): a third of the
    commit. Writes the same bytes as Whoosh (tests/test_schema.py compares)."""
    lastfn = lasttext = None
    writer = field_lengths = None
    for fieldname, btext, docnum, weight, value in items:
        if fieldname != lastfn:
            if lasttext is not None:
                fieldwriter.finish_term()
            if lastfn is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            lastfn, lasttext = fieldname, None
            field_lengths = lengths.field_lengths(fieldname) if lengths is not None else None
        if docnum == -1:          # Whoosh's marker for spelling words: not postings
            continue
        if btext != lasttext:
            if lasttext is not None:
                fieldwriter.finish_term()
            fieldwriter.start_term(btext)
            lasttext = btext
            writer = fieldwriter._postwriter
            limit = writer._blocklimit
        if len(writer._ids) >= limit:
            writer._write_block()
        writer._ids.append(docnum)
        writer._weights.append(weight)
        if weight > writer._maxweight:
            writer._maxweight = weight
        if value:
            writer._values.append(value)
        length = field_lengths[docnum] if field_lengths is not None else None
        if length:
            if writer._minlength is None or length < writer._minlength:
                writer._minlength = length
            if length > writer._maxlength:
                writer._maxlength = length
    if lasttext is not None:
        fieldwriter.finish_term()
    if lastfn is not None:
        fieldwriter.finish_field()


class _Pool(PostingPool):
    """Whoosh's posting pool without its per-posting type checks and size arithmetic (a tenth
    of indexing): memory is bounded by counting postings instead, at ~200 bytes each."""

    POSTING_BYTES = 200

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._room = self.limit // self.POSTING_BYTES

    def add(self, item):
        self.fieldnames.add(item[0])
        self.current.append(item)
        self._room -= 1
        if self._room <= 0:
            self.save()

    def save(self):
        super().save()
        self._room = self.limit // self.POSTING_BYTES


class _CachedLengths:
    def __init__(self, reader):
        self._reader = reader
        self._lengths: dict[str, list] = {}

    def field_lengths(self, fieldname) -> list:
        """The field's length in every document, by document number."""
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            read = self._reader.doc_field_length
            lengths = self._lengths[fieldname] = [
                read(n, fieldname) for n in range(self._reader.doc_count_all())]
        return lengths

    def doc_field_length(self, docnum, fieldname, default=0):
        lengths = self.field_lengths(fieldname)
        return lengths[docnum] if docnum < len(lengths) else default

    def __getattr__(self, name):
        return getattr(self._reader, name)


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


def _document(article: Article, duplicates: tuple[str, ...],
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
