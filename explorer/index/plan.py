"""What an index update will do, decided before anything is written: a pure plan.

Two steps, both free of I/O so they can be tested and printed (`index --dry-run`):
- `plan_files`: from the last committed manifest and one walk of the corpus, which files to
  read (new, changed, and those that gave no article last time: a skip is retried, never
  kept as a fact about a file), which are gone, and whether the index is built afresh;
- `plan_documents`: from that and the files read, which documents to add, update (a file
  edited in place), re-tag (the same text, its copies changed) and remove, each text with its
  stable id (explorer/index/ids.py), and the manifest to commit with them.
`explorer/index/build.py` applies a plan. The plan holds no article text: of each article read
it keeps its id, content hash, locator and where it starts in its file (`FileRead`), and the
apply step reads the articles it writes again, one at a time (docs/performance.md, memory).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from explorer.index.ids import assign_ids
from typing import NamedTuple

from explorer.ingest.articles import Article
from explorer.ingest.corpus import FileContents, Skip, SourceFile
from explorer.text import normalize_for_duplicates


def content_hash(article: Article) -> str:
    text = normalize_for_duplicates(article.title + "\n" + article.body)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class FilePlan:
    corpus: str                          # the corpus folder, resolved
    generation: int                      # the index generation planned against (-1: none)
    base: dict | None                    # its manifest (None: no index, or unreadable)
    rebuild: str | None                  # why the index is built afresh, or None
    read: list[SourceFile] = field(default_factory=list)   # to read: new, changed, retried
    retry: list[str] = field(default_factory=list)        # of those, read only to retry a skip
    removed: list[str] = field(default_factory=list)      # gone since the last commit
    unchanged: list[str] = field(default_factory=list)
    walk_skips: list[Skip] = field(default_factory=list)

    @property
    def idle(self) -> bool:
        """Whether an update has nothing to do: no file to read, retry or remove, the same
        unsupported files, the index not rebuilt (its manifest would come out the same)."""
        return (not self.rebuild and self.base is not None and not self.read
                and not self.removed
                and self.listed_walk_skips == self.base.get("walk_skips"))

    @property
    def listed_walk_skips(self) -> list[list[str]]:
        """The corpus walk's skips as the manifest lists them."""
        return [[s.path, s.reason] for s in self.walk_skips]

    @property
    def stale(self) -> str | None:
        """Why the index needs an update before it answers, or None (retrying the files that
        were skipped is left to `index`: a file that stays unreadable would re-index every
        start of the app)."""
        if self.rebuild:
            return self.rebuild
        retry = set(self.retry)
        changed = [f.rel for f in self.read if f.rel not in retry]
        if self.removed and changed:
            return "files were added, changed or removed"
        if self.removed:
            return f"{len(self.removed)} file{'s' * (len(self.removed) != 1)} removed"
        if len(changed) == 1:
            return f"{changed[0]} is new or changed"
        if changed:
            return f"{len(changed)} files are new or changed"
        if self.base is not None and self.listed_walk_skips != self.base.get("walk_skips"):
            return "unsupported files came or went"
        return None


def plan_files(base: dict | None, generation: int, corpus: Path, files: list[SourceFile],
               walk_skips: list[Skip], annotator: str | None, schema: int,
               rebuild: bool = False) -> FilePlan:
    """Which files an update reads, given the last committed manifest and the corpus walk."""
    corpus = str(Path(corpus))
    reason = None
    if rebuild:
        reason = "--rebuild"
    elif base is None:
        reason = "no index yet" if generation < 0 else "the index has no manifest"
    elif base.get("schema") != schema:
        reason = "the index was written by an older version"
    elif base.get("corpus") != corpus:
        reason = "the corpus folder changed"
    elif base.get("annotator") != annotator:
        reason = "the entity gazetteer changed"
    plan = FilePlan(corpus, generation, base, reason, walk_skips=walk_skips)
    known = base["files"] if base is not None and not reason else {}
    for f in files:
        entry = known.get(f.rel)
        if entry is None or entry.get("sig") != f.signature:
            plan.read.append(f)
        elif entry.get("retry"):
            plan.read.append(f)
            plan.retry.append(f.rel)
        else:
            plan.unchanged.append(f.rel)
    current = {f.rel for f in files}
    plan.removed = sorted(rel for rel in known if rel not in current)
    return plan


@dataclass
class FileRead:
    """What one planned file gave, without its articles' text: its contents (the skips, and
    whether it failed; `articles` empty) and, for each article kept, [own id, content hash,
    locator] (as the manifest lists them) and where it starts in the file (`scan_file`)."""

    contents: FileContents
    articles: list[list[str]] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)

    def add(self, article: Article, start: int) -> None:
        self.articles.append([article.id, content_hash(article), article.path])
        self.starts.append(start)


class Source(NamedTuple):
    """Where the apply step reads an article again: its file as read, and its start there
    (-1: the file is read whole)."""

    contents: FileContents
    start: int


@dataclass(frozen=True, slots=True)
class Item:
    """One document to write: the text's id, where its article is read (None: re-tag the
    stored one), and the paths of all its copies, first the one shown (the one read)."""

    id: str
    source: Source | None
    copies: tuple[str, ...]


@dataclass
class DocPlan:
    files: FilePlan
    add: list[Item] = field(default_factory=list)
    update: list[Item] = field(default_factory=list)     # same id, the text changed
    retag: list[Item] = field(default_factory=list)      # same text, its copies changed
    remove: list[str] = field(default_factory=list)      # ids
    manifest: dict = field(default_factory=dict)
    skips: list[tuple[str, str]] = field(default_factory=list)

    @property
    def writes(self) -> bool:
        """Whether the index itself changes (else at most the manifest is rewritten)."""
        return bool(self.add or self.update or self.retag or self.remove or self.files.rebuild)

    def lines(self) -> list[str]:
        """The plan for a person (`index --dry-run`)."""
        f = self.files
        out = [f"index generation {f.generation if f.generation >= 0 else '(none)'}"
               + (f": rebuilt afresh ({f.rebuild})" if f.rebuild else "")]
        out.append(f"files: {len(f.read) - len(f.retry)} to read, {len(f.retry)} to retry, "
                   f"{len(f.removed)} removed, {len(f.unchanged)} unchanged")
        for name, items in (("add", self.add), ("update", self.update),
                            ("re-tag", self.retag)):
            out.append(f"{name}: {len(items)}")
            out += [f"  {name} {item.id} {item.copies[0]}" for item in items]
        out.append(f"remove: {len(self.remove)}")
        out += [f"  remove {article_id}" for article_id in self.remove]
        return out


def plan_documents(files: FilePlan, reads: dict[str, FileRead], annotator: str | None,
                   schema: int) -> DocPlan:
    """The documents to write and remove, with stable ids, once the planned files were read."""
    base = files.base or {}
    old_files = base.get("files", {}) if not files.rebuild else {}
    old_ids: dict[str, str] = dict(base.get("ids", {}))
    old_hash_of = {locator: digest for entry in base.get("files", {}).values()
                   for _, digest, locator in entry.get("articles", [])}

    entries: dict[str, dict] = {rel: old_files[rel] for rel in files.unchanged}
    sources: dict[str, Source] = {}
    for f in files.read:
        read = reads[f.rel]
        content = read.contents
        old = old_files.get(f.rel)
        if content.failed and old is not None and old.get("articles"):
            # Unreadable now (moved away, permissions): keep what it gave, read it next time.
            # (Not when rebuilding: a fresh index cannot take the article over.)
            entries[f.rel] = {**old, "retry": True,
                              "skips": [[s.path, s.reason] for s in content.skips]}
            continue
        found = [] if content.failed else read.articles
        entry = {"sig": f.signature, "articles": found,
                 "skips": [[s.path, s.reason] for s in content.skips]}
        if content.failed or not found:
            entry["retry"] = True
        entries[f.rel] = entry
        sources.update((locator, Source(content, start))
                       for (_, _, locator), start in zip(found, read.starts))

    members = [(locator, digest, own) for entry in entries.values()
               for own, digest, locator in entry["articles"]]
    ids = assign_ids(old_ids, old_hash_of, members)
    copies: dict[str, list[str]] = {}
    for locator, digest, _ in sorted(members):
        copies.setdefault(digest, []).append(locator)
    old_copies: dict[str, list[str]] = {}
    for entry in old_files.values():
        for _, digest, locator in entry["articles"]:
            old_copies.setdefault(digest, []).append(locator)
    indexed = set(old_ids.values()) if not files.rebuild else set()

    plan = DocPlan(files)
    for digest in sorted(copies, key=lambda d: copies[d][0]):
        article_id, paths = ids[digest], copies[digest]
        if digest in old_ids and article_id in indexed:
            if sorted(old_copies.get(digest, [])) != paths:
                plan.retag.append(Item(article_id, None, tuple(paths)))
            continue
        first = next(p for p in paths if p in sources)
        shown = (first, *[p for p in paths if p != first])
        item = Item(article_id, sources[first], shown)
        (plan.update if article_id in indexed else plan.add).append(item)
    plan.remove = sorted(indexed - set(ids.values()))

    plan.manifest = {
        "schema": schema, "corpus": files.corpus, "annotator": annotator,
        "files": entries, "ids": {digest: ids[digest] for digest in sorted(copies)},
        "walk_skips": files.listed_walk_skips,
        "duplicates": sum(len(paths) - 1 for paths in copies.values()),
        "articles": len(copies),
    }
    plan.skips = manifest_skips(plan.manifest)
    return plan


def manifest_skips(manifest: dict) -> list[tuple[str, str]]:
    """Every (path, reason) a manifest (or its head) lists as skipped: the corpus walk's, then
    each file's, files in path order."""
    skips = [tuple(s) for s in manifest.get("walk_skips", [])]
    files = manifest.get("files", {})
    for rel in sorted(files):
        skips.extend(tuple(s) for s in files[rel].get("skips", []))
    return skips
