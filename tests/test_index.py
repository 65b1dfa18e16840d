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


def test_an_update_with_nothing_to_do_reads_only_the_manifest_head(tmp_path):
    """The manifest's head (signatures, skips, counts) is its first line: an update that finds
    nothing to do reads only that, and says what a full read would say."""
    import json

    from explorer.index.folder import manifest_path

    corpus, index = tmp_path / "c", tmp_path / "i"
    write(corpus, "a.txt", "Same story", "Identical body text.")
    write(corpus, "b.txt", "Same story", "Identical body text.")
    write(corpus, "c.txt", "Other story", "Another body.")
    (corpus / "d.bin").write_bytes(b"\0\1")
    first = update_index(corpus, index)
    path = manifest_path(index, latest_generation(index))
    head_line, body_line = path.read_text().splitlines()
    head = json.loads(head_line)
    assert "ids" not in head and all("articles" not in f for f in head["files"].values())
    assert read_manifest(index, head=True) == head
    whole = read_manifest(index)
    assert len(whole["ids"]) == 2 and whole["files"]["a.txt"]["articles"]

    path.write_text(head_line + "\n" + body_line[: len(body_line) // 2] + "\n")  # body cut
    again = update_index(corpus, index)
    assert (again.added, again.updated, again.removed, again.rebuilt) == (0, 0, 0, None)
    assert (again.articles, again.duplicates, again.skips) == \
        (first.articles, first.duplicates, first.skips) == (2, 1, first.skips)
    assert first.skips and read_manifest(index) is None      # untouched, and not read whole

    write(corpus, "e.txt", "New story", "Fresh body.")       # work to do: the whole is needed
    third = update_index(corpus, index)
    assert third.rebuilt == "the index has no manifest" and third.articles == 3
    assert read_manifest(index)["files"]["e.txt"]["articles"]


def test_a_manifest_of_the_format_before_is_read_and_rewritten(tmp_path):
    import json

    from explorer.index.folder import manifest_path

    corpus, index = tmp_path / "c", tmp_path / "i"
    write(corpus, "a.txt", "Alpha story", "About alpha.")
    update_index(corpus, index)
    path = manifest_path(index, latest_generation(index))
    old = {**read_manifest(index), "format": 2}
    path.write_text(json.dumps(old))                         # one JSON document, as before
    assert read_manifest(index) == old and read_manifest(index, head=True) == old
    assert update_index(corpus, index).articles == 1         # rewritten as it is now
    assert read_manifest(index, head=True)["format"] == 3 and "ids" not in \
        read_manifest(index, head=True)
    write(corpus, "b.txt", "Beta story", "About beta.")
    summary = update_index(corpus, index)
    assert (summary.added, summary.rebuilt) == (1, None)
    now = manifest_path(index, latest_generation(index))
    assert len(now.read_text().splitlines()) == 2 and read_manifest(index)["format"] == 3
    assert titles(index) == ["Alpha story", "Beta story"]
