"""Real news from ../shared/corpora: BBC 2004-05 and Reuters-21578 (skipped when absent)."""

import json

import pytest

from explorer.ingest.corpus import SourceFile, read_file
from explorer.index.build import update_index
from explorer.search.article_index import ArticleIndex, SearchRequest
from tests.conftest import CORPORA, needs_corpora


@pytest.fixture
def bbc_index(bbc_ws):
    return bbc_ws.bbc_summary, bbc_ws.index


@needs_corpora("bbc")
def test_bbc_indexes_unique_articles(bbc_index):
    summary, ix = bbc_index
    # 98 byte-identical copies, plus 3 pairs that differ only by a paragraph break or a
    # capital letter (sport/181-182, 332-344, 432-438): the same story, indexed once.
    assert summary.articles + summary.duplicates == 2225
    assert summary.duplicates == 101 and summary.articles == 2124
    assert summary.skipped == 0
    assert len(ix) == 2124


@needs_corpora("bbc")
def test_bbc_latin1_file_keeps_its_pound_sign(bbc_index):
    _, ix = bbc_index
    (hit,) = ix.search(SearchRequest('path:"sport/199.txt"')).hits
    assert "\u00a3" in ix.article(hit.id).body


@needs_corpora("bbc")
def test_bbc_duplicates_are_listed_with_the_article(bbc_index):
    _, ix = bbc_index
    (hit,) = ix.search(SearchRequest('path:"sport/181.txt"')).hits
    assert ix.article(hit.id).duplicates == ("sport/182.txt",)


@needs_corpora("reuters21578.jsonl")
def test_reuters_loads_with_dates_and_title_only_records():
    path = CORPORA / "reuters21578.jsonl"
    stat = path.stat()
    contents = read_file(SourceFile(path, path.name, stat.st_size, stat.st_mtime_ns))
    articles = contents.articles
    assert len(articles) == 21578 - len(contents.skips)
    assert sum(1 for a in articles if a.date) >= 21500
    title_only = [a for a in articles if not a.body]
    assert len(title_only) >= 1798
    first = articles[0]
    assert first.title == "BAHIA COCOA REVIEW" and first.date == "1987-02-26T15:01:01"


@needs_corpora("reuters21578.jsonl")
def test_reuters_title_only_records_are_searchable_by_title(tmp_path):
    path = CORPORA / "reuters21578.jsonl"
    records = [json.loads(line) for line in path.read_text().splitlines()[:400]]
    sample = tmp_path / "sample.jsonl"
    sample.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    title_only = next(r for r in records if not r.get("body"))
    update_index(sample, tmp_path / "i")
    ix = ArticleIndex(tmp_path / "i")
    words = " ".join(f'title:"{w}"' for w in title_only["title"].split()[:3])
    found = ix.search(SearchRequest(words, limit=None)).hits
    assert any(h.title == title_only["title"] for h in found)
    ix.close()
