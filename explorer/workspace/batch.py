"""Batch search: many names or queries at once (a list from a leak, a watch list), each resolved
as an entity where it can be, searched, and reported with its count, top articles and snippet."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from explorer.errors import QueryError, UserError
from explorer.records import SearchRequest
from explorer.text import decode_bytes, printable

if TYPE_CHECKING:
    from explorer.workspace.workspace import Workspace

HEADER_NAMES = ("name", "query", "names", "queries", "entity", "term")
TOP = 3


@dataclass
class BatchRow:
    line: int                       # line of the input file
    text: str                       # the name or query as given
    entity: str | None = None       # the entity it resolved to, if any
    query: str = ""                 # what was searched
    hits: int = 0
    top: list[dict] = field(default_factory=list)     # id, title, date of the best articles
    snippet: str = ""               # the first hit's snippet, hits between **
    error: str | None = None        # why this row could not be searched

    def to_dict(self) -> dict:
        return {"line": self.line, "text": self.text, "entity": self.entity,
                "query": self.query, "hits": self.hits, "top": self.top,
                "snippet": self.snippet, "error": self.error}

    def csv_row(self) -> dict:
        return {**self.to_dict(),
                "top": "; ".join(f"{t['id']} {t['title']}" for t in self.top)}


CSV_COLUMNS = ["line", "text", "entity", "query", "hits", "top", "snippet", "error"]


def read_batch(path: Path) -> list[tuple[int, str]]:
    """(line, text) of each name or query in a file: a CSV (the column named name or query, or
    the first) when it ends in .csv, else one a line. Blank lines and `#` comments are skipped."""
    try:
        text = decode_bytes(Path(path).read_bytes())[0]
    except OSError as exc:
        raise UserError(f"{path}: cannot read: {exc.strerror}") from None
    rows: list[tuple[int, str]] = []
    if Path(path).suffix.lower() == ".csv":
        reader = csv.reader(io.StringIO(text))
        column = 0
        for number, cells in enumerate(reader, 1):
            if number == 1 and cells:
                named = [i for i, c in enumerate(cells) if c.strip().lower() in HEADER_NAMES]
                if named:
                    column = named[0]
                    continue
            value = cells[column].strip() if len(cells) > column else ""
            if value and not value.startswith("#"):
                rows.append((reader.line_num, value))
        return rows
    for number, line in enumerate(text.splitlines(), 1):
        value = line.strip()
        if value and not value.startswith("#"):
            rows.append((number, value))
    return rows


def batch_search(workspace: Workspace, items: list[tuple[int, str]], *, top: int = TOP,
                 progress: Callable[[str, int, int], None] | None = None) -> list[BatchRow]:
    """Each item resolved (alias-aware) and searched; a row that fails carries its error and
    the others go on."""
    report = progress or (lambda phase, done, total: None)
    rows = []
    for done, (line, text) in enumerate(items, 1):
        row = BatchRow(line, text)
        try:
            found = workspace.resolve_entity(text)
            if found:                     # an entity (an ambiguous name is false)
                row.entity = found.name
                request = SearchRequest("", (found.name,), "relevance", top)
                row.query = f"entity:\"{found.name}\""
            else:
                request = SearchRequest(text, (), "relevance", top)
                row.query = text
            try:
                results = workspace.search(request)
            except QueryError:
                if found or '"' in text:
                    raise
                # A name such as "Smith (A.O.)" or "AT&T" is not a query: look for its words
                # as a phrase instead.
                row.query = f'"{text}"'
                results = workspace.search(SearchRequest(row.query, (), "relevance", top))
            row.hits = results.total
            row.top = [{"id": h.id, "title": printable(h.title), "date": h.date}
                       for h in results.hits[:top]]
            if results.hits and results.hits[0].snippet is not None:
                row.snippet = printable(results.hits[0].snippet.marked())
        except UserError as exc:
            row.error = str(exc)
        rows.append(row)
        report("searching", done, len(items))
    return rows
