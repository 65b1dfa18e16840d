"""The schema's fast Positions format writes exactly what Whoosh's own would."""

import pickle

import pytest
from whoosh.analysis import StandardAnalyzer
from whoosh.formats import Positions

from explorer.schema import FastPositions, build_schema
from tests.conftest import CORPORA, SEEDS

TEXTS = [
    "The U.S. e-mail giant's 3.5bn co-operation deal: Mr. Blair said \u00a3120m, didn't he?",
    "single",
    "",
    "Repeated words repeat: repeat, repeated, REPEATING repeats.",
    "\u00c9lys\u00e9e caf\u00e9 na\u00efve \u2014 \u201cquoted\u201d words_with_underscores x*y",
]


def _both(field, text):
    fast = sorted(field.format.word_values(text, field.analyzer, mode="index"))
    slow = sorted(Positions(field_boost=field.format.field_boost)
                  .word_values(text, field.analyzer, mode="index"))
    return fast, slow


@pytest.mark.parametrize("name", ["title", "body"])
def test_fast_positions_match_whoosh_on_tricky_text(name):
    field = build_schema()[name]
    for text in TEXTS + [p.read_text() for p in sorted(SEEDS.rglob("*")) if p.is_file()]:
        fast, slow = _both(field, text)
        assert fast == slow, text[:60]


def test_fast_positions_match_whoosh_on_bbc():
    bbc = CORPORA / "bbc"
    if not bbc.exists():
        pytest.skip(f"{bbc} is absent")
    field = build_schema()["body"]
    for path in sorted(bbc.rglob("*.txt"))[::10]:
        fast, slow = _both(field, path.read_bytes().decode("latin-1"))
        assert fast == slow, path


def test_other_analyzers_take_whooshs_own_path():
    fmt = FastPositions()
    analyzer = StandardAnalyzer()            # a stop list changes positions: not word-local
    text = "the cat and the hat"
    assert sorted(fmt.word_values(text, analyzer, mode="index")) == \
        sorted(Positions().word_values(text, analyzer, mode="index"))


def test_the_word_memo_is_not_pickled_into_the_index():
    schema = build_schema()
    before = pickle.dumps(schema)
    field = schema["body"]
    list(field.format.word_values("some words " * 50, field.analyzer, mode="index"))
    assert pickle.dumps(schema) == before
    assert pickle.loads(before)["body"].format == field.format


def _segment_files(writer_class, folder, docs, **kwargs):
    import hashlib

    from whoosh import index as whoosh_index

    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), build_schema())
    writer = writer_class(ix, limitmb=64, **kwargs)
    writer.compound = False
    for doc in docs:
        writer.add_document(**doc)
    writer.commit(optimize=False)
    # Postings and terms must match byte for byte. (The column file is not reproducible even
    # between two runs of Whoosh's own writer, so it is compared through a reader.)
    files = {p.suffix: hashlib.sha1(p.read_bytes()).hexdigest()
             for p in folder.iterdir() if p.suffix in (".pst", ".trm")}
    with whoosh_index.open_dir(str(folder)).reader() as reader:
        per_doc = [(reader.stored_fields(n), reader.doc_field_length(n, "body"),
                    reader.doc_field_length(n, "title")) for n in range(reader.doc_count_all())]
    return files, per_doc


def test_the_indexer_writes_the_same_segment_as_whoosh(tmp_path, monkeypatch):
    import datetime as dt
    import random

    from whoosh.codec.whoosh3 import W3Codec
    from whoosh.writing import SegmentWriter

    from explorer.articles import Article
    from explorer.indexer import _document, _Pool, _Writer

    rng = random.Random(3)
    words = (" ".join(TEXTS) + " " + " ".join(p.read_text() for p in SEEDS.rglob("*")
                                               if p.is_file())).split()
    docs = []
    for number in range(120):
        body = " ".join(rng.choice(words) for _ in range(rng.randint(0, 300)))
        day = dt.date(1987, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
        article = Article(id=f"a{number}", title=" ".join(rng.sample(words, 5)), body=body,
                          path=f"p{number}.txt", date=day.isoformat() if number % 5 else None,
                          source="wire")
        docs.append(_document(article, (), None))
    # Whoosh's writer with the codec settings the indexer uses (posting blocks at zlib level 1).
    theirs = _segment_files(SegmentWriter, tmp_path / "whoosh", docs,
                            codec=W3Codec(compression=1))
    monkeypatch.setattr(_Pool, "POSTING_BYTES", 64 * 1024 * 1024 // 700)  # spill to runs
    mine = _segment_files(_Writer, tmp_path / "mine", docs)
    assert set(mine[0]) == {".pst", ".trm"} and len(mine[1]) == len(docs)
    assert mine == theirs
