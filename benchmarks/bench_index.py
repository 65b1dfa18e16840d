"""Indexing and search speed of the Whoosh index beside SQLite FTS5, same articles, same run.

Per corpus (BBC, Reuters-21578, a generated corpus of --size articles): articles/s indexed (a fresh
build, reading the files included on both sides), index size, a no-change re-index (beside the time
to stat every file of the corpus, the floor for change detection), and search p50/p95 with snippets
for term, phrase, boolean, date-range and term+date queries (FTS5: bm25 with the title weighted
2x like Whoosh, snippets by snippet(), dates in an indexed side table joined by rowid).
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
import sqlite3
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks import common
from explorer.ingest.corpus import read_file, walk
from explorer.index.build import content_hash, update_index
from explorer.search.article_index import ArticleIndex, SearchRequest

NAME = "index"
LIMIT = 50            # results per query, with a snippet each: what `news-explorer search` shows
KINDS = ("term", "phrase", "boolean", "date-range", "term+date")
_WORD = re.compile(r"[A-Za-z]{4,}")
_STOP = frozenset("""that with from this have were been will said they their there which would
about after also into more than other some such them then these what when where while year years
could should most over only said says just like made make many much very""".split())


@dataclass
class Loaded:
    articles: list          # unique articles, as the indexer keeps them (first path of a group)
    seconds: float          # walking and reading the files


def load(corpus: Path) -> Loaded:
    started = time.perf_counter()
    files, _ = walk(corpus)
    seen: dict[str, object] = {}
    for f in files:
        for article in read_file(f).articles:
            seen.setdefault(content_hash(article), article)
    articles = sorted(seen.values(), key=lambda a: a.path)
    return Loaded(articles, time.perf_counter() - started)


# -- SQLite FTS5, the baseline -----------------------------------------------------------------
def fts5_build(articles: list, db: Path) -> sqlite3.Connection:
    if db.exists():
        db.unlink()
    con = sqlite3.connect(str(db))
    con.executescript("""
        CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize='porter unicode61');
        CREATE TABLE docs(rowid INTEGER PRIMARY KEY, id TEXT, path TEXT, date TEXT,
                          source TEXT, day INTEGER);
    """)
    with con:
        con.executemany("INSERT INTO fts(rowid, title, body) VALUES (?, ?, ?)",
                        ((n, a.title, a.body) for n, a in enumerate(articles, 1)))
        con.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?)",
                        ((n, a.id, a.path, a.date, a.source,
                          a.when.toordinal() if a.when else 0)
                         for n, a in enumerate(articles, 1)))
        con.execute("CREATE INDEX docs_day ON docs(day)")
    return con


_FTS_SELECT = ("SELECT d.id, fts.title, d.date, d.source, d.path, "
               "snippet(fts, 1, '**', '**', ' … ', 24) FROM fts JOIN docs d ON d.rowid = fts.rowid ")


def fts5_search(con: sqlite3.Connection, query: dict) -> list:
    days = query.get("days")
    if query["fts"] is None:       # a date range alone: newest first, the opening as snippet
        return con.execute(
            "SELECT d.id, f.title, d.date, d.source, d.path, substr(f.body, 1, 160) "
            "FROM docs d JOIN fts f ON f.rowid = d.rowid WHERE d.day BETWEEN ? AND ? "
            "ORDER BY d.day DESC LIMIT ?", (*days, LIMIT)).fetchall()
    where, params = "fts MATCH ?", [query["fts"]]
    if days:
        where += " AND d.day BETWEEN ? AND ?"
        params += list(days)
    return con.execute(f"{_FTS_SELECT} WHERE {where} ORDER BY bm25(fts, 2.0, 1.0) LIMIT ?",
                       (*params, LIMIT)).fetchall()


# -- queries -----------------------------------------------------------------------------------
def make_queries(articles: list, per_kind: int, seed: int = 11) -> dict[str, list[dict]]:
    """Queries drawn from the corpus itself (so they hit), the same for Whoosh and FTS5."""
    rng = random.Random(seed)
    with_body = [a for a in articles if a.body]

    def word() -> str:
        while True:
            words = [w.lower() for w in _WORD.findall(rng.choice(with_body).body)]
            words = [w for w in words if w not in _STOP]
            if words:
                return rng.choice(words)

    def phrase() -> tuple[str, str]:
        while True:
            words = re.findall(r"[A-Za-z]+", rng.choice(with_body).body)
            if len(words) > 3:
                i = rng.randrange(len(words) - 1)
                if len(words[i]) > 2 and len(words[i + 1]) > 2:
                    return words[i].lower(), words[i + 1].lower()

    days = sorted(a.when.toordinal() for a in articles if a.when)

    def day_range() -> tuple[int, int] | None:
        if not days:
            return None
        start = rng.choice(days)
        return start, start + rng.randint(6, 30)

    def iso(day: int) -> str:
        return dt.date.fromordinal(day).isoformat()

    queries: dict[str, list[dict]] = {kind: [] for kind in KINDS}
    for number in range(per_kind):
        a, b, c = word(), word(), word()
        queries["term"].append({"text": a, "fts": f'"{a}"'})
        p, q = phrase()
        queries["phrase"].append({"text": f'"{p} {q}"', "fts": f'"{p} {q}"'})
        shape = number % 3
        if shape == 0:
            queries["boolean"].append({"text": f"{a} OR {b}", "fts": f'"{a}" OR "{b}"'})
        elif shape == 1:
            queries["boolean"].append({"text": f"{a} AND NOT {b}", "fts": f'"{a}" NOT "{b}"'})
        else:
            queries["boolean"].append({"text": f"({a} OR {b}) {c}",
                                       "fts": f'("{a}" OR "{b}") AND "{c}"'})
        span = day_range()
        if span:
            text = f"date:[{iso(span[0])} to {iso(span[1])}]"
            queries["date-range"].append({"text": text, "fts": None, "days": span})
            queries["term+date"].append({"text": f"{a} {text}", "fts": f'"{a}"', "days": span})
    return {kind: found for kind, found in queries.items() if found}


def time_queries(runs: list, queries: list[dict], warmup: int = 3) -> list[list[float]]:
    """Seconds per query for each of `runs`, taking turns query by query so that other work on
    the machine weighs on every side alike."""
    for query in queries[:warmup]:
        for run in runs:
            run(query)
    times: list[list[float]] = [[] for _ in runs]
    for number, query in enumerate(queries):
        order = list(range(len(runs)))
        if number % 2:
            order.reverse()
        for side in order:
            started = time.perf_counter()
            runs[side](query)
            times[side].append(time.perf_counter() - started)
    return times


# -- one corpus --------------------------------------------------------------------------------
def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def bench_corpus(label: str, corpus: Path, quick: bool, targets: dict) -> list[dict]:
    rows: list[dict] = []
    work = common.work_dir("index", label)
    index_dir = work / "whoosh"
    shutil.rmtree(index_dir, ignore_errors=True)

    def say(text: str) -> None:
        print(f"  {label}: {text}", file=sys.stderr, flush=True)

    loaded = load(corpus)
    say(f"{len(loaded.articles)} articles read in {loaded.seconds:.1f}s; FTS5 ...")
    started = time.perf_counter()
    con = fts5_build(loaded.articles, work / "fts5.db")
    fts_seconds = loaded.seconds + time.perf_counter() - started
    fts_rate = len(loaded.articles) / fts_seconds

    say("Whoosh ...")
    summary = update_index(corpus, index_dir)
    rate = summary.articles / summary.seconds
    rows.append(common.row(NAME, label, "indexing (fresh build)", rate, "articles/s",
                           baseline=fts_rate, target=targets.get("rate")))
    rows.append(common.row(NAME, label, "index size", folder_bytes(index_dir) / 1e6, "MB",
                           baseline=(work / "fts5.db").stat().st_size / 1e6))

    walk_seconds, _ = common.timed(lambda: walk(corpus))
    again = update_index(corpus, index_dir)
    limit = targets.get("reindex")
    rows.append(common.row(NAME, label, "no-change re-index", again.seconds, "s",
                           baseline=walk_seconds,
                           target=f"<= {limit} s" if limit else None,
                           ok=(again.seconds <= limit and not again.changed) if limit else None))

    say("searching ...")
    per_kind = 12 if quick else 60
    queries = make_queries(loaded.articles, per_kind)
    ix = ArticleIndex(index_dir)
    try:
        p95s: dict[str, float] = {}
        for kind, found in queries.items():
            mine, theirs = time_queries(
                [lambda q: ix.search(SearchRequest(q["text"], limit=LIMIT)),
                 lambda q: fts5_search(con, q)], found)
            (m50, m95), (t50, t95) = common.p50_p95(mine), common.p50_p95(theirs)
            p95s[kind] = m95
            rows.append(common.row(NAME, label, f"search {kind} p50", m50 * 1000, "ms",
                                   baseline=t50 * 1000))
            limit = targets.get("p95_ms")
            rows.append(common.row(NAME, label, f"search {kind} p95", m95 * 1000, "ms",
                                   baseline=t95 * 1000,
                                   target=f"<= {limit} ms" if limit else None,
                                   ok=m95 * 1000 <= limit if limit else None))
        if "date-range" in p95s:
            rows.append(common.row(NAME, label, "date-range p95 / term p95",
                                   p95s["date-range"] / p95s["term"], "x",
                                   target="<= 1", ok=p95s["date-range"] <= p95s["term"]))
        else:
            rows.append(common.skipped(NAME, label, "date queries: no dated articles"))
    finally:
        ix.close()
        con.close()
    return rows


def run(quick: bool) -> list[dict]:
    rows: list[dict] = []
    size = common.settings.generated_size or (300 if quick else 100_000)
    real = [("bbc", {"reindex": 1.0}), ("reuters", {"p95_ms": 40})]
    for name, targets in real:
        path = common.corpus_path(name)
        if path is None:
            rows.append(common.skipped(NAME, name, f"{common.settings.corpora}: absent"))
        elif quick:
            rows.append(common.skipped(NAME, name, "not in --quick"))
        else:
            rows.extend(bench_corpus(name, path, quick, targets))
    generated = common.generated_corpus(size)
    rows.extend(bench_corpus(f"generated-{size // 1000}k" if size >= 1000 else f"generated-{size}",
                             generated, quick, {}))
    return rows
