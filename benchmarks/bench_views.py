"""Views over many articles on Reuters with the ticker table: co-mentions and a monthly timeline
of an entity (from a warm index), and batch search of 1,000 names. The baseline is the same
counts computed by a plain scan of the stored entity fields and dates, in the same run; the
counts must be equal."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter

from benchmarks import common

NAME = "views"
VIEW_TARGET_MS = 150          # p95, co-mentions or a monthly timeline over Reuters
VIEW_TARGET_100K_MS = 500     # the same over the generated 100k corpus
BATCH_TARGET_S = 30           # 1,000 names over Reuters
ENTITIES = 20                 # entities timed (the most mentioned)


def _workspace(base, corpus):
    from explorer.config import parse_config
    from explorer.workspace import Workspace

    tsv = common.settings.corpora / "reuters_ticker_aliases.tsv"
    raw = {"corpus": str(corpus), "index": str(base / "index"), "data": str(base / "data"),
           "alias_tables": [{"path": str(tsv), "entity_column": "ticker",
                             "alias_column": "name_variant", "count_column": "count"}]}
    return Workspace(parse_config(raw, base / "config.yaml"))


def _scan(ws, name: str) -> tuple[Counter, Counter]:
    """Co-mention counts and articles per month of `name`, from every stored field."""
    shared: Counter = Counter()
    months: Counter = Counter()
    for fields in ws.index.searcher.all_stored_fields():
        names = [e for e in (fields.get("entity") or "").split(",") if e]
        if name not in names:
            continue
        shared.update(n for n in names if n != name)
        date = fields.get("date")
        if date:
            months[dt.date.fromisoformat(str(date)[:10]).replace(day=1)] += 1
    return shared, months


def _generated(label: str) -> list[dict]:
    """The same views over the generated corpus that bench_index indexed in this run (its
    default config), when it is there: the 100k target."""
    from explorer.search.article_index import ArticleIndex

    size = common.settings.generated_size or 100_000
    name = f"generated-{size // 1000}k" if size >= 1000 else f"generated-{size}"
    index = common.settings.work / "index" / name / "default" / "index"
    if not index.is_dir():
        return [common.skipped(NAME, name, "not indexed by bench_index in this work folder")]
    articles = ArticleIndex(index)
    try:
        started = time.perf_counter()
        table = articles.article_table({})
        first = (time.perf_counter() - started) * 1000
        names = sorted(table.articles_of, key=lambda n: -len(table.articles_of[n]))[:ENTITIES]
        times = []
        for entity in names:
            docs = table.articles_of[entity]
            t0 = time.perf_counter()
            table.co_mentions(docs, entity, {}, exclude=entity)
            table.timeline(docs, entity, "month")
            times.append((time.perf_counter() - t0) * 1000 / 2)
    finally:
        articles.close()
    p50, p95 = common.p50_p95(times) if times else (None, None)
    return [
        common.row(NAME, name, "article table, first use in a process", first, "ms"),
        common.row(NAME, name, f"co-mentions or monthly timeline p95 ({len(names)} entities)",
                   p95, "ms", target=f"<= {VIEW_TARGET_100K_MS} ms",
                   ok=None if p95 is None else p95 <= VIEW_TARGET_100K_MS),
    ]


def run(quick: bool) -> list[dict]:
    corpora = common.settings.corpora
    source = corpora / "reuters21578.jsonl"
    if not source.exists() or not (corpora / "reuters_ticker_aliases.tsv").exists():
        return [common.skipped(NAME, "reuters", f"{corpora}: absent")]
    label = "reuters (3,000)" if quick else "reuters"
    base = common.work_dir("views", "quick" if quick else "full")
    corpus = base / "reuters.jsonl"
    if not corpus.exists():
        with source.open(encoding="utf-8") as lines:
            corpus.write_text("".join(line for number, line in enumerate(lines)
                                      if not quick or number < 3000), encoding="utf-8")
    ws = _workspace(base, corpus)
    ws.update_index()
    started = time.perf_counter()
    table = ws._table()                        # first use in the process: built once
    first = time.perf_counter() - started
    names = sorted(table.articles_of, key=lambda n: -len(table.articles_of[n]))[:ENTITIES]

    view_times, scan_times, equal = [], [], True
    for name in names:
        t0 = time.perf_counter()
        found = ws.co_mentions(name)
        line = ws.timeline(name, None, "month")
        view_times.append((time.perf_counter() - t0) * 1000 / 2)   # per view
        t0 = time.perf_counter()
        shared, months = _scan(ws, name)
        scan_times.append((time.perf_counter() - t0) * 1000)
        equal &= {r.name: r.shared for r in found.rows} == dict(shared)
        equal &= {p.start: p.count for p in line.periods if p.count} == dict(months)
    view_p50, view_p95 = common.p50_p95(view_times)
    scan_p50, scan_p95 = common.p50_p95(scan_times)

    from explorer.workspace.batch import batch_search

    gazetteer = [e.name for e in ws.entities.gazetteer.entities]
    items = [(number, name) for number, name in enumerate(
        (gazetteer * 2)[: 200 if quick else 1000], 1)]
    t0, c0 = time.perf_counter(), time.process_time()
    rows = batch_search(ws, items)
    batch_wall, batch_cpu = time.perf_counter() - t0, time.process_time() - c0
    ws.close()
    return (_generated(label) if not quick else []) + [
        common.row(NAME, label, "article table, first use in a process", first * 1000, "ms"),
        common.row(NAME, label, f"co-mentions or monthly timeline p50 ({len(names)} entities)",
                   view_p50, "ms", baseline=scan_p50),
        common.row(NAME, label, "co-mentions or monthly timeline p95", view_p95, "ms",
                   baseline=scan_p95, target=f"<= {VIEW_TARGET_MS} ms",
                   ok=view_p95 <= VIEW_TARGET_MS),
        common.row(NAME, label, "counts equal a scan of the stored fields", None, "",
                   ok=equal),
        common.row(NAME, label, f"batch search of {len(items):,} names", batch_wall, "s",
                   target=None if quick else f"<= {BATCH_TARGET_S} s",
                   ok=None if quick else batch_wall <= BATCH_TARGET_S),
        common.row(NAME, label, "  the same, CPU time", batch_cpu, "s"),
        common.row(NAME, label, "  rows with an error", sum(1 for r in rows if r.error), "rows"),
    ]
