"""Shared fixtures: the seeds, small corpora built in tmp_path, and ../shared/corpora when present."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
CORPORA = SHARED / "corpora"


def needs_corpora(*parts: str):
    """Skip (cleanly) when ../shared/corpora, or the named part of it, is absent."""
    path = CORPORA.joinpath(*parts)
    return pytest.mark.skipif(not path.exists(), reason=f"{path} is absent")


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def workspace_factory(tmp_path):
    """Make a Workspace over a corpus with its own index and data folders, indexed."""
    from explorer.config import load_config
    from explorer.workspace import Workspace

    made = []

    def make(corpus: Path, *, config: Path | None = None, index_now: bool = True) -> Workspace:
        cfg = config or (ROOT / "config.yaml")
        ws = Workspace(load_config(str(cfg), corpus=corpus, index=tmp_path / f"index{len(made)}",
                                   data=tmp_path / f"data{len(made)}"))
        if index_now:
            ws.update_index()
        made.append(ws)
        return ws

    yield make
    for ws in made:
        ws.close()


@pytest.fixture
def seeds_ws(workspace_factory, seeds_copy):
    return workspace_factory(seeds_copy)


@pytest.fixture(autouse=True)
def user_folders(tmp_path_factory, monkeypatch) -> Path:
    """The user's config, data and cache folders (platformdirs reads $XDG_*), in tmp: no test
    reads or writes the real ones."""
    home = tmp_path_factory.mktemp("home")
    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                     ("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state")):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.delenv("NEWS_EXPLORER_CONFIG", raising=False)
    return home


@pytest.fixture(scope="session")
def bbc_ws(tmp_path_factory):
    """BBC News indexed once per test session, as a Workspace with the default gazetteer."""
    if not (CORPORA / "bbc").exists():
        pytest.skip(f"{CORPORA / 'bbc'} is absent")
    from explorer.config import load_config
    from explorer.workspace import Workspace

    folder = tmp_path_factory.mktemp("bbc")
    ws = Workspace(load_config(str(ROOT / "config.yaml"), corpus=CORPORA / "bbc",
                               index=folder / "index", data=folder / "data"))
    ws.bbc_summary = ws.update_index()
    yield ws
    ws.close()


@pytest.fixture(scope="session")
def reuters_ix(tmp_path_factory):
    """Reuters-21578's stories of October 1987 (1,592 records, the month of the crash), indexed
    once per test session: an open ArticleIndex. The whole file takes minutes to index; the
    date examples of issue 15 all fall in this month and give the same counts here."""
    path = CORPORA / "reuters21578.jsonl"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    from explorer.index.build import update_index
    from explorer.search.article_index import ArticleIndex

    folder = tmp_path_factory.mktemp("reuters")
    october = folder / "reuters-1987-10.jsonl"
    with open(path, encoding="utf-8") as source, open(october, "w", encoding="utf-8") as out:
        for line in source:
            if line.strip() and (json.loads(line).get("date") or "") >= "1987-10-01":
                out.write(line)
    update_index(october, folder / "index")
    ix = ArticleIndex(folder / "index")
    yield ix
    ix.close()
