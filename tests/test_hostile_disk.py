"""A full disk or an unwritable file: one line naming the path, exit 2, no traceback, nothing
lost (the old index still answers, user files keep their content).

The disk fills up for real in a child process: RLIMIT_FSIZE caps the size of any file it writes
(SIGXFSZ ignored, so a write past the cap fails with EFBIG as a full disk fails with ENOSPC).
Where this machine lets us mount one, a tiny tmpfs gives a true ENOSPC too."""

import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys

import pytest

from explorer.cli import main
from tests.conftest import ROOT


def run_capped(cap_bytes: int, *args: str) -> subprocess.CompletedProcess:
    def cap():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (cap_bytes, cap_bytes))

    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "explorer", *args], preexec_fn=cap, env=env,
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


def one_line(result: subprocess.CompletedProcess, path) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"news-explorer: {path}"), line
    return line


@pytest.fixture
def folders(tmp_path, seeds_copy, capsys):
    config = tmp_path / "config.yaml"
    config.write_text(f"corpus: {seeds_copy}\nindex: {tmp_path / 'ix'}\n"
                      f"data: {tmp_path / 'data'}\n")
    assert main(["--config", str(config), "index"]) == 0
    capsys.readouterr()
    return config, seeds_copy, tmp_path


def big_story(corpus, words: int = 8_000) -> None:
    rng = random.Random(7)
    vocabulary = "oil price market trade bank rate growth export".split()
    (corpus / "big.txt").write_text("A big story\n\n" + " ".join(
        f"{rng.choice(vocabulary)}{rng.randrange(100_000)}" for _ in range(words)))


def test_index_search_and_stats_on_a_full_disk(folders, capsys):
    config, corpus, tmp = folders
    big_story(corpus)
    line = one_line(run_capped(20_000, "--config", str(config), "index"), tmp / "ix")
    assert ": cannot write the index: File too large" in line
    # A read command says so in one line and answers from the index as it was.
    for command in (["search", "oil", "--json"], ["stats", "--json"]):
        result = run_capped(20_000, "--config", str(config), *command)
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
        (note,) = result.stderr.splitlines()
        assert ": cannot write the index: File too large" in note
        json.loads(result.stdout)
    # nothing lost: the old index answers, and with room again the update goes through
    assert main(["--config", str(config), "search", "", "--json", "--limit", "5"]) == 0
    capsys.readouterr()
    assert main(["--config", str(config), "index", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["articles"] == 3


def test_user_files_on_a_full_disk_keep_their_content(folders, capsys):
    config, _, tmp = folders
    assert main(["--config", str(config), "search", "Friar", "--json"]) == 0
    article_id = json.loads(capsys.readouterr().out)[0]["id"]
    assert main(["--config", str(config), "quotes", "add", article_id, "--text",
                 "Sarah Friar"]) == 0
    quotes = tmp / "data" / "quotes.yaml"
    before = quotes.read_text()
    line = one_line(run_capped(100, "--config", str(config), "quotes", "add", article_id,
                               "--text", "OpenAI"), quotes)
    assert line.endswith("cannot write: File too large")
    assert quotes.read_text() == before
    assert [p.name for p in quotes.parent.iterdir() if p.name.endswith(".tmp")] == []

    entities = tmp / "data" / "entities.yaml"
    one_line(run_capped(100, "--config", str(config), "alias", "OpenAI", "Open A.I. Corp"),
             entities)
    assert not entities.exists()


@pytest.fixture
def tiny_disk(tmp_path):
    """A 512 KB tmpfs (skipped where mounting is not allowed): room for the seeds' index
    (about twice its 140 KB while it is written), not for a big story's."""
    mount = tmp_path / "disk"
    mount.mkdir()
    mounted = shutil.which("mount") and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(mount)],
        capture_output=True).returncode == 0
    if not mounted:
        pytest.skip("cannot mount a tmpfs here")
    yield mount
    subprocess.run(["umount", "--lazy", str(mount)], check=True)   # Whoosh may hold a file


def test_no_space_left_on_device(tiny_disk, folders, capsys):
    config, corpus, _ = folders
    index = tiny_disk / "ix"
    assert main(["--config", str(config), "--index", str(index), "index"]) == 0
    big_story(corpus)
    status = main(["--config", str(config), "--index", str(index), "index"])
    out, err = capsys.readouterr()
    assert status == 2 and "Traceback" not in err
    (line,) = err.splitlines()
    assert line.startswith(f"news-explorer: {index}") and "No space left on device" in line
    (corpus / "big.txt").unlink()
    assert main(["--config", str(config), "--index", str(index), "search", "", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2
