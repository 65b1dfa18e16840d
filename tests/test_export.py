"""Exports: Markdown (golden file), CSV and JSON parsed back, and `quotes export`."""

import csv
import datetime as dt
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from explorer.quotes import export
from explorer.quotes import kept
from explorer.ingest.articles import Article
from explorer.cli import main

GOLDEN = Path(__file__).parent / "golden"
NOW = dt.datetime(2025, 6, 20, 9, 30, tzinfo=dt.timezone.utc)

BODY = ("Right after the deal, OpenAI CFO Sarah Friar said: \u201cWe don\u2019t want to ice the "
        "ecosystem, because acquisitions are going to happen.\u201d\n\n"
        "A second paragraph, with \"straight quotes\", commas, and a line\nbreak.\n\n"
        "# Not a heading\n- not a list")


def _records():
    seed = Article(id="49b354e22f16", title="OpenAI phases out Scale AI *after* Meta deal",
                   body=BODY, path="seeds/2025-06-19-openai.txt", date="2025-06-19",
                   source="Bloomberg", url="https://example.com/openai-scale")
    local = replace(seed, id="0a1b2c3d4e5f", url=None, source=None, title="No URL here")
    start = BODY.index("We don")
    first = kept.make_kept_quote(seed, start, BODY.index("happen.") + 7, note="CFO, at VivaTech",
                              tags=["openai", "scale"], now=NOW)
    first = replace(first, id="aaaa1111", number=1, speaker="Sarah Friar",
                    speaker_role="chief financial officer", entities=("OpenAI", "Sarah Friar"))
    start = BODY.index("A second")
    second = kept.make_kept_quote(local, start, BODY.index("break.") + 6,
                               note='She said "no", then\nleft', now=NOW)
    second = replace(second, id="bbbb2222", number=2)
    start = BODY.index("# Not")
    third = replace(kept.make_kept_quote(local, start, len(BODY), now=NOW), id="cccc3333",
                    number=3, status="orphaned")
    return [h.to_dict() for h in (first, second, third)]


def test_markdown_matches_the_golden_file():
    text = export.to_markdown(_records())
    golden = GOLDEN / "quotes.md"
    assert text == golden.read_text(encoding="utf-8")


def test_markdown_blockquote_and_citation_shape():
    text = export.to_markdown(_records()[:1])
    lines = text.splitlines()
    assert lines[0].startswith("> We don\u2019t want to ice the ecosystem")
    citation = lines[2]
    for part in ("Sarah Friar", "OpenAI phases out Scale AI", "Bloomberg", "2025-06-19",
                 "https://example.com/openai-scale"):
        assert part in citation
    assert "Note: CFO, at VivaTech" in text


def test_csv_parses_back_with_every_field_and_awkward_cells():
    records = _records()
    rows = list(csv.DictReader(io.StringIO(export.to_csv(records), newline="")))
    assert len(rows) == 3
    assert list(rows[0]) == export.columns_of(records)
    assert set(records[0]) == set(rows[0])
    assert rows[1]["text"] == ('A second paragraph, with "straight quotes", commas, and a '
                               'line\nbreak.')
    assert rows[1]["note"] == 'She said "no", then\nleft'
    assert rows[0]["tags"] == "openai; scale" and rows[0]["entities"] == "OpenAI; Sarah Friar"
    assert rows[0]["start"] == str(records[0]["start"]) and rows[2]["status"] == "orphaned"
    assert rows[1]["url"] == ""                                 # None is an empty cell


def test_json_parses_back_to_the_same_objects():
    records = _records()
    back = json.loads(export.to_json(records))
    assert back == [export.ordered(r) for r in records]
    assert back[0]["tags"] == ["openai", "scale"] and back[1]["url"] is None


def test_empty_exports_are_still_well_formed():
    assert json.loads(export.to_json([])) == []
    assert next(csv.reader(io.StringIO(export.to_csv([])))) == list(export.COLUMNS)
    assert export.to_markdown([]) == ""
    with pytest.raises(ValueError):
        export.render("xml", [])


def _cli(ws, *args):
    cfg = ws.config
    return main(["--corpus", str(cfg.corpus), "--index", str(cfg.index), "--data",
                 str(cfg.data), *args])


def test_quotes_export_command_filters_and_writes_atomically(seeds_ws, tmp_path, capsys):
    from explorer.search.article_index import SearchRequest

    article_id = seeds_ws.search(SearchRequest("Friar")).hits[0].id
    kept.keep_text(seeds_ws, article_id, "We don't want to ice the ecosystem", tags=["cfo"])
    kept.keep_text(seeds_ws, article_id, "Forbes previously reported", note="forbes, too")
    out = tmp_path / "quotes.csv"
    assert _cli(seeds_ws, "quotes", "export", "--format", "csv", "--output", str(out)) == 0
    assert "wrote 2 quotes" in capsys.readouterr().err
    rows = list(csv.DictReader(out.open(newline="", encoding="utf-8")))
    assert [r["note"] for r in rows] == ["", "forbes, too"]
    assert rows[0]["speaker"] == "Sarah Friar"
    assert _cli(seeds_ws, "quotes", "export", "--format", "json", "--tag", "cfo", "-o", "-") == 0
    (only,) = json.loads(capsys.readouterr().out)
    assert only["tags"] == ["cfo"] and only["title"]
    assert _cli(seeds_ws, "quotes", "export", "--format", "md", "--entity", "Sarah Friar",
                "-o", "-") == 0
    md = capsys.readouterr().out
    assert md.startswith("> We don") and "Forbes" not in md
    assert _cli(seeds_ws, "quotes", "export", "--format", "md", "--output", str(tmp_path)) == 2
    assert "is a folder" in capsys.readouterr().err
