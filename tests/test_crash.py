"""Crash safety: the indexer killed at any instant leaves the old index or the new one, never a
mix, and the next run cleans up after it (issue 12).

The kill points are not chosen by hand: tests/kill_at.py counts the lines of explorer and
Whoosh code the indexer runs and dies at the Nth, for a seeded spread of N over the whole run
(reading, indexing, Whoosh's commit, the manifest, the first page).
"""

from __future__ import annotations

import json
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


def state(corpus, index, data) -> tuple[int, list[tuple[str, str, tuple]]]:
    """(the article count `stats` gives, every article as (id, title, duplicates)), read in a
    fresh process; a reader must not change the index (it is not stale-checked: `--no-update`
    is not a flag, so the read runs with the corpus as it is and may index: see callers)."""
    done = run(corpus, index, data, 0, "search", "", "--json", "--limit", "100000")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    hits = json.loads(done.stdout)
    stats = run(corpus, index, data, 0, "stats", "--json")
    assert stats.returncode == 0, stats.stderr
    articles = json.loads(stats.stdout)["articles"]
    return articles, sorted((h["id"], h["title"], h["path"]) for h in hits)


def leftovers(index) -> list[str]:
    return sorted(name for name in os.listdir(index)
                  if name.endswith((".tmp",)) or ".toc." in name or name == "MAIN_WRITELOCK")


@pytest.mark.parametrize("command", [("index",), ("index", "--rebuild")])
def test_a_kill_at_any_point_leaves_the_old_index_or_the_new(tmp_path, command):
    base = tmp_path / "base"
    make_corpus(base / "corpus")
    assert run(base / "corpus", base / "ix", base / "data", 0, "index").returncode == 0
    old = state(base / "corpus", base / "ix", base / "data")
    change_corpus(base / "corpus")

    # The whole run once, not killed: how many lines it takes, and the state it ends in.
    clean = tmp_path / "clean"
    shutil.copytree(base, clean, symlinks=True)
    done = run(clean / "corpus", clean / "ix", clean / "data", 0, *command)
    assert done.returncode == 0, done.stderr
    lines = int(done.stderr.rsplit("LINES ", 1)[1].split()[0])
    new = state(clean / "corpus", clean / "ix", clean / "data")
    assert new != old and new[0] == len(new[1])

    rng = random.Random(12)
    # Spread over the whole run, and more densely over its last fifth (commit, manifest, page).
    points = sorted(set(rng.sample(range(1, lines), 10)
                        + rng.sample(range(lines * 4 // 5, lines), 10)))
    for stop in points:
        trial = tmp_path / f"kill{stop}"
        shutil.copytree(base, trial, symlinks=True)
        corpus, index, data = trial / "corpus", trial / "ix", trial / "data"
        killed = run(corpus, index, data, stop, *command)
        assert killed.returncode in (0, 137), killed.stderr
        assert "Traceback" not in killed.stderr
        # What a reader sees now (it does not re-index: the stats of the last commit).
        seen = _committed(index)
        assert seen in (old, new), f"killed at line {stop} of {lines}: {seen}"
        # The next run finishes the job, cleans up, and ends where an unkilled run ends.
        again = run(corpus, index, data, 0, "index")
        assert again.returncode == 0 and "Traceback" not in again.stderr, again.stderr
        assert state(corpus, index, data) == new, f"killed at line {stop} of {lines}"
        assert leftovers(index) == [] and not (index / "MAIN.tmp").exists()
        shutil.rmtree(trial)


def _committed(index) -> tuple[int, list]:
    """The last committed state, read straight from the index folder (no re-indexing)."""
    code = ("import json, sys\n"
            "from explorer.index.manifest import read_manifest\n"
            "from explorer.search.article_index import ArticleIndex\n"
            "from explorer.records import SearchRequest\n"
            "ix = ArticleIndex(sys.argv[1])\n"
            "hits = ix.search(SearchRequest('', limit=None)).hits\n"
            "m = read_manifest(sys.argv[1])\n"
            "print(json.dumps([m['articles'], sorted((h.id, h.title, h.path) for h in hits)]))\n")
    done = subprocess.run([sys.executable, "-c", code, str(index)], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    articles, hits = json.loads(done.stdout)
    return articles, [tuple(h) for h in hits]
