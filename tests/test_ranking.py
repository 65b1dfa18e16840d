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


# -- long articles: many posting blocks, dense and sparse positions ------------------------------
COMMON = "the and of said to in a oil price rose fell market".split()
RARE = [f"w{n}" for n in range(60)]


def long_corpus(folder, count: int = 260, seed: int = 3) -> list[str]:
    """Articles of 20 to 4,000 words from a small vocabulary: common words in most of them (more
    than one posting block, dense positions), rare words once far into a long text (sparse
    positions), phrases repeated within an article."""
    rng = random.Random(seed)
    folder.mkdir()
    texts = []
    for number in range(count):
        size = rng.choice((20, 150, 600, 4000))
        words = [rng.choice(COMMON) if rng.random() < 0.8 else rng.choice(RARE)
                 for _ in range(size)]
        for _ in range(rng.randint(0, 4)):          # a phrase more than once
            at = rng.randrange(size)
            words[at:at] = ["oil", "price", "rose"]
        text = " ".join(words)
        (folder / f"a{number:04d}.txt").write_text(f"Story {number}\n\n{text}\n", encoding="utf-8")
        texts.append(text)
    return texts


@pytest.fixture(scope="module")
def long_ix(tmp_path_factory):
    folder = tmp_path_factory.mktemp("long")
    texts = long_corpus(folder / "corpus")
    update_index(folder / "corpus", folder / "index")
    ix = ArticleIndex(folder / "index")
    yield ix, texts
    ix.close()


def test_phrases_on_long_articles_rank_as_whoosh_ranks(long_ix):
    ix, texts = long_ix
    rng = random.Random(11)
    found = []
    for number in range(80):
        words = rng.choice(texts).split()
        at = rng.randrange(len(words) - 4)
        phrase = " ".join(words[at:at + (2, 2, 3, 4)[number % 4]])
        other = " ".join(rng.sample(COMMON + RARE, 2))
        word = rng.choice(COMMON + RARE)
        found.append(['"{p}"', '"{p}" OR {w}', '"{p}" AND NOT "{o}"', '("{p}" OR {w}) {o}',
                      'NOT "{p}"', '"{p}" -{w}', '"{o}" OR "{p}"', '"{p}" "{o}"'][number % 8]
                     .format(p=phrase, o=other, w=word))
    found += ['"oil price rose"', '"the the"', '"and of the"', '"w1 w2"', '"price rose fell"']
    # AND reads its later parts only where the first part matched; NOT reads without scores.
    for number in range(40):
        a, b, c = rng.sample(COMMON + RARE, 3)
        found.append(["{a} {b}", "{a} AND {b} AND {c}", "{a} AND NOT {b}", "NOT {a}",
                      "{a} {b} -{c}", "({a} OR {b}) AND NOT {c}", "{a}^2 {b}",
                      "title:story {a}"][number % 8].format(a=a, b=b, c=c))
    assert check_same_as_whoosh(ix, found) > 90
    # The reporter's numbers: the total with a limit is the count of every match.
    q = '"oil price"'
    assert ix.search(SearchRequest(q, limit=5)).total == len(ix.searcher.search(
        ix.builder.build(q), limit=None))


def test_posting_blocks_read_what_whoosh_reads(long_ix):
    """explorer/index/whoosh_internals.py reads posting blocks itself: the same documents,
    weights and positions as Whoosh's matcher, and with `wanted`, every block that can hold
    one of them."""
    from explorer.index.whoosh_internals import posting_blocks

    ix, _ = long_ix
    reader = ix.searcher.reader()
    rng = random.Random(2)
    blocks_seen = 0
    for leaf, _ in reader.leaf_readers():
        for word in COMMON + RARE[:20]:
            btext = word.encode()
            if ("body", btext) not in leaf:
                continue
            matcher = leaf.postings("body", btext)
            theirs = []
            while matcher.is_active():
                theirs.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            blocks = list(posting_blocks(leaf, "body", btext, True))
            blocks_seen = max(blocks_seen, len(blocks))
            mine = [posting for ids, weights, values in blocks
                    for posting in zip(ids, weights, values)]
            assert mine == theirs, word
            assert [(d, w) for ids, weights, _ in posting_blocks(leaf, "body", btext)
                    for d, w in zip(ids, weights)] == [(d, w) for d, w, _ in theirs]
            docs = [d for d, _, _ in theirs]
            wanted = sorted(rng.sample(docs, min(len(docs), 3)))
            picked = [d for ids, _, _ in posting_blocks(leaf, "body", btext, True, wanted)
                      for d in ids]
            assert set(wanted) <= set(picked), word
            assert len(picked) <= len(docs)
    assert blocks_seen > 1          # the common words span several blocks


# -- phrases with a common word: answered from the pair field (explorer/index/schema.py) -------
PAIR_PHRASES = ['"the oil"', '"oil the"', '"said the"', '"of the"', '"the the"', '"and of the"',
                '"the market rose"', '"price rose the"', '"the w3 the"', '"said the oil price"',
                '"the the the"', '"oil of the market"', '"w1 said"', '"w2 and w3"', '"the w5"',
                '"rose fell"', '"oil price rose"', '"said to the"', '"and and"', '"to in a"']


def pair_queries(texts: list[str], count: int, seed: int) -> list[str]:
    """Phrases of 2 to 4 words cut from the texts, each holding a common word (first, last,
    in the middle, twice), alone and inside AND / OR / NOT."""
    rng = random.Random(seed)
    common = {"the", "and", "of", "said", "to", "in", "a"}
    found = []
    while len(found) < count:
        words = rng.choice(texts).split()
        at = rng.randrange(len(words) - 4)
        phrase = words[at:at + rng.choice((2, 2, 3, 4))]
        if not common & set(phrase):
            continue
        other = rng.choice(COMMON + RARE)
        found.append(['"{p}"', '"{p}" OR {w}', '"{p}" AND NOT {w}', '"{p}" {w}',
                      'NOT "{p}"'][len(found) % 5].format(p=" ".join(phrase), w=other))
    return found


def _phrase_ranker_reads_pairs(ix) -> bool:
    return Ranker(ix.searcher)._pair_fields.get("body", (None,))[0] == "body_pairs"


@pytest.fixture(scope="module")
def changed_long_ix(tmp_path_factory):
    """The long articles indexed in three writes (segments), with articles removed and
    changed between them (deletions), and a copy of that index merged into one segment."""
    from whoosh import index as whoosh_index

    from explorer.index.whoosh_internals import IndexWriter

    folder = tmp_path_factory.mktemp("changed")
    corpus = folder / "corpus"
    texts = long_corpus(corpus, count=200, seed=8)
    files = sorted(corpus.glob("*.txt"))
    for path in files[100:]:                # the second half arrives later
        path.rename(folder / path.name)
    update_index(corpus, folder / "index")
    for path in files[100:150]:
        (folder / path.name).rename(path)
    for path in files[:20]:                 # removed
        path.unlink()
    for path in files[20:30]:               # changed: the old document is deleted
        path.write_text(path.read_text() + "\nsaid the oil of the market\n")
    update_index(corpus, folder / "index")
    for path in files[150:]:
        (folder / path.name).rename(path)
    for path in files[30:35]:
        path.unlink()
    update_index(corpus, folder / "index")
    shutil.copytree(folder / "index", folder / "merged")
    writer = IndexWriter(whoosh_index.open_dir(str(folder / "merged")))
    writer.commit(optimize=True)
    live = [p.read_text().split("\n", 2)[2] for p in sorted(corpus.glob("*.txt"))]
    indexes = [ArticleIndex(folder / "index"), ArticleIndex(folder / "merged")]
    yield indexes, live
    for ix in indexes:
        ix.close()


def test_phrases_with_common_words_rank_as_whoosh_ranks(long_ix):
    ix, texts = long_ix
    assert _phrase_ranker_reads_pairs(ix)
    assert check_same_as_whoosh(ix, PAIR_PHRASES + pair_queries(texts, 60, seed=4)) > 60


def test_phrases_with_common_words_over_segments_and_deletions(changed_long_ix):
    (several, merged), texts = changed_long_ix
    reader = several.searcher.reader()
    assert len(reader.leaf_readers()) == 3 and reader.has_deletions()
    assert len(merged.searcher.reader().leaf_readers()) == 1
    queries_ = PAIR_PHRASES + pair_queries(texts, 50, seed=6)
    for ix in (several, merged):
        assert _phrase_ranker_reads_pairs(ix)
        assert check_same_as_whoosh(ix, queries_) > 50
    # The deleted articles' text (the changed ones were appended to) is not found.
    q = '"said the oil of the market"'
    assert several.search(SearchRequest(q, limit=None)).total == 10 == \
        merged.search(SearchRequest(q, limit=None)).total


def test_pair_postings_agree_with_the_body_positions(changed_long_ix):
    """Every adjacent pair of body terms with a common one is a pair term in the documents that
    have it, holding the two words' body weights; and no other pair is indexed."""
    from explorer.index.whoosh_internals import PAIR_VALUE

    (several, merged), _ = changed_long_ix
    for ix in (several, merged):
        schema = ix.searcher.schema
        common = schema["body_pairs"].format.common
        for leaf, _ in ix.searcher.reader().leaf_readers():
            expected: dict[tuple[bytes, int], tuple[float, float]] = {}
            at: dict[int, dict[int, bytes]] = {}
            weights: dict[tuple[bytes, int], float] = {}
            for fieldname, btext in leaf.all_terms():
                if fieldname != "body":
                    continue
                matcher = leaf.postings("body", btext)
                while matcher.is_active():
                    doc = matcher.id()
                    weights[btext, doc] = matcher.weight()
                    for position in matcher.value_as("positions"):
                        at.setdefault(doc, {})[position] = btext
                    matcher.next()
            for doc, words in at.items():
                for position, first in words.items():
                    second = words.get(position + 1)
                    if second is not None and (first.decode() in common
                                               or second.decode() in common):
                        expected[first + b" " + second, doc] = (weights[first, doc],
                                                                weights[second, doc])
            found = {}
            for fieldname, btext in leaf.all_terms():
                if fieldname != "body_pairs":
                    continue
                matcher = leaf.postings("body_pairs", btext)
                while matcher.is_active():
                    found[btext, matcher.id()] = PAIR_VALUE.unpack(matcher.value())
                    matcher.next()
            assert found == expected and len(found) > 1000
