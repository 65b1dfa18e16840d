"""Feeds: .rss/.atom/.rdf/.xml files as articles, and `fetch` against a real local server."""

from __future__ import annotations

import json
import shutil

import pytest

from explorer.config import load_config
from explorer.ingest.corpus import read_file, walk
from explorer.records import SearchRequest
from explorer.workspace import Workspace
from tests.conftest import CORPORA, needs_corpora
from tests.feedserver import serve, synthetic_feeds


def _articles(corpus):
    files, skips = walk(corpus)
    out, skipped = [], list(skips)
    for f in files:
        contents = read_file(f)
        out.extend(contents.articles)
        skipped.extend(contents.skips)
    return out, skipped


def _workspace(tmp_path, corpus, **config):
    cfg = tmp_path / "config.yaml"
    lines = [f"corpus: {json.dumps(str(corpus))}", "index: index", "data: data"]
    for key, value in config.items():
        lines.append(f"{key}: {json.dumps(value)}")
    cfg.write_text("\n".join(lines) + "\n")
    return Workspace(load_config(str(cfg)))


def test_feed_items_become_articles_with_plain_text(tmp_path):
    articles, skips = _articles(synthetic_feeds(tmp_path / "corpus"))
    assert not skips
    by_title = {a.title: a for a in articles}
    assert set(by_title) == {"Ferry <Tern> returns to service", "Lighthouse keepers vote on strike",
                             "Gull census counts record numbers", "Quayside market expands"}
    ferry = by_title["Ferry <Tern> returns to service"]
    # the full content, not the one-line summary, as text: no tags, no script
    assert ferry.body.startswith("The harbour ferry Tern returned to service on Tuesday")
    assert "\n\nSkipper Morven Ash" in ferry.body
    assert "<" not in ferry.body and "alert" not in ferry.body
    assert (ferry.date, ferry.source, ferry.author) == (
        "2026-03-03T08:15:00+00:00", "Harbour Gazette", "Ada Quill")     # UTC, with its offset
    assert ferry.url == "http://127.0.0.1:8765/story/ferry"
    # a summary given as escaped HTML is text too
    assert by_title["Lighthouse keepers vote on strike"].body.startswith("Keepers at the north")
    market = by_title["Quayside market expands"]
    assert (market.source, market.author, market.date) == ("Quay Weekly", "Bryn Tallow",
                                                           "2026-03-04T09:30:00+00:00")


def test_feed_article_ids_follow_the_guid_not_the_position(tmp_path):
    corpus = synthetic_feeds(tmp_path / "corpus")
    before = {a.title: a.id for a in _articles(corpus)[0]}
    feed = corpus / "gazette.rss"
    text = feed.read_text()
    first, second = text.index("<item>"), text.index("<item>", text.index("<item>") + 1)
    end = text.index("</item>", second) + len("</item>")
    feed.write_text(text[:first] + text[second:end] + text[first:second] + text[end:])
    after = {a.title: a.id for a in _articles(corpus)[0]}
    assert after == before and len(set(after.values())) == 4


def test_xml_that_is_not_a_feed_is_a_skip_with_its_reason(tmp_path):
    corpus = synthetic_feeds(tmp_path / "corpus")
    (corpus / "sitemap.xml").write_text('<?xml version="1.0"?><urlset><url/></urlset>')
    (corpus / "broken.rss").write_text("<rss><channel><title>x</title>")
    articles, skips = _articles(corpus)
    reasons = {s.path: s.reason for s in skips}
    assert reasons["sitemap.xml"] == "not an RSS or Atom feed"
    assert "broken.rss" in reasons and "feed" in reasons["broken.rss"]
    assert len(articles) == 4


@needs_corpora("feeds")
def test_the_shared_feeds_index_as_320_stories(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("reuters-crude.rss", "reuters-acq.atom", "reuters-money-fx.rdf"):
        shutil.copy(CORPORA / "feeds" / name, corpus / name)
    ws = _workspace(tmp_path, corpus)
    summary = ws.update_index()
    # one story is in two feeds: indexed once, counted as a duplicate
    assert (summary.articles, summary.duplicates, summary.skips) == (319, 1, [])
    hits = ws.search(SearchRequest('"Diamond Shamrock"')).hits
    assert hits and hits[0].source == "Reuters: Crude oil"
    ws.close()


# -- fetch ---------------------------------------------------------------------------------

def test_fetch_stores_new_items_once_and_asks_politely(tmp_path):
    feeds = synthetic_feeds(tmp_path / "served")
    corpus = tmp_path / "corpus"
    with serve(feeds) as server:
        ws = _workspace(tmp_path, corpus, feeds=[server.url("gazette.rss"),
                                                 server.url("quay.atom")])
        first = ws.fetch()
        assert [s.new for s in first.sources] == [3, 1] and first.failed == 0
        stored = sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*.md"))
        assert len(stored) == 4 and all(p.startswith("feeds/") for p in stored)
        ws.update_index()
        hit = ws.search(SearchRequest("Morven")).hits[0]
        assert (hit.title, hit.source) == ("Ferry <Tern> returns to service", "Harbour Gazette")
        article = ws.article(hit.id)
        assert article.url.endswith("/story/ferry") and article.author == "Ada Quill"

        # Again: the server answers 304 to the ETag it gave, and nothing is stored twice.
        second = ws.fetch()
        assert all(s.not_modified for s in second.sources) and second.new == 0
        path, headers = server.requests[-1]
        assert headers.get("If-None-Match") and headers.get("If-Modified-Since")
        assert headers["User-Agent"].startswith("news-explorer/")

        # Without the remembered ETags, the items are recognised by guid / link instead.
        (tmp_path / "data" / "fetch-state.json").unlink()
        third = ws.fetch()
        assert third.new == 0 and [s.known for s in third.sources] == [3, 1]
        assert len(list(corpus.rglob("*.md"))) == 4
        ws.close()


def test_a_failing_feed_is_one_line_and_the_others_still_arrive(tmp_path):
    feeds = synthetic_feeds(tmp_path / "served")
    with serve(feeds) as server:
        urls = [server.url("broken.xml"), server.url("slow/quay.atom"),
                server.url("redirect/gazette.rss"), server.url("missing.rss"),
                "http://127.0.0.1:9/refused.rss"]
        ws = _workspace(tmp_path, tmp_path / "corpus", feeds=urls, fetch={"timeout": 0.5})
        summary = ws.fetch()
    lines = {s.url: s.line() for s in summary.sources}
    for line in lines.values():
        assert "\n" not in line
    broken, slow, redirected, missing, refused = summary.sources
    # broken XML: what feedparser could recover, said so, or one failure line
    assert broken.error or broken.warning
    assert slow.error and "timed out" in slow.error
    assert redirected.error is None and redirected.new == 3
    assert missing.error == "HTTP 404 Not Found"
    assert refused.error and lines[refused.url].startswith("failed")
    assert summary.new == 3 + broken.new


@needs_corpora("feeds")
def test_fetch_the_shared_feeds_from_their_opml(tmp_path):
    opml = tmp_path / "subscriptions.opml"
    with serve(CORPORA / "feeds") as server:
        text = (CORPORA / "feeds" / "subscriptions.opml").read_text()
        opml.write_text(text.replace("http://127.0.0.1:8765", server.base))
        ws = _workspace(tmp_path, tmp_path / "corpus", opml=str(opml))
        assert len(ws.feed_urls()) == 3
        summary = ws.fetch()
    # one story is in two feeds: stored once, then known by its guid
    assert (summary.failed, summary.new) == (0, 319)
    assert sum(s.known for s in summary.sources) == 1
    assert not any(s.warning for s in summary.sources)
    assert ws.update_index().articles == 319       # one story is in two of the feeds
    hits = ws.search(SearchRequest("yen")).hits
    assert hits and any(h.source == "Reuters: Money and FX" for h in hits)
    ws.close()


def test_fetch_without_feeds_says_what_to_do(tmp_path):
    ws = _workspace(tmp_path, tmp_path / "corpus")
    with pytest.raises(Exception, match="no feeds to fetch"):
        ws.fetch()


def test_cli_fetch_prints_one_line_per_feed(tmp_path, capsys):
    from explorer.cli import main

    feeds = synthetic_feeds(tmp_path / "served")
    with serve(feeds) as server:
        ws = _workspace(tmp_path, tmp_path / "corpus",
                        feeds=[server.url("gazette.rss"), server.url("missing.rss")])
        status = main(["--config", str(ws.config.path), "fetch"])
    out = capsys.readouterr().out.splitlines()
    assert status == 0
    assert out[0] == "ok      Harbour Gazette: 3 new, 0 already stored"
    assert out[1].startswith("failed  ") and out[1].endswith("missing.rss: HTTP 404 Not Found")
    assert out[2].startswith("fetched 2 sources: 3 new items, 1 failed")
    assert out[3].startswith("indexed ")


def test_a_feed_items_time_keeps_its_day_in_utc():
    from explorer.ingest.feeds import parse_feed

    rss = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item>'
           b'<title>Late</title><guid>late-1</guid><description>Late news.</description>'
           b'<pubDate>Thu, 19 Jun 2025 23:30:00 -0500</pubDate></item></channel></rss>')
    (item,) = parse_feed(rss).items
    assert item.date == "2025-06-20T04:30:00+00:00"
