"""Reading files into Articles: formats, encodings, bad files, stable ids."""

import json

from explorer.ingest.corpus import read_file, walk
from tests.conftest import SEEDS


def read_all(folder):
    files, skips = walk(folder)
    articles = []
    for f in files:
        contents = read_file(f)
        articles.extend(contents.articles)
        skips.extend(contents.skips)
    return articles, skips


def test_seeds_read_with_date_and_first_sentence_titles():
    articles, skips = read_all(SEEDS)
    assert skips == []
    by_date = {a.date: a for a in articles}
    dated = by_date["2025-06-19"]
    assert dated.title.startswith("OpenAI is phasing out the work it does with data-labeling")
    assert len(dated.title) <= 95 and dated.title.endswith("\u2026")
    assert dated.body.startswith("OpenAI is phasing out")  # the date header is not body text
    undated = by_date[None]
    assert "Alexandr Wang" in undated.body


def test_headline_format(tmp_path):
    (tmp_path / "a.txt").write_text("Ad sales boost Time Warner profit\n\nQuarterly profits rose.\n")
    (article,), _ = read_all(tmp_path)
    assert article.title == "Ad sales boost Time Warner profit"
    assert article.body == "Quarterly profits rose."


def test_markdown_front_matter(tmp_path):
    (tmp_path / "m.md").write_text(
        "---\ntitle: A title\ndate: 2025-06-12\nsource: Scale\nurl: https://x.test/a\n"
        "author: Jo\n---\nBody text here.\n")
    (article,), _ = read_all(tmp_path)
    assert (article.title, article.date, article.source, article.url, article.author) == (
        "A title", "2025-06-12", "Scale", "https://x.test/a", "Jo")
    assert article.body == "Body text here."


def test_jsonl_records_bad_lines_and_title_only(tmp_path):
    lines = [
        json.dumps({"id": "r1", "title": "COCOA REVIEW", "body": "Showers continued.",
                    "date": "1987-02-26T15:01:01"}),
        "{not json",
        json.dumps({"id": "r2", "title": "TITLE ONLY RECORD"}),
        json.dumps({"id": "r3", "text": "Text field body.", "source": "Wire"}),
    ]
    (tmp_path / "wire.jsonl").write_text("\n".join(lines) + "\n")
    articles, skips = read_all(tmp_path)
    assert [a.title for a in articles] == ["COCOA REVIEW", "TITLE ONLY RECORD",
                                          "Text field body."]
    assert articles[0].date == "1987-02-26T15:01:01"
    assert articles[0].source == "wire" and articles[2].source == "Wire"
    assert articles[1].body == ""
    assert len(skips) == 1 and skips[0].path == "wire.jsonl" and "2:" in skips[0].reason


def test_encodings_binary_and_empty_files_are_skipped_with_reasons(tmp_path):
    (tmp_path / "latin.txt").write_bytes("Fee\n\nA \xa315m signing.".encode("latin-1"))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blob.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    articles, skips = read_all(tmp_path)
    assert [a.body for a in articles] == ["A \u00a315m signing."]
    reasons = {s.path: s.reason for s in skips}
    assert reasons["empty.txt"] == "empty file"
    assert "binary" in reasons["blob.txt"]
    assert "unsupported" in reasons["notes.pdf"]


def test_control_characters_are_made_visible(tmp_path):
    (tmp_path / "evil.txt").write_text("Head\n\nRed \x1b[31mALERT\x1b[0m and a bell\x07.\r\n")
    (article,), _ = read_all(tmp_path)
    assert "\x1b" not in article.body and "\x07" not in article.body
    assert "\u241b[31mALERT" in article.body


def test_ids_are_stable_across_runs():
    first, _ = read_all(SEEDS)
    second, _ = read_all(SEEDS)
    assert [a.id for a in first] == [a.id for a in second]
    assert len({a.id for a in first}) == 2
