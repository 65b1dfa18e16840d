"""The small API the CLI and the app call: one configured corpus, its index and user data."""

from __future__ import annotations

from pathlib import Path

from explorer.config import Config, load_config
from explorer.indexer import IndexSummary, Progress, read_manifest, staleness, update_index
from explorer.search import ArticleIndex, SearchRequest, SearchResults


class Workspace:
    def __init__(self, config: Config):
        self.config = config
        self._index: ArticleIndex | None = None

    @classmethod
    def open(cls, config: str | None = None, *, corpus=None, index=None, data=None) -> "Workspace":
        return cls(load_config(config, corpus=corpus, index=index, data=data))

    # -- entities (filled in by explorer.entities) ---------------------------------------------
    @property
    def annotator(self):
        return None

    def resolve_entity(self, text: str):
        return None

    # -- index ---------------------------------------------------------------------------------
    def staleness(self) -> str | None:
        return staleness(self.config.corpus, self.config.index, self.annotator)

    def update_index(self, *, rebuild: bool = False, progress: Progress | None = None
                     ) -> IndexSummary:
        summary = update_index(self.config.corpus, self.config.index, rebuild=rebuild,
                               annotator=self.annotator, progress=progress)
        if self._index is not None:
            self._index.close()
            self._index = None
        return summary

    def ensure_index(self, progress: Progress | None = None) -> IndexSummary | None:
        """Build or update the index when it is missing or stale; None when it was fresh."""
        if self.staleness() is None:
            return None
        return self.update_index(progress=progress)

    @property
    def index(self) -> ArticleIndex:
        if self._index is None:
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
