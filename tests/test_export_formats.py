"""Exports other tools read (issue 14): Markdown that renders to exactly the quote (checked with
markdown-it-py in CommonMark mode, over hostile quotes), one CSV writer with formula guards and an
Excel option, W3C Web Annotation JSON-LD, CSL-JSON rendered by citeproc-py, Readwise CSV, golden
files for each; and (issue 12) exports that write only regular files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import random
from dataclasses import replace
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from explorer.cli import main
from explorer.csv_writer import to_csv
from explorer.ingest.articles import Article
from explorer.quotes import export, kept

GOLDEN = Path(__file__).parent / "golden"
NOW = dt.datetime(2025, 6, 20, 9, 30, tzinfo=dt.timezone.utc)
BODY = ("Right after the deal, OpenAI CFO Sarah Friar said: \u201cWe don\u2019t want to ice the "
        "ecosystem, because acquisitions are going to happen.\u201d\n\n"
        "=HYPERLINK(\"http://evil.example\", \"click\") was typed *very* [text](http://x.y) "
        "<b>bold</b> <!-- gone --> 1. not a list\n\n"
        "1. A numbered line\n# and a heading")
TITLE = ("OpenAI is phasing out the work it does with data-labeling startup Scale AI, cutting "
         "ties with the company days after Meta invested billions of dollars in it")


def records() -> list[dict]:
    article = Article(id="49b354e22f16", title=TITLE, body=BODY,
                      path="seeds/2025-06-19-open`ai`.txt", date="2025-06-19",
                      source="Bloomberg", url="https://example.com/openai-scale",
                      author="Jane Doe and Roe, John")
    start = BODY.index("We don")
    first = kept.make_kept_quote(article, start, BODY.index("happen.") + 7,
                                 note="CFO, at VivaTech", tags=["openai", "scale ai"], now=NOW)
    first = replace(first, id="aaaa1111", number=1, speaker="Sarah Friar",
                    speaker_role="chief financial officer")
    start = BODY.index("=HYPER")
    second = replace(kept.make_kept_quote(article, start, BODY.index("not a list") + 10,
                                          note="-1 point", now=NOW), id="bbbb2222", number=2)
    local = replace(article, id="0a1b2c3d4e5f", url=None, source=None, author=None,
                    title="No URL here")
    start = BODY.index("1. A numbered")
    third = replace(kept.make_kept_quote(local, start, len(BODY), now=NOW), id="cccc3333",
                    number=3, status="orphaned")
    return [q.to_dict() for q in (first, second, third)]


# ---- golden files ------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", export.FORMATS)
def test_every_format_matches_its_golden_file(fmt):
    text = export.render(fmt, records())
    golden = GOLDEN / f"quotes-all{export.EXTENSIONS[fmt]}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8", newline="")
    with open(golden, encoding="utf-8", newline="") as handle:
        assert text == handle.read()


def test_every_format_carries_author_full_title_source_date_url_and_id():
    for fmt in export.FORMATS:
        text = export.render(fmt, records()[:1])
        for part in (TITLE, "Bloomberg", "2025", "https://example.com/openai-scale",
                     "49b354e22f16"):
            assert part in text, (fmt, part)
        assert "Doe" in text and "Roe" in text, fmt


# ---- Markdown ----------------------------------------------------------------------------------

HOSTILE = [
    "*very*", "**bold** and _under_", "[text](http://example.com)", "![img](x.png)", "<b>x</b>",
    "<!-- hidden -->", "`code`", "``double``", "1. first", "1) first", "12345. big", "- item",
    "+ item", "* item", "# heading", "> quoted", "---", "===", "text\n===", "text\n---",
    "a\\", "back\\slash", "&amp; &copy; &#65;", "<http://auto.link>", "~~strike~~", "| a | b |",
    "    four spaces", "\ttab", "trailing two  \nspaces", "[ref]: http://x", "a_b_c", "\\*",
    "\u201cWe don\u2019t\u201d", "[x]\n\n[x]: /url", "<div>\nblock\n</div>", "```\nfence\n```",
    "~~~\nfence", "2025. A year", "a *b* `c` [d] <e> &f; \\g",
]


def rendered_text(markdown: str) -> tuple[str, set[str]]:
    """The plain text of the first blockquote, and every token type inside it."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    depth, words, kinds = 0, [], set()
    for token in tokens:
        if token.type == "blockquote_open":
            depth += 1
            continue
        if token.type == "blockquote_close":
            depth -= 1
            if depth == 0:
                break
            continue
        if depth:
            kinds.add(token.type)
            for child in token.children or ():
                kinds.add(child.type)
                if child.type in ("text", "code_inline"):
                    words.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    words.append(" ")
            if token.type == "paragraph_close":
                words.append(" ")
    return " ".join("".join(words).split()), kinds


def hostile_quotes():
    rng = random.Random(14)
    alphabet = "ab Z09*_`[]()<>!#&;:\\-+=.~|'\"\n\t{}@/"
    generated = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
                 for _ in range(400)]
    return [q for q in HOSTILE + generated if q.strip()]


def test_markdown_renders_exactly_the_quote_whatever_it_holds():
    for quote in hostile_quotes():
        record = {"text": quote, "title": quote, "author": quote, "article_id": "x"}
        text, kinds = rendered_text(export.to_markdown([record]))
        assert text == " ".join(quote.split()), repr(quote)
        assert kinds <= {"paragraph_open", "inline", "paragraph_close", "text", "softbreak",
                         "hardbreak"}, (repr(quote), kinds)


def test_markdown_citation_renders_its_fields_as_text():
    for value in HOSTILE:
        record = {"text": "q", "title": value, "author": value, "source": value,
                  "article_id": "x", "path": "a`b``c.txt", "note": value}
        tokens = MarkdownIt("commonmark").parse(export.to_markdown([record]))
        kinds = {child.type for t in tokens for child in (t.children or ())}
        assert kinds <= {"text", "softbreak", "hardbreak", "em_open", "em_close",
                         "code_inline"}, (repr(value), kinds)
        codes = [c.content for t in tokens for c in (t.children or ())
                 if c.type == "code_inline"]
        assert "a`b``c.txt" in codes and "x" in codes        # the backtick in a path is kept


def test_numbered_lines_are_escaped_without_a_visible_backslash():
    md = export.to_markdown([{"text": "1. A numbered line", "article_id": "x"}])
    assert md.startswith("> 1\\. A numbered line")
    assert rendered_text(md)[0] == "1. A numbered line"


# ---- CSV ---------------------------------------------------------------------------------------

def test_csv_cells_that_start_a_formula_are_guarded_and_excel_gets_a_bom():
    rows = [{"a": "=1+1", "b": "+SUM(A1)", "c": "-2+3", "d": "@cmd", "e": "\tx", "f": "\rx",
             "g": -5, "h": "plain, \"quoted\"\nline", "i": "\x1b]52;c;aGk=\x07"}]
    columns = list(rows[0])
    (back,) = list(csv.DictReader(io.StringIO(to_csv(rows, columns), newline="")))
    assert [back[k] for k in "abcdef"] == ["'=1+1", "'+SUM(A1)", "'-2+3", "'@cmd", "'\tx",
                                          "'\u240dx"]    # CR made visible too
    assert back["g"] == "-5" and back["h"] == "plain, \"quoted\"\nline"
    assert "\x1b" not in back["i"] and "\x07" not in back["i"]
    excel = to_csv(rows, columns, excel=True)
    assert excel.startswith("\ufeff") and not to_csv(rows, columns).startswith("\ufeff")


def test_quote_csv_guards_a_quote_that_starts_like_a_formula():
    rows = list(csv.DictReader(io.StringIO(export.to_csv(records()), newline="")))
    assert rows[1]["text"].startswith("'=HYPERLINK(") and rows[1]["note"] == "'-1 point"
    assert rows[0]["author"] == "Jane Doe and Roe, John" and rows[0]["title"] == TITLE


def test_readwise_csv_has_readwise_columns():
    text = export.to_readwise(records())
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(rows[0]) == list(export.READWISE_COLUMNS)
    assert rows[0]["Highlight"] == records()[0]["text"]
    assert rows[0]["Author"] == "Jane Doe and Roe, John" and rows[0]["Title"] == TITLE
    assert ".openai .scale_ai" in rows[0]["Note"] and "article 49b354e22f16" in rows[0]["Note"]
    assert rows[0]["Date"] == "2025-06-20 09:30:00"
    assert rows[1]["Highlight"].startswith("'=HYPERLINK(")


# ---- Web Annotation and CSL-JSON ---------------------------------------------------------------

def test_web_annotation_has_quote_and_position_selectors_note_and_tags():
    data = json.loads(export.to_annotations(records()))
    assert data["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection" and data["total"] == 3
    first, second, orphan = data["first"]["items"]
    assert first["type"] == "Annotation" and first["motivation"] == "commenting"
    quote, position = first["target"]["selector"]
    assert quote["type"] == "TextQuoteSelector" and quote["exact"] == records()[0]["text"]
    assert BODY[position["start"]:position["end"]] == quote["exact"]
    assert quote["prefix"] == BODY[:position["start"]][-len(quote["prefix"]):]
    assert first["body"] == [
        {"type": "TextualBody", "value": "CFO, at VivaTech", "format": "text/plain",
         "purpose": "commenting"},
        {"type": "TextualBody", "value": "openai", "purpose": "tagging"},
        {"type": "TextualBody", "value": "scale ai", "purpose": "tagging"}]
    source = first["target"]["source"]
    assert source["id"] == "https://example.com/openai-scale"
    assert (source["title"], source["identifier"]) == (TITLE, "49b354e22f16")
    assert source["creator"] == "Jane Doe and Roe, John" and source["publisher"] == "Bloomberg"
    assert [s["type"] for s in orphan["target"]["selector"]] == ["TextQuoteSelector"]
    assert orphan["target"]["source"]["id"] == "urn:news-explorer:article:0a1b2c3d4e5f"


def test_csl_json_renders_with_citeproc_py():
    citeproc = pytest.importorskip("citeproc")
    from citeproc import Citation, CitationItem, CitationStylesBibliography, \
        CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    items = json.loads(export.to_csl_json(records()))
    assert [i["id"] for i in items] == ["49b354e22f16", "0a1b2c3d4e5f"]
    assert items[0]["type"] == "article-newspaper"
    assert items[0]["author"] == [{"family": "Doe", "given": "Jane"},
                                  {"family": "Roe", "given": "John"}]
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    bibliography.register(Citation([CitationItem("49b354e22f16")]))
    (entry,) = [str(e) for e in bibliography.bibliography()]
    for part in ("Doe", "Roe", "2025", TITLE, "Bloomberg", "https://example.com/openai-scale"):
        assert part in entry, (part, entry)
    assert citeproc is not None


# ---- where exports go (issue 12) ---------------------------------------------------------------

def _cli(ws, *args):
    cfg = ws.config
    return main(["--corpus", str(cfg.corpus), "--index", str(cfg.index), "--data",
                 str(cfg.data), *args])


@pytest.fixture
def ws_with_quote(seeds_ws):
    from explorer.search.article_index import SearchRequest

    article_id = seeds_ws.search(SearchRequest("Friar")).hits[0].id
    kept.keep_text(seeds_ws, article_id, "Forbes previously reported")
    return seeds_ws


def test_export_goes_to_the_data_exports_folder_by_default(ws_with_quote, capsys):
    assert _cli(ws_with_quote, "quotes", "export", "--format", "md") == 0
    err = capsys.readouterr().err
    folder = ws_with_quote.config.data / "exports"
    (written,) = folder.iterdir()
    assert str(written) in err and written.suffix == ".md"
    assert _cli(ws_with_quote, "quotes", "export", "--format", "csl") == 0   # a new name
    assert len(list(folder.iterdir())) == 2
    assert any(p.name.endswith(".csl.json") for p in folder.iterdir())


def test_export_refuses_special_files_and_asks_for_force(ws_with_quote, tmp_path, capsys):
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    link = tmp_path / "link.md"
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    link.symlink_to(victim)
    for target, words in ((fifo, "not a regular file"), (link, "symbolic link"),
                          (tmp_path, "is a folder"), (Path("/dev/null"), "not a regular file"),
                          (tmp_path / "missing" / "q.md", "no such folder")):
        assert _cli(ws_with_quote, "quotes", "export", "--format", "md", "-o",
                    str(target)) == 2, target
        err = capsys.readouterr().err
        assert words in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert victim.read_text() == "keep me" and link.is_symlink()
    assert fifo.exists() and not fifo.is_file()
    assert not (tmp_path / "missing").exists()
    existing = tmp_path / "old.md"
    existing.write_text("old")
    assert _cli(ws_with_quote, "quotes", "export", "--format", "md", "-o", str(existing)) == 2
    assert "--force" in capsys.readouterr().err and existing.read_text() == "old"
    assert _cli(ws_with_quote, "quotes", "export", "--format", "md", "-o", str(existing),
                "--force") == 0
    assert "Forbes previously reported" in existing.read_text()


def test_an_orphaned_quote_is_listed_and_exported_with_its_citation(ws_with_quote, seeds_copy,
                                                                    capsys):
    next(seeds_copy.glob("2025-06-19-*.txt")).unlink()
    ws_with_quote.update_index()
    assert _cli(ws_with_quote, "quotes", "list") == 0
    assert "orphaned" in capsys.readouterr().out
    assert _cli(ws_with_quote, "quotes", "export", "--format", "md", "-o", "-") == 0
    md = capsys.readouterr().out
    assert "Forbes previously reported" in md and "orphaned" in md and "2025-06-19" in md


def test_search_csv_uses_the_same_guarded_writer(workspace_factory, tmp_path, capsys):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.md").write_text("---\ntitle: \"=HYPERLINK(\\\"http://evil\\\")\"\n---\n"
                                 "Oil prices rose.\n", encoding="utf-8")
    ws = workspace_factory(corpus)
    assert _cli(ws, "search", "oil", "--format", "csv", "--excel") == 0
    out = capsys.readouterr().out
    assert out.startswith("\ufeff")
    (row,) = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"), newline="")))
    assert row["title"].startswith("'=HYPERLINK(")


def test_control_characters_never_reach_a_markdown_or_csv_export():
    osc = "\x1b]52;c;aGVsbG8=\x07"
    record = {"text": f"said {osc} here", "title": f"T{osc}", "url": f"https://x.y/{osc}",
              "path": f"p{osc}.txt",
              "article_id": f"id{osc}", "note": osc, "tags": [osc]}
    for fmt in ("md", "csv", "readwise"):
        text = export.render(fmt, [record])
        assert "\x1b" not in text and "\x07" not in text, fmt
        assert "\u241b" in text, fmt                       # shown as ␛
