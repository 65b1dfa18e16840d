"""What the use cases of quotes/ and store/ are given to read the corpus: a typed interface that
the Workspace provides, so that they call these methods and reach through nothing else (and a
test can hand them any object that has them)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from explorer.records import SearchRequest, SearchResults


class Settings(Protocol):
    data: Path                     # the user's data folder (saved searches, kept quotes)


class ArticleSource(Protocol):
    """Articles by id, their entity mentions, and the entity a name stands for."""

    config: Settings

    def article(self, article_id: str) -> Any: ...          # an Article (ingest/articles.py)

    def mentions(self, article_id: str) -> list[Any]: ...

    def resolve_entity(self, text: str) -> Any: ...


class SearchSource(ArticleSource, Protocol):
    """An ArticleSource that also searches."""

    def search(self, request: SearchRequest, *, snippets: bool = True) -> SearchResults: ...

    def matching_ids(self, request: SearchRequest) -> list[str]: ...
