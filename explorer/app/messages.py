"""Messages the app's workers post back to the UI thread (the domain never touches the UI)."""

from __future__ import annotations

from textual.message import Message


class IndexProgress(Message):
    """The index is being built: `phase`, `done` of `total` (from Workspace.update_index)."""

    def __init__(self, phase: str, done: int, total: int, reason: str = "") -> None:
        super().__init__()
        self.phase, self.done, self.total, self.reason = phase, done, total, reason


class IndexReady(Message):
    """The index is open; `summary` is the IndexSummary when it had to be built, else None;
    `generation` the index generation opened (when known)."""

    def __init__(self, articles: int, summary=None, generation: int | None = None) -> None:
        super().__init__()
        self.articles, self.summary, self.generation = articles, summary, generation


class IndexFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class SearchDone(Message):
    def __init__(self, request, results) -> None:
        super().__init__()
        self.request, self.results = request, results


class SearchFailed(Message):
    def __init__(self, request, error: str) -> None:
        super().__init__()
        self.request, self.error = request, error


class ArticleLoaded(Message):
    """`discovered`: where the article names discovered names (DiscoveredMention)."""

    def __init__(self, article, hits, title_hits, mentions, discovered=()) -> None:
        super().__init__()
        self.article, self.hits, self.title_hits, self.mentions = (article, hits, title_hits,
                                                                   mentions)
        self.discovered = list(discovered)


class EntitiesLoaded(Message):
    """Sidebar content: EntityCount rows (or unlinked (text, count) pairs) for a scope, and
    the discovered names there (DiscoveredName)."""

    def __init__(self, key, rows: list, unlinked: bool, scope: str, discovered=()) -> None:
        super().__init__()
        self.key, self.rows, self.unlinked, self.scope = key, rows, unlinked, scope
        self.discovered = list(discovered)


class DiscoveredReady(Message):
    """The corpus's discovered names are worked out (the sidebar can list them)."""


class AliasSaved(Message):
    def __init__(self, entity: str, alias: str, article_ids: list[str]) -> None:
        super().__init__()
        self.entity, self.alias, self.article_ids = entity, alias, article_ids


class AliasRemoved(Message):
    def __init__(self, entity: str, alias: str, article_ids: list[str]) -> None:
        super().__init__()
        self.entity, self.alias, self.article_ids = entity, alias, article_ids


class MentionSettled(Message):
    def __init__(self, entity: str, text: str) -> None:
        super().__init__()
        self.entity, self.text = entity, text


class DomainError(Message):
    """A user-level error from a worker (shown in the status line)."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error
