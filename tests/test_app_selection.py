"""Exact selection (issue 14): what is kept is exactly what is shown selected, in whole words
and sentences, by keys and by mouse, and the status line says how much is selected."""

from __future__ import annotations

import pytest

from explorer.quotes import kept
from explorer.app import text_layout as tl
from explorer.app.app import NewsExplorer

SCALE = "Scale accounted"
SCALE_SENTENCE = ("Scale accounted for a small fraction of OpenAI\u2019s overall data needs, "
                  "according to an OpenAI spokesperson who confirmed the firm\u2019s decision to "
                  "phase out work with the company.")


@pytest.fixture
def ws(seeds_ws):
    return seeds_ws


async def settle(app, pilot, rounds: int = 4) -> None:
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def open_scale(app, pilot):
    await settle(app, pilot)
    await pilot.press(*"phasing", "enter")
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    view = app.article_view
    assert SCALE in view.body
    return view


def status_text(app) -> str:
    return str(app.status.render())


async def test_v_sentence_y_keeps_the_sentence_and_not_the_next_letter(ws):
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        view = await open_scale(app, pilot)
        view.move_cursor(view.body.index(SCALE))
        await pilot.press("v", "right_parenthesis")
        assert view.selected_text == SCALE_SENTENCE
        assert "selecting \u00b7 28 words" in status_text(app)
        await pilot.press("y")
        await settle(app, pilot)
        (item,) = kept.store_for(ws).load()
        assert item.text == SCALE_SENTENCE
        assert "selecting" not in status_text(app)


async def test_word_motions_select_whole_words_and_a_second_sentence_whole(ws):
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        view = await open_scale(app, pilot)
        start = view.body.index(SCALE)
        view.move_cursor(start + 2)                    # inside "Scale"
        await pilot.press("v", "w", "w", "w")  # to the end of Scale, accounted, for
        assert view.selected_text == "Scale accounted for"
        assert "selecting \u00b7 3 words" in status_text(app)
        await pilot.press("right_parenthesis", "right_parenthesis")
        assert view.selected_text.startswith(SCALE_SENTENCE + " The ChatGPT maker")
        assert view.selected_text.endswith("the spokesperson said, adding that OpenAI had been "
                                           "seeking other providers for more specialized data "
                                           "needed to support increasingly advanced artificial "
                                           "intelligence models.")
        await pilot.press("escape")
        assert view.selection is None and "selecting" not in status_text(app)


async def test_a_mouse_drag_keeps_whole_words(ws):
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        view = await open_scale(app, pilot)
        start = view.body.index(SCALE)
        number = next(i for i in view._body_lines if view._lines[i].start <= start
                      < view._lines[i].end)
        line = view._lines[number]
        y = number - view.scroll_offset.y
        region = view.content_region
        # from the middle of "Scale" to the middle of "accounted" (the widget has a border and
        # one column of padding: offsets are relative to the widget's outer region)
        left = (region.x - view.region.x) + (start + 2 - line.start)
        right = left + len("Scale acc") - 2
        top = (region.y - view.region.y) + y
        await pilot.mouse_down(view, offset=(left, top))
        await pilot.hover(view, offset=(right, top))
        await pilot.mouse_up(view, offset=(right, top))
        assert view.selected_text == "Scale accounted"
        await pilot.press("y")
        await settle(app, pilot)
        (item,) = kept.store_for(ws).load()
        assert item.text == "Scale accounted"


def test_whole_words_widens_to_word_edges_and_trims_space():
    text = "We don\u2019t want to ice the ecosystem, she said."
    i = text.index("on\u2019t")
    assert text[slice(*tl.whole_words(text, i, i + 4))] == "don\u2019t"
    j = text.index("cosys")
    assert text[slice(*tl.whole_words(text, j, j + 3))] == "ecosystem"
    k = text.index(" ice")
    assert text[slice(*tl.whole_words(text, k, k + 5))] == "ice"
    assert tl.word_count("We don\u2019t want to ice the ecosystem,") == 7
