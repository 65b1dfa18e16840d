"""The first page kept beside the index: written at commit, valid only for the index it was
written from, painted by the app before the index opens, and never shown once out of date."""

from __future__ import annotations

import json
import threading

import pytest

from explorer.app import messages as m
from explorer.app.app import NewsExplorer
from explorer.app.widgets.results_list import ResultsList
from explorer.index.first_page import FILE_NAME, PAGE, KeptPage, read_first_page, write_first_page
from explorer.records import SearchRequest
from explorer.search.article_index import ArticleIndex
from tests.test_app import settle as settle_app
from tests.test_import_hygiene import packages_loaded

STORY = "---\ntitle: {title}\ndate: {date}\nsource: Wire\n---\n{body}\n"


def story(folder, name: str, title: str, date: str, body: str = "Ships came in.") -> None:
    (folder / name).write_text(STORY.format(title=title, date=date, body=body), encoding="utf-8")


def index_page(index_dir):
    index = ArticleIndex(index_dir)
    try:
        return index.search(PAGE), index.generation
    finally:
        index.close()


@pytest.fixture
def ws(workspace_factory, seeds_copy):
    return workspace_factory(seeds_copy)


async def settle(app, pilot) -> None:
    await settle_app(app, pilot, rounds=4)


def titles(hits) -> list[str]:
    return [hit.title for hit in hits]


# -- the domain --------------------------------------------------------------------------------
def test_indexing_keeps_the_first_page_and_it_reads_back_as_the_search_of_the_index(ws):
    index_dir = ws.config.index
    kept = read_first_page(index_dir, PAGE)
    assert kept is not None
    searched, generation = index_page(index_dir)
    assert kept.generation == generation
    assert kept.results.hits == searched.hits          # snippets, entities, dates and all
    assert (kept.results.total, kept.results.query) == (searched.total, searched.query)
    assert read_first_page(index_dir, SearchRequest("harbour", limit=30)) is None
    assert read_first_page(index_dir, SearchRequest("", limit=60)) is None


def test_a_page_from_before_a_change_or_a_rebuild_is_ignored(workspace_factory, seeds_copy):
    ws = workspace_factory(seeds_copy)
    index_dir = ws.config.index
    old = (index_dir / FILE_NAME).read_bytes()
    story(seeds_copy, "late.md", "Late news", "2025-09-01")
    ws.update_index()
    assert titles(read_first_page(index_dir, PAGE).results.hits)[0] == "Late news"
    (index_dir / FILE_NAME).write_bytes(old)            # the page of the index before
    assert read_first_page(index_dir, PAGE) is None
    # A rebuild starts Whoosh's generations again (the same TOC file name): its bytes differ.
    other = workspace_factory(seeds_copy)
    rebuilt = other.config.index
    first = (rebuilt / FILE_NAME).read_bytes()
    (seeds_copy / "late.md").unlink()
    other.update_index(rebuild=True)
    assert sorted(p.name for p in rebuilt.glob("*.toc")) == ["_MAIN_1.toc"]
    (rebuilt / FILE_NAME).write_bytes(first)
    assert read_first_page(rebuilt, PAGE) is None


def test_a_broken_or_foreign_page_is_ignored_and_indexing_writes_it_again(ws):
    index_dir = ws.config.index
    path = index_dir / FILE_NAME
    page = json.loads(path.read_text(encoding="utf-8"))
    for broken in ("{not json", json.dumps({**page, "format": 0}),
                   json.dumps({**page, "hits": [{"id": 1}]}), json.dumps([1, 2])):
        path.write_text(broken, encoding="utf-8")
        assert read_first_page(index_dir, PAGE) is None
    path.unlink()
    ws.update_index()                # nothing changed: only the missing page is written
    assert read_first_page(index_dir, PAGE) is not None


def test_a_page_is_written_only_for_the_latest_generation(ws, seeds_copy):
    index_dir = ws.config.index
    results, generation = index_page(index_dir)
    story(seeds_copy, "late.md", "Late news", "2025-09-01")
    ws.update_index()
    (index_dir / FILE_NAME).unlink()
    assert not write_first_page(index_dir, results, generation)      # an older searcher's
    assert not (index_dir / FILE_NAME).exists()


def test_reading_the_page_imports_neither_whoosh_nor_textual(ws):
    code = ("from explorer.workspace import Workspace\n"
            "from explorer.config import load_config\n"
            "from explorer.index.first_page import PAGE\n"
            f"ws = Workspace(load_config(None, corpus={str(ws.config.corpus)!r}, "
            f"index={str(ws.config.index)!r}, data={str(ws.config.data)!r}))\n"
            "assert ws.first_page(PAGE) is not None\n")
    assert packages_loaded(code, ("whoosh", "textual")) == []


def test_the_app_module_does_not_import_whoosh():
    assert packages_loaded("import explorer.app.app", ("whoosh",)) == []


# -- the app -----------------------------------------------------------------------------------
def shown_lists(app) -> list[list[str]]:
    """Every list the results list is given, in order (wraps show_hits)."""
    shown: list[list[str]] = []
    results_list = app.query_one(ResultsList)
    show = results_list.show_hits

    def record(hits):
        shown.append(titles(hits))
        show(hits)
    results_list.show_hits = record
    return shown


async def test_the_app_paints_the_kept_page_and_the_opened_index_does_not_search_again(ws):
    posted = []
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40), message_hook=posted.append) as pilot:
        # The page is on screen from the first frame, before the index is open.
        assert titles(app.query_one(ResultsList).hits)[0].startswith("OpenAI is phasing out")
        assert len(app.query_one(ResultsList).hits) == 2
        await settle(app, pilot)
        assert app.ready and app._shown == PAGE
        assert not [msg for msg in posted if isinstance(msg, m.SearchDone)]
        assert str(app.status.render()) == "2 articles \u00b7 newest first  \u00b7  row 1 of 2"
        await pilot.press("slash", "s", "c", "a", "l", "e")       # searching works as ever after it
        await settle(app, pilot)
        assert app._shown.text == "scale" and app.results_list.option_count == 2


async def test_a_page_out_of_date_for_the_index_never_shows(ws, seeds_copy):
    index_dir = ws.config.index
    stale = (index_dir / FILE_NAME).read_bytes()
    story(seeds_copy, "late.md", "Late news", "2025-09-01")
    ws.update_index()
    (index_dir / FILE_NAME).write_bytes(stale)           # left behind by an older indexer
    posted = []
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40), message_hook=posted.append) as pilot:
        shown = shown_lists(app)
        await settle(app, pilot)
        assert shown and all(titles[0] == "Late news" for titles in shown)
        assert [msg.request for msg in posted if isinstance(msg, m.SearchDone)][:1] == [PAGE]
    # The app kept the page of the index it searched: the next start paints it.
    assert titles(read_first_page(index_dir, PAGE).results.hits)[0] == "Late news"


async def test_the_list_is_searched_again_when_the_index_opened_is_not_the_pages(ws):
    real = ws.first_page(PAGE)
    ghost = real.results.hits[0].__class__(**{**real.results.hits[0].__dict__,
                                              "title": "Ghost"})
    page = KeptPage(type(real.results)(PAGE, [ghost], 1, 0.0, "<All>"), real.generation + 1)
    ws.first_page = lambda request: page     # valid when read; the index moved on before it opened
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        assert titles(app.query_one(ResultsList).hits) == ["Ghost"]
        await settle(app, pilot)
        assert "Ghost" not in titles(app.query_one(ResultsList).hits)
        assert len(app.query_one(ResultsList).hits) == 2


async def test_keys_typed_before_the_index_opens_are_searched_once_it_is(ws, seeds_copy):
    story(seeds_copy, "late.md", "Late news", "2025-09-01", "Ships came in.")
    ws.update_index()
    app = NewsExplorer(ws, timings=False)
    busy = threading.Event()
    opening = ws.index_state

    def slow_to_open():                      # the index cannot open yet
        busy.wait(30)
        return opening()
    ws.index_state = slow_to_open
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("slash", "s", "h", "i", "p", "s")
            await pilot.pause()
            assert not app.ready and app._shown == PAGE    # the page, until the index opens
            busy.set()
            await settle(app, pilot)
            assert app._shown.text == "ships"
            assert titles(app.query_one(ResultsList).hits) == ["Late news"]
    finally:
        busy.set()
