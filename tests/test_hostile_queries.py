"""Queries that cannot be made slow or leak errors: long words, wide wildcards and fuzzy terms,
a field with no value, brackets (paired the same way whatever their kind, free inside a phrase),
dates out of range. Each is one QueryError naming the query, never a Python error."""

import json

import pytest

from explorer.cli import main
from explorer.errors import QueryError
from explorer.search.article_index import MAX_EXPANSION, SearchRequest


def error_of(ws, text: str) -> str:
    with pytest.raises(QueryError) as err:
        ws.search(SearchRequest(text))
    message = str(err.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize("query, words", [
    ("date:", "'date:' needs a value right after it (like date:2025-06)"),
    ("oil date:", "'date:' needs a value"),
    ("(title:)", "'title:' needs a value"),
    ("oil [", "'[' without a matching ']'"),
    ("oil {", "'{' without a matching '}'"),
    ("oil ]", "']' without a matching '['"),
    ("(oil ]", "']' without a matching '['"),
    ("[oil )", "')' without a matching '('"),
    ("oil (", "'(' without a matching ')'"),
    ('date:"last 99999999999 days"', "'last 99999999999 days' goes back before the year 1"),
    ("oil~5", "'oil~5' is too fuzzy (a word of 3 letters takes at most ~1)"),
    ("oil~2", "'oil~2' is too fuzzy (a word of 3 letters takes at most ~1)"),
    ("Scale~3", "'scale~3' is too fuzzy (a word of 5 letters takes at most ~1)"),
    ("superintelligence~3", "is too fuzzy (a word of 13 letters takes at most ~2)"),  # stemmed
    ("a*b*c*d*e*f*g*h*i*j", "has more than 8 wildcards"),
])
def test_refused_queries_name_the_query(seeds_ws, query, words):
    message = error_of(seeds_ws, query)
    assert message.startswith(f"query '{query}': ") and words in message


def test_a_bracket_inside_a_phrase_is_a_word(seeds_ws):
    for query in ('"(Scale"', '"Scale)"', '"[Meta"', '"{Meta"'):
        results = seeds_ws.search(SearchRequest(query))
        assert results.total >= 1, query


def test_a_long_word_is_refused_and_shortened_in_the_message(seeds_ws):
    message = error_of(seeds_ws, "x" * 1_000)
    assert "has 1,000 characters (at most 200)" in message and len(message) < 300
    message = error_of(seeds_ws, "x" * 100_000)
    assert "100,000 characters, longer than the 2,000" in message and len(message) < 300


def test_wildcards_and_fuzzy_terms_are_bounded(tmp_path, workspace_factory):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # MAX_EXPANSION + 200 distinct words starting with 'w', and a few others
    words = [f"w{n:05d}x" for n in range(MAX_EXPANSION + 200)]
    (corpus / "many.txt").write_text("Many words\n\n" + " ".join(words) + " oil soil\n")
    ws = workspace_factory(corpus)
    for query in ("**", "?*", "w*", "title:** OR body:w*"):
        assert f"stands for more than {MAX_EXPANSION:,} words in" in error_of(ws, query)
    assert ws.search(SearchRequest("w0001*")).total == 1        # 10 words: fine
    assert ws.search(SearchRequest("soil~1")).total == 1         # oil, soil: fine
    assert ws.search(SearchRequest("w00010x~1")).total == 1


def test_cli_errors_echo_a_query_without_its_control_characters(tmp_path, seeds_copy, capsys):
    base = ["--corpus", str(seeds_copy), "--index", str(tmp_path / "ix"),
            "--data", str(tmp_path / "data")]
    assert main(["index", *base]) == 0
    capsys.readouterr()
    query = "oil \x1b]52;c;aGk=\x07 date:"
    assert main(["search", query, *base]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert "\x1b" not in err and "\x07" not in err and "\u241b]52;c;aGk=\u2407" in err
    assert main(["search", "\x1bMnothing-at-all\x07", "--json", *base]) == 0
    out, _ = capsys.readouterr()
    assert json.loads(out) == []
    assert main(["search", "\x1bMnothing-at-all\x07", *base]) == 0
    out, _ = capsys.readouterr()
    assert "\x1b" not in out and "no articles match" in out
