"""Crash safety: the indexer killed at any instant leaves the old index or the new one, never a
mix, and the next run cleans up after it (issue 12).

The kill points are not chosen by hand: tests/kill_at.py counts the lines of explorer and
Whoosh code the indexer runs and dies at the Nth, for a seeded spread of N over the whole run
(reading, indexing, Whoosh's commit, the manifest, the first page).
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow
KILL_AT = ROOT / "tests" / "kill_at.py"


def write(corpus, rel, title, body, mtime=None):
    path = corpus / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    if mtime is not None:
        os.utime(path, ns=(mtime, mtime))


def make_corpus(corpus):
    for n in range(24):
        write(corpus, f"news/{n:03}.txt", f"Story {n}", f"Word{n} appears in story {n}. " * 5)
    write(corpus, "news/100.txt", "Story 3", "Word3 appears in story 3. " * 5)   # a copy


def change_corpus(corpus):
    """Adds (one a copy that sorts first), removals (one the first copy), an edit in place."""
    for n in range(24, 32):
        write(corpus, f"more/{n:03}.txt", f"Story {n}", f"Word{n} appears in story {n}. " * 5)
    shutil.copy(corpus / "news/005.txt", corpus / "0first.txt")
    (corpus / "news/003.txt").unlink()
    (corpus / "news/010.txt").unlink()
    write(corpus, "news/007.txt", "Story 7 revised", "Word7 changed in story 7. " * 5,
          mtime=10**18)


def cli(corpus, index, data, *args):
    return [sys.executable, str(KILL_AT), *args[:1], "--config", str(ROOT / "config.yaml"),
            "--corpus", str(corpus), "--index", str(index), "--data", str(data), *args[1:]]


def run(corpus, index, data, stop, *command):
    return subprocess.run(cli(corpus, index, data, str(stop), *command), capture_output=True,
                          text=True, cwd=ROOT, timeout=300)


def state(index) -> tuple[int, list[tuple[str, str, str]]]:
    """The index as last committed, read as a reader does (no update): its article count and
    every article as (id, title, path)."""
    from explorer.records import SearchRequest
    from explorer.search.article_index import ArticleIndex

    ix = ArticleIndex(index)
    try:
        hits = ix.search(SearchRequest("", limit=None)).hits
        return len(ix), sorted((h.id, h.title, h.path) for h in hits)
    finally:
        ix.close()


def update(corpus, index, data):
    """What the next `news-explorer index` does, in this process."""
    from explorer.config import load_config
    from explorer.workspace import Workspace

    ws = Workspace(load_config(str(ROOT / "config.yaml"), corpus=corpus, index=index, data=data))
    try:
        ws.update_index()
    finally:
        ws.close()


def leftovers(index) -> list[str]:
    return sorted(name for name in os.listdir(index)
                  if name.endswith(".tmp") or ".toc." in name)


@pytest.mark.parametrize("command", [("index",), ("index", "--rebuild")])
def test_a_kill_at_any_point_leaves_the_old_index_or_the_new(tmp_path, command):
    base = tmp_path / "base"
    make_corpus(base / "corpus")
    assert run(base / "corpus", base / "ix", base / "data", 0, "index").returncode == 0
    old = state(base / "ix")
    change_corpus(base / "corpus")

    # The whole run once, not killed: how many lines it takes, and the state it ends in.
    clean = tmp_path / "clean"
    shutil.copytree(base, clean, symlinks=True)
    done = run(clean / "corpus", clean / "ix", clean / "data", 0, *command)
    assert done.returncode == 0, done.stderr
    lines = int(done.stderr.rsplit("LINES ", 1)[1].split()[0])
    new = state(clean / "ix")
    assert new != old and new[0] == len(new[1])

    rng = random.Random(12)
    # Spread over the whole run, and more densely over its last fifth (commit, manifest, page).
    points = sorted(set(rng.sample(range(1, lines), 8)
                        + rng.sample(range(lines * 4 // 5, lines), 8)))
    for stop in points:
        trial = tmp_path / f"kill{stop}"
        shutil.copytree(base, trial, symlinks=True)
        corpus, index, data = trial / "corpus", trial / "ix", trial / "data"
        killed = run(corpus, index, data, stop, *command)
        assert killed.returncode in (0, 137), killed.stderr
        assert "Traceback" not in killed.stderr
        # What a reader sees now: the old index or the new one, whole.
        assert state(index) in (old, new), f"killed at line {stop} of {lines}"
        # The next run finishes the job, cleans up, and ends where an unkilled run ends.
        update(corpus, index, data)
        assert state(index) == new, f"killed at line {stop} of {lines}"
        assert leftovers(index) == [] and not (index / "MAIN.tmp").exists()
        shutil.rmtree(trial)
