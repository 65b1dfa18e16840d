"""The app and the news's sources: o (URL), p (pager), r (fetch and re-index), the keymap
from the config, the remembered theme, and what a missing or empty corpus shows."""

from __future__ import annotations

import json
import webbrowser

import pytest

from explorer import locations
from explorer.app.app import NewsExplorer
from explorer.app.source_actions import pager_text, run_pager
from explorer.config import load_config
from explorer.workspace import Workspace
from tests.feedserver import serve, synthetic_feeds
from tests.test_app import settle, status_text


@pytest.fixture(autouse=True)
def sidebar_at_once(monkeypatch):
    monkeypatch.setattr("explorer.app.app.SIDEBAR_DELAY", 0)


def workspace(tmp_path, corpus, **config) -> Workspace:
    cfg = tmp_path / "config.yaml"
    lines = [f"corpus: {json.dumps(str(corpus))}", "index: index", "data: data"]
    lines += [f"{key}: {json.dumps(value)}" for key, value in config.items()]
    cfg.write_text("\n".join(lines) + "\n")
    return Workspace(load_config(str(cfg)))


def empty_text(app) -> str:
    state = app.query_one("#empty-state")
    return str(state.render()) if state.display else ""


async def test_a_missing_corpus_says_what_to_do_and_makes_no_index(tmp_path):
    ws = workspace(tmp_path, tmp_path / "nowhere")
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        text = empty_text(app)
        assert "does not exist" in text and "press r" in text and "feeds:" in text
        assert not app.query_one("#indexing").display        # no endless progress bar
        assert "Indexing" not in status_text(app)
    assert not (tmp_path / "index").exists()


async def test_an_empty_corpus_says_what_to_do(tmp_path):
    (tmp_path / "corpus").mkdir()
    app = NewsExplorer(workspace(tmp_path, tmp_path / "corpus"), timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert empty_text(app).startswith(f"No articles in {tmp_path / 'corpus'} yet")
        assert not app.query_one("#indexing").display


async def test_r_fetches_the_feeds_and_the_articles_appear(tmp_path):
    served = synthetic_feeds(tmp_path / "served")
    with serve(served) as server:
        ws = workspace(tmp_path, tmp_path / "corpus", feeds=[server.url("gazette.rss")])
        app = NewsExplorer(ws, timings=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            assert "does not exist" in empty_text(app)
            await pilot.press("escape", "r")            # from the results, not the query
            await settle(app, pilot, rounds=6)
            assert empty_text(app) == ""
            titles = [hit.title for hit in app.results_list.hits]
            assert "Ferry <Tern> returns to service" in titles and len(titles) == 3


class _Recorder(webbrowser.BaseBrowser):
    """A browser that writes down what it was asked to open (registered with webbrowser)."""

    opened: list[str] = []

    def open(self, url, new=0, autoraise=True):
        self.opened.append(url)
        return True


async def test_o_opens_the_url_and_p_needs_a_terminal(tmp_path):
    corpus = synthetic_feeds(tmp_path / "corpus")
    webbrowser.register("news-explorer-test", None, _Recorder("recorder"), preferred=True)
    app = NewsExplorer(workspace(tmp_path, corpus), timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"Morven", "enter")     # the app starts in the results
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        assert _Recorder.opened[-1] == "http://127.0.0.1:8765/story/ferry"
        await pilot.press("p")      # a headless test cannot hand its terminal to a pager
        await settle(app, pilot)
        assert "cannot be suspended" in status_text(app)


def test_the_pager_gets_the_article_as_plain_text(tmp_path, monkeypatch):
    from explorer.ingest.articles import Article

    article = Article(id="x", title="Ferry back", body="Red?\x1b[31m no.", path="a.md",
                      date="2026-03-03", source="Gazette", url="http://example.test/a")
    out = tmp_path / "paged.txt"
    monkeypatch.setenv("PAGER", f"cat > {out}")
    assert run_pager(pager_text(article)) == 0
    text = out.read_text()
    assert text.startswith("Ferry back\n2026-03-03 \u00b7 Gazette\nhttp://example.test/a\n")
    assert "\x1b" not in text and "Red?\u241b[31m no." in text


async def test_keymap_in_the_config_remaps_a_binding_by_id(tmp_path):
    corpus = synthetic_feeds(tmp_path / "corpus")
    ws = workspace(tmp_path, corpus, keymap={"app.sort": "z"})
    app = NewsExplorer(ws, timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("z")                         # (the app starts in the results)
        await settle(app, pilot)
        assert app.sort == "date"
        await pilot.press("question_mark")           # the help says so too
        await pilot.pause()
        rows = [str(w.render()) for w in app.screen.query(".help-keys, .help-text")]
        assert rows[rows.index("Sort by relevance or newest first") - 1] == "z"


async def test_the_chosen_theme_is_remembered(tmp_path):
    corpus = synthetic_feeds(tmp_path / "corpus")
    app = NewsExplorer(workspace(tmp_path, corpus), timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.theme != "gruvbox"
        app.theme = "gruvbox"
        await settle(app, pilot)
    assert "theme: gruvbox" in locations.app_settings().read_text()
    again = NewsExplorer(workspace(tmp_path, corpus), timings=False)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(again, pilot)
        assert again.theme == "gruvbox"


async def test_a_corrupt_settings_file_is_reported_and_left_alone(tmp_path):
    corpus = synthetic_feeds(tmp_path / "corpus")
    settings = locations.app_settings()
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text("theme: [unclosed\n")
    app = NewsExplorer(workspace(tmp_path, corpus), timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.theme = "gruvbox"
        await settle(app, pilot)
        assert any("invalid YAML" in n.message for n in app._notifications)
    assert settings.read_text() == "theme: [unclosed\n"
