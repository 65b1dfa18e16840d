"""The small API the CLI and the app call: one configured corpus, its index and user data.

The workspace serialises its own use of the index: one Whoosh searcher is not safe from two
threads, so every call that reads it holds the workspace's lock (callers never see a lock).
Writing the index is another matter: one process at a time holds the index folder's writer
lock (explorer/index/folder.py), while readers, this process's threads included, go on
searching the last committed generation; the workspace opens the new one when it is done.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from functools import cached_property, wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from explorer.config import Config, load_config
from explorer.errors import UserError
from explorer.index.first_page import PAGE
from explorer.records import SearchRequest, SearchResults

if TYPE_CHECKING:
    from explorer.fetch.run import FetchSummary
    from explorer.entities import EntityCatalog, EntityCount, Mention, Resolution
    from explorer.index.build import IndexSummary, Progress
    from explorer.index.first_page import KeptPage
    from explorer.index.plan import DocPlan
    from explorer.ingest.articles import Article
    from explorer.search.article_index import ArticleIndex
# explorer.search.article_index (Whoosh), explorer.entities (the gazetteer, rapidfuzz) and
# explorer.index.build (which imports both) load on first use: the app can paint its first
# list before any of them.

BUSY = "the index is being updated by another process: searching it as last committed"


def _serialised(method):
    """Hold the workspace's lock for the call (re-entrant: calls may nest)."""
    @wraps(method)
    def call(self, *args, **kwargs):
        with self._lock:
            return method(self, *args, **kwargs)
    return call


class Workspace:
    def __init__(self, config: Config):
        self.config = config
        self._index: ArticleIndex | None = None
        self._lock = threading.RLock()
        self._discovered: tuple | None = None     # (index signature, table)
        self._discovering = threading.Lock()

    @classmethod
    def open(cls, config: str | None = None, *, corpus=None, index=None, data=None) -> "Workspace":
        return cls(load_config(config, corpus=corpus, index=index, data=data))

    # -- entities (explorer.entities) ----------------------------------------------------------
    @cached_property
    def entities(self) -> EntityCatalog:
        """The gazetteer, tagger and resolver (built on first use)."""
        from explorer.entities import EntityCatalog

        return EntityCatalog(self.config)

    @property
    def annotator(self):
        return self.entities.annotator

    @_serialised
    def resolve_entity(self, text: str) -> Resolution | None:
        """(canonical name, score) for a typed name, or None; also `.alias`, `.type`."""
        return self.entities.resolve(text)

    @_serialised
    def mentions(self, article_id: str) -> list[Mention]:
        """The entity mentions of an article, offsets into its body, in order."""
        from explorer.entities.annotate import stored_mentions

        return stored_mentions(self.index.stored(article_id))

    @_serialised
    def entity_counts(self, article_ids=None) -> list[EntityCount]:
        """Entities with the articles and mentions they have, most articles first."""
        from explorer.entities.annotate import count_entities

        return count_entities(self._documents(article_ids), self.entities.types())

    @_serialised
    def unlinked(self, article_ids=None) -> list[tuple[str, int]]:
        """Proper names that link to no entity (or to several), most frequent first."""
        from explorer.entities.annotate import count_unlinked

        return count_unlinked(self._documents(article_ids))

    # -- discovered names (explorer.entities.discovered) ------------------------------------------
    def discovered_table(self, compute: bool = True, stop=None) -> dict | None:
        """The corpus's own names no entity covers, by folded name: worked out from the stored
        fields once per index generation (with a searcher of its own, so the app can do it
        beside its searches) and kept beside the index. Empty when config turns discovered
        names off. `compute=False`: the table only if it is at hand (the last one worked out,
        even for an older generation), else None."""
        from explorer.entities import discovered as d
        from explorer.index.first_page import index_signature

        if not self.config.discovered:
            return {}
        signature = index_signature(self.config.index)
        held = self._discovered
        if held is not None and held[0] == signature:
            return held[1]
        names = d.read_table(self.config.index, signature)
        if names is None and not compute:
            return held[1] if held is not None else None
        if names is None:
            with self._discovering:
                linked = frozenset(d.name_key(name) for entity in
                                   self.entities.gazetteer.entities for name in entity.names())
                with self.index.ix.searcher() as searcher:
                    try:
                        names = d.discover(searcher.all_stored_fields, linked, stop)
                    except d.Stopped:
                        return None
                d.write_table(self.config.index, signature, names)
        table = {d.name_key(n.name): n for n in names}
        self._discovered = (signature, table)
        return table

    @_serialised
    def discovered(self, article_ids=None, *, compute: bool = True) -> list:
        """Discovered names (DiscoveredName) in some articles (None: the whole corpus's).
        `compute=False`: nothing until the table is at hand (`discovered_table`)."""
        from explorer.entities.discovered import count_discovered

        table = self.discovered_table(compute=compute)
        if not table:
            return []
        if article_ids is None:
            return sorted(table.values(), key=lambda n: (-n.articles, -n.mentions,
                                                         n.name.casefold()))
        return count_discovered(self._documents(article_ids), table)

    @_serialised
    def discovered_mentions(self, article_id: str, *, compute: bool = True) -> list:
        """Where an article mentions discovered names (DiscoveredMention, body offsets)."""
        from explorer.entities.discovered import discovered_mentions

        table = self.discovered_table(compute=compute)
        return discovered_mentions(self.index.stored(article_id), table) if table else []

    @_serialised
    def entity_types(self) -> dict[str, str]:
        return self.entities.types()

    @_serialised
    def entity_names(self) -> list[str]:
        return self.entities.names()

    def add_alias(self, entity_name: str, alias: str, type: str | None = None,
                  waiting: Callable[[], None] | None = None) -> list[str]:
        """Save an alias to <data>/entities.yaml and re-tag the articles it touches at once
        (after another process's update of the index, when one is running: `waiting()`)."""
        return self._retag_for(alias, lambda: self.entities.add_alias(entity_name, alias, type),
                               waiting)

    # -- views over sets of articles (explorer/search/aggregate.py) -----------------------------
    def _table(self):
        return self.index.article_table({name.lower(): name for name in self.entity_types()})

    @_serialised
    def entity_name(self, text: str) -> str:
        """The canonical entity a typed name stands for (alias-aware); NotFoundError naming the
        nearest entities when it stands for none."""
        from explorer.errors import NotFoundError

        found = self.resolve_entity(text)
        if found:
            return found.name
        candidates = getattr(found, "candidates", ())
        if candidates:
            raise NotFoundError(f"'{text}' is ambiguous: {', '.join(candidates)}")
        from rapidfuzz import process

        near = [name for name, _, _ in process.extract(text, self.entity_names(), limit=3)]
        hint = f": nearest {', '.join(near)}" if near else ""
        raise NotFoundError(f"'{text}' names no entity{hint}")

    def _subject_docs(self, entity: str | None, request: SearchRequest | None):
        """(the subject's label, its articles' document numbers, the entity itself or None)."""
        table = self._table()
        if entity is not None:
            name = self.entity_name(entity)
            docs = table.articles_of.get(name, [])
            if request is not None and (request.text.strip() or request.entities):
                docs = sorted(set(docs) & set(self.index.matching_docnums(request)))
            return name, docs, name
        request = request or SearchRequest("")
        label = request.text.strip() or "every article"
        if request.entities:
            label += " " + " ".join(f"entity:{e}" for e in request.entities)
        return label.strip(), self.index.matching_docnums(request), None

    @_serialised
    def co_mentions(self, entity: str | None = None, request: SearchRequest | None = None):
        """The entities that appear in the same articles as `entity` (or as the articles a
        request matches), with shared counts and lift."""
        subject, docs, name = self._subject_docs(entity, request)
        return self._table().co_mentions(docs, subject, self.entity_types(), exclude=name)

    @_serialised
    def timeline(self, entity: str | None = None, request: SearchRequest | None = None,
                 by: str = "month"):
        """Articles per day, week or month for an entity or a request (undated apart)."""
        subject, docs, _ = self._subject_docs(entity, request)
        return self._table().timeline(docs, subject, by)

    def settle_mention(self, article_id: str, text: str, entity_name: str,
                       waiting: Callable[[], None] | None = None) -> list[str]:
        """Link a name (an ambiguous one) to an entity in this article only, remembered in
        <data>/settled_mentions.yaml, and re-tag the article. No alias is made."""
        from explorer.entities.annotate import retag_articles
        from explorer.index.build import index_exists

        with self._lock:
            self.entities.settle(article_id, text, entity_name)
            if not index_exists(self.config.index):
                return []
            annotator = self.annotator
        done = retag_articles(self.config.index, [article_id], annotator,
                              annotator.fingerprint, waiting=waiting)
        self._reopen()
        return done

    @_serialised
    def alias_owner(self, alias: str) -> str | None:
        """The entity that `alias` is one of your own aliases of (so it can be taken back)."""
        return self.entities.curated_owner(alias)

    def remove_alias(self, entity_name: str, alias: str,
                     waiting: Callable[[], None] | None = None) -> list[str]:
        """Take an alias back (<data>/entities.yaml) and re-tag the articles it touched."""
        return self._retag_for(alias, lambda: self.entities.remove_alias(entity_name, alias),
                               waiting)

    def _retag_for(self, alias: str, change: Callable[[], Any],
                   waiting: Callable[[], None] | None) -> list[str]:
        """Change the curated entities (`change()` returns the entity touched), then re-tag the
        articles that hold the alias or mention the entity; their ids."""
        from explorer.entities.annotate import retag_articles
        from explorer.index.build import index_exists

        with self._lock:
            old = self.annotator.fingerprint
            entity = change()
            if not index_exists(self.config.index):
                return []
            index = self.index
            phrase = _phrase(alias)
            ids = index.matching_ids(SearchRequest(f'"{phrase}"')) if phrase else []
            ids += [i for i in index.matching_ids(SearchRequest("", (entity.name,)))
                    if i not in ids]
            annotator = self.annotator
        done = retag_articles(self.config.index, ids, annotator, old, waiting=waiting)
        self._reopen()
        return done

    def _documents(self, article_ids=None):
        searcher = self.index.searcher
        if article_ids is None:
            return searcher.all_stored_fields()
        return (f for f in (searcher.document(id=i) for i in article_ids) if f)

    # -- index ---------------------------------------------------------------------------------
    @property
    def read_limits(self):
        """What a corpus file may be (config: max_file_mb, symlinks_out)."""
        from explorer.ingest.corpus import ReadLimits

        return ReadLimits(int(self.config.max_file_mb * 1024 * 1024), self.config.symlinks_out)

    def staleness(self) -> str | None:
        """Why the index needs an update before it answers (one walk of the corpus), or None."""
        from explorer.index.build import staleness

        return staleness(self.config.corpus, self.config.index, self.annotator,
                         self.read_limits)

    def plan_update(self, *, rebuild: bool = False) -> DocPlan:
        """What `update_index` would do now (`index --dry-run`): reads, writes nothing."""
        from explorer.index.build import dry_run

        return dry_run(self.config.corpus, self.config.index, self.annotator, rebuild=rebuild,
                       limits=self.read_limits)

    def update_index(self, *, rebuild: bool = False, progress: Progress | None = None,
                     wait: bool = True, waiting: Callable[[], None] | None = None,
                     plan=None) -> IndexSummary:
        """Update the index (or rebuild it) as its one writer: another process writing it
        makes this wait (`waiting()` first) or, without `wait`, raises IndexBusy. Searches
        meanwhile answer from the last commit; the new one is opened when this is done."""
        from explorer.index.build import update_index

        try:
            summary = update_index(self.config.corpus, self.config.index, rebuild=rebuild,
                                   annotator=self.annotator, progress=progress, wait=wait,
                                   waiting=waiting, plan=plan,
                                   limits=self.read_limits)
        finally:
            self._reopen()
        if summary.changed or summary.rebuilt or self.first_page(PAGE) is None:
            self._write_first_page()
        return summary

    @_serialised
    def _write_first_page(self) -> None:
        """Keep the first page of the newest-first list of the index as committed, beside it,
        for the app to paint before it opens the index (explorer/index/first_page.py)."""
        from explorer.index.first_page import write_first_page

        index = self.index
        write_first_page(self.config.index, index.search(PAGE), index.generation)

    # -- fetching (explorer.fetch) ------------------------------------------------------------
    def feed_urls(self) -> list[str]:
        """The feeds to fetch: `feeds:` in the config, then those of its `opml:` lists."""
        from explorer.fetch.opml import read_opml

        urls = list(self.config.feeds)
        for path in self.config.opml:
            urls.extend(u for u in read_opml(path) if u not in urls)
        return urls

    def fetch(self, urls: list[str] | None = None, *, progress: Progress | None = None
              ) -> FetchSummary:
        """Download `urls` (default: every feed) into the corpus folder; new items are files
        there. The index is not touched: call update_index() after (the CLI and app do)."""
        from explorer.fetch.run import fetch_news

        urls = self.feed_urls() if urls is None else urls
        if not urls:
            raise UserError(f"{self.config.name}: no feeds to fetch: list feed URLs under "
                            "'feeds:' (or an OPML file under 'opml:'), or pass a URL")
        return fetch_news(urls, self.config.corpus, self.config.data,
                          timeout=self.config.fetch_timeout,
                          full_articles=self.config.full_articles, progress=progress)

    def ensure_index(self, progress: Progress | None = None,
                     started: Callable[[str], None] | None = None,
                     waiting: Callable[[], None] | None = None) -> IndexSummary | None:
        """Bring the index up to date when it is missing or stale (one walk of the corpus);
        None when it was fresh. When another process is writing it, or it cannot be written
        (a full disk, a read-only folder), the last committed index is used as it is: the
        summary's `note` says so. With no index at all, this waits for the other writer."""
        from explorer.index.build import IndexSummary, index_exists, plan_update
        from explorer.index.folder import IndexBusy, IndexWriteError, tidy

        tidy(self.config.index)          # what a killed writer left, if no writer is at work
        plan = plan_update(self.config.corpus, self.config.index, self.annotator,
                           limits=self.read_limits, head=True)
        reason = plan.stale
        if reason is None:
            return None
        exists = index_exists(self.config.index)
        if started is not None:
            started(reason)
        try:
            return self.update_index(progress=progress, wait=not exists, waiting=waiting,
                                     plan=plan)
        except IndexBusy:
            return IndexSummary(note=BUSY)
        except IndexWriteError as exc:
            if not exists:
                raise
            return IndexSummary(note=str(exc))

    def first_page(self, request: SearchRequest) -> KeptPage | None:
        """The first page kept beside the index (explorer/index/first_page.py) when it answers
        `request` for the index as it is now, else None. Imports no Whoosh: cheap."""
        from explorer.index.first_page import read_first_page

        page = read_first_page(self.config.index, request)
        if page is not None:
            self.labelled_results(page.results)
        return page

    def keep_first_page(self, results: SearchResults, generation: int | None) -> bool:
        """Keep `results` as the first page when they answer it and come from index generation
        `generation`, the latest (the app does this when the indexer did not)."""
        from explorer.index.first_page import write_first_page

        return generation is not None and write_first_page(self.config.index, results,
                                                           generation)

    @property
    def index(self) -> ArticleIndex:
        """The open index (callers outside the workspace use its methods instead: they hold
        the workspace's lock)."""
        with self._lock:
            if self._index is None:
                from explorer.search.article_index import ArticleIndex

                self._index = ArticleIndex(self.config.index, resolver=self.resolve_entity,
                                           entity_names=self.entity_names)
            return self._index

    def _reopen(self) -> None:
        """Open the index afresh at the next use (Whoosh's refresh reuses the reader of an
        unchanged segment and so misses deletions made in it: doubled articles)."""
        with self._lock:
            if self._index is not None:
                self._index.close()
                self._index = None

    def close(self) -> None:
        self._reopen()

    # -- reading -------------------------------------------------------------------------------
    @_serialised
    def search(self, request: SearchRequest, *, snippets: bool = True) -> SearchResults:
        return self.labelled_results(self.index.search(request, snippets=snippets))

    @_serialised
    def search_with_generation(self, request: SearchRequest) -> tuple[SearchResults, int | None]:
        """Results and the index generation they come from (to keep the first page)."""
        return self.labelled_results(self.index.search(request)), self.index.generation

    @_serialised
    def article(self, article_id: str) -> Article:
        return self.labelled(self.index.article(article_id))

    def labelled(self, record):
        """A Hit or an Article with what the corpus's folders say (config `folders`,
        `source`): BBC's `business/012.txt` reads "business · BBC". Worked out when read,
        so changing the config needs no new index."""
        folders, source = self.config.folders, self.config.source
        if not folders and not source:
            return record
        folder = _folder_of(record.path)
        changes = {}
        if folders == "section" and folder:
            changes["section"] = folder
        if not record.source:
            found = folder if folders == "source" and folder else source
            if found:
                changes["source"] = found
        return replace(record, **changes) if changes else record

    def labelled_results(self, results: SearchResults) -> SearchResults:
        if self.config.folders or self.config.source:
            results.hits = [self.labelled(hit) for hit in results.hits]
        return results

    @_serialised
    def matching_ids(self, request: SearchRequest) -> list[str]:
        """The ids of every article that matches (no ranking, no limit)."""
        return self.index.matching_ids(request)

    @_serialised
    def all_ids(self) -> list[str]:
        return self.index.all_ids()

    @_serialised
    def hit_spans(self, query: str, text: str) -> list[tuple[int, int]]:
        """Where the query's words are in `text` (character spans)."""
        return self.index.hit_spans(query, text)

    @_serialised
    def index_state(self) -> tuple[int, int | None]:
        """(articles, generation) of the index as open now (opened if it was not)."""
        return len(self.index), self.index.generation

    @_serialised
    def stats(self) -> dict:
        from explorer.index.manifest import read_manifest
        from explorer.index.plan import manifest_skips

        index = self.index
        manifest = read_manifest(self.config.index, index.generation
                                 if index.generation is not None else None, head=True) or {}
        skipped = manifest_skips(manifest)
        size = 0
        for path in Path(self.config.index).glob("*"):
            try:
                size += path.stat().st_size if path.is_file() else 0
            except OSError:         # removed by a writer's clean-up meanwhile
                pass
        return {
            "articles": len(index),
            "duplicates": manifest.get("duplicates", 0),
            "skipped": len(skipped),
            "files": len(manifest.get("files", {})),
            "index_bytes": size,
            "index": str(self.config.index),
            "corpus": str(self.config.corpus),
            "skips": [{"path": p, "reason": r} for p, r in skipped],
        }


def _folder_of(path: str) -> str | None:
    """The folder holding an article's file ("business" of "bbc/business/012.txt")."""
    parts = path.split("#", 1)[0].replace("\\", "/").split("/")
    return parts[-2] if len(parts) >= 2 and parts[-2] else None


def _phrase(text: str) -> str:
    """Text safe inside a quoted query phrase (the alias a user typed)."""
    return " ".join(text.replace('"', " ").split())
