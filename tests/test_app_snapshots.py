"""Snapshots of the main screens (pytest-textual-snapshot). Deterministic: a fixed size, a copy of
the seeds indexed in tmp_path, no timings in the status line, no blinking cursor.
Update with `pytest tests/test_app_snapshots.py --snapshot-update` and look at the SVGs."""

from __future__ import annotations

import pytest
from textual.worker import WorkerCancelled

from explorer.app.app import NewsExplorer


@pytest.fixture(autouse=True)
def sidebar_at_once(monkeypatch):
    """The sidebar waits for typing to pause; in tests it follows the results at once."""
    monkeypatch.setattr("explorer.app.app.SIDEBAR_DELAY", 0)


@pytest.fixture
def app(seeds_ws):
    return NewsExplorer(seeds_ws, timings=False)


async def settle(pilot) -> None:
    for _ in range(3):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:     # a newer search replaced an older one: wait again
            continue
        await pilot.pause()
    pilot.app.search_bar.input.cursor_blink = False


def test_main_screen_every_article(app, snap_compare):
    assert snap_compare(app, terminal_size=(120, 40), run_before=settle)


def test_article_with_hits_and_entities(app, snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("slash", *"Scale spokesperson", "enter")
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        await pilot.press("n")

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_narrow_article_at_80x24(app, snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_light_theme_with_selection_and_entity(app, snap_compare):
    async def run_before(pilot):
        pilot.app.theme = "textual-light"
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("w", "v", "w", "w")
        sidebar = pilot.app.sidebar
        ids = [sidebar.get_option_at_index(i).id for i in range(sidebar.option_count)]
        sidebar.highlighted = ids.index("e:Scale AI")
        pilot.app.article_view.set_focus_entity("Scale AI")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(140, 40), run_before=run_before)


def test_help_screen(app, snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("question_mark")
        # The help screen is pushed, then composed and laid out: wait for all of it (one
        # pause was not always enough on a loaded machine).
        for _ in range(50):
            if type(pilot.app.screen).__name__ == "HelpScreen" and pilot.app.screen.query("#help"):
                break
            await pilot.pause(0.02)
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_a_missing_corpus_says_what_to_do(tmp_path, snap_compare, monkeypatch):
    from explorer.config import load_config
    from explorer.workspace import Workspace

    monkeypatch.chdir(tmp_path)         # no config.yaml here, none in the user's folder
    ws = Workspace(load_config(None, corpus="/nonexistent/news", index=tmp_path / "index",
                               data=tmp_path / "data"))
    assert snap_compare(NewsExplorer(ws, timings=False), terminal_size=(80, 24),
                        run_before=settle)
