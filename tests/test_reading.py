"""Issue 20: any corpus reads well and shows its people and companies from the first minute.
Discovered names, reflowed wire text, folders as sections, record tags as entities; focus, `?`
and keys typed faster than searches end. Over two small made-up corpora shaped like BBC and
Reuters (tests/reading_samples.py), and BBC itself when ../shared is there."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from explorer.app import text_layout as tl
from explorer.app.app import NewsExplorer
from explorer.app.widgets.article_view import ArticleView
from explorer.app.widgets.status_line import StatusLine
from explorer.config import load_config
from explorer.entities.discovered import is_first_name, split_candidate
from explorer.workspace import Workspace
from tests.conftest import CORPORA, needs_corpora
from tests.reading_samples import bbc_sample, reuters_sample, write_config


@pytest.fixture(autouse=True)
def sidebar_at_once(monkeypatch):
    monkeypatch.setattr("explorer.app.app.SIDEBAR_DELAY", 0)


def open_ws(tmp_path: Path, corpus: Path, name: str, **extra) -> Workspace:
    config = write_config(tmp_path / f"{name}.yaml", corpus, index=str(tmp_path / f"{name}-ix"),
                          data=str(tmp_path / f"{name}-data"), **extra)
    ws = Workspace(load_config(str(config)))
    ws.update_index()
    return ws


@pytest.fixture
def bbc(tmp_path):
    ws = open_ws(tmp_path, bbc_sample(tmp_path / "bbc"), "bbc", source="BBC")
    yield ws
    ws.close()


@pytest.fixture
def reuters(tmp_path):
    ws = open_ws(tmp_path, reuters_sample(tmp_path / "reuters" / "reuters.jsonl"), "reuters",
                 record_entities=True)
    yield ws
    ws.close()


def parts(text: str, known=None) -> list[str]:
    return [p.text for p in split_candidate(text, 0, len(text), known)]


# -- splitting candidates ------------------------------------------------------------------------
def test_candidates_split_at_and_between_names_and_lose_leading_titles():
    assert parts("Tony Blair and Gordon Brown") == ["Tony Blair", "Gordon Brown"]
    assert parts("Blair and Mr Brown") == ["Blair", "Brown"]
    assert parts("Backbencher Stephen Pound") == ["Stephen Pound"]
    assert parts("Trade and Industry Secretary Patricia Hewitt") == ["Patricia Hewitt"]
    assert parts("Kenteris and Thanou", known={"kenteris", "thanou"}) == ["Kenteris", "Thanou"]
    # names that hold an "and" stay whole
    assert parts("Securities and Exchange Commission") == ["Securities and Exchange Commission"]
    assert parts("Marks and Spencer") == ["Marks and Spencer"]
    assert parts("Home Secretary") == []                      # a role, not a name
    assert parts("Microsoft's") == ["Microsoft"]


def test_first_names_come_from_a_table_not_from_capitals():
    assert is_first_name("Gordon") and is_first_name("Katerina")
    assert not is_first_name("Manchester") and not is_first_name("Pew")
    assert not is_first_name("GORDON")


# -- discovered names ----------------------------------------------------------------------------
def test_a_corpus_the_gazetteer_does_not_cover_shows_its_people_and_firms(bbc):
    found = {n.name: n for n in bbc.discovered()}
    for person in ("Helen Marsh", "David Okafor", "Carla Wynn", "Tom Reilly", "Priya Shah"):
        assert found[person].type == "person", person
    assert found["Northwind Holdings"].type == "organization"
    assert found["Castlegate Capital"].type == "organization"
    assert found["London"].type == "place"
    assert not [name for name in found if " and " in name]
    assert not [name for name in found if name.startswith(("Prime", "Chancellor", "Mr "))]
    # kept beside the index, read back as they were worked out
    assert (bbc.config.index / "discovered.json").is_file()
    again = Workspace(bbc.config)
    assert {n.name: n.type for n in again.discovered()} == {n: d.type for n, d in found.items()}
    again.close()


def test_discovering_names_reads_the_corpus_twice_and_holds_no_article(bbc, monkeypatch):
    """Past HELD_BYTES of text, two passes over the stored documents, one document at a time
    (a 300k corpus held whole took the app past 1 GB): no body read earlier is still alive
    when the next comes, and the names are those of one read with the bodies kept."""
    import weakref

    from explorer.entities import discovered
    from explorer.entities.discovered import discover

    class Body(str):
        pass

    with bbc.index.ix.searcher() as searcher:
        documents = [dict(fields) for fields in searcher.all_stored_fields()]
    alive: list = []
    held_at_once = []
    passes = []

    def read():
        passes.append(1)
        for fields in documents:
            body = Body(fields.get("body") or "")
            held_at_once.append(sum(ref() is not None for ref in alive))
            alive.append(weakref.ref(body))
            yield {**fields, "body": body}

    once = []
    kept = discover(lambda: once.append(1) or iter(documents))      # small: read once
    assert len(once) == 1
    monkeypatch.setattr(discovered, "HELD_BYTES", 0)
    names = discover(read)
    assert len(passes) == 2 and max(held_at_once) <= 1
    assert names == kept
    assert {n.name for n in names} >= {"Helen Marsh", "Northwind Holdings"}


def test_discovering_names_stops_when_asked_and_writes_nothing(bbc, tmp_path):
    """Quitting the app cancels the worker reading the corpus for its names: the reading stops
    at once, nothing is kept, and the next start works the names out again."""
    fresh = Workspace(bbc.config)
    table = bbc.config.index / "discovered.json"
    table.unlink(missing_ok=True)
    asked = []
    try:
        assert fresh.discovered_table(stop=lambda: asked.append(1) or True) is None
        assert len(asked) == 1 and not table.exists()
        assert fresh.discovered_table(compute=False) is None
        assert fresh.discovered_table(stop=lambda: False)            # worked out again
        assert table.exists()
    finally:
        fresh.close()


def test_an_article_lists_its_discovered_people_with_surnames_counted_in(bbc):
    article = bbc.search(_request("clash")).hits[0]
    names = {n.name: n for n in bbc.discovered([article.id])}
    assert names["David Okafor"].type == "person"
    assert names["David Okafor"].mentions == 3          # "Mr Okafor" is his
    assert "Okafor" not in names and "Helen Marsh" in names
    spans = bbc.discovered_mentions(article.id)
    body = bbc.article(article.id).body
    assert {body[m.start:m.end] for m in spans if m.name == "David Okafor"} == {
        "David Okafor", "Okafor"}


def test_guesses_are_unknown_when_the_text_does_not_say(tmp_path):
    corpus = tmp_path / "c"
    for number in range(3):
        (corpus / f"{number}.txt").parent.mkdir(exist_ok=True)
        (corpus / f"{number}.txt").write_text(
            f"Zorbex news {number}\n\nThe Zorbex platform grew again. Users of Zorbex "
            "praised the Quillon update.\n", encoding="utf-8")
    ws = open_ws(tmp_path, corpus, "plain")
    found = {n.name: n.type for n in ws.discovered()}
    ws.close()
    assert found["Zorbex"] == "unknown" and found["Quillon"] == "unknown"


def test_entities_lists_discovered_names_marked(bbc, capsys):
    from explorer.cli import main

    config = str(bbc.config.path)
    assert main(["--config", config, "entities", "--json"]) == 0
    import json
    rows = json.loads(capsys.readouterr().out)
    marsh = next(r for r in rows if r["name"] == "Helen Marsh")
    assert marsh["discovered"] is True and marsh["type"] == "person"
    assert main(["--config", config, "entities", "--linked-only", "--json"]) == 0
    assert not [r for r in json.loads(capsys.readouterr().out) if r.get("discovered")]


def test_promoting_a_discovered_name_makes_it_an_entity(bbc):
    article = bbc.search(_request("clash")).hits[0]
    bbc.add_alias("Carla Wynn", "Carla Wynn", type="person")
    assert bbc.entity_types()["Carla Wynn"] == "person"
    linked = [m for m in bbc.mentions(article.id) if m.entity == "Carla Wynn"]
    assert len(linked) == 2
    assert "Carla Wynn" not in {n.name for n in bbc.discovered([article.id])}


# -- record tags -----------------------------------------------------------------------------------
def test_record_tags_feed_the_gazetteer_as_the_text_writes_them(reuters):
    types = reuters.entity_types()
    assert types["Anna Berg"] == "person"           # the tag `anna-berg`
    assert types["ICCO"] == "organization"
    assert "Usa" not in types and "usa" not in types    # a tag the text never writes
    hit = reuters.search(_request("arrivals")).hits[0]
    assert "Anna Berg" in hit.entities
    # kept beside the index (the first build empties the folder: the next start keeps them)
    again = Workspace(reuters.config)
    assert again.entity_types()["Anna Berg"] == "person"
    assert (reuters.config.index / "record_entities.json").is_file()
    again.close()


def test_record_tags_are_ignored_unless_config_says_so(tmp_path):
    ws = open_ws(tmp_path, reuters_sample(tmp_path / "r" / "r.jsonl"), "off")
    assert "Anna Berg" not in ws.entity_types()
    ws.close()


# -- reading ---------------------------------------------------------------------------------------
def test_hard_wrapped_text_is_reflowed_with_offsets_exact(reuters):
    hit = reuters.search(_request("arrivals")).hits[0]
    body = reuters.article(hit.id).body
    soft = tl.soft_breaks(body)
    assert soft and all(body[i] == "\n" for i in soft)
    lines = tl.wrap_spans(body, 100, soft)
    # the paragraphs come back whole: one wrapped line per wire line before, fewer now
    assert len(lines) < body.count("\n") + 1
    first = body[lines[0][0]:lines[0][1]]
    assert "\n" in first and first.startswith("Cocoa arrivals at the port")
    # every offset maps to the same character: a word found in a line is at its offset
    at = body.index("Anna Berg")
    line = next((s, e) for s, e in lines if s <= at < e)
    assert body[line[0]:line[1]].replace("\n", " ")[at - line[0]:][:9] == "Anna Berg"
    # text whose lines are paragraphs is left alone
    assert tl.soft_breaks("A long paragraph " * 20 + "\n\nAnother one " * 20) == frozenset()


def test_reflowed_sentences_do_not_end_at_a_wire_line_break(reuters):
    hit = reuters.search(_request("arrivals")).hits[0]
    body = reuters.article(hit.id).body
    spans = tl.sentence_spans(body, tl.soft_breaks(body))
    first = body[spans[0][0]:spans[0][1]]
    assert first.startswith("Cocoa arrivals") and first.endswith("dry weather.")


def test_folders_name_the_section_and_config_the_source(bbc):
    hit = bbc.search(_request("clash")).hits[0]
    assert (hit.section, hit.source) == ("politics", "BBC")
    assert bbc.article(hit.id).section == "politics"
    from explorer.app.widgets.results_list import meta_line
    assert meta_line(hit.date, hit.section, hit.source) == "politics \u00b7 BBC"
    assert meta_line(None, None, None) == "undated \u00b7 no source"


def _request(text: str):
    from explorer.records import SearchRequest

    return SearchRequest(text)


# -- the app -----------------------------------------------------------------------------------------
async def settle(app, pilot, rounds: int = 4) -> None:
    from textual.worker import WorkerCancelled

    for _ in range(rounds):
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            continue
        await pilot.pause()


def view_text(view: ArticleView) -> str:
    return "\n".join("".join(seg.text for seg in view.render_line(y)).rstrip()
                     for y in range(view.scrollable_content_region.height))


async def test_the_app_starts_in_the_results_and_slash_searches(bbc):
    app = NewsExplorer(bbc, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.focused is app.results_list and app.results_list.highlighted == 0
        await pilot.press("j")                       # a vim user's first j moves, not searches
        assert app.results_list.highlighted == 1 and app.search_bar.text == ""
        await pilot.press("slash", *"budget")
        await settle(app, pilot)
        assert app.search_bar.text == "budget"


async def test_question_mark_opens_help_from_every_pane_but_not_inside_a_query(bbc):
    from explorer.app.screens.help_screen import HelpScreen

    app = NewsExplorer(bbc, timings=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        for keys in ((), ("enter",), ("e",)):        # results, article, sidebar
            await pilot.press(*keys)
            await settle(app, pilot)
            focused = app.focused
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen), focused
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("slash", *"Oka", "question_mark")    # a wildcard inside a query
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen) and app.search_bar.text == "Oka?"


async def test_the_sidebar_shows_its_cursor_on_focus_and_lists_discovered_people(bbc):
    app = NewsExplorer(bbc, timings=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"clash", "enter")
        await settle(app, pilot)
        await pilot.press("enter", "e")
        await settle(app, pilot)
        sidebar = app.sidebar
        assert app.focused is sidebar and sidebar.highlighted is not None
        ids = [sidebar.get_option_at_index(i).id for i in range(sidebar.option_count)]
        assert "d:David Okafor" in ids and "d:Helen Marsh" in ids
        assert not [i for i in ids if i and " and " in i]
        assert sidebar.border_title == "Entities \u00b7 article"
        # moving over a discovered name lights its mentions: n walks them
        sidebar.highlighted = ids.index("d:David Okafor")
        await pilot.pause()
        view = app.article_view
        marks = view.marks
        assert [view.body[s:e] for s, e in marks] == ["David Okafor", "Okafor", "David Okafor"]


async def test_a_on_a_discovered_name_offers_it_as_a_new_entity_of_its_type(bbc):
    from explorer.app.screens.alias_dialog import AliasDialog

    app = NewsExplorer(bbc, timings=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        sidebar = app.sidebar
        ids = [sidebar.get_option_at_index(i).id for i in range(sidebar.option_count)]
        sidebar.highlighted = ids.index("d:Carla Wynn")
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, AliasDialog)
        assert app.screen.query_one("#alias-type").value == "person"
        await pilot.press("enter")                   # the first choice: a new entity
        await settle(app, pilot)
        assert bbc.entity_types()["Carla Wynn"] == "person"
        ids = [sidebar.get_option_at_index(i).id for i in range(sidebar.option_count)]
        assert "e:Carla Wynn" in ids


async def test_the_sort_in_force_is_always_shown(bbc):
    app = NewsExplorer(bbc, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        status = app.query_one(StatusLine)
        assert "\u00b7 newest first" in str(status.render())
        await pilot.press("slash", *"Okafor")
        await settle(app, pilot)
        assert "\u00b7 by relevance" in str(status.render())
        await pilot.press("escape", "O")
        await settle(app, pilot)
        assert "\u00b7 newest first" in str(status.render())


async def test_enter_enter_typed_while_the_search_runs_opens_that_searchs_result(bbc):
    """The issue's race, made certain: the search for the typed text is held until both
    enters are in, so they arrive while it runs."""
    gate = threading.Event()
    search = bbc.search

    def held_search(request):
        if request.text == "levy banks":
            gate.wait(10)
        return search(request)

    bbc.search = held_search
    app = NewsExplorer(bbc, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")                     # an unrelated article is open
        await settle(app, pilot)
        assert app.article_view.article.title == "Wynn sets out election pledges"
        await pilot.press("slash", "ctrl+u", *"levy", "space", *"banks")
        await pilot.press("enter", "enter")
        assert app.article_view.article.title == "Wynn sets out election pledges"
        gate.set()
        await settle(app, pilot)
        assert app.article_view.article.title == "Okafor defends tax plans"
        assert app.focused is app.article_view


async def test_a_title_only_record_says_so(reuters):
    app = NewsExplorer(reuters, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"dividend", "enter")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert "title and no body" in view_text(app.article_view)


async def test_the_article_gets_the_room_first_and_counts_stay_on_their_row(bbc):
    for width, least in ((110, 45), (160, 75), (200, 100)):
        app = NewsExplorer(bbc, timings=False)
        async with app.run_test(size=(width, 40)) as pilot:
            await settle(app, pilot)
            await pilot.press("enter")
            await settle(app, pilot)
            article = app.article_view.region.width
            assert article >= least, width
            assert article > app.query_one("#results-pane").region.width
            assert article > app.sidebar.region.width
            sidebar = app.sidebar
            for i in range(sidebar.option_count):
                option = sidebar.get_option_at_index(i)
                if option.id:              # every entity row is one line: its count on it
                    assert sidebar.get_option_at_index(i).prompt.cell_length <= \
                        sidebar.scrollable_content_region.width


# -- BBC itself -------------------------------------------------------------------------------------
@pytest.mark.realdata
@needs_corpora("bbc", "politics")
def test_bbc_politics_article_lists_its_people_as_discovered_persons(tmp_path):
    import shutil

    corpus = tmp_path / "bbc"
    shutil.copytree(CORPORA / "bbc" / "politics", corpus / "politics")
    ws = Workspace(load_config(str(Path(__file__).resolve().parent.parent / "config.yaml"),
                               corpus=corpus, index=tmp_path / "ix", data=tmp_path / "d"))
    ws.update_index()
    try:
        table = ws.discovered()
        # no two names the corpus writes on their own merged into one ("X and Y"); names
        # that hold an "and" ("Department for Work and Pensions") stay whole
        names = {n.name for n in table}
        assert not [n for n in names if " and " in n and
                    all(part in names for part in n.split(" and "))]
        types = {n.name: n.type for n in table}
        assert types["Tony Blair"] == "person" and types["Gordon Brown"] == "person"
        hits = ws.search(_request('"Tony Blair" "Gordon Brown"')).hits
        names = {n.name: n.type for n in ws.discovered([hits[0].id])}
        assert names.get("Tony Blair") == "person" and names.get("Gordon Brown") == "person"
        assert not [name for name in names if " and " in name]
    finally:
        ws.close()


async def test_a_burst_of_keys_slash_query_enter_enter_lands_in_order(bbc):
    """Keys as a terminal delivers a fast typist's: all queued at once, no pause between
    them. `/` moved the focus only once the keys after it were handed out, so `budget` went
    to the list (`e` opened the sidebar), and ctrl+u emptied the box after the query."""
    from textual import events

    app = NewsExplorer(bbc, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"levy", "escape")      # an older query in the box
        await settle(app, pilot)
        # the keys: `/`, ctrl+u, the query, enter enter (ctrl+u, a binding of the
        # box, ran only once it had bubbled up to the app: after the query was typed)
        keys = [("slash", "/"), ("ctrl+u", None), *[(c, c) for c in "budget"],
                ("enter", "\r"), ("enter", "\r")]
        for key, character in keys:
            app.post_message(events.Key(key, character))
        await settle(app, pilot)
        assert app.search_bar.text == "budget"
        assert app.article_view.article is not None
        assert app.article_view.article.title == "Marsh and Okafor clash over budget"
        assert app.focused is app.article_view


async def test_the_article_shows_its_cursor_when_it_gets_the_focus_back(bbc):
    app = NewsExplorer(bbc, timings=False)
    async with app.run_test(size=(160, 14)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"clash", "enter")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        view = app.article_view
        assert app.focused is view and view.cursor == 0
        await pilot.press("tab")                         # to the sidebar
        view.scroll_to(y=8, animate=False)               # the wheel, say
        await pilot.pause()
        await pilot.press("shift+tab")
        await pilot.pause()
        assert app.focused is view
        line = view._body_lines[view._line_index(view.cursor)]
        top = view.scroll_offset.y
        assert top == 8 and top <= line < top + view.scrollable_content_region.height


def test_feed_categories_and_front_matter_entities_feed_the_gazetteer(tmp_path):
    corpus = tmp_path / "mixed"
    corpus.mkdir()
    (corpus / "wire.rss").write_text(
        '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Wire</title>'
        "<item><title>Opec ministers meet</title><link>http://127.0.0.1/1</link>"
        "<category>OPEC</category><category>Saudi Arabia</category><category>crude</category>"
        "<description>OPEC ministers from Saudi Arabia met on crude output.</description>"
        "</item></channel></rss>\n", encoding="utf-8")
    (corpus / "note.md").write_text(
        "---\ntitle: Castlegate results\nentities:\n  - name: Castlegate Capital\n"
        "    type: organization\n  - Priya Shah\n---\nCastlegate Capital gained. Priya Shah "
        "spoke.\n", encoding="utf-8")
    ws = open_ws(tmp_path, corpus, "mixed", record_entities=True)
    types = ws.entity_types()
    ws.close()
    assert types["OPEC"] == "other" and types["Saudi Arabia"] == "other"
    assert "crude" not in types and "Crude" not in types     # a common word, not a name
    assert types["Castlegate Capital"] == "organization" and types["Priya Shah"] == "other"
