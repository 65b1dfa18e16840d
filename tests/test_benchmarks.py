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
                   "--json", str(json_out)])
    out = capsys.readouterr().out
    assert status == 0
    lines = out.splitlines()
    assert lines[1].split() == list(common.COLUMNS)
    # Real corpora are absent here: they are skipped, with the reason in the table.
    assert any(line.split()[:3] == ["index", "bbc", "skipped"] for line in lines)
    generated = [line for line in lines if "generated-40" in line]
    metrics = " | ".join(generated)
    for metric in ("indexing (fresh build)", "index size", "no-change re-index",
                   "search term p95", "search phrase p95", "search boolean p95",
                   "search date-range p95", "search term+date p50", "date-range p95 / term p95"):
        assert metric in metrics, metric
    assert (tmp_path / "work" / "generated" / "n40-s2026" / "articles.jsonl").exists()
    import json
    rows = json.loads(json_out.read_text())
    rates = [r for r in rows if r["metric"] == "indexing (fresh build)"]
    assert rates[0]["value"] > 0 and rates[0]["baseline"] > 0 and rates[0]["ratio"] > 0


def test_table_aligns_columns():
    rows = [common.row("x", "c", "short", 1.5, "ms", baseline=3.0),
            common.row("x", "corpus", "a longer metric", 12345.0, "articles/s", target="<= 1",
                       ok=False)]
    lines = common.format_table(rows).splitlines()
    assert lines[2].index("short") == lines[3].index("a longer metric")
    assert "0.50" in lines[2] and "12,345" in lines[3] and "NO" in lines[3]


def test_percentiles_use_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert common.p50_p95(values) == (50.0, 95.0)


def test_the_linking_benchmark_skips_without_the_labelled_sets(tmp_path, monkeypatch):
    from benchmarks import bench_linking

    monkeypatch.setattr(common, "settings", common.Settings(corpora=tmp_path / "corpora"))
    [row] = bench_linking.run(quick=True)
    assert row["metric"] == "skipped" and "absent" in row["unit"]
