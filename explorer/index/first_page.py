"""The first page of the newest-first list (what the app opens on), kept beside the index.

The app paints it before Whoosh is even imported, then opens the index. A page answers only for
the index it was written from: it names the index's latest generation file (Whoosh's table of
contents, `_MAIN_<n>.toc`, never rewritten: every commit writes a new one, and it lists the
segments and their deletions) with a hash of its bytes, so any commit, rebuild or re-tagging
makes the page invalid, and an invalid, unreadable or foreign page is ignored: the app then
searches the index as before. Reading it imports neither Whoosh nor the index code.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from pathlib import Path
from typing import NamedTuple

from explorer.records import Hit, SearchRequest, SearchResults, Snippet

FILE_NAME = "first_page.json"
# Bump when a page could differ from what a search of the same index returns now (what a Hit
# holds, how its snippet is made, the order of the newest-first list): older pages are ignored.
FORMAT = 1
PAGE = SearchRequest("", (), "relevance", 30)      # the app's opening search (its RESULT_LIMIT)
_TOC = re.compile(r"_MAIN_(\d+)\.toc\Z")           # Whoosh's TOC file of the default index name


class KeptPage(NamedTuple):
    """A kept first page and the index generation it was written from."""

    results: SearchResults
    generation: int


def index_signature(index_dir: Path) -> str | None:
    """The index as Whoosh would open it now: the name of its latest TOC file and the SHA-1 of
    its bytes (a rebuilt index may reuse a generation number, never its segment names); None
    when there is no index."""
    try:
        names = os.listdir(index_dir)
    except OSError:
        return None
    generations = [(int(found.group(1)), name) for name in names if (found := _TOC.match(name))]
    if not generations:
        return None
    _, name = max(generations)
    try:
        data = (Path(index_dir) / name).read_bytes()
    except OSError:          # replaced by a newer generation just now: no answer this time
        return None
    return f"{name}:{hashlib.sha1(data).hexdigest()}"


def read_first_page(index_dir: Path, request: SearchRequest) -> KeptPage | None:
    """The kept page, when it answers `request` for the index as it is now; else None. Its
    `seconds` are the time it took to read."""
    started = time.perf_counter()
    if request != PAGE:
        return None
    try:
        kept = json.loads((Path(index_dir) / FILE_NAME).read_text(encoding="utf-8"))
        signature = index_signature(index_dir)
        if kept.get("format") != FORMAT or signature is None or kept.get("index") != signature:
            return None
        hits = [_hit(fields) for fields in kept["hits"]]
        results = SearchResults(PAGE, hits, int(kept["total"]), 0.0, str(kept["query"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None          # missing, half-written by hand, or from another version
    results.seconds = time.perf_counter() - started
    return KeptPage(results, int(_TOC.match(signature.partition(":")[0]).group(1)))


def write_first_page(index_dir: Path, results: SearchResults, generation: int) -> bool:
    """Keep `results` (the answer to PAGE from a searcher of index generation `generation`) as
    the first page, written atomically; nothing when the index has moved on since. True when
    written."""
    if results.request != PAGE:
        return False
    signature = index_signature(index_dir)
    if signature is None or not signature.startswith(f"_MAIN_{generation}.toc:"):
        return False
    page = {"format": FORMAT, "index": signature, "total": results.total,
            "query": results.query, "hits": [_fields(hit) for hit in results.hits]}
    from explorer.yamlfile import atomic_write_text

    try:
        atomic_write_text(Path(index_dir) / FILE_NAME, json.dumps(page, ensure_ascii=False))
    except OSError:          # a read-only index folder: the app searches, as before
        return False
    return True


def _fields(hit: Hit) -> dict:
    return {"id": hit.id, "title": hit.title, "date": hit.date, "source": hit.source,
            "path": hit.path, "url": hit.url, "score": hit.score,
            "snippet": [[text, lit] for text, lit in hit.snippet.parts],
            "entities": list(hit.entities)}


def _hit(fields: dict) -> Hit:
    return Hit(id=str(fields["id"]), title=str(fields["title"]), date=_text(fields["date"]),
               source=_text(fields["source"]), path=str(fields["path"]),
               score=None if fields["score"] is None else float(fields["score"]),
               snippet=Snippet(tuple((str(text), bool(lit)) for text, lit in fields["snippet"])),
               entities=tuple(str(name) for name in fields["entities"]),
               url=_text(fields["url"]))


def _text(value) -> str | None:
    return None if value is None else str(value)
