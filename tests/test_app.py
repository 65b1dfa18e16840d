"""Pilot tests of the app's flows over the seeds plus one hostile article."""

from __future__ import annotations

import pytest
from textual.worker import WorkerCancelled

from explorer.app import messages as m
from explorer.app.app import NewsExplorer
from explorer.app.widgets.article_view import ArticleView
from explorer.app.widgets.results_list import ResultsList
from explorer.app.widgets.status_line import StatusLine

HOSTILE = ("---\ntitle: \"Markup [bold]test[/bold] and [link=http://x]a link[/link]\"\n"
           "date: 2025-07-01\nsource: Wire\n---\n"
           "Scale AI said [bold]nothing[/bold] about [link=http://x]the deal[/link].\x1b[31m "
           "Red?\x1b[0m The end. Meta replied. Mr. Wang spoke last. Frobnitz Labs declined.\n")


@pytest.fixture(autouse=True)
def sidebar_at_once(monkeypatch):
    """The sidebar waits for typing to pause; in tests it follows the results at once."""
    monkeypatch.setattr("explorer.app.app.SIDEBAR_DELAY", 0)


@pytest.fixture
def corpus(seeds_copy):
    (seeds_copy / "hostile.md").write_text(HOSTILE, encoding="utf-8")
    return seeds_copy


@pytest.fixture
def ws(workspace_factory, corpus):
    return workspace_factory(corpus)


async def settle(app, pilot, rounds: int = 3) -> None:
    """Let workers finish and their messages land (handlers may start more workers)."""
    for _ in range(rounds):
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:     # a newer search replaced an older one: wait again
            continue
        await pilot.pause()


def result_titles(app) -> list[str]:
    return [hit.title for hit in app.query_one(ResultsList).hits]


def status_text(app) -> str:
    return str(app.query_one(StatusLine).render())


def kept_messages(posted) -> list:
    """PassageKept messages, once each (the hook sees a message at every node it bubbles to)."""
    unique = {id(msg): msg for msg in posted if isinstance(msg, ArticleView.PassageKept)}
    return list(unique.values())


def view_text(view: ArticleView) -> list[str]:
    return ["".join(seg.text for seg in view.render_line(y)).rstrip()
            for y in range(view.scrollable_content_region.height)]


async def test_empty_query_lists_every_article_newest_first(ws):
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        hits = app.query_one(ResultsList).hits
        assert len(hits) == 3
        assert hits[0].title.startswith("Markup [bold]")          # 2025-07-01
        assert hits[1].date and hits[1].date.startswith("2025-06-19")
        assert hits[2].date is None                                # undated last
        assert status_text(app) == "3 articles \u00b7 newest first  \u00b7  row 1 of 3"


async def test_typing_searches_and_results_follow_the_last_key(ws):
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("/", *"Mercor")
        await settle(app, pilot)
        assert app.search_bar.text == "Mercor"
        assert len(result_titles(app)) == 1
        assert app._shown.text == "Mercor"
        # a stale answer (for an older query) arriving late is dropped
        old = app._shown
        stale = ws.search(type(old)("", (), old.sort, old.limit))
        app._wanted = type(old)("Mercor", (), old.sort, old.limit)
        app.post_message(m.SearchDone(type(old)("Merc", (), old.sort, old.limit), stale))
        await pilot.pause()
        assert len(result_titles(app)) == 1


async def test_slash_then_typing_searches_without_a_slash_in_the_query(ws):
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("/", *"Friar")
        await settle(app, pilot)
        assert app.search_bar.text == "Friar"
        assert len(result_titles(app)) == 1
        await pilot.press("end", "/", "x")          # inside a query a slash is text
        assert app.search_bar.text == "Friar/x"


async def test_a_lone_key_searches_at_once_and_a_burst_once_at_its_end(monkeypatch):
    from textual.app import App

    from explorer.app.widgets.search_bar import SearchBar

    monkeypatch.setattr("explorer.app.widgets.search_bar.DEBOUNCE_SECONDS", 3600)
    posted: list = []

    class Bar(App):
        def compose(self):
            yield SearchBar()

        def on_search_bar_changed(self, event: SearchBar.Changed) -> None:
            posted.append((event.text, event.submitted))

    app = Bar()
    async with app.run_test() as pilot:
        app.query_one(SearchBar).input.focus()
        await pilot.press("o")
        assert posted == [("o", False)]          # no waiting for a pause after one key
        await pilot.press("i", "l")              # within the burst window: held back ...
        assert posted == [("o", False)]
        await pilot.press("enter")               # ... until the burst ends (here: enter)
        assert posted == [("o", False), ("oil", True)]


async def test_a_long_query_scrolls_to_show_the_cursor():
    from textual.app import App

    from explorer.app.widgets.search_bar import SearchBar

    class Bar(App):
        def compose(self):
            yield SearchBar()

    app = Bar()
    async with app.run_test(size=(40, 5)) as pilot:
        box = app.query_one(SearchBar).input
        box.focus()
        await pilot.press(*"abcdefghij" * 6)
        shown = "".join(segment.text for segment in box.render_line(0))
        assert box.scroll_x > 0 and shown.rstrip().endswith("abcdefghij")


async def test_question_mark_in_the_empty_search_box_opens_help(ws):
    from explorer.app.screens.help_screen import HelpScreen

    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert app.search_bar.text == ""


async def test_malformed_query_keeps_last_good_results(ws):
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("/", *"Meta")
        await settle(app, pilot)
        good = result_titles(app)
        assert good
        await pilot.press(*' "lure')
        await settle(app, pilot)
        assert result_titles(app) == good
        assert "missing its closing" in status_text(app)


async def test_open_article_jump_between_hits_and_go_back(ws):
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("/", *"Scale spokesperson", "enter")
        await settle(app, pilot)
        assert app.focused is app.results_list
        assert len(result_titles(app)) == 2
        await pilot.press("enter")
        await settle(app, pilot)
        view = app.article_view
        assert app.focused is view and view.article is not None
        assert len(view.hits) > 2
        body = view.body
        assert {body[s:e].lower() for s, e in view.hits} == {"scale", "spokesperson"}
        assert view.cursor == view.hits[0][0]
        await pilot.press("n")
        assert view.cursor == view.hits[1][0]
        assert status_text(app).endswith(f"hit 2/{len(view.hits)}")
        await pilot.press("n", "N", "N")
        assert view.cursor == view.hits[0][0]
        assert status_text(app).endswith(f"hit 1/{len(view.hits)}")
        await pilot.press("N")                           # wraps to the last hit
        assert view.cursor == view.hits[-1][0]
        assert status_text(app).endswith(f"hit {len(view.hits)}/{len(view.hits)}")
        await pilot.press("escape")
        assert app.focused is app.results_list and app.article_id is None


async def test_article_text_is_shown_literally(ws):
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")              # the hostile article is first
        await settle(app, pilot)
        view = app.article_view
        assert view.article.title.startswith("Markup")
        text = " ".join(view_text(view))
        assert text.startswith("Markup [bold]test[/bold] and [link=http://x]a link[/link]")
        assert "[bold]nothing[/bold]" in text and "[link=http://x]the deal[/link]" in text
        assert "\x1b" not in text and "\u241b[31m" in text     # ESC made visible
        for y in range(12):
            for segment in view.render_line(y):
                assert segment.style is None or not segment.style.link
                assert "\x1b" not in segment.text
        prompt = app.results_list.get_option_at_index(0).prompt
        assert "[bold]test[/bold]" in prompt.plain
        assert all(not getattr(span.style, "link", None) for span in prompt.spans)


async def test_cursor_selection_and_keeping_a_passage(ws):
    posted = []
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40), message_hook=posted.append) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        view = app.article_view
        assert view.cursor == 0
        await pilot.press("w")
        assert view.body[view.cursor:].startswith("AI said")
        await pilot.press("v", "w", "w", "left", "left")
        assert view.selected_text == "AI said"
        await pilot.press("y")
        kept = kept_messages(posted)
        assert len(kept) == 1
        assert (kept[0].article_id, kept[0].text) == (view.article.id, "AI said")
        assert view.body[kept[0].start:kept[0].end] == "AI said"
        assert view.selection is None
        await pilot.press("right_parenthesis")       # next sentence ('.␛[31m' is no end)
        assert view.body[view.cursor:].startswith("Meta replied.")
        await pilot.press("right_parenthesis")       # "Mr." does not end a sentence
        assert view.body[view.cursor:].startswith("Mr. Wang")
        await pilot.press("H")
        kept = kept_messages(posted)
        assert kept[-1].text == "Mr. Wang spoke last."
        await pilot.press("left_parenthesis")
        assert view.body[view.cursor:].startswith("Meta replied.")
        await pilot.press("v", "right", "escape")    # escape cancels a selection first
        assert view.selection is None and app.article_id is not None


async def test_mouse_opens_a_result_and_drags_a_selection(ws):
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.click(ResultsList, offset=(4, 1))
        await settle(app, pilot)
        view = app.article_view
        assert view.article is not None and view.article.title.startswith("Markup")
        first_body_line = view._body_lines[0]
        y = first_body_line - view.scroll_offset.y + 1   # +1: the border
        await pilot.mouse_down(ArticleView, offset=(2, y))
        await pilot.hover(ArticleView, offset=(9, y))
        await pilot.mouse_up(ArticleView, offset=(9, y))
        assert view.selected_text == "Scale AI"


async def test_help_screen_lists_every_key(ws):
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        from explorer.app.screens.help_screen import HelpScreen
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(str(s.render()) for s in app.screen.query(".help-text"))
        for expected in ("Next hit", "Keep the selected passage", "Show the names not linked",
                         "Command palette", "Sort by relevance"):
            assert expected in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_command_palette_runs_an_action(ws):
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.sort == "relevance"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Sort by")
        await pilot.pause(0.3)      # the palette searches in a task of its own
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.sort == "date"


async def test_missing_index_is_built_inside_the_app_with_progress(workspace_factory, corpus):
    ws = workspace_factory(corpus, index_now=False)
    posted = []
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40), message_hook=posted.append) as pilot:
        await settle(app, pilot)
        progress = [msg for msg in posted if isinstance(msg, m.IndexProgress)]
        assert progress and progress[0].reason == "no index yet"
        assert any(msg.total and msg.done == msg.total for msg in progress)
        assert len(result_titles(app)) == 3
        assert not app.query_one("#indexing").display


async def test_narrow_terminal_takes_turns_between_results_and_article(ws):
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.query_one("#panes").has_class("-narrow")
        assert not app.article_view.display or not app.article_view.region.width
        await pilot.press("j", "enter")
        await settle(app, pilot)
        assert app.article_view.region.width > 60
        assert app.query_one("#results-pane").region.width == 0
        await pilot.press("escape")
        await pilot.pause()
        assert app.query_one("#results-pane").region.width > 60


def sidebar_ids(app) -> list[str]:
    sidebar = app.sidebar
    return [sidebar.get_option_at_index(i).id for i in range(sidebar.option_count)]


async def highlight_entity(app, pilot, option_id: str) -> None:
    sidebar = app.sidebar
    sidebar.focus()
    sidebar.highlighted = sidebar_ids(app).index(option_id)
    await pilot.pause()


async def test_entity_sidebar_groups_results_and_filters_by_entity(ws):
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        ids = sidebar_ids(app)
        assert "e:OpenAI" in ids and "e:Sam Altman" in ids
        headings = [str(app.sidebar.get_option_at_index(i).prompt)
                    for i in range(app.sidebar.option_count)
                    if app.sidebar.get_option_at_index(i).disabled]
        assert headings[:2] == ["People", "Organizations"]
        await pilot.press("e")
        assert app.focused is app.sidebar
        await highlight_entity(app, pilot, "e:Mercor")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.search_bar.filters == ("Mercor",)
        assert [c.entity for c in app.query(".filter-chip")] == ["Mercor"]
        assert len(result_titles(app)) == 1
        await pilot.click(".filter-chip")           # a click on the chip removes the filter
        await settle(app, pilot)
        assert app.search_bar.filters == () and len(result_titles(app)) == 3
        await highlight_entity(app, pilot, "e:Mercor")
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("slash", "backspace")     # backspace at the start drops it too
        await settle(app, pilot)
        assert app.search_bar.filters == ()


async def test_choosing_an_entity_lights_its_mentions_and_n_walks_them(ws):
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("/", *"Mercor", "enter")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        view = app.article_view
        assert app.sidebar.scope == "article"
        await highlight_entity(app, pilot, "e:Scale AI")
        assert view.focus_entity == "Scale AI"
        marks = view.marks
        texts = {view.body[s:e] for s, e in marks}
        assert "Scale" in texts and "Scale AI" in texts        # short names included
        view.focus()
        await pilot.press("n")
        assert view.cursor == next(s for s, _ in marks if s > 0) or view.cursor == marks[0][0]
        first = view.cursor
        await pilot.press("n")
        assert view.cursor > first and (view.cursor, ) in {(s,) for s, _ in marks}
        number = [s for s, _ in marks].index(view.cursor) + 1
        assert status_text(app).endswith(f"mention {number}/{len(marks)}")


async def test_status_line_shows_the_alias_resolution_in_force(ws):
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("/", *'"ChatGPT maker"')
        await settle(app, pilot)
        assert '"ChatGPT maker" \u2192 OpenAI' in status_text(app)


async def test_alias_for_an_unlinked_name_creates_an_entity_and_retags(ws):
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        view = app.article_view
        mention = next(m for m in view.mentions if m.text == "Frobnitz Labs")
        assert mention.entity is None
        view.move_cursor(mention.start + 2)
        await pilot.press("a")
        await settle(app, pilot)
        from explorer.app.screens.alias_dialog import AliasDialog
        assert isinstance(app.screen, AliasDialog) and app.screen.alias == "Frobnitz Labs"
        choices = app.screen.query_one("#alias-choices")
        ids = [choices.get_option_at_index(i).id for i in range(choices.option_count)]
        assert "new" in ids            # first for a discovered name, last otherwise
        choices.highlighted = ids.index("new")
        await pilot.press("enter")
        await settle(app, pilot, rounds=4)
        assert not isinstance(app.screen, AliasDialog)
        linked = next(m for m in view.mentions if m.text == "Frobnitz Labs")
        assert linked.entity == "Frobnitz Labs" and linked.type == "organization"
        assert "re-tagged" in status_text(app)
        assert (ws.config.data / "entities.yaml").is_file()
        assert "Frobnitz Labs" in ws.entity_names()


async def test_an_alias_you_added_can_be_taken_back_from_the_article(ws):
    from explorer.app.screens.alias_dialog import AliasDialog

    ws.add_alias("OpenAI", "Frobnitz Labs")
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")                 # the app starts in the results
        await settle(app, pilot)
        view = app.article_view
        mention = next(m for m in view.mentions if m.text == "Frobnitz Labs")
        assert mention.entity == "OpenAI"
        view.move_cursor(mention.start + 2)
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, AliasDialog)
        choices = app.screen.query_one("#alias-choices")
        assert choices.get_option_at_index(0).id == "remove"
        assert "no longer an alias of OpenAI" in str(choices.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await settle(app, pilot, rounds=4)
        assert not isinstance(app.screen, AliasDialog)
        again = next(m for m in view.mentions if m.text == "Frobnitz Labs")
        assert again.entity is None
        assert "no longer an alias of OpenAI" in status_text(app)
        assert "Frobnitz Labs" not in (ws.config.data / "entities.yaml").read_text()


async def test_an_ambiguous_name_can_be_settled_for_this_article_only(workspace_factory,
                                                                      tmp_path):
    from explorer.app.screens.alias_dialog import AliasDialog

    corpus = tmp_path / "mines"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Gold output\n\nNewmont said output rose.\n", encoding="utf-8")
    (corpus / "b.txt").write_text("Mines wait\n\nNewmont said it would wait.\n",
                                  encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text("entities:\n  - {name: Newmont Gold}\n  - {name: Newmont Mining Corp}\n",
                      encoding="utf-8")
    ws = workspace_factory(corpus, config=config)
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"output", "enter", "enter")
        await settle(app, pilot)
        view = app.article_view
        mention = next(m for m in view.mentions if m.text == "Newmont")
        assert mention.method == "ambiguous"
        view.move_cursor(mention.start + 2)
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, AliasDialog)
        assert app.screen.query_one("#alias-here").value is True
        choices = app.screen.query_one("#alias-choices")
        assert choices.get_option_at_index(0).id == "e:Newmont Gold"
        await pilot.press("enter")
        await settle(app, pilot, rounds=4)
        assert not isinstance(app.screen, AliasDialog)
        settled = next(m for m in view.mentions if m.text == "Newmont")
        assert (settled.entity, settled.method) == ("Newmont Gold", "settled")
        assert "in this article" in status_text(app)
        other = [i for i in ws.index.all_ids() if i != app.article_id]
        assert [m.method for m in ws.mentions(other[0]) if m.text == "Newmont"] == ["ambiguous"]
        assert not (ws.config.data / "entities.yaml").exists()


async def test_unlinked_names_in_the_sidebar(ws):
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("e", "u")
        await settle(app, pilot)
        ids = sidebar_ids(app)
        assert "u:Frobnitz Labs" in ids
        assert app.sidebar.border_title.startswith("Unlinked")
        await pilot.press("u")
        await settle(app, pilot)
        assert "e:OpenAI" in sidebar_ids(app)


def harbour_stories(tmp_path, count: int):
    """A folder of `count` short dated stories, one a day in January 2024 (days wrap at 28)."""
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(count):
        (folder / f"{number:02d}.txt").write_text(
            f" date 2024-01-{number % 28 + 1:02d}\nStory {number} about harbours.\n\n"
            f"The harbour story number {number}.\n", encoding="utf-8")
    return folder


async def test_reaching_the_end_of_the_list_loads_more_results(workspace_factory, tmp_path):
    ws = workspace_factory(harbour_stories(tmp_path, 45))
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        from explorer.app.app import RESULT_LIMIT
        assert len(result_titles(app)) == RESULT_LIMIT < 45
        assert status_text(app) == (f"{RESULT_LIMIT} of 45 articles \u00b7 newest first"
                                   "  \u00b7  row 1 of 45")
        await pilot.press(*["down"] * (RESULT_LIMIT - 1))     # (the app starts in the list)
        await settle(app, pilot)
        assert len(result_titles(app)) == 45
        assert app.results_list.highlighted == RESULT_LIMIT - 1   # the highlight stays put
        assert status_text(app).endswith(f"row {RESULT_LIMIT} of 45")


@pytest.mark.parametrize("key", ["G", "end"])
async def test_g_and_end_go_to_the_last_result(workspace_factory, tmp_path, key):
    ws = workspace_factory(harbour_stories(tmp_path, 75))
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert status_text(app) == "30 of 75 articles \u00b7 newest first  \u00b7  row 1 of 75"
        await pilot.press(key)
        await settle(app, pilot)
        assert len(result_titles(app)) == 75
        assert app.results_list.highlighted == 74       # one key, not one page per press
        assert status_text(app) == "75 articles \u00b7 newest first  \u00b7  row 75 of 75"
        await pilot.press("k")
        assert status_text(app).endswith("row 74 of 75")


async def test_results_list_keys_scroll_and_a_click_below_the_first_screen(workspace_factory,
                                                                           tmp_path):
    app = NewsExplorer(workspace_factory(harbour_stories(tmp_path, 12)), timings=False)
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(app, pilot)
        results = app.results_list
        await pilot.press("down", "down")
        assert results.highlighted == 2 and results.scroll_y == 0
        await pilot.press("up")
        assert results.highlighted == 1
        await pilot.press("pagedown")               # a screen of lines further: several rows
        assert results.highlighted > 3
        assert results.scroll_y > 0                 # scrolled to keep the highlight in view
        await pilot.press("pageup", "pageup")
        assert results.highlighted == 0
        await pilot.press("end")
        assert results.highlighted == 11
        assert results.max_scroll_y > 0 and results.scroll_y == results.max_scroll_y
        await pilot.press("home")
        assert (results.highlighted, results.scroll_y) == (0, 0)
        # each row is its title, date and source, snippet, then a rule
        lines = ["".join(s.text for s in results.render_line(y)).strip() for y in range(5)]
        assert lines[0] == "Story 11 about harbours."
        assert lines[1].startswith("2024-01-12 \u00b7 ") and set(lines[3]) == {"\u2500"}
        assert lines[4] == "Story 10 about harbours."
        results.scroll_to(y=4 * 6, animate=False)   # row 6 at the top, then click its title
        await pilot.pause()
        await pilot.click(ResultsList, offset=(4, 1))
        await settle(app, pilot)
        assert results.highlighted == 6
        assert app.article_view.article.title == "Story 5 about harbours."


async def test_a_changed_corpus_shows_the_list_then_updates_it_in_view(ws, corpus):
    (corpus / "new.md").write_text("---\ntitle: Harbour news\ndate: 2025-08-01\n---\nShips.\n",
                                   encoding="utf-8")
    posted = []
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40), message_hook=posted.append) as pilot:
        await settle(app, pilot, rounds=5)
        ready = list({id(msg): msg for msg in posted if isinstance(msg, m.IndexReady)}.values())
        assert [r.summary is None for r in ready] == [True, False]   # old list, then updated
        assert ready[0].articles == 3 and ready[1].articles == 4
        assert result_titles(app)[0] == "Harbour news"
        assert not app.query_one("#indexing").display


async def test_keys_move_between_panes_and_sort(ws):
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.focused is app.results_list          # the app starts in the list
        await pilot.press("G")
        assert app.results_list.highlighted == 2
        await pilot.press("g", "j")
        assert app.results_list.highlighted == 1
        await pilot.press("shift+tab")
        assert app.focused is app.search_bar.input
        await pilot.press("down")
        assert app.focused is app.results_list
        await pilot.press("escape")
        assert app.focused is app.search_bar.input
        await pilot.press(*"Scale")
        await settle(app, pilot)
        relevance = result_titles(app)
        await pilot.press("tab", "O")
        await settle(app, pilot)
        assert app.sort == "date" and app._shown.sort == "date"
        assert sorted(relevance) == sorted(result_titles(app))
        assert result_titles(app)[0].startswith("Markup")              # newest first


async def test_clicking_an_entity_in_the_sidebar_filters(ws):
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        ids = sidebar_ids(app)
        row = ids.index("e:Sam Altman")
        await pilot.click("#sidebar", offset=(5, row + 1))       # +1: the border
        await settle(app, pilot)
        assert app.search_bar.filters == ("Sam Altman",)
        assert len(result_titles(app)) == 1


async def test_alias_dialog_offers_an_ambiguous_names_candidates_first(ws):
    from explorer.app.screens.alias_dialog import AliasDialog, rank_names

    entities = {"Scale AI": "organization", "Scale Computing": "organization",
                "OpenAI": "organization", "Sam Altman": "person"}
    assert set(rank_names("scale", list(entities))[:2]) == {"Scale AI", "Scale Computing"}
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        chosen = []
        dialog = AliasDialog("Scale", entities, ["organization"], ("Scale Computing", "Nowhere"))
        await app.push_screen(dialog, chosen.append)
        await pilot.pause()
        choices = dialog.query_one("#alias-choices")
        first = choices.get_option_at_index(0).id
        assert first == "e:Scale Computing"
        await pilot.press("enter")
        await pilot.pause()
        assert chosen == [("Scale Computing", "Scale", None)]


def test_result_snippets_end_at_a_word_with_one_ellipsis():
    from explorer.app.widgets.results_list import SNIPPET_CHARS, hit_prompt
    from explorer.search.article_index import Hit, Snippet

    long = "word " * 60
    parts = (("Opening text \u2026 ", False), ("oil", True), (" prices" + long, False))
    prompt = hit_prompt(Hit("x", "Title", None, None, "p", 1.0, Snippet(parts), ("OpenAI",)))
    title, meta, snippet, entities = prompt.plain.split("\n")
    assert (title, meta, entities) == ("Title", "undated \u00b7 no source", "OpenAI")
    assert snippet.endswith(" word \u2026") and snippet.count("\u2026") == 2
    assert len(snippet) <= SNIPPET_CHARS + 2
    hit_spans = [prompt.plain[s.start:s.end] for s in prompt.spans if "warning" in str(s.style)]
    assert hit_spans == ["oil"]


async def test_article_styles_follow_a_theme_switch(ws):
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("/", *"Scale spokesperson", "enter")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        view = app.article_view
        app.results_list.focus()        # the cursor is drawn only while the view has focus
        await pilot.pause()

        def hit_style():
            start = view.hits[0][0]
            y = view._body_lines[view._line_index(start)] - view.scroll_offset.y
            text = view.body[start:view.hits[0][1]]
            return next(seg.style for seg in view.render_line(y) if seg.text == text)

        dark = hit_style()
        app.theme = "textual-light"
        await pilot.pause()
        light = hit_style()
        assert dark.bgcolor != light.bgcolor


async def test_app_quits_when_its_terminal_hangs_up(ws, monkeypatch):
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        monkeypatch.setattr("explorer.app.app._terminal_alive", lambda: True)
        app._exit_if_terminal_gone()              # terminal still there: the app stays
        await pilot.pause()
        assert app.is_running and app.return_code is None
        monkeypatch.setattr("explorer.app.app._terminal_alive", lambda: False)
        app._exit_if_terminal_gone()
        await pilot.pause()
    assert app.return_code == 129


async def test_a_list_move_or_mark_arriving_while_the_app_closes_is_dropped(ws):
    """A results-list move (or a reading mark) that lands after the main screen went, as the
    app closes, is dropped: it used to look for the status line and end the app with a
    traceback (seen by `make bench` starting and stopping the app in turn)."""
    app = NewsExplorer(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await app.query_one("#panes").remove()        # what closing takes away first
        await app.query_one(StatusLine).remove()
        app.post_message(ResultsList.Moved(3))
        app.post_message(ArticleView.MarkReached(1, 2, "hit"))
        await pilot.pause()
    assert app.return_code in (None, 0)
