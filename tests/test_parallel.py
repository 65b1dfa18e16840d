"""A large write is split into parts written by worker processes: the index must be the same as
when one process writes the parts (explorer/index/parallel.py), entity tags included."""

from __future__ import annotations

import json
import random
import shutil

import pytest

from explorer.config import load_config
from explorer.index import parallel
from explorer.index.build import update_index
from explorer.index.whoosh_internals import open_index
from explorer.search.article_index import ArticleIndex, SearchRequest
from explorer.workspace import Workspace

from tests.conftest import ROOT, SEEDS

QUERIES = ["openai", "scale ai", '"chief executive"', '"of the"', '"said the company"',
           "the AND said", "meta OR google",
           "market NOT oil", "entity:openai", "date:[2025-01-01 to 2025-12-31]", "price*",
           "sayd~", ""]


_IN_PROCESSES = parallel._in_processes


def _synthetic(folder, count: int = 60) -> None:
    """Seeds plus small articles built from their sentences (and some duplicates)."""
    shutil.copytree(SEEDS, folder)
    rng = random.Random(5)
    words = " ".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in sorted(SEEDS.rglob("*.txt"))).split()
    with (folder / "extra.jsonl").open("w", encoding="utf-8") as out:
        for n in range(count):
            body = " ".join(rng.choice(words) for _ in range(rng.randint(20, 120)))
            if n % 7 == 0:
                body += " Sam Altman of OpenAI met Alexandr Wang of Scale AI in Paris."
            record = {"id": f"x{n}", "title": f"Story {n % 50}",
                      "body": body if n < 55 else "duplicate " * 3,
                      "date": f"2025-{1 + n % 12:02d}-{1 + n % 27:02d}"}
            out.write(json.dumps(record) + "\n")


def _index(tmp_path, corpus, name: str, cores: int, monkeypatch, spy: list) -> Workspace:
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 10)
    monkeypatch.setattr(parallel, "BATCH", 3)
    monkeypatch.setattr(parallel, "usable_cores", lambda: cores)
    def counted(*args, **kwargs):
        spy.append(name)
        return _IN_PROCESSES(*args, **kwargs)

    monkeypatch.setattr(parallel, "_in_processes", counted)
    config = load_config(str(ROOT / "config.yaml"), corpus=corpus, index=tmp_path / name,
                         data=tmp_path / f"data-{name}")
    workspace = Workspace(config)
    workspace.update_index()
    return workspace


def _contents(index_dir) -> tuple:
    """Everything a reader sees: stored documents in document order, every term's postings."""
    ix = open_index(index_dir)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        stored = list(reader.all_stored_fields())
        postings = {}
        for fieldname, text in reader.all_terms():
            matcher = reader.postings(fieldname, text)
            postings[fieldname, text] = list(matcher.all_items())
        segments = len(ix._segments())
    return stored, postings, segments


def _answers(workspace) -> list:
    found = []
    for text in QUERIES:
        results = workspace.search(SearchRequest(text, limit=200))
        found.append((text, results.total, [(h.id, h.score and round(h.score, 9), h.entities)
                                            for h in results.hits]))
    return found


def test_two_processes_write_the_index_one_process_writes(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    _synthetic(corpus)
    forked: list[str] = []
    one = _index(tmp_path, corpus, "one-core", 1, monkeypatch, forked)
    two = _index(tmp_path, corpus, "two-cores", 2, monkeypatch, forked)
    assert forked == ["two-cores"], "the two-core build did not fork its workers"

    stored_one, postings_one, segments_one = _contents(tmp_path / "one-core")
    stored_two, postings_two, segments_two = _contents(tmp_path / "two-cores")
    assert segments_one == segments_two == parallel.PARTS
    assert len(stored_one) > 55
    assert stored_one == stored_two
    assert postings_one == postings_two
    assert sum(field == "body_pairs" for field, _ in postings_two) > 500    # the pair field too
    assert any(f["entity"] for f in stored_two), "entity tagging ran in the workers"
    assert _answers(one) == _answers(two)

    # An edit afterwards (a small write, in one segment) keeps them the same.
    for name in ("one-core", "two-cores"):
        (corpus / "late.txt").write_text("Late story\n\nOpenAI said the market rose.\n")
        update_index(corpus, tmp_path / name)
    one.close(), two.close()
    assert _answers(one) == _answers(two)
    assert _contents(tmp_path / "one-core")[:2] == _contents(tmp_path / "two-cores")[:2]
    one.close(), two.close()


def test_a_failing_worker_fails_the_write_and_leaves_the_index(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    _synthetic(corpus)
    index_dir = tmp_path / "ix"
    update_index(corpus, index_dir)
    before = ArticleIndex(index_dir)
    total = before.search(SearchRequest("")).total
    before.close()
    extra = corpus / "extra.jsonl"
    extra.write_text(extra.read_text().replace('"Story ', '"Tale '))   # every article changes

    monkeypatch.setattr(parallel, "PARALLEL_MIN", 10)
    monkeypatch.setattr(parallel, "usable_cores", lambda: 2)

    def broken(article, dups):
        if article.title == "Tale 7":
            raise ValueError("tagger broke")
        return {"id": article.id, "title": article.title, "body": article.body}

    real = parallel.write_documents
    monkeypatch.setattr("explorer.index.build.write_documents",
                        lambda writer, items, count, make, *a, **k: real(writer, items, count,
                                                                         broken, *a, **k))
    with pytest.raises(RuntimeError, match="tagger broke"):
        update_index(corpus, index_dir, rebuild=False)
    after = ArticleIndex(index_dir)
    assert after.search(SearchRequest("")).total == total
    after.close()
    assert not [p for p in index_dir.iterdir() if p.name.endswith(".tmp")]


def test_full_collections_wait_while_documents_are_written(tmp_path):
    """The posting pool's containers live until the commit: while documents are added the
    collector skips its full passes over them (explorer/loading.py), and is itself again after."""
    import gc

    before = gc.get_threshold()
    seen = []

    class Writer:
        def add_document(self, **fields):
            pass

    def make_document(article, dups):
        seen.append(gc.get_threshold())
        return {}

    parallel.write_documents(Writer(), [("a", ()), ("b", ())], 2, make_document,
                             lambda part: None, lambda *args: None)
    assert seen and all(t[:2] == before[:2] and t[2] > 10 ** 6 for t in seen)
    assert gc.get_threshold() == before
