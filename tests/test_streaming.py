"""Indexing streams its articles: the plan keeps no article text, the writers get the articles
one at a time, read again from their files; a JSON Lines file is read line by line to what its
whole text gave. (docs/performance.md, memory.)"""

import gc
import json

from explorer.index.build import dry_run, update_index
from explorer.index.manifest import read_manifest
from explorer.ingest.articles import Article
from explorer.ingest.corpus import Rereader, read_file, scan_file, walk
from explorer.search.article_index import ArticleIndex, SearchRequest

COUNT = 600


def live_articles() -> int:
    return sum(1 for o in gc.get_objects() if type(o) is Article)


def write_jsonl(path, count=COUNT, word="harbour"):
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            out.write(json.dumps({"id": f"r{n}", "title": f"Story {n} about {word}s",
                                  "body": f"Body of story {n}. " * 20,
                                  "date": "2024-01-02"}) + "\n")


class Counting:
    """An annotator that counts the Article objects alive while the documents are made."""

    fingerprint = "counting"

    def __init__(self):
        self.calls, self.most = 0, 0

    def annotate(self, article):
        self.calls += 1
        if self.calls % 100 == 0:
            self.most = max(self.most, live_articles())
        return {}


def test_the_plan_keeps_no_article(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    write_jsonl(corpus / "news.jsonl")
    (corpus / "a.txt").write_text("A story\n\nAbout a harbour.\n")
    gc.collect()
    before = live_articles()
    plan = dry_run(corpus, tmp_path / "i")
    gc.collect()
    assert len(plan.add) == COUNT + 1
    assert live_articles() == before          # not one article held by the plan


def test_the_writers_get_the_articles_one_at_a_time(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    write_jsonl(corpus / "news.jsonl")
    counting = Counting()
    summary = update_index(corpus, tmp_path / "i", annotator=counting)
    assert summary.added == COUNT and counting.calls == COUNT
    assert 0 < counting.most < 50           # holding them all would be 600 and more


def test_articles_read_again_are_those_planned(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    # Two records share an id (the second is 'news.jsonl#r1~2'), one has none (its line
    # number), a copy of another text is a duplicate, a lone CR ends a line.
    lines = [{"id": "r1", "title": "First", "body": "One."},
             {"id": "r1", "title": "Second", "body": "Two."},
             {"title": "Third", "body": "Three."},
             {"id": "r4", "title": "First", "body": "One."}]
    text = "\n".join(json.dumps(r) for r in lines[:3]) + "\r" + json.dumps(lines[3]) + "\n"
    (corpus / "news.jsonl").write_text(text, encoding="utf-8")
    summary = update_index(corpus, tmp_path / "i")
    assert (summary.articles, summary.duplicates) == (3, 1)
    ix = ArticleIndex(tmp_path / "i")
    try:
        hits = ix.search(SearchRequest("", limit=None)).hits
        by_title = {h.title: ix.article(h.id) for h in hits}
    finally:
        ix.close()
    assert by_title["Second"].path == "news.jsonl#r1~2" and by_title["Second"].body == "Two."
    assert by_title["Third"].path == "news.jsonl#3"
    assert by_title["First"].duplicates == ("news.jsonl#r4",)


def test_a_jsonl_file_read_by_lines_gives_what_its_whole_text_gave(tmp_path):
    # cp1252 (not UTF-8): the whole file is read as cp1252; U+2028 ends a line in a UTF-8
    # file as str.splitlines says, so the line numbers of the notes are the same as before.
    old = tmp_path / "old.jsonl"
    old.write_bytes(b'{"id":"a","title":"caf\xe9","body":"\x93quoted\x94"}\n\n'
                    b'{"title":\n{"id":"a","title":"x","body":"y"}\n')
    split = tmp_path / "split.jsonl"
    split.write_text('{"title":"x","body":"y\u2028z"}\n{"title":"t","body":"u"}\n',
                     encoding="utf-8")
    [f], _ = walk(old)
    contents = read_file(f)
    assert [a.title for a in contents.articles] == ["caf\u00e9", "x"]
    assert contents.articles[0].body == "\u201cquoted\u201d"
    assert [s.reason for s in contents.skips] == [
        "3: Expecting value",
        "line 4: its id is also that of line 1: indexed as 'old.jsonl#a~2'"]
    [g], _ = walk(split)
    assert [s.reason.split(":")[0] for s in read_file(g).skips] == ["1", "2"]
    assert [a.path for a in read_file(g).articles] == ["split.jsonl#3"]
    # Each article read alone again at its start is the one the scan gave.
    for file in (f, g):
        found = []
        scanned = scan_file(file, lambda article, start: found.append((article, start)))
        again = Rereader()
        try:
            assert [again.article(scanned, start, a.path) for a, start in found] == \
                [a for a, _ in found]
        finally:
            again.close()


def test_a_file_changed_between_the_plan_and_the_write_is_planned_again(tmp_path):
    corpus, index = tmp_path / "c", tmp_path / "i"
    corpus.mkdir()
    path = corpus / "news.jsonl"
    write_jsonl(path, 30)
    changed = []

    def progress(phase, done, total):
        if phase == "reading" and not changed:      # after the first read, before the write
            changed.append(True)
            write_jsonl(path, 40, word="lighthouse")

    summary = update_index(corpus, index, progress=progress)
    assert summary.articles == 40
    ix = ArticleIndex(index)
    try:
        assert ix.search(SearchRequest("lighthouses", limit=None)).total == 40
        assert ix.search(SearchRequest("harbours", limit=None)).total == 0
    finally:
        ix.close()
    assert read_manifest(index)["articles"] == 40
