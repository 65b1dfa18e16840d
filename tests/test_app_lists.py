"""Nothing lost in the lists (issue 14): the cursor stays put after a delete, the confirmation
quotes the first words, `u` undoes a removal, a passage kept twice is kept once, and g/G/home/end
work in the kept quotes, the quotations and the saved searches alike (one FilteredListScreen)."""

from __future__ import annotations

import json

import pytest

from explorer.app.app import NewsExplorer
from explorer.app.screens.confirm_dialog import ConfirmDialog
from explorer.app.screens.kept_quotes import KeptQuotesScreen
from explorer.app.screens.quotations import QuotationsScreen
from explorer.app.screens.saved_searches import SavedSearchesScreen
from explorer.cli import main as cli_main
from explorer.quotes import kept
from explorer.search.article_index import SearchRequest
from explorer.store import saved_searches as store

SENTENCES = [
    "We don\u2019t want to ice the ecosystem",
    "Forbes previously reported",
    "OpenAI had determined that Scale was not the best fit",
    "Scale accounted for a small fraction",
]


@pytest.fixture
def ws(seeds_ws):
    return seeds_ws


def friar_id(ws) -> str:
    return ws.search(SearchRequest("Friar")).hits[0].id


def keep_four(ws) -> list[kept.KeptQuote]:
    article_id = friar_id(ws)
    out = []
    for number, text in enumerate(SENTENCES, 1):
        article = ws.article(article_id)
        if text not in article.body:
            article_id = ws.search(SearchRequest('"' + text + '"')).hits[0].id
        out.append(kept.keep_text(ws, article_id, text, note=f"note {number}"))
    return out


async def settle(app, pilot, rounds: int = 4) -> None:
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause()


def dialog_text(app) -> str:
    return str(app.screen.query_one("#dialog-title").render())


async def test_delete_keeps_the_cursor_on_the_next_quote_and_u_puts_it_back(ws):
    four = keep_four(ws)
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("tab", "K")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, KeptQuotesScreen)
        await pilot.press("j", "j", "d")
        assert isinstance(app.screen, ConfirmDialog)
        assert "Remove quote 3" in dialog_text(app) and "OpenAI had determined" in dialog_text(app)
        await pilot.press("y")
        await settle(app, pilot)
        assert [q.id for q in kept.store_for(ws).load()] == [four[0].id, four[1].id, four[3].id]
        assert screen.current.id == four[3].id            # the next quote, not the first
        await pilot.press("d")
        assert "Remove quote 3" in dialog_text(app) and "Scale accounted" in dialog_text(app)
        await pilot.press("n")                            # no: nothing removed
        await settle(app, pilot)
        assert len(kept.store_for(ws).load()) == 3
        await pilot.press("u")                            # undo the removal: same place, note
        await settle(app, pilot)
        back = kept.store_for(ws).load()
        assert [q.id for q in back] == [q.id for q in four]
        assert back[2].note == "note 3"
        await pilot.press("u")                            # nothing more to undo
        await settle(app, pilot)
        assert len(kept.store_for(ws).load()) == 4
        # the issue's own steps: K j j j d y, then d again
        await pilot.press("g", "j", "j", "j", "d", "y")
        await settle(app, pilot)
        await pilot.press("d")
        assert "Remove quote 3" in dialog_text(app)       # the last one left, not quote 1
        await pilot.press("n")


async def test_g_G_home_end_in_every_list(ws):
    keep_four(ws)
    store.save_current(ws, "Scale", SearchRequest("Scale"))
    store.save_current(ws, "Friar", SearchRequest("Friar"))
    store.save_current(ws, "Meta", SearchRequest("Meta"))
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("tab")
        for key, screen_type in (("K", KeptQuotesScreen), ("S", SavedSearchesScreen)):
            await pilot.press(key)
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, screen_type)
            last = screen.option_list.option_count - 1
            assert last >= 2
            await pilot.press("G")
            assert screen.option_list.highlighted == last
            await pilot.press("g")
            assert screen.option_list.highlighted == 0
            await pilot.press("end")
            assert screen.option_list.highlighted == last
            await pilot.press("home")
            assert screen.option_list.highlighted == 0
            await pilot.press("escape")
            await settle(app, pilot)
        await pilot.press("Q")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, QuotationsScreen)
        last = screen.option_list.option_count - 1
        assert last >= 1
        await pilot.press("G")
        assert screen.option_list.highlighted == last
        await pilot.press("g")
        assert screen.option_list.highlighted == 0


async def test_deleting_a_saved_search_keeps_the_cursor_and_u_puts_it_back(ws):
    for name, query in (("A", "Scale"), ("B", "Friar"), ("C", "Meta")):
        store.save_current(ws, name, SearchRequest(query))
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("tab", "S")
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("j", "d")
        assert "\u201cB\u201d (Friar)" in dialog_text(app)
        await pilot.press("y")
        await settle(app, pilot)
        assert screen.current_name == "C"
        await pilot.press("u")
        await settle(app, pilot)
        assert sorted(s.name for s in store.load_saved_searches(ws.config.data)) == ["A", "B",
                                                                                     "C"]


async def test_keeping_the_same_sentence_three_times_keeps_it_once(ws):
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press(*"Friar", "enter")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        view = app.article_view
        view.move_cursor(view.body.index("Forbes previously"))
        notes = []
        app.notify = lambda message, **kw: notes.append(message)   # what the user is told
        for _ in range(3):
            await pilot.press("H")
            await settle(app, pilot)
        assert len(kept.store_for(ws).load()) == 1
        assert sum("lready kept as quote 1" in n for n in notes) == 2


def test_quotes_rm_says_what_it_removed_and_how_to_put_it_back(ws, capsys):
    four = keep_four(ws)
    cfg = ws.config
    base = ["--corpus", str(cfg.corpus), "--index", str(cfg.index), "--data", str(cfg.data)]
    assert cli_main([*base, "quotes", "rm", "3"]) == 0
    out = capsys.readouterr().out
    assert "removed quote 3" in out and "OpenAI had determined" in out
    line = next(l for l in out.splitlines() if l.startswith("to put it back: "))
    import shlex
    words = shlex.split(line.removeprefix("to put it back: "))
    assert words[:3] == ["news-explorer", "quotes", "add"] and "--note" in words
    assert cli_main([*base, *words[1:]]) == 0
    capsys.readouterr()
    back = kept.store_for(ws).load()
    assert len(back) == 4 and back[-1].text == four[2].text and back[-1].note == "note 3"
    assert (back[-1].start, back[-1].end) == (four[2].start, four[2].end)
    # keeping it again says so and adds nothing
    assert cli_main([*base, *words[1:]]) == 0
    assert "already kept as quote 4" in capsys.readouterr().out
    assert cli_main([*base, *words[1:], "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["number"] == 4
    assert len(kept.store_for(ws).load()) == 4
