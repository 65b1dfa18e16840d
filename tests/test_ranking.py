"""explorer/search/ranking.py gives the documents and scores Whoosh's own searcher gives."""

import random
import re
import shutil

import pytest

from explorer.index.build import update_index
from explorer.search.ranking import Ranker
from explorer.search.article_index import ArticleIndex, SearchRequest
from tests.conftest import CORPORA, SEEDS, needs_corpora

SHAPES = ["{a}", "{a} {b}", "{a} OR {b}", "{a} AND NOT {b}", "({a} OR {b}) {c}", "NOT {a}",
          "{a}^3 {b}", '"{p}"', '"{p}" {a}', "title:{a}", "{a} -{b} OR {c}"]


def queries(texts: list[str], count: int, seed: int = 5) -> list[str]:
    rng = random.Random(seed)
    words = [w.lower() for text in texts for w in re.findall(r"[A-Za-z]{3,}", text)]
    bodies = [re.findall(r"[A-Za-z]+", text) for text in texts]
    bodies = [b for b in bodies if len(b) > 4]
    found = []
    for number in range(count):
        body = rng.choice(bodies)
        at = rng.randrange(len(body) - 3)
        phrase = " ".join(body[at:at + rng.choice((2, 3))]).lower()
        found.append(SHAPES[number % len(SHAPES)].format(
            a=rng.choice(words), b=rng.choice(words), c=rng.choice(words), p=phrase))
    return found


def check_same_as_whoosh(ix: ArticleIndex, texts: list[str]) -> int:
    ranker = Ranker(ix.searcher)
    checked = 0
    for text in texts:
        q = ix.builder.build(text)
        assert ranker.covers(q), text
        mine, total = ranker.top(q, None)
        theirs = {hit.docnum: hit.score for hit in ix.searcher.search(q, limit=None)}
        assert total == len(mine) == len(theirs), text
        assert dict(mine).keys() == theirs.keys(), text
        for docnum, score in mine:
            assert score == pytest.approx(theirs[docnum], rel=1e-12, abs=1e-12), text
        scores = [score for _, score in mine]
        assert scores == sorted(scores, reverse=True)
        checked += bool(theirs)
    return checked


def test_seeds_rank_as_whoosh_ranks(seeds_ws):
    ix = seeds_ws.index
    texts = [ix.article(i).body for i in ix.all_ids()]
    assert check_same_as_whoosh(ix, queries(texts, 60)) > 20


def test_top_n_matches_whoosh_top_n(seeds_ws):
    ix = seeds_ws.index
    for text in ["openai scale", "meta OR google", '"scale ai"', "the"]:
        q = ix.builder.build(text)
        whoosh_ids = [hit["id"] for hit in ix.searcher.search(q, limit=3)]
        assert [hit.id for hit in ix.search(SearchRequest(text, limit=3)).hits] == whoosh_ids


def test_queries_it_does_not_cover_go_to_whoosh(seeds_ws):
    ix = seeds_ws.index
    ranker = Ranker(ix.searcher)
    for text in ["scal*", "Altmann~", '"Meta Scale"~5', "date:2025-06-19 openai"]:
        assert not ranker.covers(ix.builder.build(text))
    assert ix.search(SearchRequest("Altmann~")).total >= 1


@needs_corpora("bbc")
def test_bbc_with_deletions_and_segments_ranks_as_whoosh(tmp_path):
    corpus = tmp_path / "business"
    shutil.copytree(CORPORA / "bbc" / "business", corpus)
    index = tmp_path / "index"
    update_index(corpus, index)
    # An update: some articles leave, some change, some arrive (a second segment, deletions).
    files = sorted(corpus.glob("*.txt"))
    for path in files[:15]:
        path.unlink()
    for path in files[15:25]:
        path.write_text(path.read_text(encoding="latin-1") + "\nAn added line.\n",
                        encoding="latin-1")
    shutil.copy(SEEDS / next(p.name for p in SEEDS.iterdir()), corpus / "seed.txt")
    update_index(corpus, index)
    ix = ArticleIndex(index)
    try:
        reader = ix.searcher.reader()
        assert len(reader.leaf_readers()) > 1 or reader.has_deletions()
        texts = [ix.article(i).body for i in ix.all_ids()]
        assert check_same_as_whoosh(ix, queries(texts, 120, seed=9)) > 60
    finally:
        ix.close()
