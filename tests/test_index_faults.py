"""Faults while indexing (issue 12): a file that cannot be read is retried, never remembered
as skipped; a disk that fills up or a folder that cannot be written is one line, and the old
index still serves. And the plan an update follows can be printed first (issue 13)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from explorer.cli import main
from explorer.config import load_config
from explorer.index import build
from explorer.index.folder import latest_generation
from explorer.records import SearchRequest
from explorer.workspace import Workspace
from tests.conftest import ROOT, SEEDS


def write(corpus, rel, title, body, mtime=None):
    path = corpus / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    if mtime is not None:
        os.utime(path, ns=(mtime, mtime))


def workspace(tmp_path, corpus) -> Workspace:
    return Workspace(load_config(str(ROOT / "config.yaml"), corpus=corpus,
                                 index=tmp_path / "ix", data=tmp_path / "data"))


def titles(ws) -> list[str]:
    return sorted(h.title for h in ws.search(SearchRequest("", limit=None)).hits)


def test_a_folder_moved_away_mid_index_and_back_is_read_on_the_next_run(tmp_path):
    corpus = tmp_path / "c"
    write(corpus, "a/1.txt", "Alpha one", "About alpha.")
    write(corpus, "b/1.txt", "Beta one", "About beta.")
    ws = workspace(tmp_path, corpus)
    ws.update_index()
    write(corpus, "b/1.txt", "Beta one revised", "About beta, revised.", mtime=10**18)
    write(corpus, "b/2.txt", "Beta two", "More beta.")
    write(corpus, "a/2.txt", "Alpha two", "More alpha.")

    def move_b_away(phase, done, total):
        if phase == "reading" and done == 1 and (corpus / "b").exists():
            (corpus / "b").rename(tmp_path / "b-away")      # a.txt read, b's files not yet

    summary = ws.update_index(progress=move_b_away)
    assert {path for path, _ in summary.skips} == {"b/1.txt", "b/2.txt"}
    # b/1.txt could not be read: what it gave before stays; b/2.txt is not there yet.
    assert titles(ws) == ["Alpha one", "Alpha two", "Beta one"]

    (tmp_path / "b-away").rename(corpus / "b")              # back, the same times as before
    summary = ws.update_index()
    assert summary.skips == []
    assert titles(ws) == ["Alpha one", "Alpha two", "Beta one revised", "Beta two"]
    ws.close()


def test_a_file_that_gave_nothing_is_retried_by_index(tmp_path):
    corpus = tmp_path / "c"
    write(corpus, "a.txt", "Alpha", "About alpha.")
    text = b"Later\n\nIt came at last.\n"
    (corpus / "later.txt").write_bytes(b"\0" * len(text))      # half-copied: zeros so far
    ws = workspace(tmp_path, corpus)
    summary = ws.update_index()
    assert summary.skips == [("later.txt", "binary file, not text")]
    # The copy finishes with the same size and time (a restore keeps times): the file's
    # signature is unchanged, and the skip must not be taken as a fact about it.
    stat = (corpus / "later.txt").stat()
    (corpus / "later.txt").write_bytes(text)
    os.utime(corpus / "later.txt", ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert ws.staleness() is None          # the app does not re-index at every start for it
    summary = ws.update_index()            # but `index` reads it again
    assert summary.skipped == 0 and titles(ws) == ["Alpha", "Later"]
    ws.close()


def test_the_stale_check_walks_the_corpus_once(tmp_path, monkeypatch):
    corpus = tmp_path / "c"
    write(corpus, "a.txt", "Alpha", "About alpha.")
    ws = workspace(tmp_path, corpus)
    ws.update_index()
    write(corpus, "b.txt", "Beta", "About beta.")
    walks = []
    real_walk = build.walk

    def counted(path, *limits):
        walks.append(path)
        return real_walk(path, *limits)
    monkeypatch.setattr(build, "walk", counted)
    summary = ws.ensure_index()
    assert summary.added == 1 and len(walks) == 1
    assert ws.ensure_index() is None and len(walks) == 2
    ws.close()


def test_dry_run_prints_the_plan_and_writes_nothing(tmp_path, capsys):
    corpus = tmp_path / "c"
    write(corpus, "a.txt", "Alpha", "About alpha.")
    write(corpus, "b.txt", "Beta", "About beta.")
    base = ["--config", str(ROOT / "config.yaml"), "--corpus", str(corpus),
            "--index", str(tmp_path / "ix"), "--data", str(tmp_path / "data")]
    assert main([*base, "index"]) == 0
    write(corpus, "c.txt", "Gamma", "About gamma.")
    shutil.copy(corpus / "b.txt", corpus / "0b.txt")
    (corpus / "a.txt").unlink()
    before = sorted(os.listdir(tmp_path / "ix"))
    capsys.readouterr()
    assert main([*base, "index", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "files: 2 to read, 0 to retry, 1 removed, 1 unchanged" in out
    assert "add: 1" in out and "c.txt" in out and "re-tag: 1" in out and "remove: 1" in out
    assert sorted(os.listdir(tmp_path / "ix")) == before
    assert main([*base, "index", "--dry-run", "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert [a["path"] for a in plan["add"]] == ["c.txt"] and len(plan["remove"]) == 1
    assert main([*base, "index"]) == 0
    assert "1 added, 1 updated, 1 removed" in capsys.readouterr().out


LIMITED = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # a write past the limit fails with EFBIG
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from explorer.cli import main
sys.exit(main(sys.argv[2:]))
"""


def limited(tmp_path, corpus, limit, *args):
    """The command line in a process that cannot write files larger than `limit` bytes: a
    disk that fills up, as far as the index is concerned."""
    return subprocess.run([sys.executable, "-c", LIMITED, str(limit), "--config",
                           str(ROOT / "config.yaml"), "--corpus", str(corpus),
                           "--index", str(tmp_path / "ix"), "--data", str(tmp_path / "data"),
                           *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


@pytest.mark.skipif(not hasattr(os, "setpgid") or sys.platform == "darwin",
                    reason="RLIMIT_FSIZE and SIGXFSZ as on Linux")
def test_a_full_disk_is_one_line_and_the_old_index_still_serves(tmp_path):
    corpus = tmp_path / "c"
    shutil.copytree(SEEDS, corpus)
    ws = workspace(tmp_path, corpus)
    ws.update_index()
    before = titles(ws)
    generation = latest_generation(tmp_path / "ix")
    words = " ".join(f"word{n}" for n in range(60000))
    write(corpus, "big.txt", "A very long story", words)

    done = limited(tmp_path, corpus, 200_000, "index")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    (line,) = done.stderr.splitlines()
    assert str(tmp_path / "ix") in line and "cannot write the index" in line
    assert latest_generation(tmp_path / "ix") == generation

    done = limited(tmp_path, corpus, 200_000, "search", "", "--json")
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert "cannot write the index" in done.stderr
    assert sorted(h["title"] for h in json.loads(done.stdout)) == before

    ws.close()
    ws = workspace(tmp_path, corpus)
    assert titles(ws) == before                      # nothing lost
    ws.update_index()                                # room again: it goes in
    assert "A very long story" in titles(ws)
    assert not [n for n in os.listdir(tmp_path / "ix") if n.endswith(".tmp")]
    ws.close()


def test_an_index_path_that_cannot_be_made_is_one_line(tmp_path, capsys):
    (tmp_path / "afile").write_text("x")
    base = ["--config", str(ROOT / "config.yaml"), "--corpus", str(SEEDS),
            "--index", str(tmp_path / "afile" / "ix"), "--data", str(tmp_path / "data")]
    for args in (["index"], ["search", "oil"], ["index", "--rebuild"]):
        assert main([*base, *args]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "afile" in err and "Traceback" not in err


def test_a_reader_start_cleans_what_a_killed_writer_left(tmp_path, capsys):
    corpus = tmp_path / "c"
    write(corpus, "a.txt", "Alpha", "About alpha.")
    base = ["--config", str(ROOT / "config.yaml"), "--corpus", str(corpus),
            "--index", str(tmp_path / "ix"), "--data", str(tmp_path / "data")]
    assert main([*base, "index"]) == 0
    index = tmp_path / "ix"
    generation = latest_generation(index)
    # The names a writer killed mid-commit leaves: Whoosh's pool folder, a table of contents
    # being written, the manifest of a generation never committed, a temporary manifest.
    (index / "MAIN.tmp").mkdir()
    (index / "MAIN.tmp" / "run_1.pst").write_bytes(b"x")
    (index / f"_MAIN_{generation + 1}.toc.1733000000.5").write_bytes(b"x")
    (index / f"manifest_{generation + 1}.json").write_text("{}")
    (index / f".manifest_{generation + 1}.json.abc.tmp").write_text("{")
    capsys.readouterr()
    assert main([*base, "search", "alpha", "--json"]) == 0
    assert [h["title"] for h in json.loads(capsys.readouterr().out)] == ["Alpha"]
    left = [n for n in os.listdir(index) if n.endswith(".tmp") or ".toc." in n
            or n == f"manifest_{generation + 1}.json"]
    assert left == [] and latest_generation(index) == generation
