"""What a search asks and answers: request, hits, results. Plain records without Whoosh, so the
app can show a list (the first page kept beside the index) before Whoosh is imported."""

from __future__ import annotations

from dataclasses import dataclass, field

SORTS = ("relevance", "date")


@dataclass(frozen=True)
class SearchRequest:
    text: str = ""
    entities: tuple[str, ...] = ()      # entity filters, ANDed with the query
    sort: str = "relevance"
    limit: int | None = 50


@dataclass(frozen=True)
class Snippet:
    """A piece of an article with the hits marked: a list of (text, is_hit) parts."""

    parts: tuple[tuple[str, bool], ...]

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.parts)

    def marked(self, before: str = "**", after: str = "**") -> str:
        return "".join(f"{before}{t}{after}" if hit else t for t, hit in self.parts)


@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    date: str | None
    source: str | None
    path: str
    score: float | None        # None when the list is not ranked (by date, or all articles)
    snippet: Snippet
    entities: tuple[str, ...]
    url: str | None = None
    section: str | None = None          # from the corpus's folders (config `folders: section`)

    def to_dict(self) -> dict:
        data = {"id": self.id, "title": self.title, "date": self.date, "source": self.source,
                "path": self.path, "url": self.url, "score": None if self.score is None else round(self.score, 4),
                "snippet": self.snippet.marked(), "entities": list(self.entities)}
        if self.section:
            data["section"] = self.section
        return data


@dataclass
class SearchResults:
    request: SearchRequest
    hits: list[Hit]
    total: int
    seconds: float
    query: str                                  # the parsed query, as Whoosh reads it
    suggestion: str | None = None               # "did you mean", when nothing matched
    resolved: list[dict] = field(default_factory=list)   # free text resolved to entities
