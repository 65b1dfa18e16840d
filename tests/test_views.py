"""Views over many articles: co-mentions, timelines, batch search, the gazetteer exported.
Their counts are checked against a plain scan of the stored entity fields and dates."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter

import pytest

from explorer.cli import main
from explorer.records import SearchRequest
from explorer.search.aggregate import next_period, period_start
from tests.conftest import CORPORA, ROOT, needs_corpora

STORIES = [   # (date, text): names from the configured gazetteer (config.yaml)
    ("2025-01-03", "OpenAI and Meta talked. Sam Altman said little."),
    ("2025-01-20", "Meta hired from Google. Scale AI was not involved."),
    ("2025-02-11", "OpenAI, Google and Meta all bid. Sarah Friar was there."),
    ("2025-02-12", "Google cut prices; OpenAI did not."),
    ("2025-04-30", "Sam Altman of OpenAI spoke in Paris at VivaTech."),
    ("2025-04-30", "Bloomberg reported on Meta and Scale AI."),
    (None, "Undated note: OpenAI and Reuters."),
]


@pytest.fixture
def views_ws(workspace_factory, tmp_path):
    corpus = tmp_path / "views"
    corpus.mkdir()
    for number, (date, text) in enumerate(STORIES):
        front = f"---\ntitle: Story {number}\n" + (f"date: {date}\n" if date else "") + "---\n"
        (corpus / f"s{number}.md").write_text(front + text + "\n", encoding="utf-8")
    return workspace_factory(corpus)


def scanned(ws, request: SearchRequest | None = None, entity: str | None = None):
    """(entities, day) of each article of the subject, read from the stored fields."""
    ids = set(ws.index.matching_ids(request)) if request is not None else None
    found = []
    for fields in ws.index.searcher.all_stored_fields():
        names = [e for e in (fields.get("entity") or "").split(",") if e]
        if ids is not None and fields["id"] not in ids:
            continue
        if entity is not None and entity not in names:
            continue
        date = fields.get("date")
        found.append((names, dt.date.fromisoformat(str(date)[:10]) if date else None))
    return found


def expected_co_mentions(rows, exclude=None) -> dict[str, int]:
    counts = Counter(name for names, _ in rows for name in names if name != exclude)
    return dict(counts)


def expected_timeline(rows, by: str) -> tuple[dict[dt.date, int], int]:
    counts = Counter(period_start(day, by) for _, day in rows if day is not None)
    return dict(counts), sum(1 for _, day in rows if day is None)


def check_views(ws, *, entities=(), queries=()) -> None:
    for entity in entities:
        rows = scanned(ws, entity=entity)
        found = ws.co_mentions(entity)
        assert found.articles == len(rows)
        assert {r.name: r.shared for r in found.rows} == expected_co_mentions(rows, entity)
        for by in ("day", "week", "month"):
            line = ws.timeline(entity, None, by)
            counts, undated = expected_timeline(rows, by)
            assert {p.start: p.count for p in line.periods if p.count} == counts
            assert line.undated == undated and line.dated + undated == len(rows)
    for text in queries:
        request = SearchRequest(text)
        rows = scanned(ws, request)
        found = ws.co_mentions(None, request)
        assert found.articles == len(rows)
        assert {r.name: r.shared for r in found.rows} == expected_co_mentions(rows)
        line = ws.timeline(None, request, "month")
        counts, undated = expected_timeline(rows, "month")
        assert {p.start: p.count for p in line.periods if p.count} == counts
        assert line.undated == undated


def test_counts_equal_a_scan_of_the_stored_fields(views_ws):
    check_views(views_ws, entities=("OpenAI", "Meta", "Google"),
                queries=("", "Google", "Meta OR Paris", "date:2025-02"))


def test_co_mentions_of_an_entity_with_lift(views_ws):
    found = views_ws.co_mentions("ChatGPT maker")        # an alias: OpenAI
    assert found.subject == "OpenAI" and found.articles == 5 and found.total == 7
    google = next(r for r in found.rows if r.name == "Google")
    assert (google.shared, google.articles) == (2, 3)
    assert google.lift == pytest.approx((2 / 5) / (3 / 7))
    assert "OpenAI" not in {r.name for r in found.rows}
    assert found.rows[0].shared >= found.rows[-1].shared


def test_a_timeline_has_every_period_and_counts_undated_apart(views_ws):
    line = views_ws.timeline(None, SearchRequest("OpenAI"), "month")
    assert [(p.label, p.count) for p in line.periods] == [
        ("2025-01-01", 1), ("2025-02-01", 2), ("2025-03-01", 0), ("2025-04-01", 1)]
    assert line.undated == 1 and line.busiest[0].label == "2025-02-01"
    assert line.periods[1].query() == "date:[2025-02-01 to 2025-02-28]"
    narrowed = views_ws.search(SearchRequest("OpenAI " + line.periods[1].query()))
    assert narrowed.total == 2


def test_periods_start_and_end_where_a_calendar_says():
    day = dt.date(2024, 2, 29)
    assert period_start(day, "week") == dt.date(2024, 2, 26)          # a Monday
    assert next_period(dt.date(2024, 2, 1), "month") == dt.date(2024, 3, 1)
    assert next_period(dt.date(2024, 12, 1), "month") == dt.date(2025, 1, 1)


def test_an_unknown_entity_names_the_nearest(views_ws):
    from explorer.errors import NotFoundError

    with pytest.raises(NotFoundError, match="names no entity.*nearest"):
        views_ws.co_mentions("Zzyzx Holdings")


# -- the command line ---------------------------------------------------------------------------
@pytest.fixture
def cli(views_ws, capsys):
    config = views_ws.config
    base = ["--config", str(ROOT / "config.yaml"), "--corpus", str(config.corpus),
            "--index", str(config.index), "--data", str(config.data)]

    def run(*args):
        status = main([*args, *base])
        out, err = capsys.readouterr()
        return status, out, err
    return run


def test_comentions_and_timeline_commands(cli):
    status, out, _ = cli("comentions", "Meta", "--json")
    data = json.loads(out)
    assert status == 0 and data["subject"] == "Meta" and data["articles"] == 4
    assert "lift" in data["measure"]
    status, out, _ = cli("comentions", "--query", "Google", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert status == 0 and {r["name"] for r in rows} >= {"OpenAI", "Meta"}
    status, out, _ = cli("timeline", "OpenAI", "--by", "month", "--json")
    data = json.loads(out)
    assert status == 0 and data["undated"] == 1 and data["dated"] == 4
    status, out, _ = cli("timeline", "OpenAI", "--plot")
    assert status == 0 and "█" in out and "busiest" in out
    status, _, err = cli("comentions")
    assert status == 2 and err.count("\n") == 1


def test_batch_searches_every_row_and_reports_a_bad_one(cli, tmp_path):
    names = tmp_path / "names.csv"
    names.write_text('name,note\nChatGPT maker,alias\n"""lure",broken query\n'
                     "Frobnitz,nobody\n# skipped,\n,\nGoogle,\n", encoding="utf-8")
    status, out, err = cli("batch", str(names), "--json")
    rows = json.loads(out)
    assert status == 0 and [r["text"] for r in rows] == [
        "ChatGPT maker", '"lure', "Frobnitz", "Google"]
    openai, broken, nobody, google = rows
    assert openai["entity"] == "OpenAI" and openai["hits"] == 5 and len(openai["top"]) == 3
    assert broken["error"] and broken["hits"] == 0 and "1 of 4 rows" in err
    assert nobody["hits"] == 0 and nobody["entity"] is None and not nobody["error"]
    assert google["entity"] == "Google" and google["snippet"]
    lines = tmp_path / "names.txt"
    lines.write_text("Meta\nSarah Friar\n", encoding="utf-8")
    status, out, _ = cli("batch", str(lines))
    table = list(csv.DictReader(io.StringIO(out)))
    assert [(r["entity"], r["hits"]) for r in table] == [("Meta", "4"), ("Sarah Friar", "1")]


def test_the_gazetteer_exported_in_every_format(cli, tmp_path):
    from explorer.entities.gazetteer import load_entity_file
    from explorer.errors import ConfigError

    status, out, _ = cli("entities", "export", "--format", "yaml")
    (tmp_path / "out.yaml").write_text(out, encoding="utf-8")
    back = {e.name: e for e in load_entity_file(tmp_path / "out.yaml", ConfigError, 1)}
    assert status == 0 and "ChatGPT maker" in back["OpenAI"].aliases
    status, out, _ = cli("entities", "export", "--format", "spacy")
    patterns = [json.loads(line) for line in out.splitlines()]
    assert {"label": "ORG", "pattern": "ChatGPT maker", "id": "OpenAI"} in patterns
    assert {"label": "PERSON", "pattern": "Sarah Friar", "id": "Sarah Friar"} in patterns
    status, out, err = cli("entities", "export", "--format", "ftm")
    entities = [json.loads(line) for line in out.splitlines()]
    openai = next(e for e in entities if e["properties"]["name"] == ["OpenAI"])
    assert openai["schema"] == "Organization" and "ChatGPT maker" in openai["properties"]["alias"]
    assert {e["schema"] for e in entities} <= {"Person", "Organization", "Address"}
    assert "left out" in err                     # ChatGPT (a product), VivaTech (other)


# -- real news ----------------------------------------------------------------------------------
@needs_corpora("bbc", "politics")
def test_bbc_counts_equal_a_scan(workspace_factory, tmp_path):
    import shutil

    corpus = tmp_path / "bbc"
    shutil.copytree(CORPORA / "bbc" / "politics", corpus)
    ws = workspace_factory(corpus)
    check_views(ws, entities=("Reuters",), queries=("Blair", "election tax"))


@needs_corpora("reuters21578.jsonl")
def test_reuters_counts_equal_a_scan(workspace_factory, tmp_path):
    corpus = tmp_path / "reuters.jsonl"
    with (CORPORA / "reuters21578.jsonl").open(encoding="utf-8") as source:
        corpus.write_text("".join(line for _, line in zip(range(3000), source)),
                          encoding="utf-8")
    ws = workspace_factory(corpus)
    check_views(ws, entities=("Reuters", "Paris"), queries=("oil", "coffee OR cocoa"))
