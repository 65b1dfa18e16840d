"""Web pages: saved .html files and `fetch URL` give the story, never the page's furniture."""

from __future__ import annotations

import json
import shutil

from explorer.config import load_config
from explorer.ingest.corpus import read_file, walk
from explorer.records import SearchRequest
from explorer.workspace import Workspace
from tests.conftest import CORPORA, needs_corpora
from tests.feedserver import serve

STORY = ("The harbour board approved a new breakwater on Thursday after three years of "
         "argument over its cost. Engineers said the wall would protect the fishing fleet "
         "from winter storms and would take two summers to build.")
PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Breakwater approved - Harbour Gazette</title>
<meta property="og:title" content="Breakwater approved at last">
<meta name="author" content="Ada Quill">
<meta property="article:published_time" content="2026-03-05T10:00:00+00:00">
<meta property="og:site_name" content="Harbour Gazette"></head>
<body><header><nav><a href="/">Home</a> <a href="/sport">Sport</a> <a href="/tides">Tides</a></nav>
</header>
<div class="cookie-banner">We value your privacy and use biscuits to measure readership.
<button>Accept all</button></div>
<main><article><h1>Breakwater approved at last</h1><p class="byline">By Ada Quill</p>
<p>{STORY}</p><p>The first stones are due in May, the board said.</p></article>
<aside><h2>Related stories</h2><ul><li><a href="/x">Regatta cancelled by fog</a></li></ul></aside>
</main><footer><p>Copyright Harbour Gazette. Sitemap. Advertise with us.</p></footer></body></html>
"""
FURNITURE = ('"use biscuits"', '"Accept all"', "Regatta", '"Related stories"',
             '"Advertise with us"', "Tides")


def _workspace(tmp_path, corpus):
    cfg = tmp_path / "config.yaml"
    cfg.write_text(f"corpus: {json.dumps(str(corpus))}\nindex: index\ndata: data\n")
    return Workspace(load_config(str(cfg)))


def test_a_saved_page_gives_the_story_and_its_metadata(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "breakwater.html").write_text(PAGE, encoding="utf-8")
    files, _ = walk(corpus)
    [article] = read_file(files[0]).articles
    assert article.title == "Breakwater approved at last"
    assert article.body.startswith("The harbour board approved a new breakwater")
    assert article.body.endswith("the board said.")
    assert (article.date, article.author) == ("2026-03-05", "Ada Quill")
    for words in ("biscuits", "Accept all", "Regatta", "Related stories", "Advertise", "Tides"):
        assert words not in article.body


def test_page_furniture_never_reaches_the_index(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "breakwater.html").write_text(PAGE, encoding="utf-8")
    ws = _workspace(tmp_path, corpus)
    ws.update_index()
    assert ws.search(SearchRequest("breakwater")).total == 1
    for query in FURNITURE:
        assert ws.search(SearchRequest(query)).total == 0, query
    ws.close()


@needs_corpora("pages")
def test_the_shared_bbc_pages_index_without_banner_footer_or_links(tmp_path):
    corpus = tmp_path / "pages"
    shutil.copytree(CORPORA / "pages", corpus)
    ws = _workspace(tmp_path, corpus)
    summary = ws.update_index()
    assert (summary.articles, summary.skips) == (30, [])
    # each one of the 30 pages carries these: none of it may be found
    for query in ('"We use cookies"', '"best online experience"', '"Terms of Use"',
                  '"Privacy Policy"', '"external sites"', '"Related stories"', '"Most read"',
                  '"Search BBC"', "iPlayer", '"Storm warning"'):
        assert ws.search(SearchRequest(query)).total == 0, query
    hit = ws.search(SearchRequest('"Time Warner"')).hits[0]
    article = ws.article(hit.id)
    assert article.title == "Ad sales boost Time Warner profit"
    assert (article.date, article.author) == ("2005-02-11", "BBC News")
    assert article.body.startswith("Quarterly profits at US media giant TimeWarner jumped 76%")
    ws.close()


def test_fetch_url_stores_one_page_as_its_story(tmp_path):
    served = tmp_path / "served"
    served.mkdir()
    (served / "breakwater.html").write_text(PAGE, encoding="utf-8")
    corpus = tmp_path / "corpus"
    ws = _workspace(tmp_path, corpus)
    with serve(served) as server:
        first = ws.fetch([server.url("breakwater.html")])
        again = ws.fetch([server.url("breakwater.html")])
    assert first.new == 1 and first.sources[0].title == "Breakwater approved at last"
    assert again.new == 0
    [stored] = corpus.rglob("*.md")
    assert stored.relative_to(corpus).parts[0] == "pages"
    ws.update_index()
    [hit] = ws.search(SearchRequest("breakwater")).hits
    assert ws.article(hit.id).url == server.url("breakwater.html")
    assert ws.search(SearchRequest("Regatta")).total == 0
    ws.close()


def test_full_articles_replace_a_short_summary_with_the_story(tmp_path):
    from tests.feedserver import synthetic_feeds

    served = synthetic_feeds(tmp_path / "served")
    (served / "lighthouse.html").write_text(PAGE, encoding="utf-8")   # the item's link
    cfg = tmp_path / "config.yaml"
    with serve(served) as server:
        cfg.write_text(f"corpus: corpus\nindex: index\ndata: data\nfeeds: "
                       f"[{server.url('gazette.rss')}]\nfetch: {{full_articles: true}}\n")
        ws = Workspace(load_config(str(cfg)))
        assert ws.fetch().new == 3
    ws.update_index()
    [hit] = ws.search(SearchRequest('"Lighthouse keepers"')).hits
    body = ws.article(hit.id).body
    assert body.startswith("The harbour board approved a new breakwater")   # the page's story
    assert "Regatta" not in body
    # an item with full content keeps it; one whose page is not there keeps its summary
    [ferry] = ws.search(SearchRequest("Morven")).hits
    assert "breakwater" not in ws.article(ferry.id).body
    [gulls] = ws.search(SearchRequest("gulls")).hits
    assert ws.article(gulls.id).body == "Volunteers counted 4,210 gulls on the breakwater."
    ws.close()
