"""Kept quotes: quotes.yaml, anchoring across re-indexing, the `quotes` commands."""

import json
import threading

import pytest

from explorer.quotes import kept
from explorer.ingest.articles import Article
from explorer.cli import main
from explorer.errors import DataFileError, NotFoundError
from explorer.text import fold

FRIAR = "We don\u2019t want to ice the ecosystem"


def _article(body, **kw):
    return Article(id="abc123", title="A title", body=body, path="x/a.txt", date="2025-06-19",
                   **kw)


def test_find_text_folds_quotes_dashes_whitespace_and_maps_back_to_offsets():
    body = "Friar said: \u201cWe don\u2019t want\n to  ice it\u201d \u2014 then left."
    (span,) = kept.find_text(body, '"We don\'t want to ice it"')
    assert body[span[0]:span[1]] == "\u201cWe don\u2019t want\n to  ice it\u201d"
    (span,) = kept.find_text(body, "we DON'T want")             # case as a last resort
    assert body[span[0]:span[1]] == "We don\u2019t want"
    assert kept.find_text(body, "- then") == [(body.index("\u2014"), body.index(" left"))]
    assert kept.find_text(body, "not in it") == []


def test_make_highlight_keeps_anchor_citation_and_trims_whitespace():
    body = "Intro.  " + FRIAR + " because.\n"
    start = body.index(FRIAR) - 2
    h = kept.make_kept_quote(_article(body, url="https://example.com/a"), start,
                          start + 2 + len(FRIAR), note=" n ", tags=["a, b", "a"])
    assert h.text == FRIAR and h.prefix == "Intro.  " and h.suffix == " because.\n"
    assert (h.note, h.tags, h.url, h.path, h.date) == ("n", ("a", "b"),
                                                       "https://example.com/a", "x/a.txt",
                                                       "2025-06-19")
    with pytest.raises(Exception, match="outside the article"):
        kept.make_kept_quote(_article(body), 5, 500)


def test_reanchor_moved_text_by_prefix_and_suffix_and_orphans_removed_text():
    body = "one two. Apples are red. three. Apples are red. four."
    second = body.rindex("Apples are red")
    h = kept.make_kept_quote(_article(body), second, second + len("Apples are red"))
    assert kept.reanchor(h, body).status == "anchored"
    edited = "NEW LEAD PARAGRAPH. " + body
    moved = kept.reanchor(h, edited)
    assert moved.status == "reanchored"
    assert moved.start == edited.rindex("Apples are red")       # the second one, by context
    assert edited[moved.start:moved.end] == "Apples are red"
    gone = kept.reanchor(h, body.replace("Apples are red", "Pears are green"))
    assert gone.status == "orphaned" and gone.text == "Apples are red"
    assert kept.reanchor(h, None).status == "orphaned"


def test_store_round_trip_remove_update_and_atomic_file(tmp_path):
    store = kept.KeptQuoteStore(tmp_path)
    body = "First sentence here. Second sentence there."
    a = store.add(kept.make_kept_quote(_article(body), 0, 20, note="first"))
    b = store.add(kept.make_kept_quote(_article(body), 21, len(body), tags=["x"]))
    assert (a.number, b.number) == (1, 2)
    loaded = store.load()
    assert [h.text for h in loaded] == ["First sentence here.", "Second sentence there."]
    assert loaded[1].tags == ("x",) and loaded[0].note == "first"
    updated = store.update(b.id, note="a note", tags=["y", "z"])
    assert (updated.note, updated.tags) == ("a note", ("y", "z"))
    assert store.remove(1).text == "First sentence here."
    assert [h.text for h in store.load()] == ["Second sentence there."]
    with pytest.raises(NotFoundError):
        store.remove(5)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_concurrent_adds_lose_nothing(tmp_path):
    store = kept.KeptQuoteStore(tmp_path)
    body = "x" * 100

    def add(i):
        store.add(kept.make_kept_quote(_article(body), i, i + 1, note=str(i)))

    threads = [threading.Thread(target=add, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(int(h.note) for h in store.load()) == list(range(12))


@pytest.mark.parametrize("text, where", [
    ("quotes:\n  - text: a\n    article_id: [unclosed\n", ":4"),
    ("quotes:\n  - text: hello\n    article_id: abc\n    start: x\n    end: 3\n", ":2"),
    ("quotes:\n  - just a string\n", "quote 1"),
    ("- a list\n", ":1"),
])
def test_corrupt_file_is_reported_with_its_line_and_never_overwritten(tmp_path, text, where):
    path = tmp_path / "quotes.yaml"
    path.write_text(text, encoding="utf-8")
    store = kept.KeptQuoteStore(tmp_path)
    with pytest.raises(DataFileError, match=where):
        store.load()
    with pytest.raises(DataFileError):
        store.add(kept.make_kept_quote(_article("some body text"), 0, 4))
    assert path.read_text(encoding="utf-8") == text


def test_filter_by_query_tag_and_entity_alternatives():
    body = "OpenAI will not stop. Scale AI is fine."
    a = kept.replace(kept.make_kept_quote(_article(body), 0, 21, tags=["ai"]),
                   entities=("OpenAI",), speaker="Sam Altman")
    b = kept.make_kept_quote(_article(body), 22, len(body), note="about scale")
    items = [a, b]
    assert kept.filter_kept_quotes(items, query="stop") == [a]
    assert kept.filter_kept_quotes(items, query="SCALE") == [b]          # note, any case
    assert kept.filter_kept_quotes(items, tag="AI") == [a]
    assert kept.filter_kept_quotes(items, entities=[{"Open AI", "OpenAI"}]) == [a]
    assert kept.filter_kept_quotes(items, entities=[{"sam altman"}]) == [a]   # the speaker
    assert kept.filter_kept_quotes(items, entities=[{"Scale AI"}]) == [b]     # named in the text
    assert kept.filter_kept_quotes(items, entities=[{"Nobody"}]) == []


# ---- across re-indexing, through the workspace and the CLI ----------------------------------

def _cli(ws, *args):
    cfg = ws.config
    return main(["--corpus", str(cfg.corpus), "--index", str(cfg.index), "--data",
                 str(cfg.data), *args])


def _friar_id(ws):
    from explorer.search.article_index import SearchRequest
    return ws.search(SearchRequest("Friar")).hits[0].id


def test_quotes_add_list_rm_through_the_cli(seeds_ws, capsys):
    article_id = _friar_id(seeds_ws)
    assert _cli(seeds_ws, "quotes", "add", article_id[:6], "--text",
                '"We don\'t want to ice   the ecosystem', "--note", "CFO, at VivaTech",
                "--tag", "openai", "--json") == 0
    added = json.loads(capsys.readouterr().out)
    assert added["text"] == "\u201c" + FRIAR and added["speaker"] == "Sarah Friar"
    assert added["number"] == 1 and added["tags"] == ["openai"]
    assert _cli(seeds_ws, "quotes", "add", article_id, "--text", "words not in it") == 2
    err = capsys.readouterr().err
    assert "does not occur" in err and "Traceback" not in err
    assert _cli(seeds_ws, "quotes", "add", "ffffffffff", "--text", "x") == 2
    assert _cli(seeds_ws, "quotes", "list") == 0
    out = capsys.readouterr().out
    assert "1. " in out and "Sarah Friar" in out and "CFO, at VivaTech" in out
    assert _cli(seeds_ws, "quotes", "list", "--entity", "Friar", "--json") == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
    assert _cli(seeds_ws, "quotes", "list", "--tag", "nope", "--json") == 0
    assert json.loads(capsys.readouterr().out) == []
    assert _cli(seeds_ws, "quotes", "rm", "2") == 2
    assert _cli(seeds_ws, "quotes", "rm", "1") == 0
    assert "removed quote 1" in capsys.readouterr().out
    assert kept.store_for(seeds_ws).load() == []


def test_kept_quotes_survive_reindexing_reanchored_or_orphaned(seeds_ws, seeds_copy, capsys):
    article_id = _friar_id(seeds_ws)
    first = kept.keep_text(seeds_ws, article_id, FRIAR, note="friar")
    other = kept.keep_text(seeds_ws, article_id, "Forbes previously reported")
    path = next(seeds_copy.glob("2025-06-19-*.txt"))
    text = path.read_text(encoding="utf-8")
    # edit the article: a new paragraph before the quote, and one sentence removed
    text = text.replace("Right after the Meta deal", "An editor's note added later.\n\n"
                        "Right after the Meta deal").replace("Forbes previously reported", "It")
    path.write_text(text, encoding="utf-8")
    seeds_ws.update_index()
    items = kept.refresh(seeds_ws)
    by_id = {h.id: h for h in items}
    moved, orphan = by_id[first.id], by_id[other.id]
    assert moved.status == "reanchored" and moved.start > first.start
    body = seeds_ws.article(article_id).body
    assert body[moved.start:moved.end] == FRIAR
    assert orphan.status == "orphaned" and orphan.text == "Forbes previously reported"
    assert _cli(seeds_ws, "quotes", "list") == 0
    out = capsys.readouterr().out
    assert "orphaned" in out and "Forbes previously reported" in out   # listed, not dropped
    stored = {h.id: h for h in kept.store_for(seeds_ws).load()}
    assert stored[first.id].status == "reanchored" and stored[other.id].status == "orphaned"


def test_kept_quote_of_a_removed_article_is_orphaned_not_dropped(seeds_ws, seeds_copy):
    article_id = _friar_id(seeds_ws)
    kept.keep_text(seeds_ws, article_id, FRIAR)
    next(seeds_copy.glob("2025-06-19-*.txt")).unlink()
    seeds_ws.update_index()
    (item,) = kept.refresh(seeds_ws)
    assert item.orphaned and fold(item.text) == fold(FRIAR)


def test_corrupt_quotes_file_is_one_line_exit_2_through_the_cli(seeds_ws, capsys):
    path = seeds_ws.config.data / "quotes.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "quotes:\n  - text: kept\n    article_id: abc\n    start: [1\n"
    path.write_text(text, encoding="utf-8")
    for args in (["quotes", "list"], ["quotes", "rm", "1"],
                 ["quotes", "add", _friar_id(seeds_ws), "--text", "Friar said"]):
        assert _cli(seeds_ws, *args) == 2
        err = capsys.readouterr().err
        assert f"{path}:" in err and "Traceback" not in err and len(err.splitlines()) == 1
    assert path.read_text(encoding="utf-8") == text


def test_kept_quotes_carry_their_entities_and_filter_by_any_alias(seeds_ws, capsys):
    article_id = _friar_id(seeds_ws)
    first = kept.keep_text(seeds_ws, article_id, "OpenAI had determined that Scale was not the "
                                              "best fit")
    assert {"OpenAI", "Scale AI"} <= set(first.entities)
    kept.keep_text(seeds_ws, article_id, FRIAR)
    assert _cli(seeds_ws, "quotes", "list", "--entity", "ChatGPT maker", "--json") == 0
    (only,) = json.loads(capsys.readouterr().out)       # the alias of OpenAI
    assert only["id"] == first.id and "OpenAI" in only["entities"]
    assert _cli(seeds_ws, "quotes", "export", "--format", "json", "--entity",
                "Sarah Friar", "-o", "-") == 0
    (friar,) = json.loads(capsys.readouterr().out)      # by its speaker
    assert friar["speaker"] == "Sarah Friar" and fold(friar["text"]) == fold(FRIAR)


def test_a_quotes_file_from_before_the_rename_still_reads_and_gains_the_full_title(seeds_ws):
    """quotes.yaml written before KeptQuote (no author, a title cut near 90 characters) reads
    as it is; refreshing gives the full title of its article."""
    article_id = _friar_id(seeds_ws)
    article = seeds_ws.article(article_id)
    start = article.body.index("Forbes previously reported")
    path = seeds_ws.config.data / "quotes.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "version: 1\nquotes:\n"
        f"- id: 0bf83e6f\n  text: Forbes previously reported\n  article_id: {article_id}\n"
        f"  start: {start}\n  end: {start + 26}\n  note: kept long ago\n  tags: [old]\n"
        f"  title: '{article.title}'\n  status: anchored\n", encoding="utf-8")
    (item,) = kept.store_for(seeds_ws).load()
    assert item.author is None and item.note == "kept long ago" and item.tags == ("old",)
    (fresh,) = kept.refresh(seeds_ws)
    assert fresh.title.startswith(article.title.rstrip("\u2026")) and len(fresh.title) > len(
        article.title) and fresh.note == "kept long ago"
