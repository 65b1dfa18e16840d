"""The benchmark harness runs (quick mode, a tiny generated corpus) so it cannot rot unnoticed.

No timing assertions: only that the table has the rows a reader of `make bench` expects.
"""

import importlib

from benchmarks import common
from benchmarks.__main__ import discover, main


def test_every_benchmark_module_exposes_run():
    names = discover()
    assert "bench_index" in names
    for name in names:
        assert callable(importlib.import_module(f"benchmarks.{name}").run), name


def test_quick_run_prints_a_table_with_every_measurement(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(common, "settings", common.Settings())
    json_out = tmp_path / "rows.json"
    status = main(["--quick", "--only", "index", "--size", "40", "--corpora",
                   str(tmp_path / "absent"), "--work", str(tmp_path / "work"),
                   "--json", str(json_out), "--docs", str(tmp_path / "docs.md")])
    out = capsys.readouterr().out
    assert status == 0
    lines = out.splitlines()
    assert lines[1].split() == list(common.COLUMNS)
    # Real corpora are absent here: they are skipped, with the reason in the table.
    assert any(line.split()[:3] == ["index", "bbc", "skipped"] for line in lines)
    generated = [line for line in lines if "generated-40" in line]
    metrics = " | ".join(generated)
    for metric in ("index CPU, default config", "index wall, default config",
                   "index peak RSS, default config", "index size", "no-change re-index",
                   "open the index", "search term p95", "search phrase p95", "search AND p95",
                   "search boolean p95", "search date-range p95", "search term+date p50",
                   "first query in a fresh process", "one-shot search --json, default config",
                   "app peak RSS"):
        assert metric in metrics, metric
    assert (tmp_path / "work" / "generated" / "n40-s2026" / "articles.jsonl").exists()
    import json
    rows = json.loads(json_out.read_text())
    cpu = [r for r in rows if r["metric"].startswith("index CPU")]
    assert cpu[0]["value"] > 0 and cpu[0]["baseline"] > 0 and cpu[0]["ratio"] > 0
    assert not (tmp_path / "docs.md").exists()      # only a full run writes the figures


def test_search_queries_use_distinct_words_per_kind():
    from benchmarks.bench_index import make_queries

    texts = [("t", " ".join(f"word{n:03d}x alpha{n:03d}y" for n in range(k, k + 40)), 0)
             for k in range(0, 400, 40)]
    texts = [(t, b.replace("0", "a").replace("1", "b").replace("2", "c").replace("3", "d")
              .replace("4", "e").replace("5", "f").replace("6", "g").replace("7", "h")
              .replace("8", "i").replace("9", "j"), d) for t, b, d in texts]
    queries = make_queries(texts, 5)
    seen: dict[str, str] = {}
    for kind, found in queries.items():
        for query in found:
            for word in query["text"].replace('"', " ").replace("(", " ").replace(")", " ") \
                    .split():
                if word in ("AND", "OR", "NOT"):
                    continue
                assert seen.setdefault(word, kind) == kind, (word, kind, seen[word])


def test_table_aligns_columns():
    rows = [common.row("x", "c", "short", 1.5, "ms", baseline=3.0),
            common.row("x", "corpus", "a longer metric", 12345.0, "articles/s", target="<= 1",
                       ok=False)]
    lines = common.format_table(rows).splitlines()
    assert lines[2].index("short") == lines[3].index("a longer metric")
    assert "0.50" in lines[2] and "12,345" in lines[3] and "FAIL" in lines[3]


def test_percentiles_use_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert common.p50_p95(values) == (50.0, 95.0)


def test_docs_get_the_latest_run_and_keep_the_rest(tmp_path):
    from benchmarks.__main__ import write_docs

    page = tmp_path / "performance.md"
    page.write_text("# Performance\n\nNotes by hand.\n")
    rows = [common.row("x", "c", "m", 1.0, "s", target="<= 2", ok=True)]
    write_docs(page, "machine A", rows)
    write_docs(page, "machine B", [common.row("x", "c", "m", 3.0, "s", target="<= 2", ok=False)])
    text = page.read_text()
    assert text.startswith("# Performance\n") and "Notes by hand." in text
    assert "machine B" in text and "machine A" not in text
    assert "1 of 1 targets missed" in text and "FAIL" in text
    assert text.count("## Latest run") == 1


def test_the_linking_benchmark_skips_without_the_labelled_sets(tmp_path, monkeypatch):
    from benchmarks import bench_linking

    monkeypatch.setattr(common, "settings", common.Settings(corpora=tmp_path / "corpora"))
    [row] = bench_linking.run(quick=True)
    assert row["metric"] == "skipped" and "absent" in row["unit"]
