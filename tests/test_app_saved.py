"""Pilot tests of saved searches in the app: save (s), list (S), run, rename, delete, --saved."""

from __future__ import annotations

import pytest

from explorer.store import saved_searches as store
from explorer.app.app import NewsExplorer
from explorer.app.screens.confirm_dialog import ConfirmDialog
from explorer.app.screens.name_dialog import NameDialog
from explorer.app.screens.saved_searches import SavedSearchesScreen
from explorer.app.widgets.results_list import ResultsList
from explorer.app.widgets.status_line import StatusLine
from explorer.search.article_index import SearchRequest

NEW_ARTICLE = (" date 2025-07-02 Scale and Meta close their deal as Friar looks on.\n\n"
               "Meta completed its investment in Scale on Wednesday, people said.\n")


@pytest.fixture
def ws(workspace_factory, seeds_copy):
    return workspace_factory(seeds_copy)


@pytest.fixture
def ws_with_new(ws, seeds_copy):
    """'Scale' saved (and seen) over the seeds, then a third matching article indexed."""
    store.save_current(ws, "Scale", SearchRequest("Scale Meta", sort="date"))
    store.save_current(ws, "CFO", SearchRequest("Friar"))
    (seeds_copy / "2025-07-02-scale-deal-closes.txt").write_text(NEW_ARTICLE)
    ws.update_index()
    return ws


async def settle(app, pilot, rounds: int = 4) -> None:
    """Let workers finish and their messages land (handlers may start more workers)."""
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press("space" if char == " " else char)


def flagged(app) -> dict[str, bool]:
    """Result id -> whether its prompt carries the NEW badge."""
    results = app.query_one(ResultsList)
    return {hit.id: str(results.get_option(hit.id).prompt).startswith(" NEW ")
            for hit in results.hits}


def saved(ws) -> dict[str, store.SavedSearch]:
    return {s.name: s for s in store.load_saved_searches(ws.config.data)}


async def test_s_saves_the_current_search_under_a_proposed_name(ws):
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")                  # the app starts in the results
        await type_text(pilot, "Scale Meta")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.focused is app.query_one(ResultsList)
        await pilot.press("O")                      # newest first: part of what is saved
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, NameDialog)
        assert dialog.query_one("#dialog-name").value == "Scale Meta"
        await pilot.press("enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, NameDialog)
        await pilot.press("s")                      # the same search again: says so
        await settle(app, pilot)
        assert app.screen.query_one("#dialog-name").value == "Scale Meta (2)"
        assert "Already saved as \u201cScale Meta\u201d" in app.screen.title_text
        await pilot.press("escape")
        await settle(app, pilot)
    search = saved(ws)["Scale Meta"]
    assert (search.query, search.entities, search.sort) == ("Scale Meta", (), "date")
    assert len(search.seen) == 2 and search.last_opened is not None


async def test_a_taken_name_is_refused_in_the_dialog_and_nothing_is_overwritten(ws_with_new):
    app = NewsExplorer(ws_with_new, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await type_text(pilot, "Altman")
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        name = app.screen.query_one("#dialog-name")
        assert name.value == "Altman"
        name.value = "scale"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NameDialog)
        assert "'Scale' exists already" in str(app.screen.query_one("#dialog-error").render())
        await pilot.press("escape")
        await settle(app, pilot)
    assert saved(ws_with_new)["Scale"].query == "Scale Meta" and len(saved(ws_with_new)) == 2


async def test_S_lists_counts_and_enter_runs_one_marking_new_results(ws_with_new):
    app = NewsExplorer(ws_with_new, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("S")                      # (the app starts in the results)
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SavedSearchesScreen)
        rows = {row.search.name: (row.matches, row.new) for row in screen.rows}
        assert rows == {"Scale": (3, 1), "CFO": (2, 1)}
        first = str(screen.option_list.get_option_at_index(0).prompt)
        assert first.startswith("Scale  3 matches \u00b7 1 new")
        await pilot.press("enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, SavedSearchesScreen)
        assert app.search_bar.text == "Scale Meta" and app.sort == "date"
        marks = flagged(app)
        assert len(marks) == 3 and sum(marks.values()) == 1
        newest = app.query_one(ResultsList).hits[0]
        assert marks[newest.id] and newest.date == "2025-07-02"

        await pilot.press("S")                      # opened: nothing new any more
        await settle(app, pilot)
        rows = {row.search.name: (row.matches, row.new) for row in app.screen.rows}
        assert rows == {"Scale": (3, 0), "CFO": (2, 1)}
        await pilot.press("escape")
        await settle(app, pilot)

        app.search_bar.input.value = "Scale"        # another search: the marks go
        await settle(app, pilot)
        assert app.results.request.text == "Scale" and not any(flagged(app).values())
    assert saved(ws_with_new)["Scale"].new_ids(ws_with_new.index.matching_ids(
        SearchRequest("Scale Meta"))) == []


async def test_rename_and_delete_ask_first(ws_with_new):
    app = NewsExplorer(ws_with_new, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.action_saved_searches()
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("j", "r")                 # the second one: CFO
        assert isinstance(app.screen, NameDialog)
        await type_text(pilot, "Friar quotes")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is screen and screen.current_name == "Friar quotes"
        assert list(saved(ws_with_new)) == ["Scale", "Friar quotes"]

        await pilot.press("d")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(app, pilot)
        assert list(saved(ws_with_new)) == ["Scale", "Friar quotes"]
        await pilot.press("d", "y")
        await settle(app, pilot)
        assert app.screen is screen and [row.search.name for row in screen.rows] == ["Scale"]
    assert list(saved(ws_with_new)) == ["Scale"]


async def test_opening_the_app_on_a_saved_search(ws_with_new):
    app = NewsExplorer(ws_with_new, saved="scale", timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.search_bar.text == "Scale Meta"
        assert sum(flagged(app).values()) == 1 and len(flagged(app)) == 3
    assert len(saved(ws_with_new)["Scale"].seen) == 3       # opened: marked seen
    assert len(saved(ws_with_new)["CFO"].seen) == 1


async def test_opening_on_a_saved_search_waits_for_the_index_to_catch_up(ws, seeds_copy):
    """The story a reporter follows: new articles arrive in the corpus between two runs."""
    store.save_current(ws, "Scale", SearchRequest("Scale Meta", sort="date"))
    (seeds_copy / "2025-07-02-scale-deal-closes.txt").write_text(NEW_ARTICLE)   # not indexed
    app = NewsExplorer(ws, saved="Scale", timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot, rounds=6)
        marks = flagged(app)
        assert len(marks) == 3 and sum(marks.values()) == 1
        assert marks[app.query_one(ResultsList).hits[0].id]
    assert len(saved(ws)["Scale"].seen) == 3


async def test_the_command_palette_opens_saved_searches(ws_with_new):
    app = NewsExplorer(ws_with_new, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "saved")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SavedSearchesScreen)


async def test_a_corrupt_file_is_reported_and_left_alone(ws):
    path = ws.config.data / "saved_searches.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("searches:\n- name: a\n  query: [oops\n")
    before = path.read_bytes()
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        assert not isinstance(app.screen, NameDialog)
        assert f"{path}:4: invalid YAML" in str(app.query_one(StatusLine).render())
        await pilot.press("S")
        await settle(app, pilot)
        assert f"{path}:4" in str(app.screen.query_one("#saved-message").render())
    assert path.read_bytes() == before


async def test_running_a_saved_search_says_how_many_are_new_and_bracket_jumps_to_them(
        ws, seeds_copy):
    store.save_current(ws, "Scale", SearchRequest("Scale"))
    for day in ("03", "04"):
        (seeds_copy / f"2025-07-{day}-scale.txt").write_text(
            NEW_ARTICLE.replace("2025-07-02", f"2025-07-{day}").replace(
                "Wednesday", f"July {day}"), encoding="utf-8")
    ws.update_index()
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("S")                      # (the app starts in the results)
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        status = str(app.query_one(StatusLine).render())
        assert "\u201cScale\u201d: 2 new" in status and "] next new" in status
        results = app.query_one(ResultsList)
        marks = flagged(app)
        new_rows = [i for i, hit in enumerate(results.hits) if marks[hit.id]]
        assert len(new_rows) == 2 and len(results.hits) == 4
        results.highlighted = None
        await pilot.press("right_square_bracket")
        assert results.highlighted == new_rows[0] and app.focused is results
        await pilot.press("right_square_bracket")
        assert results.highlighted == new_rows[1]
        await pilot.press("right_square_bracket")   # round to the first again
        assert results.highlighted == new_rows[0]
        app.search_bar.input.value = "Friar"        # another search: no longer "new"
        await settle(app, pilot)
        assert "new" not in str(app.query_one(StatusLine).render())
