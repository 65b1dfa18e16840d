"""A re-index with nothing changed answers from the manifest and leaves the index untouched."""

from explorer.index.build import update_index
from explorer.search.article_index import ArticleIndex, SearchRequest


def _write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(text)


def test_nothing_changed_means_no_new_index_generation(tmp_path):
    corpus, index = tmp_path / "c", tmp_path / "i"
    _write(corpus, "a.txt", b"Alpha story\n\nAbout alpha.\n")
    _write(corpus, "b.txt", b"Alpha story\n\nAbout alpha.\n")
    _write(corpus, "empty.txt", b"")
    first = update_index(corpus, index)
    tocs = sorted(p.name for p in index.glob("*.toc"))

    again = update_index(corpus, index)
    assert not again.changed
    assert (again.articles, again.duplicates, again.skipped) == (1, 1, 1)
    assert again.skips == first.skips
    assert sorted(p.name for p in index.glob("*.toc")) == tocs

    # An unsupported file is only a skip: listed at once, still without a new generation.
    _write(corpus, "notes.pdf", b"%PDF")
    third = update_index(corpus, index)
    assert third.skipped == 2 and any(path == "notes.pdf" for path, _ in third.skips)
    assert sorted(p.name for p in index.glob("*.toc")) == tocs
    ix = ArticleIndex(index)
    assert ix.search(SearchRequest("alpha")).total == 1
    ix.close()
