"""Stable ids: an article keeps its id while any copy of it remains in the corpus (issue 14).

Each case is what a user does to a corpus folder: add a duplicate that sorts first, remove the
file that first gave the id, remove a file whose byte-identical copy remains, edit a file in
place. Kept quotes and saved searches hold ids, so an id that moves orphans a quote and counts
an old story as new.
"""

from __future__ import annotations

import json
import os
import shutil

import pytest

from explorer.cli import main
from tests.conftest import CORPORA, ROOT, needs_corpora


class Folder:
    """A corpus, its index and data folders, driven through the command line."""

    def __init__(self, tmp_path, corpus=None):
        self.corpus = corpus or tmp_path / "c"
        self.index, self.data = tmp_path / "ix", tmp_path / "data"

    def run(self, capsys, *args) -> tuple[int, str, str]:
        status = main(["--config", str(ROOT / "config.yaml"), "--corpus", str(self.corpus),
                       "--index", str(self.index), "--data", str(self.data), *args])
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        return status, out, err

    def ids(self, capsys) -> dict[str, str]:
        """path -> id of every indexed article (duplicates too: each path a copy is at)."""
        status, out, err = self.run(capsys, "search", "", "--json", "--limit", "100000")
        assert status == 0, err
        found: dict[str, str] = {}
        for hit in json.loads(out):
            found[hit["path"]] = hit["id"]
            status, shown, _ = self.run(capsys, "show", hit["id"], "--json")
            for path in json.loads(shown)["duplicates"]:
                found[path] = hit["id"]
        return found

    def write(self, rel: str, title: str, body: str, mtime: int | None = None) -> None:
        path = self.corpus / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
        if mtime is not None:
            os.utime(path, ns=(mtime, mtime))


@pytest.fixture
def folder(tmp_path, capsys):
    f = Folder(tmp_path)
    f.write("politics/005.txt", "Blair speech", "The prime minister spoke on Tuesday.")
    f.write("politics/359.txt", "Blair speech", "The prime minister spoke on Tuesday.")
    f.write("tech/001.txt", "Chip makers", "Chip makers sold more chips.")
    f.write("tech/002.txt", "Phone sales", "Phone sales rose in the spring.")
    assert f.run(capsys, "index")[0] == 0
    return f


def test_a_duplicate_that_sorts_first_keeps_the_id(folder, capsys):
    before = folder.ids(capsys)
    shutil.copy(folder.corpus / "politics/005.txt", folder.corpus / "0copy.txt")
    (folder.corpus / "0copy").mkdir()
    shutil.copy(folder.corpus / "tech/001.txt", folder.corpus / "0copy/rep.txt")
    assert folder.run(capsys, "index")[0] == 0
    after = folder.ids(capsys)
    assert after["0copy.txt"] == after["politics/005.txt"] == before["politics/005.txt"]
    assert after["0copy/rep.txt"] == after["tech/001.txt"] == before["tech/001.txt"]
    status, out, _ = folder.run(capsys, "show", before["tech/001.txt"], "--json")
    assert status == 0 and json.loads(out)["title"] == "Chip makers"


def test_removing_the_file_that_gave_the_id_keeps_it_for_its_copy(folder, capsys):
    before = folder.ids(capsys)
    (folder.corpus / "politics/005.txt").unlink()
    assert folder.run(capsys, "index")[0] == 0
    after = folder.ids(capsys)
    assert after["politics/359.txt"] == before["politics/005.txt"]
    assert after == {k: v for k, v in before.items() if k != "politics/005.txt"}


def test_removing_the_copy_keeps_the_id(folder, capsys):
    before = folder.ids(capsys)
    (folder.corpus / "politics/359.txt").unlink()
    assert folder.run(capsys, "index")[0] == 0
    assert folder.ids(capsys) == {k: v for k, v in before.items() if k != "politics/359.txt"}


def test_editing_a_file_in_place_keeps_its_id(folder, capsys):
    before = folder.ids(capsys)
    folder.write("tech/002.txt", "Phone sales", "Phone sales rose in the spring, and more.",
                 mtime=10**18)
    assert folder.run(capsys, "index")[0] == 0
    after = folder.ids(capsys)
    assert after == before
    status, out, _ = folder.run(capsys, "show", before["tech/002.txt"], "--json")
    assert "and more" in json.loads(out)["body"]


def test_editing_one_of_two_copies_leaves_the_id_with_the_unchanged_copy(folder, capsys):
    before = folder.ids(capsys)
    folder.write("politics/005.txt", "Blair speech", "The prime minister spoke on Monday.",
                 mtime=10**18)
    assert folder.run(capsys, "index")[0] == 0
    after = folder.ids(capsys)
    # The old text still exists (politics/359.txt): it keeps the id; the edited file is a new
    # article with an id no other article had.
    assert after["politics/359.txt"] == before["politics/005.txt"]
    assert after["politics/005.txt"] not in before.values()
    assert after["tech/001.txt"] == before["tech/001.txt"]


def test_ids_survive_a_rebuild_after_they_moved_away_from_the_path(folder, capsys):
    (folder.corpus / "0copy").mkdir()
    shutil.copy(folder.corpus / "tech/001.txt", folder.corpus / "0copy/rep.txt")
    (folder.corpus / "politics/005.txt").unlink()
    assert folder.run(capsys, "index")[0] == 0
    before = folder.ids(capsys)
    assert folder.run(capsys, "index", "--rebuild")[0] == 0
    assert folder.ids(capsys) == before


def test_a_kept_quote_and_a_saved_search_survive_a_duplicate_that_sorts_first(folder, capsys):
    ids = folder.ids(capsys)
    status, _, err = folder.run(capsys, "quotes", "add", ids["tech/001.txt"],
                               "--text", "Chip makers sold")
    assert status == 0, err
    assert folder.run(capsys, "saved", "add", "chips", "chips")[0] == 0
    assert folder.run(capsys, "saved", "run", "chips")[0] == 0
    (folder.corpus / "0copy").mkdir()
    shutil.copy(folder.corpus / "tech/001.txt", folder.corpus / "0copy/rep.txt")
    assert folder.run(capsys, "index")[0] == 0
    status, out, _ = folder.run(capsys, "quotes", "list", "--json")
    (quote,) = json.loads(out)
    assert quote["status"] != "orphaned" and quote["article_id"] == ids["tech/001.txt"]
    status, out, _ = folder.run(capsys, "saved", "list", "--json")
    (saved,) = json.loads(out)
    assert saved["new"] == 0


def _legacy_manifest(folder) -> None:
    """Turn the index's manifest into the one the code before stable ids wrote (manifest.json:
    an article's id was its own file's, the first copy by path the one indexed)."""
    from explorer.index.manifest import read_manifest

    manifest = read_manifest(folder.index)
    legacy = {key: manifest[key] for key in ("schema", "corpus", "annotator", "walk_skips",
                                             "duplicates", "articles")}
    legacy["files"] = manifest["files"]
    for name in os.listdir(folder.index):
        if name.startswith("manifest"):
            os.unlink(folder.index / name)
    (folder.index / "manifest.json").write_text(json.dumps(legacy))


def test_an_index_from_before_stable_ids_keeps_its_ids(folder, capsys):
    before = folder.ids(capsys)
    _legacy_manifest(folder)
    assert folder.ids(capsys) == before
    (folder.corpus / "0copy").mkdir()
    shutil.copy(folder.corpus / "tech/001.txt", folder.corpus / "0copy/rep.txt")
    assert folder.run(capsys, "index")[0] == 0
    assert folder.ids(capsys)["0copy/rep.txt"] == before["tech/001.txt"]
    assert not (folder.index / "manifest.json").exists()


@needs_corpora("bbc", "politics")
def test_bbc_duplicates_keep_their_ids(tmp_path, capsys):
    corpus = tmp_path / "bbc"
    (corpus / "politics").mkdir(parents=True)
    for number in range(1, 61):
        shutil.copy(CORPORA / "bbc" / "politics" / f"{number:03}.txt", corpus / "politics")
    shutil.copy(CORPORA / "bbc" / "politics" / "359.txt", corpus / "politics")
    assert (corpus / "politics/005.txt").read_bytes() == (corpus / "politics/359.txt").read_bytes()
    f = Folder(tmp_path, corpus)
    assert f.run(capsys, "index")[0] == 0
    before = f.ids(capsys)
    assert before["politics/005.txt"] == before["politics/359.txt"]

    (corpus / "0copy").mkdir()
    shutil.copy(corpus / "politics/010.txt", corpus / "0copy/rep.txt")
    assert f.run(capsys, "index")[0] == 0
    after = f.ids(capsys)
    assert after["0copy/rep.txt"] == before["politics/010.txt"]
    assert {k: after[k] for k in before} == before

    (corpus / "politics/005.txt").unlink()
    assert f.run(capsys, "index")[0] == 0
    assert f.ids(capsys)["politics/359.txt"] == before["politics/005.txt"]
