"""The views in the app: co-mentions (`C`, `c` in the sidebar) and the timeline (`T`), driven
with Pilot, and pinned by snapshots at 80x24 and 160x48."""

from __future__ import annotations

import pytest

from explorer.app.app import NewsExplorer
from explorer.app.screens.co_mentions import CoMentionsScreen
from explorer.app.screens.timeline import TimelineScreen
from explorer.app.widgets.entity_sidebar import EntitySidebar
from tests.test_app import settle
from tests.test_views import views_ws  # noqa: F401 (the fixture)


@pytest.fixture(autouse=True)
def sidebar_at_once(monkeypatch):
    monkeypatch.setattr("explorer.app.app.SIDEBAR_DELAY", 0)


async def search(app, pilot, text: str) -> None:
    await pilot.press("slash", *text, "enter")
    await settle(app, pilot)


async def test_co_mentions_of_the_results_and_enter_filters(views_ws):  # noqa: F811
    app = NewsExplorer(views_ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await search(app, pilot, "Google")
        await pilot.press("C")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, CoMentionsScreen)
        rows = [str(o.prompt) for o in screen.option_list.options]
        assert rows[0] == "People" and "Organizations" in rows
        assert any(r.endswith("OpenAI") for r in rows)
        top = screen.names[screen.option_list.highlighted_option.id]
        await pilot.press("enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, CoMentionsScreen)
        assert app.search_bar.filters == (top,)
        assert app.results.request.entities == (top,)


async def test_the_sidebar_opens_an_entitys_co_mentions(views_ws):  # noqa: F811
    app = NewsExplorer(views_ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.results_list.focus()             # out of the search box, where e is a letter
        await pilot.press("e")
        await settle(app, pilot)
        sidebar = app.query_one(EntitySidebar)
        for _ in range(5):
            if sidebar.current_entity is not None:
                break
            await pilot.press("j")
        name = sidebar.current_entity
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, CoMentionsScreen) and app.screen.entity == name
        assert name in str(app.screen.query_one("#comentions-title").render())
        await pilot.press("escape")
        assert not isinstance(app.screen, CoMentionsScreen)


async def test_the_timeline_narrows_the_search_to_a_period(views_ws):  # noqa: F811
    app = NewsExplorer(views_ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await search(app, pilot, "OpenAI")
        await pilot.press("T")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        assert [p.count for p in screen.line.periods] == [1, 2, 0, 1]
        assert "1 undated" in str(screen.query_one("#timeline-message").render())
        await pilot.press("j", "enter")                  # February: two articles
        await settle(app, pilot)
        assert app.search_bar.input.value == "OpenAI date:[2025-02-01 to 2025-02-28]"
        assert app.results.total == 2
        await pilot.press("T")
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        assert app.screen.line.by == "day" and [p.count for p in app.screen.line.periods
                                                if p.count] == [1, 1]


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
@pytest.mark.parametrize("key", ["T", "C"])
def test_view_snapshots(views_ws, snap_compare, key, size):  # noqa: F811
    async def run_before(pilot):
        app = pilot.app
        await settle(app, pilot)
        await search(app, pilot, "OpenAI")
        await pilot.press(key)
        await settle(app, pilot)
        app.search_bar.input.cursor_blink = False

    assert snap_compare(NewsExplorer(views_ws, timings=False), terminal_size=size,
                        run_before=run_before)
