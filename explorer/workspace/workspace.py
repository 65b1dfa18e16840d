"""The small API the CLI and the app call: one configured corpus, its index and user data."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from explorer.config import Config, load_config
from explorer.errors import UserError, WriteError
from typing import TYPE_CHECKING

from explorer.index.first_page import PAGE
from explorer.records import SearchRequest, SearchResults

if TYPE_CHECKING:
    from explorer.fetch.run import FetchSummary
    from explorer.entities import EntityCatalog, EntityCount, Mention, Resolution
    from explorer.index.first_page import KeptPage
    from explorer.index.build import IndexSummary, Progress
    from explorer.search.article_index import ArticleIndex
# explorer.search.article_index (Whoosh), explorer.entities (the gazetteer, rapidfuzz) and explorer.index.build
# (which imports both) load on first use: the app can paint its first list before any of them.


class Workspace:
    def __init__(self, config: Config):
        self.config = config
        self._index: ArticleIndex | None = None

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

    def resolve_entity(self, text: str) -> Resolution | None:
        """(canonical name, score) for a typed name, or None; also `.alias`, `.type`."""
        return self.entities.resolve(text)

    def mentions(self, article_id: str) -> list[Mention]:
        """The entity mentions of an article, offsets into its body, in order."""
        from explorer.entities.annotate import stored_mentions

        return stored_mentions(self.index.stored(article_id))

    def entity_counts(self, article_ids=None) -> list[EntityCount]:
        """Entities with the articles and mentions they have, most articles first."""
        from explorer.entities.annotate import count_entities

        return count_entities(self._documents(article_ids), self.entities.types())

    def unlinked(self, article_ids=None) -> list[tuple[str, int]]:
        """Proper names that link to no entity (or to several), most frequent first."""
        from explorer.entities.annotate import count_unlinked

        return count_unlinked(self._documents(article_ids))

    def entity_types(self) -> dict[str, str]:
        return self.entities.types()

    def entity_names(self) -> list[str]:
        return self.entities.names()

    def add_alias(self, entity_name: str, alias: str, type: str | None = None) -> list[str]:
        """Save an alias to <data>/entities.yaml and re-tag the articles it touches at once."""
        from explorer.entities.annotate import retag_articles
        from explorer.index.build import staleness

        old = self.annotator.fingerprint
        entity = self.entities.add_alias(entity_name, alias, type)
        if staleness(self.config.corpus, self.config.index, None) == "no index yet":
            return []
        index = self.index
        ids = index.matching_ids(SearchRequest(f'"{_phrase(alias)}"')) if _phrase(alias) else []
        ids += [i for i in index.matching_ids(SearchRequest("", (entity.name,)))
                if i not in ids]
        try:
            done = retag_articles(self.config.index, index.ix, ids, self.annotator, old)
        except UserError:
            raise
        except OSError as exc:
            raise WriteError(exc.filename or self.config.index, exc,
                             "cannot write the index") from None
        # Reopen rather than refresh(): Whoosh's refresh reuses the reader of an unchanged
        # segment and so misses the deletions update_document made in it (doubled articles).
        index.close()
        self._index = None
        return done

    # -- views over sets of articles (explorer/search/aggregate.py) -----------------------------
    def _table(self):
        return self.index.article_table({name.lower(): name for name in self.entity_types()})

    def entity_name(self, text: str) -> str:
        """The canonical entity a typed name stands for (alias-aware); NotFoundError naming the
        nearest entities when it stands for none."""
        from explorer.errors import NotFoundError

        found = self.resolve_entity(text)
        if found is not None:
            return found.name
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

    def co_mentions(self, entity: str | None = None, request: SearchRequest | None = None):
        """The entities that appear in the same articles as `entity` (or as the articles a
        request matches), with shared counts and lift."""
        subject, docs, name = self._subject_docs(entity, request)
        return self._table().co_mentions(docs, subject, self.entity_types(), exclude=name)

    def timeline(self, entity: str | None = None, request: SearchRequest | None = None,
                 by: str = "month"):
        """Articles per day, week or month for an entity or a request (undated apart)."""
        subject, docs, _ = self._subject_docs(entity, request)
        return self._table().timeline(docs, subject, by)

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
        from explorer.index.build import staleness

        return staleness(self.config.corpus, self.config.index, self.annotator,
                         self.read_limits)

    def update_index(self, *, rebuild: bool = False, progress: Progress | None = None
                     ) -> IndexSummary:
        from explorer.index.build import update_index

        try:
            summary = update_index(self.config.corpus, self.config.index, rebuild=rebuild,
                                   annotator=self.annotator, progress=progress,
                                   limits=self.read_limits)
        except UserError:
            raise
        except OSError as exc:    # a full disk, a read-only folder: Whoosh's own writes
            raise WriteError(exc.filename or self.config.index, exc,
                             "cannot write the index") from None
        if self._index is not None:
            self._index.close()
            self._index = None
        if summary.changed or summary.rebuilt or self.first_page(PAGE) is None:
            self._write_first_page()
        return summary

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

    def ensure_index(self, progress: Progress | None = None) -> IndexSummary | None:
        """Build or update the index when it is missing or stale; None when it was fresh."""
        if self.staleness() is None:
            return None
        return self.update_index(progress=progress)

    def first_page(self, request: SearchRequest) -> KeptPage | None:
        """The first page kept beside the index (explorer/index/first_page.py) when it answers
        `request` for the index as it is now, else None. Imports no Whoosh: cheap."""
        from explorer.index.first_page import read_first_page

        return read_first_page(self.config.index, request)

    def keep_first_page(self, results: SearchResults, generation: int | None) -> bool:
        """Keep `results` as the first page when they answer it and come from index generation
        `generation`, the latest (the app does this when the indexer did not)."""
        from explorer.index.first_page import write_first_page

        return generation is not None and write_first_page(self.config.index, results,
                                                           generation)

    @property
    def index(self) -> ArticleIndex:
        if self._index is None:
            from explorer.search.article_index import ArticleIndex

            self._index = ArticleIndex(self.config.index, resolver=self.resolve_entity)
        return self._index

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None

    # -- reading -------------------------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchResults:
        return self.index.search(request)

    def article(self, article_id: str):
        return self.index.article(article_id)

    def stats(self) -> dict:
        from explorer.index.build import read_manifest

        manifest = read_manifest(self.config.index) or {}
        skipped = list(manifest.get("walk_skips", []))
        for entry in manifest.get("files", {}).values():
            skipped.extend(entry.get("skips", []))
        size = sum(p.stat().st_size for p in Path(self.config.index).glob("*") if p.is_file())
        return {
            "articles": len(self.index),
            "duplicates": manifest.get("duplicates", 0),
            "skipped": len(skipped),
            "files": len(manifest.get("files", {})),
            "index_bytes": size,
            "index": str(self.config.index),
            "corpus": str(self.config.corpus),
            "skips": [{"path": p, "reason": r} for p, r in skipped],
        }


def _phrase(text: str) -> str:
    """Text safe inside a quoted query phrase (the alias a user typed)."""
    return " ".join(text.replace('"', " ").split())
