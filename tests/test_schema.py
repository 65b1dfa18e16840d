"""The schema's positions format gives what Whoosh's own would; the indexer writes what Whoosh
would with the same codec; the codec's blocks read back as Whoosh's own codec's."""

import pickle

import pytest
from whoosh.analysis import StandardAnalyzer
from whoosh.formats import Positions

from explorer.index.positions import bit_positions, follows, position_bits
from explorer.index.schema import build_schema
from explorer.index.whoosh_internals import PositionBits
from tests.conftest import CORPORA, SEEDS

TEXTS = [
    "The U.S. e-mail giant's 3.5bn co-operation deal: Mr. Blair said \u00a3120m, didn't he?",
    "single",
    "",
    "Repeated words repeat: repeat, repeated, REPEATING repeats.",
    "\u00c9lys\u00e9e caf\u00e9 na\u00efve \u2014 \u201cquoted\u201d words_with_underscores x*y",
]


def _both(field, text):
    """(term, frequency, weight, positions) of every word, from the schema's format and from
    Whoosh's Positions."""
    fmt = field.format
    fast = sorted((term, freq, weight, fmt.decode_positions(value), fmt.decode_frequency(value))
                  for term, freq, weight, value in
                  fmt.word_values(text, field.analyzer, mode="index"))
    whoosh = Positions(field_boost=fmt.field_boost)
    slow = sorted((term, freq, weight, whoosh.decode_positions(value), freq)
                  for term, freq, weight, value in
                  whoosh.word_values(text, field.analyzer, mode="index"))
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
    fmt = PositionBits()
    analyzer = StandardAnalyzer()            # a stop list changes positions: not word-local
    text = "the cat and the hat"
    found = {term: fmt.decode_positions(value)
             for term, _, _, value in fmt.word_values(text, analyzer, mode="index")}
    assert found == {term: Positions().decode_positions(value)
                     for term, _, _, value in Positions().word_values(text, analyzer,
                                                                      mode="index")}
    assert found == {"cat": [1], "hat": [2]}      # Whoosh renumbers after the stop words


def test_position_bits_round_trip():
    fmt = PositionBits()
    for positions in ([0], [1], [7, 8], [0, 3, 64, 65, 1000], list(range(0, 300, 7)), [40],
                      [3000], [5, 100_000], list(range(0, 2000, 3))):
        value = fmt.encode(positions)
        assert fmt.decode_positions(value) == positions
        assert fmt.decode_frequency(value) == len(positions)
        assert bit_positions(position_bits(value)) == positions
    assert fmt.encode([0, 9]) == bytes([1, 2])        # bit p for position p, little-endian
    # A word far into a long text is kept as its positions, not thousands of zero bytes.
    assert fmt.encode([100_000]) == (100_000).to_bytes(4, "little") + b"\0"
    assert len(fmt.encode(list(range(0, 2000, 3)))) == 250          # dense: bits


def test_follows_is_the_two_word_phrase_test_on_dense_and_sparse_values():
    import random

    fmt = PositionBits()
    rng = random.Random(5)
    shapes = [lambda: sorted(rng.sample(range(64), rng.randint(1, 20))),       # dense
              lambda: sorted(rng.sample(range(5000), rng.randint(1, 3)))]      # sparse
    kinds = set()
    for _ in range(3000):
        a, b = rng.choice(shapes)(), rng.choice(shapes)()
        if rng.random() < 0.3:                 # make some of them phrases
            b = sorted(set(b) | {rng.choice(a) + 1})
        va, vb = fmt.encode(a), fmt.encode(b)
        kinds.add((va[-1] == 0, vb[-1] == 0))
        expected = bool(set(p + 1 for p in a) & set(b))
        assert follows(va, vb) == expected, (a, b)
        assert bool((position_bits(va) << 1) & position_bits(vb)) == expected
    assert kinds == {(False, False), (False, True), (True, False), (True, True)}
    assert not follows(fmt.encode([0]), fmt.encode([0]))       # position 0 follows nothing


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


def _random_docs(count: int = 120) -> list[dict]:
    import datetime as dt
    import random

    from explorer.ingest.articles import Article
    from explorer.index.build import document_fields as _document

    rng = random.Random(3)
    words = (" ".join(TEXTS) + " " + " ".join(p.read_text() for p in SEEDS.rglob("*")
                                               if p.is_file())).split()
    docs = []
    for number in range(count):
        body = " ".join(rng.choice(words) for _ in range(rng.randint(0, 300)))
        day = dt.date(1987, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
        article = Article(id=f"a{number}", title=" ".join(rng.sample(words, 5)), body=body,
                          path=f"p{number}.txt", date=day.isoformat() if number % 5 else None,
                          source="wire")
        docs.append(_document(article, (), None))
    return docs


def test_the_indexer_writes_the_same_segment_as_whoosh(tmp_path, monkeypatch):
    from whoosh.writing import SegmentWriter

    from explorer.index.whoosh_internals import BlockCodec
    from explorer.index.whoosh_internals import IndexWriter as _Writer, _TermPool

    docs = _random_docs()
    # Whoosh's writer with the codec the indexer uses (posting blocks at zlib level 1).
    theirs = _segment_files(SegmentWriter, tmp_path / "whoosh", docs,
                            codec=BlockCodec(compression=1))
    monkeypatch.setattr(_TermPool, "POSTING_BYTES", 64 * 1024 * 1024 // 700)  # spill to runs
    mine = _segment_files(_Writer, tmp_path / "mine", docs)
    assert set(mine[0]) == {".pst", ".trm"} and len(mine[1]) == len(docs)
    assert mine == theirs


def test_block_codec_reads_back_as_whooshs_own(tmp_path):
    """Blocks pickled with protocol 5 hold the same postings as Whoosh's protocol 2 ones."""
    import zlib

    from whoosh import index as whoosh_index
    from whoosh.codec.whoosh3 import W3Codec
    from whoosh.writing import SegmentWriter

    from explorer.index.whoosh_internals import BlockCodec

    docs = _random_docs(300)

    def postings(codec, folder):
        folder.mkdir()
        ix = whoosh_index.create_in(str(folder), build_schema())
        writer = SegmentWriter(ix, codec=codec)
        for doc in docs:
            writer.add_document(**doc)
        writer.commit()
        found = {}
        with whoosh_index.open_dir(str(folder)).reader() as reader:
            for fieldname, btext in reader.all_terms():
                matcher = reader.postings(fieldname, btext)
                rows = []
                while matcher.is_active():
                    # A field without values gives None from a block, '' from an inlined
                    # posting (Whoosh's ListMatcher): the same nothing.
                    rows.append((matcher.id(), matcher.weight(), matcher.value() or None))
                    matcher.next()
                found[fieldname, btext] = rows
        return found

    whooshs = postings(W3Codec(compression=1), tmp_path / "w3")
    mine = postings(BlockCodec(compression=1), tmp_path / "block")
    assert mine == whooshs and len(mine) > 500
    assert max(map(len, mine.values())) > 128      # terms of more than one block
    # ... and the blocks are protocol 5 pickles (what makes them fast to read).
    with whoosh_index.open_dir(str(tmp_path / "block")).reader() as reader:
        matcher = reader.postings("body", b"the")
        raw = matcher._postfile.get(matcher._dataoffset, matcher._nextoffset - matcher._dataoffset)
        assert zlib.decompress(raw)[:2] == b"\x80\x05"
        # A block of a few postings is not compressed (SMALL_BLOCK): its pickle is as it is.
        name, rare = min(key for key, rows in mine.items() if len(rows) == 2)
        matcher = reader.postings(name, rare)
        raw = matcher._postfile.get(matcher._dataoffset, matcher._nextoffset - matcher._dataoffset)
        assert raw[:2] == b"\x80\x05" and len(raw) < 64
        # A term with one posting keeps it in its entry in the term table (INLINE_LIMIT).
        single = [key for key, rows in mine.items() if len(rows) == 1]
        assert len(single) > 300
        for name, btext in single:
            assert reader._terms.term_info(name, btext).is_inlined()


def test_followed_is_follows_over_many_documents():
    """The ranker's loop (explorer/index/positions.py: followed) gives follows()'s answer for
    every shape: dense, sparse with one position, sparse with several, position 0, a sparse
    number that looks like the next one across two numbers' bytes."""
    import random

    from explorer.index.positions import followed

    fmt = PositionBits()
    rng = random.Random(7)
    shapes = [lambda: sorted(rng.sample(range(64), rng.randint(1, 20))),        # dense
              lambda: [rng.randrange(5000)],                                    # sparse, one
              lambda: sorted(rng.sample(range(5000), rng.randint(2, 4))),       # sparse, more
              lambda: [0]]
    first, second, expected = {}, {}, []
    for doc in range(4000):
        a, b = rng.choice(shapes)(), rng.choice(shapes)()
        if rng.random() < 0.3:                 # make some of them phrases
            b = sorted(set(b) | {rng.choice(a) + 1})
        first[doc], second[doc] = fmt.encode(a), fmt.encode(b)
        if bool(set(p + 1 for p in a) & set(b)):
            expected.append(doc)
        assert follows(first[doc], second[doc]) == (expected[-1:] == [doc])
    assert followed(range(4000), first, second) == expected
    # 256 + 1 = 257 is the bytes 01 01 00 00, found at offset 3 of the second word's numbers
    # 2**24 and 2**25 + 1 (00 00 00 01 01 00 00 02), across two of them: not a position.
    a, b = fmt.encode([256]), fmt.encode([2 ** 24, 2 ** 25 + 1])
    assert b.find((257).to_bytes(4, "little")) == 3 and not follows(a, b)
    assert followed([0], {0: a}, {0: b}) == []


def _real_docs() -> list[dict]:
    """Real-ish documents: Reuters stories (long ones, title-only ones, numbers, upper-case
    titles) when the corpus is there, and hand-made ones with unicode, apostrophes, empty
    fields and a book-length body."""
    import json

    from explorer.ingest.articles import Article
    from explorer.index.build import document_fields as _document

    articles = [
        Article(id="u", title="\u00c9lys\u00e9e caf\u00e9's na\u00efve \u201cdeal\u201d",
                body="Mr. O'Neill didn't say \u00a3120m; 3.5bn isn't 3,500m. " * 40, path="u"),
        Article(id="e", title="", body="", path="e"),
        Article(id="t", title="Title only", body="", path="t", source="wire"),
        Article(id="long", title="Long", body=" ".join(TEXTS) * 400, path="long"),
    ]
    path = CORPORA / "reuters21578.jsonl"
    if path.exists():
        with path.open(encoding="utf-8") as lines:
            for number, line in zip(range(400), lines):
                record = json.loads(line)
                articles.append(Article(
                    id=f"r{number}", title=record.get("title") or "",
                    body=record.get("body") or "", path=f"r{number}",
                    date=record.get("date") or None, source="reuters"))
    return [_document(article, (), None) for article in articles]


@pytest.mark.parametrize("spill", [False, True])
def test_the_indexer_writes_whooshs_segment_for_real_text(tmp_path, monkeypatch, spill):
    """The fast path (one analysis pass per field, postings kept by term, blocks written at
    once) against Whoosh's own writer, byte for byte, with and without runs spilled to disk."""
    from whoosh.writing import SegmentWriter

    from explorer.index.whoosh_internals import BlockCodec
    from explorer.index.whoosh_internals import IndexWriter as _Writer, _TermPool

    docs = _real_docs()
    theirs = _segment_files(SegmentWriter, tmp_path / "whoosh", docs,
                            codec=BlockCodec(compression=1))
    if spill:
        monkeypatch.setattr(_TermPool, "POSTING_BYTES", 64 * 1024 * 1024 // 5000)
    mine = _segment_files(_Writer, tmp_path / "mine", docs)
    assert len(mine[1]) == len(docs) and not any(mine[1][1][1:]) and mine[1][3][1] > 10_000
    assert mine == theirs
