"""Queries over the seeds: the Whoosh language, dates, snippets, errors, did-you-mean."""

import datetime as dt

import pytest

from explorer.errors import QueryError
from explorer.search.article_index import SearchRequest
from explorer.search.query_dates import rewrite_dates


def ids(ws, text, **kw):
    return [h.id for h in ws.search(SearchRequest(text, **kw)).hits]


@pytest.fixture
def seed_ids(seeds_ws):
    hits = seeds_ws.search(SearchRequest("", limit=None)).hits
    dated = next(h.id for h in hits if h.date)
    undated = next(h.id for h in hits if not h.date)
    return dated, undated


def test_empty_query_lists_everything_newest_first(seeds_ws, seed_ids):
    assert ids(seeds_ws, "") == list(seed_ids)


@pytest.mark.parametrize("query, expect", [
    ("ChatGPT", "both"),
    ("Mercor", "dated"),
    ('"lure away"', "undated"),
    ('"Meta Scale"~5', "dated"),
    ("Forbes OR Bloomberg", "both"),
    ("Meta AND NOT Forbes", "undated"),
    ("superintell*", "both"),
    ("Altmann~", "undated"),
    ("title:phasing", "dated"),
    ("date:2025-06-19", "dated"),
    ("date:[2025-06-01 to 2025-06-30]", "dated"),
    ("date:>2025-06-01", "dated"),
    ("date:<2025-06-01", "none"),
    ('date:"june 2025"', "dated"),
])
def test_query_language(seeds_ws, seed_ids, query, expect):
    dated, undated = seed_ids
    want = {"both": {dated, undated}, "dated": {dated}, "undated": {undated}, "none": set()}
    assert set(ids(seeds_ws, query)) == want[expect]


def test_snippets_mark_the_hits(seeds_ws):
    hits = seeds_ws.search(SearchRequest("Friar")).hits
    assert len(hits) == 1
    marked = hits[0].snippet.marked()
    assert "**Friar**" in marked


@pytest.mark.parametrize("query, words", [
    ('"unclosed phrase', "closing"),
    ("(open OR", "matching"),
    ("colour:blue", "unknown field"),
    ("date:banana", "cannot read the date"),
])
def test_malformed_queries_raise_one_line_errors(seeds_ws, query, words):
    with pytest.raises(QueryError) as err:
        seeds_ws.search(SearchRequest(query))
    assert words in str(err.value) and query in str(err.value)


def test_did_you_mean(seeds_ws):
    results = seeds_ws.search(SearchRequest("Mercorr"))
    assert results.hits == [] and results.suggestion == "Mercor"


def test_sort_by_date_puts_undated_last(seeds_ws, seed_ids):
    assert ids(seeds_ws, "OpenAI", sort="date") == list(seed_ids)


def test_date_clauses_become_exact_day_ranges():
    now = dt.datetime(2026, 11, 23)  # a Monday
    day = dt.date.toordinal
    assert rewrite_dates('date:"last week"', now) == \
        f"day:[{day(dt.date(2026, 11, 16))} TO {day(dt.date(2026, 11, 22))}]"
    assert rewrite_dates("date:2025-06-19 x", now) == \
        f"day:[{day(dt.date(2025, 6, 19))} TO {day(dt.date(2025, 6, 19))}] x"
    assert rewrite_dates("date:[2025-06-01 to 2025-06-30]", now) == \
        f"day:[{day(dt.date(2025, 6, 1))} TO {day(dt.date(2025, 6, 30))}]"
    assert rewrite_dates("date:>2025-06", now) == \
        f"day:[{day(dt.date(2025, 7, 1))} TO {day(dt.date.max)}]"
    assert rewrite_dates("date:<2025", now) == f"day:[1 TO {day(dt.date(2024, 12, 31))}]"
    assert rewrite_dates('date:"last 7 days"', now) == \
        f"day:[{day(dt.date(2026, 11, 17))} TO {day(dt.date(2026, 11, 23))}]"


def test_hit_spans_cover_stemmed_matches(seeds_ws, seed_ids):
    article = seeds_ws.article(seed_ids[0])
    spans = seeds_ws.index.hit_spans("contractor", article.body)
    assert [article.body[s:e] for s, e in spans] == ["contractors", "contractors"]


def test_did_you_mean_prefers_the_nearest_word_to_the_most_frequent(tmp_path):
    from whoosh.fields import TEXT, Schema
    from whoosh.filedb.filestore import RamStorage

    from explorer.search.spelling import LexiconCorrector

    ix = RamStorage().create_index(Schema(body=TEXT()))
    with ix.writer() as writer:
        for _ in range(10):
            writer.add_document(body="ode")
        writer.add_document(body="coffe")
    with ix.searcher() as searcher:
        reader = searcher.reader()
        # Whoosh's own corrector ranks by frequency alone: "cofe" -> "ode" (2 edits).
        assert LexiconCorrector(reader, "body").suggest("cofe", limit=1) == ["coffe"]
        assert LexiconCorrector(reader, "body").suggest("cofe", limit=2) == ["coffe", "ode"]
        assert reader.corrector("body").suggest("cofe", limit=1) == ["ode"]


@pytest.mark.parametrize("which", ["seeds", "reuters"])
def test_the_words_read_in_bulk_are_the_lexicon(which, request, seeds_ws):
    """Did-you-mean reads every word of the text fields from the term tables in bulk
    (whoosh_internals.field_words): the same words as Whoosh's lexicon, field by field, for
    an index of one segment with an article changed since (seeds) and one of many (Reuters)."""
    from explorer.index.whoosh_internals import field_words

    if which == "seeds":
        ix = seeds_ws.index
        path = next(seeds_ws.config.corpus.glob("*.txt"))
        path.write_text(path.read_text(encoding="utf-8") + "\nZanzibarish postscript.\n",
                        encoding="utf-8")
        seeds_ws.ensure_index()
        ix = seeds_ws.index
    else:
        ix = request.getfixturevalue("reuters_ix")
    with ix.ix.searcher() as searcher:
        reader = searcher.reader()
        for field in ("title", "body", "source", "nonesuch"):
            assert field_words(reader, field) == set(reader.lexicon(field) if field in
                                                     ix.ix.schema else ()), field
        assert len(field_words(reader, "body")) > 100


def test_newest_first_is_whooshs_sorted_order(tmp_path):
    """A query the ranker covers, listed newest first, comes out as Whoosh's sorting collector
    orders it (article_index._ranked): the same articles, the same total, ties of the same
    second and undated articles in Whoosh's order, over several segments with a deletion and
    with a date filter."""
    import json
    import random

    from explorer.index.build import update_index
    from explorer.search.article_index import ArticleIndex

    rng = random.Random(5)
    words = "the bank of japan said rates oil prices rose fell and to in market".split()
    days = ["2020-01-02T10:00:00", "2020-01-02T10:00:00", "2021-05-06", "2019-12-31T23:59:59",
            None]

    def record(n):
        return {"id": f"r{n}", "title": " ".join(rng.choices(words, k=4)),
                "body": " ".join(rng.choices(words, k=rng.randint(5, 60))),
                "date": rng.choice(days)}

    corpus, index = tmp_path / "c", tmp_path / "i"
    corpus.mkdir()
    first = [record(n) for n in range(60)]
    (corpus / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in first))
    update_index(corpus, index)
    (corpus / "b.jsonl").write_text("".join(json.dumps(record(n)) + "\n"
                                            for n in range(60, 120)))
    update_index(corpus, index)
    first[3]["body"] = "the bank of japan said so " + first[3]["body"]
    (corpus / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in first))
    update_index(corpus, index)

    ix = ArticleIndex(index)
    try:
        assert len(ix.searcher.reader().leaf_readers()) > 1
        kwargs = {"sortedby": "time", "reverse": True}
        for text in ['"the bank"', '"said the"', '"of japan"', "oil", "oil OR rates",
                     '"bank of japan"', "market AND NOT oil"]:
            q = ix.builder.build(text)
            assert ix._ranker().covers(q), text
            for limit in (5, None):
                for allowed in (None, set(range(0, 200, 3))):
                    mine, total = ix._ranked(q, limit, allowed, kwargs)
                    theirs = ix._search(q, limit, allowed, kwargs)
                    assert [f["id"] for f, _ in mine] == [h["id"] for h in theirs], text
                    assert total == len(theirs) and total > 0, text
            listed = ix.search(SearchRequest(text, sort="date", limit=None))
            assert listed.total == len(ix._search(q, None, None, kwargs))
            assert all(h.score is None for h in listed.hits)
    finally:
        ix.close()
