"""Several processes at once on one index and one data folder (issue 12): one writer at a
time, readers that never re-index under a writer and say so, user files that lose nothing.

Each test runs real `news-explorer` processes. Where an order matters, the test holds the
index's writer lock itself (what a long `index --rebuild` does) rather than racing a timer.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from explorer.index.folder import latest_generation, take_writer_lock
from explorer.records import SearchRequest
from tests.conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow


@pytest.fixture
def place(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    for n in range(40):
        (corpus / f"extra-{n:02}.txt").write_text(f"Extra story {n}\n\nOil prices and story {n} "
                                                  f"of many words. " * 20, encoding="utf-8")
    return tmp_path


def command(place, *args) -> list[str]:
    return [sys.executable, "-m", "explorer", "--config", str(ROOT / "config.yaml"),
            "--corpus", str(place / "corpus"), "--index", str(place / "ix"),
            "--data", str(place / "data"), *args]


def run(place, *args) -> subprocess.CompletedProcess:
    return subprocess.run(command(place, *args), capture_output=True, text=True, cwd=ROOT,
                          timeout=300)


def ok(done: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    return done


def ids(place) -> list[str]:
    return [h["id"] for h in json.loads(ok(run(place, "search", "", "--json", "--limit",
                                                "100000")).stdout)]


def test_a_reader_searches_the_last_commit_while_a_writer_works(place):
    ok(run(place, "index"))
    (place / "corpus" / "new.txt").write_text("New story\n\nOil and gas.\n", encoding="utf-8")
    generation = latest_generation(place / "ix")
    lock = take_writer_lock(place / "ix", wait=False)      # a writer, busy
    try:
        done = ok(run(place, "search", "oil", "--json", "--limit", "100"))
        assert "being updated by another process" in done.stderr
        assert "New story" not in done.stdout and json.loads(done.stdout)
        assert latest_generation(place / "ix") == generation      # the reader wrote nothing
        assert ok(run(place, "stats", "--json")).stdout
    finally:
        lock.release()
    done = ok(run(place, "search", "oil", "--json", "--limit", "100"))
    assert "New story" in done.stdout                              # the next reader updates


def test_a_second_writer_waits_for_the_first(place):
    ok(run(place, "index"))
    (place / "corpus" / "new.txt").write_text("New story\n\nOil and gas.\n", encoding="utf-8")
    generation = latest_generation(place / "ix")
    lock = take_writer_lock(place / "ix", wait=False)
    try:
        writer = subprocess.Popen(command(place, "index"), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, cwd=ROOT)
        first = writer.stderr.readline()
        assert "waiting for another process updating the index" in first
        assert latest_generation(place / "ix") == generation
    finally:
        lock.release()
    out, err = writer.communicate(timeout=300)
    assert writer.returncode == 0 and "Traceback" not in err, err
    assert "1 added" in out and latest_generation(place / "ix") > generation


def test_the_first_build_makes_readers_wait_not_fail(place):
    lock = take_writer_lock(place / "ix", wait=False)
    try:
        reader = subprocess.Popen(command(place, "search", "oil", "--json"),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  cwd=ROOT)
        assert "waiting for another process" in reader.stderr.readline()
    finally:
        lock.release()
    out, err = reader.communicate(timeout=300)
    assert reader.returncode == 0 and "Traceback" not in err, err
    assert json.loads(out)


def test_writers_and_readers_side_by_side_never_crash(place):
    """index, index --rebuild, search, stats and alias started together, two rounds, the
    corpus changing between rounds: every process ends well, and the index ends whole."""
    ok(run(place, "index"))
    for round_ in range(2):
        (place / "corpus" / f"round-{round_}.txt").write_text(
            f"Round {round_}\n\nOil story of round {round_}.\n", encoding="utf-8")
        if round_ == 1:
            (place / "corpus" / "extra-00.txt").unlink()
        shutil.copy(place / "corpus" / "extra-05.txt", place / "corpus" / f"0copy-{round_}.txt")
        commands = [("index", "--rebuild"), ("index",), ("search", "oil"), ("stats",),
                    ("alias", "OpenAI", f"Open Eye {round_}"), ("search", "Scale"),
                    ("index",)]
        running = [subprocess.Popen(command(place, *c), stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True, cwd=ROOT)
                   for c in commands]
        for c, process in zip(commands, running):
            out, err = process.communicate(timeout=300)
            assert "Traceback" not in err, (c, err)
            assert process.returncode == 0, (c, err)
    found = ids(place)
    assert len(found) == len(set(found))
    stats = json.loads(ok(run(place, "stats", "--json")).stdout)
    assert stats["articles"] == len(found)
    distinct = 2 + 39 + 2          # the seeds, the extras left, the rounds (the copies are dups)
    assert len(found) == distinct
    assert ok(run(place, "index", "--dry-run")).stdout.count("add: 0") == 1


ALIASES = """
import sys
from explorer.cli import main
base, who = sys.argv[1:-1], sys.argv[-1]
for n in range(30):
    status = main([*base, "alias", "OpenAI", f"alias {who} {n}", "--json"])
    assert status == 0, status
"""


def test_two_processes_adding_thirty_aliases_each_lose_none(place):
    ok(run(place, "index"))
    base = command(place)[3:]
    running = [subprocess.Popen([sys.executable, "-c", ALIASES, *base, who],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                cwd=ROOT)
               for who in ("a", "b")]
    for process in running:
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0 and "Traceback" not in err, err
        assert out.count('"alias"') == 30
    saved = (place / "data" / "entities.yaml").read_text(encoding="utf-8")
    for who in ("a", "b"):
        for n in range(30):
            assert f"alias {who} {n}" in saved
    # Every alias links: a search for one of each finds OpenAI's articles.
    done = ok(run(place, "search", 'entity:"alias a 29"', "--json"))
    assert json.loads(done.stdout)
    assert os.path.exists(place / "data" / ".entities.yaml.lock")


async def test_the_app_opens_on_the_last_commit_while_another_process_writes(
        workspace_factory, seeds_copy):
    """The app started during another process's rebuild: no re-index under it, no traceback;
    it lists the committed articles and says the index is being updated."""
    from explorer.app.app import NewsExplorer
    from tests.test_app import result_titles, settle

    ws = workspace_factory(seeds_copy)
    before = sorted(h.title for h in ws.search(SearchRequest("")).hits)
    (seeds_copy / "new.txt").write_text("New story\n\nOil and gas.\n", encoding="utf-8")
    generation = latest_generation(ws.config.index)
    lock = take_writer_lock(ws.config.index, wait=False)
    notices = []
    try:
        app = NewsExplorer(ws, timings=False)
        app.notify = lambda message, **kwargs: notices.append(message)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot, rounds=5)
            assert sorted(result_titles(app)) == before
            assert any("being updated by another process" in n for n in notices)
            assert latest_generation(ws.config.index) == generation
    finally:
        lock.release()
