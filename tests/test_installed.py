"""Installed like any CLI tool: from an empty folder, with HOME and XDG_* in tmp, `init`,
`fetch` (from a local server), `search` and the app all work, and nothing is written into
the current folder. Runs the entry point installed in this venv, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.feedserver import serve, synthetic_feeds

ENTRY = Path(sys.executable).parent / "news-explorer"


@pytest.fixture
def user_env(tmp_path) -> dict:
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("XDG_") and k not in ("NEWS_EXPLORER_CONFIG", "HOME")}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_DATA_HOME=str(home / ".local/share"), XDG_CACHE_HOME=str(home / ".cache"))
    return env


def run(args, cwd, env, check=True) -> subprocess.CompletedProcess:
    done = subprocess.run([str(ENTRY), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)
    if check:
        assert done.returncode == 0, done.stderr
    return done


@pytest.mark.slow
@pytest.mark.skipif(not ENTRY.exists(), reason="news-explorer is not installed in this venv")
async def test_init_fetch_search_and_the_app_from_an_empty_folder(tmp_path, user_env,
                                                                  monkeypatch):
    here = tmp_path / "empty"
    here.mkdir()
    home = Path(user_env["HOME"])

    first = run(["search", "ferry"], here, user_env, check=False)
    assert first.returncode == 2 and "news-explorer init" in first.stderr

    run(["init"], here, user_env)
    config = home / ".config/news-explorer/config.yaml"
    assert config.is_file() and run(["init"], here, user_env, check=False).returncode == 2

    served = synthetic_feeds(tmp_path / "served")
    with serve(served) as server:
        text = config.read_text().replace(
            "feeds:\n", f"feeds:\n  - {server.url('gazette.rss')}\n  - {server.url('quay.atom')}\n")
        config.write_text(text)
        fetched = run(["fetch"], here, user_env)
    assert "fetched 2 sources: 4 new items, 0 failed" in fetched.stdout
    corpus = home / ".local/share/news-explorer/articles"
    assert len(list(corpus.rglob("*.md"))) == 4
    indexes = list((home / ".cache/news-explorer/indexes").iterdir())
    assert len(indexes) == 1 and indexes[0].name.startswith("articles-")

    found = run(["search", "ferry", "--json"], here, user_env)
    assert '"title": "Ferry <Tern> returns to service"' in found.stdout

    # The app, found the same way (the user's config), in this process.
    for key, value in user_env.items():
        if key.startswith("XDG_") or key == "HOME":
            monkeypatch.setenv(key, value)
    monkeypatch.chdir(here)
    from explorer.app.app import NewsExplorer
    from explorer.workspace import Workspace
    from tests.test_app import settle

    app = NewsExplorer(Workspace.open(), timings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"gulls")         # the app starts in the results
        await settle(app, pilot)
        assert [h.title for h in app.results_list.hits] == ["Gull census counts record numbers"]
    assert list(here.iterdir()) == []            # nothing written where the user stands
