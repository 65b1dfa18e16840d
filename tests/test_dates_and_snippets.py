"""Date filters answered from the day column, and snippets marking what the query looked for."""

import json
import os

import pytest

from explorer.index.build import update_index
from explorer.search.article_index import ArticleIndex, SearchRequest
from explorer.search.snippets import snippet_terms

DAYS = ["1987-03-01", "1987-03-02", "1987-03-02", "1987-03-05", "1987-03-09", None]


@pytest.fixture
def dated(tmp_path):
    corpus, index = tmp_path / "c", tmp_path / "i"
    corpus.mkdir()
    for number, day in enumerate(DAYS):
        record = {"id": f"a{number}", "title": f"Story {number}",
                  "body": f"Oil prices moved on day {number}. " + ("Crude exports rose. " * number),
                  "date": day}
        (corpus / f"s{number}.jsonl").write_text(json.dumps(record) + "\n")
    update_index(corpus, index)
    ix = ArticleIndex(index)
    yield ix, corpus, index
    ix.close()


def titles(ix, text, **kw):
    results = ix.search(SearchRequest(text, **kw))
    return [h.title for h in results.hits], results.total


def test_a_date_range_alone_lists_newest_first_with_the_full_count(dated):
    ix, _, _ = dated
    assert titles(ix, "date:[1987-03-02 to 1987-03-05]") == (
        ["Story 3", "Story 2", "Story 1"], 3)
    found, total = titles(ix, "date:[1987-03-01 to 1987-03-31]", limit=2)
    assert found == ["Story 4", "Story 3"] and total == 5


def test_open_ranges_and_single_days(dated):
    ix, _, _ = dated
    assert titles(ix, "date:>=1987-03-05")[0] == ["Story 4", "Story 3"]
    assert titles(ix, "date:<=1987-03-01")[0] == ["Story 0"]
    assert titles(ix, "date:1987-03-02")[1] == 2


def test_words_and_a_date_range_filter_each_other(dated):
    ix, _, _ = dated
    found, total = titles(ix, "crude date:[1987-03-01 to 1987-03-02]")
    assert sorted(found) == ["Story 1", "Story 2"] and total == 2
    # A range with no articles in it leaves nothing, even though the word is everywhere.
    assert titles(ix, "oil date:[1990-01-01 to 1990-12-31]") == ([], 0)


def test_after_an_update_removed_articles_are_gone_and_changed_ones_appear_once(dated):
    ix, corpus, index = dated
    (corpus / "s4.jsonl").unlink()
    os.utime(corpus / "s3.jsonl")
    update_index(corpus, index)
    ix.refresh()
    found, total = titles(ix, "date:[1987-03-01 to 1987-03-31]")
    assert found == ["Story 3", "Story 2", "Story 1", "Story 0"] and total == 4
    assert titles(ix, "oil")[1] == 5                # the undated one too, each once


def test_snippets_mark_query_words_but_not_excluded_ones(dated):
    ix, _, _ = dated
    hits = ix.search(SearchRequest("crude OR (prices AND NOT exports)")).hits
    assert hits
    for hit in hits:
        assert "**exports**" not in hit.snippet.marked()
    q = ix.builder.build("crud* AND NOT exports")
    terms = snippet_terms(q, ix.searcher.reader(), ("title", "body"))
    assert terms["body"] == {"crude"} and "export" not in terms["body"]


def test_a_date_only_hit_shows_the_opening(dated):
    ix, _, _ = dated
    hit = ix.search(SearchRequest("date:1987-03-09")).hits[0]
    assert hit.snippet.text.startswith("Oil prices moved on day 4.")


def test_words_and_dates_count_every_match_beyond_the_first_page(dated):
    ix, _, _ = dated
    found, total = titles(ix, "oil date:[1987-03-01 to 1987-03-31]", limit=2)
    assert len(found) == 2 and total == 5
    everything = ix.search(SearchRequest("oil date:[1987-03-01 to 1987-03-31]", limit=None))
    assert found == [h.title for h in everything.hits[:2]] and len(everything.hits) == 5


def test_snippet_words_are_analyzed_as_the_index_analyzes_them():
    from explorer.index.schema import build_schema
    from explorer.search.snippets import SnippetMaker
    from tests.conftest import SEEDS

    analyzer = build_schema()["body"].analyzer
    fast = SnippetMaker(analyzer)
    assert fast._word_local           # the direct path is the one under test
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.iterdir()))
    text += " Running RAN runs U.S. e.g. 3.5 ChatGPT-maker naïve Zürich"
    for word in set(fast.word.findall(text)):
        tokens = [t.text for t in analyzer(word, mode="index")]
        assert [fast.term(word)] == tokens, word


def test_snippet_hits_are_the_tokens_whose_indexed_form_is_a_term_with_or_without_skipping():
    from explorer.index.schema import build_schema
    from explorer.search.snippets import SnippetMaker
    from tests.conftest import SEEDS

    analyzer = build_schema()["body"].analyzer
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.iterdir())]
    texts.append("the.cat The_cat tHe 3the the3 x.the the.x Ţhe ſaid İstanbul istanbul said. "
                 "Said...the U.S.the e.g. ſ s İ i ı K k Kelvin _the éclair Éclair ÉCLAIR the* *the "
                 "th*e T*he")
    for terms in [{"openai"}, {"scale", "meta"}, {"said", "compani", "the"}, {"wang", "x"},
                  {"the", "the.x", "x.the", "the_cat", "3the", "the3", "said"},
                  {"istanbul", "i", "ı", "k", "kelvin", "s", "ſ", "éclair", "_the"},
                  {"the*", "*the", "th*e", "t*he"}]:
        quick, full = SnippetMaker(analyzer), SnippetMaker(analyzer)
        full._keeps_initial = full._by_initial = False
        assert quick._keeps_initial and quick._by_initial
        for text in texts:
            # Every token of the tokenizer's expression whose indexed form is a term.
            expected = []
            for match in quick.word.finditer(text):
                indexed = [t.text for t in analyzer(match.group(), mode="index")]
                if len(indexed) == 1 and indexed[0] in terms:
                    expected.append((match.start(), match.end(), indexed[0]))
            assert quick.hits(text, terms) == expected
            assert full.hits(text, terms) == expected
        assert any(quick.hits(text, terms) for text in texts)


def test_a_words_first_letter_class_takes_every_letter_that_lowercases_to_it():
    import re
    import sys

    from explorer.search.snippets import _initial_words

    changed = 0
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        initial = char.lower()[:1]
        if initial != char and re.match(r"\w", char):     # a letter matches itself anyway
            changed += 1
            assert _initial_words(initial, r"[\w\*]").fullmatch(char), hex(code)
    assert changed > 1000
