"""Issue 15: the dates a corpus gives, read exactly (ISO 8601 with or without time and offset,
RFC 2822, epoch seconds or milliseconds), kept in UTC, shown in local time; an unreadable date
is listed like a skipped file and its article still indexed."""

from __future__ import annotations

import json
import time

import pytest

from explorer.ingest.dates import local_date, read_date
from explorer.records import SearchRequest

RECORDS = [
    {"id": "rfc", "title": "Feed story", "body": "Oil prices rose.",
     "date": "Thu, 19 Jun 2025 10:00:00 GMT"},
    {"id": "epoch-s", "title": "Epoch seconds", "body": "Oil prices fell.", "date": 1750327200},
    {"id": "epoch-ms", "title": "Epoch ms", "body": "Oil prices held.", "date": "1750327200000"},
    {"id": "offset", "title": "Late in Chicago", "body": "Oil prices spiked.",
     "date": "2025-06-19T23:30:00-05:00"},
    {"id": "day", "title": "A day", "body": "Oil prices slid.", "date": "2025-06-18"},
    {"id": "bad", "title": "Bad date", "body": "Oil prices wobbled.", "date": "next Tuesdayish"},
    {"id": "early", "title": "Early", "body": "Oil prices opened.", "date": "2025-06-19T08:00Z"},
]


@pytest.fixture
def dated_ws(workspace_factory, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "wire.jsonl").write_text("\n".join(json.dumps(r) for r in RECORDS) + "\n")
    return workspace_factory(corpus)


def by_title(ws, text: str) -> dict:
    return {h.title: h for h in ws.search(SearchRequest(text, limit=None)).hits}


def test_every_date_form_is_read_and_kept_in_utc(dated_ws):
    hits = by_title(dated_ws, "oil")
    assert hits["Feed story"].date == "2025-06-19T10:00:00+00:00"
    assert hits["Epoch seconds"].date == "2025-06-19T10:00:00+00:00"
    assert hits["Epoch ms"].date == "2025-06-19T10:00:00+00:00"
    assert hits["Late in Chicago"].date == "2025-06-20T04:30:00+00:00"     # its UTC day
    assert hits["A day"].date == "2025-06-18"
    assert set(by_title(dated_ws, "date:2025-06-20")) == {"Late in Chicago"}
    assert set(by_title(dated_ws, "date:2025-06-19")) == {"Feed story", "Epoch seconds",
                                                         "Epoch ms", "Early"}


def test_an_unreadable_date_is_listed_and_the_article_indexed_undated(dated_ws):
    hits = by_title(dated_ws, "wobbled")
    assert hits["Bad date"].date is None
    stats = dated_ws.stats()
    assert stats["skipped"] == 1 and stats["articles"] == len(RECORDS)
    (skip,) = stats["skips"]
    assert "next Tuesdayish" in skip["reason"] and "undated" in skip["reason"]
    assert skip["path"].startswith("wire.jsonl")
    summary = dated_ws.update_index(rebuild=True)
    assert [reason for _, reason in summary.skips] == [skip["reason"]]


def test_sort_by_date_orders_by_the_time_of_day(dated_ws):
    for text in ("oil", "date:>2025-01-01"):       # words by date; dates alone
        hits = dated_ws.search(SearchRequest(text, sort="date", limit=None)).hits
        titles = [h.title for h in hits]
        assert titles[0] == "Late in Chicago"
        assert titles.index("Early") == 4 and titles[5] == "A day"      # 08:00 after 10:00
        assert all(h.score is None for h in hits)
    assert titles == [h.title for h in hits if h.date]
    assert dated_ws.search(SearchRequest("oil", sort="date", limit=None)).hits[-1].date is None


@pytest.mark.parametrize("value, iso", [
    ("2025-06-19", "2025-06-19"),
    ("2025-06-19T10:00", "2025-06-19T10:00:00"),
    ("2025-06-19 10:00:00", "2025-06-19T10:00:00"),
    ("2025-06-19T10:00:00Z", "2025-06-19T10:00:00+00:00"),
    ("2025-06-19T12:00:00+02:00", "2025-06-19T10:00:00+00:00"),
    ("Thu, 19 Jun 2025 12:00:00 +0200", "2025-06-19T10:00:00+00:00"),
    (1750327200.5, "2025-06-19T10:00:00+00:00"),
    (1750327200000, "2025-06-19T10:00:00+00:00"),
])
def test_read_date_forms(value, iso):
    assert read_date(value) == (iso, None)


def test_dates_with_an_offset_are_shown_in_local_time(monkeypatch):
    monkeypatch.setenv("TZ", "America/Chicago")
    time.tzset()
    try:
        assert local_date("2025-06-20T04:30:00+00:00") == "2025-06-19T23:30:00-05:00"
        assert local_date("1987-02-26T15:01:01") == "1987-02-26T15:01:01"     # zone unknown
        assert local_date("2025-06-18") == "2025-06-18"
    finally:
        monkeypatch.undo()
        time.tzset()
