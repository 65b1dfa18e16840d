"""The write side: building and incrementally updating the Whoosh index from a corpus."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterator, Protocol


from explorer.ingest.articles import Article
from explorer.index.folder import (  # noqa: F401 (check_index_folder is imported from here too)
    IndexWriteError, check_index_folder, clean_leftovers, latest_generation, take_writer_lock,
)
from explorer.index.manifest import FORMAT, is_head, read_manifest, write_manifest
from explorer.index.plan import (  # noqa: F401 (content_hash is imported from here too)
    DocPlan, FilePlan, FileRead, Item, Source, content_hash, manifest_skips, plan_documents,
    plan_files,
)
from explorer.index.parallel import PARTS, write_documents
from explorer.index.schema import (
    PAIR_FIELD, SCHEMA_VERSION, UNDATED, UNDATED_TIME, article_from_fields, build_schema,
)
from explorer.index.whoosh_internals import (
    IndexWriter, cancel_quietly, clean_orphans, commit_writer, open_index, replacement_ix,
)
from explorer.ingest.corpus import Changed, ReadLimits, Rereader, read_file, scan_file, walk

Progress = Callable[[str, int, int], None]  # (phase, done, total)
CHANGED_TRIES = 3       # plans made again when a file changes while it is indexed


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
    note: str | None = None        # why the index was not brought up to date (busy, disk full)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def line(self) -> str:
        return (f"{self.articles} articles: {self.added} added, {self.updated} updated, "
                f"{self.removed} removed, {self.skipped} skipped, {self.duplicates} duplicates "
                f"in {self.seconds:.1f}s")


def index_exists(index_dir: Path) -> bool:
    return latest_generation(index_dir) >= 0


def plan_update(corpus: Path, index_dir: Path, annotator: Annotator | None = None, *,
                rebuild: bool = False, limits: ReadLimits = ReadLimits(),
                head: bool = False) -> FilePlan:
    """Which files an update would read and which are gone: one walk of the corpus, against
    the manifest of the generation committed last. Writes nothing. With `head`, the plan's
    base may be the manifest's head alone (enough to say what is stale: `with_full_base`)."""
    generation = latest_generation(index_dir)
    files, walk_skips = walk(corpus, limits)
    return plan_files(read_manifest(index_dir, generation, head=head), generation,
                      Path(corpus).resolve(), files, walk_skips,
                      annotator.fingerprint if annotator else None, SCHEMA_VERSION, rebuild)


def with_full_base(plan: FilePlan, index_dir: Path) -> FilePlan | None:
    """The plan with its whole manifest as base (it may have been made from the head); None
    when that manifest cannot be read any more."""
    if plan.base is None or not is_head(plan.base):
        return plan
    full = read_manifest(index_dir, plan.generation)
    return replace(plan, base=full) if full is not None else None


def staleness(corpus: Path, index_dir: Path, annotator: Annotator | None = None,
              limits: ReadLimits = ReadLimits()) -> str | None:
    """Why the index needs work before it answers for this corpus, or None when it is fresh."""
    return plan_update(corpus, index_dir, annotator, limits=limits, head=True).stale


def read_planned(plan: FilePlan, progress: Progress | None = None) -> dict[str, FileRead]:
    """The planned files read for the plan: of each article only its id, hash, locator and
    start are kept (the articles written are read again: `_articles`)."""
    report = progress or (lambda phase, done, total: None)
    reads: dict[str, FileRead] = {}
    for done, f in enumerate(plan.read, 1):
        read = FileRead(None)
        read.contents = scan_file(f, read.add)
        reads[f.rel] = read
        report("reading", done, len(plan.read))
    return reads


def dry_run(corpus: Path, index_dir: Path, annotator: Annotator | None = None, *,
            rebuild: bool = False, limits: ReadLimits = ReadLimits()) -> DocPlan:
    """What `update_index` would do now (files are read, nothing is written)."""
    plan = plan_update(corpus, index_dir, annotator, rebuild=rebuild, limits=limits)
    return plan_documents(plan, read_planned(plan), annotator.fingerprint if annotator else None,
                          SCHEMA_VERSION)


def update_index(
    corpus: Path,
    index_dir: Path,
    *,
    rebuild: bool = False,
    annotator: Annotator | None = None,
    progress: Progress | None = None,
    wait: bool = True,
    waiting: Callable[[], None] | None = None,
    plan: FilePlan | None = None,
    limits: ReadLimits = ReadLimits(),
) -> IndexSummary:
    """Bring the index up to date with the corpus (read only new, changed or skipped files),
    holding the index's writer lock: another writer makes this one wait (`waiting()` is
    called first) or, without `wait`, raises IndexBusy. `plan`, made before taking the lock,
    is used when no commit happened since (else the corpus is walked again)."""
    started = time.perf_counter()
    index_dir = Path(index_dir)
    lock = take_writer_lock(index_dir, wait=wait, waiting=waiting)
    try:
        try:
            clean_leftovers(index_dir)
            clean_orphans(index_dir)
        except OSError:
            pass                      # a read-only folder: nothing to clean, nor to write
        if plan is None or plan.generation != latest_generation(index_dir) or \
                (rebuild and plan.rebuild != "--rebuild"):
            plan = plan_update(corpus, index_dir, annotator, rebuild=rebuild, limits=limits,
                               head=True)
        if plan.idle and plan.base.get("format") == FORMAT:
            return _idle(plan, started)    # nothing read, nothing gone: nothing written
        plan = with_full_base(plan, index_dir) or \
            plan_update(corpus, index_dir, annotator, rebuild=rebuild, limits=limits)
        for attempt in range(1, CHANGED_TRIES + 1):
            try:
                summary = _apply(plan, index_dir, annotator, progress)
                break
            except Changed as exc:
                # A file changed between the two reads: the index stays as it was; plan again.
                if attempt == CHANGED_TRIES:
                    raise IndexWriteError(f"{exc} ({attempt} times); the index as it was is "
                                          "still used") from None
                plan = plan_update(corpus, index_dir, annotator, rebuild=rebuild,
                                   limits=limits)
    finally:
        lock.release()
    summary.seconds = time.perf_counter() - started
    return summary


def _idle(plan: FilePlan, started: float) -> IndexSummary:
    """The summary of an update with nothing to do, from the manifest's head (what
    plan_documents would count again from the whole manifest)."""
    base = plan.base
    skips = manifest_skips(base)
    return IndexSummary(added=0, updated=0, removed=0, rebuilt=None,
                        duplicates=base.get("duplicates", 0), articles=base.get("articles", 0),
                        skipped=len(skips), skips=skips,
                        seconds=time.perf_counter() - started)


def _apply(plan: FilePlan, index_dir: Path, annotator: Annotator | None,
           progress: Progress | None) -> IndexSummary:
    """Read the planned files, plan the documents, and commit them with their manifest."""
    report = progress or (lambda phase, done, total: None)
    fingerprint = annotator.fingerprint if annotator else None
    docs = plan_documents(plan, read_planned(plan, report), fingerprint, SCHEMA_VERSION)
    summary = IndexSummary(added=len(docs.add), updated=len(docs.update) + len(docs.retag),
                           removed=len(docs.remove), rebuilt=plan.rebuild,
                           duplicates=docs.manifest["duplicates"],
                           articles=docs.manifest["articles"], skipped=len(docs.skips),
                           skips=docs.skips)
    if plan.rebuild in ("no index yet",):
        summary.rebuilt = None
    if not docs.writes:
        # The index stays as it is; what changed is only the record of the files (touched,
        # retried, unsupported ones came or went): rewrite the manifest of this generation.
        if {**docs.manifest, "format": FORMAT} != plan.base:
            try:
                write_manifest(index_dir, plan.generation, docs.manifest)
            except OSError as exc:
                raise IndexWriteError(_write_failure(index_dir, exc)) from None
        return summary

    writer = None
    reader = _Reader()
    try:
        if plan.rebuild:
            ix = replacement_ix(index_dir, build_schema())
            writer = IndexWriter(ix, limitmb=256)
            old = None
        else:
            ix = open_index(index_dir)
            writer = IndexWriter(ix, limitmb=256)
            old = ix.searcher()
        try:
            for article_id in docs.remove:
                writer.delete_by_term("id", article_id)
            for item in [*docs.update, *docs.retag]:    # replaced: the new copies are added
                writer.delete_by_term("id", item.id)
            total = len(docs.add) + len(docs.update) + len(docs.retag)
            items = [*docs.add, *docs.update, *docs.retag]
            # Two worker processes when there are many (explorer/index/parallel.py).
            parts = write_documents(
                writer, _articles(items, old, reader), total,
                lambda article, dups: document_fields(article, dups, annotator),
                lambda part: IndexWriter(ix, limitmb=256 // PARTS, part=part),
                report, prepare=lambda: getattr(annotator, "tagger", None))
        finally:
            if old is not None:
                old.close()
            reader.close()
    except BaseException as exc:
        fail(index_dir, writer, None, exc)
    report("committing", 0, 1)
    commit_with_manifest(index_dir, writer, docs.manifest, replace=bool(plan.rebuild),
                         parts=parts)
    return summary


def commit_with_manifest(index_dir: Path, writer, manifest: dict, *, replace: bool = False,
                         parts: list = ()) -> None:
    """Commit `writer` together with the manifest of the generation it writes: the manifest
    goes first, and a writer killed before Whoosh renames the new table of contents into
    place leaves the old pair (its manifest is a leftover the next writer removes). On a
    failure the writer is cancelled and its manifest removed; an OSError (a full disk, a
    read-only folder) becomes one IndexWriteError line."""
    manifest_file: Path | None = None
    try:
        manifest_file = write_manifest(index_dir, writer.generation, manifest)
        commit_writer(writer, replace=replace, parts=parts)
    except BaseException as exc:
        fail(index_dir, writer, manifest_file, exc)
    try:
        clean_leftovers(index_dir)       # the manifests of older generations
    except OSError:
        pass


def fail(index_dir: Path, writer, manifest_file: Path | None, exc: BaseException):
    """Undo what a failed writer did (the last commit stays), then raise: one line for an
    OSError, else the error itself."""
    if writer is not None and not writer.is_closed:
        cancel_quietly(writer)
    if manifest_file is not None and latest_generation(index_dir) < writer.generation:
        try:
            manifest_file.unlink()
        except OSError:
            pass
    if isinstance(exc, OSError):
        raise IndexWriteError(_write_failure(index_dir, exc)) from None
    raise exc


def _articles(items: list[Item], searcher, reader: "_Reader"
              ) -> Iterator[tuple[Article, tuple[str, ...]]]:
    """Each item's article and the paths of its other copies, read one at a time as the
    writers take them (the plan kept no text); a re-tagged item's article is the stored one,
    still shown at its path when that file is still one of its copies."""
    for item in items:
        if item.source is None:
            article = article_from_fields(searcher.document(id=item.id))
            shown = article.path if article.path in item.copies else item.copies[0]
            article = replace(article, path=shown)
            others = tuple(p for p in item.copies if p != shown)
        else:
            article = reader.article(item.source, item.copies[0])
            others = item.copies[1:]
        yield replace(article, id=item.id), others


class _Reader:
    """Reads the articles to write again: a JSON Lines record alone, at its start; another
    file whole (the last one read is kept, for a feed's or a .json file's next article).
    Raises Changed when a file is not what the plan read."""

    def __init__(self) -> None:
        self._records = Rereader()
        self._file: object = None
        self._articles: dict[str, Article] = {}

    def article(self, source: Source, locator: str) -> Article:
        if source.start >= 0:
            return self._records.article(source.contents, source.start, locator)
        if self._file is not source.contents:
            self._articles = {}
            self._file = source.contents
            again = read_file(source.contents.file)
            self._articles = {a.path: a for a in again.articles}
        article = self._articles.get(locator)
        if article is None:
            raise Changed(f"{source.contents.file.rel} changed while it was indexed")
        return article

    def close(self) -> None:
        self._records.close()
        self._articles = {}


def documents(articles: list[tuple[Article, tuple[str, ...]]],
              annotator: Annotator | None) -> Iterator[dict[str, Any]]:
    """Article -> Whoosh document, in order: the one place the apply step makes documents."""
    for article, duplicates in articles:
        yield document_fields(article, duplicates, annotator)


def _write_failure(index_dir: Path, exc: OSError) -> str:
    where = exc.filename or index_dir
    return (f"{where}: cannot write the index: {exc.strerror or exc}; "
            f"the index as it was is still used")


def document_fields(article: Article, duplicates: tuple[str, ...],
              annotator: Annotator | None) -> dict[str, Any]:
    when = article.when
    doc: dict[str, Any] = {
        "id": article.id, "title": article.title, "body": article.body,
        PAIR_FIELD: article.body, "path": article.path,
        "source": article.source or "", "url": article.url, "author": article.author,
        "duplicates": list(duplicates),
        "day": when.toordinal() if when else UNDATED,
        "time": _seconds(when) if when else UNDATED_TIME,
        "entity": "", "mentions": [],
    }
    if when is not None:
        # Index the datetime, store the ISO text as the corpus gave it (date, or date and time).
        doc["date"] = when
        doc["_stored_date"] = article.date
    if annotator is not None:
        doc.update(annotator.annotate(article))
    return doc


_EPOCH = dt.datetime(1970, 1, 1)


def _seconds(when: dt.datetime) -> int:
    """Whole seconds since 1970 of a naive datetime (UTC when the date had an offset)."""
    return (when - _EPOCH) // dt.timedelta(seconds=1)
