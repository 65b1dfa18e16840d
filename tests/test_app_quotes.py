"""Pilot tests of quotes in the app: keeping a selection, notes and tags, kept passages lit up
again when the article is reopened, the quotations screen, export and the clipboard."""

from __future__ import annotations

import csv
import json

import pytest

from explorer.quotes import kept
from explorer.app.app import NewsExplorer
from explorer.app.screens.confirm_dialog import ConfirmDialog
from explorer.app.screens.export_dialog import ExportDialog
from explorer.app.screens.keep_dialog import KeepDialog
from explorer.app.screens.quotations import QuotationsScreen
from explorer.text import fold

FRIAR = "We don\u2019t want to ice the ecosystem"


@pytest.fixture
def ws(seeds_ws):
    return seeds_ws


async def settle(app, pilot, rounds: int = 4) -> None:
    """Let workers finish and their messages land (handlers may start more workers)."""
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def open_friar(app, pilot) -> None:
    await settle(app, pilot)
    await pilot.press(*"Friar", "enter")
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    assert app.article_view.article is not None


def kept_spans(app) -> list[tuple[int, int]]:
    spans, _ = app.article_view._extra.get("kept", ([], None))
    return spans


async def test_selection_is_kept_with_note_and_tags_and_stays_lit_when_reopened(ws):
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_friar(app, pilot)
        view = app.article_view
        start = view.body.index(FRIAR)
        view.move_cursor(start)
        await pilot.press("v")                         # select by words (each w moves to the
        for _ in range(20):                            # end of a word), then back by characters
            if view.cursor >= start + len(FRIAR) - 1:
                break
            await pilot.press("w")
        for _ in range(5):
            if view.selected_text == FRIAR:
                break
            await pilot.press("left")
        assert view.selected_text == FRIAR
        await pilot.press("y")
        await settle(app, pilot)
        (item,) = kept.store_for(ws).load()
        assert (item.start, item.end) == (start, start + len(FRIAR))
        assert item.text == FRIAR and item.speaker == "Sarah Friar"
        assert item.title.startswith(view.article.title.rstrip("\u2026"))   # the full title
        assert item.title.endswith("hired its founder.") and item.path == view.article.path
        assert kept_spans(app) == [(start, start + len(FRIAR))]
        # t: a note and tags for the kept passage under the cursor
        view.move_cursor(start + 3)
        await pilot.press("t")
        await settle(app, pilot)
        assert isinstance(app.screen, KeepDialog)
        await pilot.press(*"CFO at VivaTech", "tab", *"openai, scale", "enter")
        await settle(app, pilot)
        (item,) = kept.store_for(ws).load()
        assert (item.note, item.tags) == ("CFO at VivaTech", ("openai", "scale"))
        # H keeps the sentence under the cursor
        await pilot.press("right_parenthesis", "H")
        await settle(app, pilot)
        assert len(kept.store_for(ws).load()) == 2
        # back to the results, open the article again: both passages are lit up
        await pilot.press("escape")
        assert app.article_id is None
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.article_id is not None
        assert sorted(kept_spans(app)) == sorted((h.start, h.end)
                                                 for h in kept.store_for(ws).load())


async def test_quotations_screen_filters_by_speaker_keeps_copies_and_opens(ws):
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("tab", "Q")                  # from the results: every result shown
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, QuotationsScreen)
        assert len(screen.article_ids) == 2
        speakers = [q.speaker for _, q in screen.shown]
        assert "Sarah Friar" in speakers
        await pilot.press("slash", *"nobody")
        assert screen.shown == [] and "No quotations by" in str(
            screen.query_one("#quotations-message").render())
        await pilot.press(*["backspace"] * 6, *"friar", "enter")
        assert [q.speaker for _, q in screen.shown] == ["Sarah Friar"]
        assert app.focused is screen.option_list
        await pilot.press("c")                         # copy with the citation (OSC 52)
        assert app.clipboard.startswith("> We don\u2019t want to ice the ecosystem")
        assert "Sarah Friar" in app.clipboard and "2025-06-19" in app.clipboard
        await pilot.press("y")                         # keep: note and tags asked first
        await settle(app, pilot)
        assert isinstance(app.screen, KeepDialog)
        await pilot.press(*"the quote", "enter")
        await settle(app, pilot)
        (item,) = kept.store_for(ws).load()
        assert item.note == "the quote" and item.speaker == "Sarah Friar"
        assert fold(item.text).startswith("We don't want to ice the ecosystem")
        assert app.screen is screen
        await pilot.press("enter")                     # open the article at the quotation
        await settle(app, pilot)
        view = app.article_view
        assert app.article_id is not None
        assert view.body[view.cursor:].startswith("We don\u2019t want")
        assert kept_spans(app) == [(item.start, item.end)]


async def test_copy_under_cursor_and_export_with_the_format_chooser(ws, tmp_path):
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_friar(app, pilot)
        view = app.article_view
        view.move_cursor(0)
        await pilot.press("c")                         # not on a quote: nothing copied
        assert app.clipboard == ""
        view.move_cursor(view.body.index("ice the ecosystem"))
        await pilot.press("c")                         # on a detected quotation
        assert app.clipboard.startswith("> We don\u2019t want to ice")
        await pilot.press("H")
        await settle(app, pilot)
        await pilot.press("x")
        await settle(app, pilot)
        assert isinstance(app.screen, ExportDialog)
        target = tmp_path / "quotes.csv"
        field = app.screen.query_one("#export-path")
        assert field.value.startswith(str(ws.config.data / "exports" / "quotes-"))
        await pilot.press("2", "tab")                  # CSV; the name follows the format
        assert field.value.endswith(".csv")
        field.value = str(target)
        await pilot.press("enter")
        await settle(app, pilot)
        rows = list(csv.DictReader(target.open(newline="", encoding="utf-8")))
        assert len(rows) == 1 and rows[0]["speaker"] == "Sarah Friar"
        assert rows[0]["article_id"] == view.article.id
        await pilot.press("x")
        await settle(app, pilot)
        await pilot.press("3", "tab")
        app.screen.query_one("#export-path").value = str(tmp_path / "quotes.json")
        await pilot.press("enter")
        await settle(app, pilot)
        (record,) = json.loads((tmp_path / "quotes.json").read_text(encoding="utf-8"))
        assert record["text"] == rows[0]["text"]
        # the same file again: asked first; no keeps the old file, yes overwrites it
        (tmp_path / "quotes.json").write_text("old", encoding="utf-8")
        for answer in ("n", "y"):
            await pilot.press("x")
            await settle(app, pilot)
            await pilot.press("3", "tab")
            app.screen.query_one("#export-path").value = str(tmp_path / "quotes.json")
            await pilot.press("enter")
            await settle(app, pilot)
            assert isinstance(app.screen, ConfirmDialog)
            await pilot.press(answer)
            await settle(app, pilot)
            text = (tmp_path / "quotes.json").read_text(encoding="utf-8")
            assert (text == "old") == (answer == "n")
        # the default: a new file in <data>/exports/, made when missing
        await pilot.press("x")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        (written,) = (ws.config.data / "exports").iterdir()
        assert written.suffix == ".md" and "Sarah Friar" in written.read_text(encoding="utf-8")


async def test_kept_quotes_screen_filters_edits_removes_and_opens(ws):
    from explorer.app.screens.confirm_dialog import ConfirmDialog
    from explorer.app.screens.kept_quotes import KeptQuotesScreen

    article_id = (await _friar_article_id(ws))
    first = kept.keep_text(ws, article_id, FRIAR, tags=["cfo"])
    second = kept.keep_text(ws, article_id, "Forbes previously reported")
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("tab", "K")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, KeptQuotesScreen)
        assert [h.id for h in screen.shown] == [first.id, second.id]
        await pilot.press("slash", *"#cfo", "enter")
        assert [h.id for h in screen.shown] == [first.id]
        await pilot.press("t")                          # edit the note
        await settle(app, pilot)
        assert isinstance(app.screen, KeepDialog)
        await pilot.press(*"said in Paris", "enter")
        await settle(app, pilot)
        assert kept.store_for(ws).load()[0].note == "said in Paris"
        await pilot.press("escape")                     # clears the filter first
        assert app.screen is screen and len(screen.shown) == 2
        await pilot.press("j", "d")                     # remove the second, after asking
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(app, pilot)
        assert [h.id for h in kept.store_for(ws).load()] == [first.id]
        assert [h.id for h in screen.shown] == [first.id]
        await pilot.press("enter")                      # open the article at the quote
        await settle(app, pilot)
        view = app.article_view
        assert app.article_id == article_id
        assert view.body[view.cursor:].startswith(FRIAR)
        assert kept_spans(app) == [(first.start, first.end)]


async def _friar_article_id(ws) -> str:
    from explorer.search.article_index import SearchRequest

    return ws.search(SearchRequest("Friar")).hits[0].id
