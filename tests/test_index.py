"""Building and updating the index: incremental, duplicates, schema changes, interrupted runs."""

import os

import pytest

from explorer.index.build import update_index
from explorer.index.folder import latest_generation
from explorer.index.manifest import read_manifest, write_manifest
from explorer.search.article_index import ArticleIndex, SearchRequest


def titles(index_dir, text=""):
    ix = ArticleIndex(index_dir)
    try:
        return sorted(h.title for h in ix.search(SearchRequest(text, limit=None)).hits)
    finally:
        ix.close()


def write(folder, name, title, body):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{title}\n\n{body}\n")
    return path


def test_incremental_update_reads_only_changed_files(tmp_path):
    corpus, index = tmp_path / "c", tmp_path / "i"
    write(corpus, "a.txt", "Alpha story", "About alpha.")
    write(corpus, "b.txt", "Beta story", "About beta.")
    first = update_index(corpus, index)
    assert (first.added, first.articles) == (2, 2)

    again = update_index(corpus, index)
    assert not again.changed

    path = write(corpus, "b.txt", "Beta story revised", "About beta, revised at length.")
    os.utime(path, ns=(1, 1))
    write(corpus, "c.txt", "Gamma story", "About gamma.")
    (corpus / "a.txt").unlink()
    third = update_index(corpus, index)
    assert (third.added, third.updated, third.removed) == (1, 1, 1)
    assert titles(index) == ["Beta story revised", "Gamma story"]


def test_duplicates_are_indexed_once_and_promoted_when_the_first_goes(tmp_path):
    corpus, index = tmp_path / "c", tmp_path / "i"
    write(corpus, "a.txt", "Same story", "Identical   body text.")
    write(corpus, "b.txt", "Same story", "Identical body text.")
    summary = update_index(corpus, index)
    assert (summary.articles, summary.duplicates) == (1, 1)
    ix = ArticleIndex(index)
    (hit,) = ix.search(SearchRequest("identical")).hits
    assert ix.article(hit.id).duplicates == ("b.txt",)
    ix.close()

    (corpus / "a.txt").unlink()
    summary = update_index(corpus, index)
    assert (summary.articles, summary.duplicates) == (1, 0)
    ix = ArticleIndex(index)
    (hit,) = ix.search(SearchRequest("identical")).hits
    assert hit.path == "b.txt"
    ix.close()


def test_older_schema_is_rebuilt_with_a_reason(tmp_path):
    corpus, index = tmp_path / "c", tmp_path / "i"
    write(corpus, "a.txt", "Alpha story", "About alpha.")
    update_index(corpus, index)
    manifest = read_manifest(index)
    manifest["schema"] = -1
    write_manifest(index, latest_generation(index), manifest)
    summary = update_index(corpus, index)
    assert summary.rebuilt and "older version" in summary.rebuilt
    assert titles(index) == ["Alpha story"]


def test_a_run_killed_half_way_leaves_the_last_commit_usable(tmp_path, monkeypatch):
    corpus, index = tmp_path / "c", tmp_path / "i"
    write(corpus, "a.txt", "Alpha story", "About alpha.")
    update_index(corpus, index)
    write(corpus, "b.txt", "Beta story", "About beta.")

    def die(phase, done, total):
        if phase == "indexing":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        update_index(corpus, index, progress=die)
    assert titles(index) == ["Alpha story"]
    summary = update_index(corpus, index)
    assert summary.added == 1
    assert titles(index) == ["Alpha story", "Beta story"]
