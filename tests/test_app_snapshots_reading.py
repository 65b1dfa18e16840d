"""Snapshots of reading a BBC-shaped and a Reuters-shaped corpus (tests/reading_samples.py) at
80x24, 110x35 and 160x48: the article gets the room first, the sidebar lists the discovered
people, wire text is reflowed, rows read "politics · BBC". Update with `pytest
tests/test_app_snapshots_reading.py --snapshot-update` and look at the SVGs."""

from __future__ import annotations

import pytest
from textual.worker import WorkerCancelled

from explorer.app.app import NewsExplorer
from explorer.config import load_config
from explorer.workspace import Workspace
from tests.reading_samples import bbc_sample, reuters_sample, write_config

SIZES = [(80, 24), (110, 35), (160, 48)]


@pytest.fixture(autouse=True)
def sidebar_at_once(monkeypatch):
    monkeypatch.setattr("explorer.app.app.SIDEBAR_DELAY", 0)


def workspace(tmp_path, corpus, **extra) -> Workspace:
    config = write_config(tmp_path / "config.yaml", corpus, index=str(tmp_path / "ix"),
                          data=str(tmp_path / "data"), **extra)
    ws = Workspace(load_config(str(config)))
    ws.update_index()
    return ws


async def settle(pilot) -> None:
    for _ in range(4):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            continue
        await pilot.pause()
    pilot.app.search_bar.input.cursor_blink = False


def opened(query: str):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("slash", *query, "enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_bbc_politics_article(tmp_path, snap_compare, size):
    ws = workspace(tmp_path, bbc_sample(tmp_path / "bbc"), source="BBC")
    assert snap_compare(NewsExplorer(ws, timings=False), terminal_size=size,
                        run_before=opened("budget"))
    ws.close()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_reuters_wire_story_reflowed(tmp_path, snap_compare, size):
    ws = workspace(tmp_path, reuters_sample(tmp_path / "reuters" / "reuters.jsonl"),
                   record_entities=True)
    assert snap_compare(NewsExplorer(ws, timings=False), terminal_size=size,
                        run_before=opened("cocoa"))
    ws.close()
