"""Indexing and search of the project beside SQLite FTS5, same articles, same run, each side
timed for its own work.

Fairness (issue 17):
- Each side reads its input its own way: FTS5 with a plain JSON read (benchmarks/sides.py), the
  project with its own reader, through its CLI (`news-explorer index --rebuild`), so entity
  tagging is included as for a user: the default config, and on Reuters also with the ticker
  table (5,245 entities).
- Each build runs in a process of its own, measured with wait4: CPU seconds (user + system,
  worker processes included) beside wall seconds, and the peak RSS of its largest process.
  Sides take turns in interleaved rounds (the order reversed every round) and medians are
  reported; ratios compare figures of the same run.
- No warm-up a user would not have: first-use costs are rows of their own (the first query in a
  fresh process, a one-shot `search --json`), and the search series starts cold. Each query kind
  draws words no other kind uses, so one kind does not warm the ranker's caches for another.
- Targets are checked, not only printed (PASS / FAIL in the `ok` column).
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
import sqlite3
import sys
import time
from pathlib import Path

from benchmarks import common
from benchmarks.sides import LIMIT, fts5_query, read_plain

NAME = "index"
KINDS = ("term", "phrase", "AND", "boolean", "date-range", "term+date")
_WORD = re.compile(r"[A-Za-z]{4,}")
_STOP = frozenset("""that with from this have were been will said they their there which would
about after also into more than other some such them then these what when where while year years
could should most over only says just like made make many much very""".split())
TICKER_TABLE = "reuters_ticker_aliases.tsv"

# Targets (issue 17), by corpus; sizes of the generated corpora by default.
REUTERS = {"cpu_ratio": 12, "wall_s": 30, "oneshot_s": 0.25, "oneshot_ticker_s": 0.35}
GENERATED = {
    100_000: {"cpu_ratio": 12, "p95_ms": 60, "first_ms": 80},
    300_000: {"p95_ms": 120, "oneshot_rss_mb": 250, "app_rss_mb": 400, "index_rss_mb": 800},
}


def _python() -> str:
    return sys.executable


def write_config(folder: Path, corpus: Path, ticker: bool) -> Path:
    """A config like the repository's (its entities), over `corpus`, with its own index."""
    entities = (common.REPO / "config.yaml").read_text(encoding="utf-8")
    entities = entities[entities.index("entities:"):]
    # The generated corpora are single JSON Lines files of 150 MB and more: over the default
    # 'max_file_mb', so allowed here.
    lines = [f"corpus: {corpus}", f"index: {folder / 'index'}", f"data: {folder / 'data'}",
             "max_file_mb: 4096"]
    if ticker:
        lines += ["alias_tables:", f"  - path: {corpus.parent / TICKER_TABLE}",
                  "    entity_column: ticker", "    alias_column: name_variant",
                  "    count_column: count", "    type: organization"]
    path = folder / "config.yaml"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n" + entities, encoding="utf-8")
    return path


# -- queries -----------------------------------------------------------------------------------
def make_queries(texts: list[tuple[str, str, int]], per_kind: int, seed: int = 11
                 ) -> dict[str, list[dict]]:
    """Queries drawn from the corpus (so they hit), the same for both sides; no word is used
    by two kinds (nor twice), so one kind does not warm the caches for the next."""
    rng = random.Random(seed)
    bodies = [body for _, body, _ in texts if body]
    used: set[str] = set()

    def word() -> str:
        for _ in range(10_000):
            words = [w.lower() for w in _WORD.findall(rng.choice(bodies))]
            words = [w for w in words if w not in _STOP and w not in used]
            if words:
                chosen = rng.choice(words)
                used.add(chosen)
                return chosen
        raise RuntimeError("the corpus has too few distinct words for the queries")

    def phrase() -> tuple[str, str]:
        for _ in range(10_000):
            words = re.findall(r"[A-Za-z]+", rng.choice(bodies))
            if len(words) > 3:
                i = rng.randrange(len(words) - 1)
                a, b = words[i].lower(), words[i + 1].lower()
                if len(a) > 2 and len(b) > 2 and a not in used and b not in used:
                    used.update((a, b))
                    return a, b
        raise RuntimeError("no phrase found")

    days = sorted(day for _, _, day in texts if day)

    def iso(day: int) -> str:
        return dt.date.fromordinal(day).isoformat()

    queries: dict[str, list[dict]] = {kind: [] for kind in KINDS}
    for number in range(per_kind):
        a = word()
        queries["term"].append({"text": a, "fts": f'"{a}"'})
        p, q = phrase()
        queries["phrase"].append({"text": f'"{p} {q}"', "fts": f'"{p} {q}"'})
        b, c = word(), word()
        queries["AND"].append({"text": f"{b} AND {c}", "fts": f'"{b}" AND "{c}"'})
        d, e, f = word(), word(), word()
        shape = number % 3
        if shape == 0:
            queries["boolean"].append({"text": f"{d} OR {e}", "fts": f'"{d}" OR "{e}"'})
        elif shape == 1:
            queries["boolean"].append({"text": f"{d} AND NOT {e}", "fts": f'"{d}" NOT "{e}"'})
        else:
            queries["boolean"].append({"text": f"({d} OR {e}) {f}",
                                       "fts": f'("{d}" OR "{e}") AND "{f}"'})
        if days:
            start = rng.choice(days)
            span = (start, start + rng.randint(6, 30))
            text = f"date:[{iso(span[0])} to {iso(span[1])}]"
            queries["date-range"].append({"text": text, "fts": None, "days": span})
            g = word()
            queries["term+date"].append({"text": f"{g} {text}", "fts": f'"{g}"', "days": span})
    return {kind: found for kind, found in queries.items() if found}


def interleaved(queries: dict[str, list[dict]]) -> list[tuple[str, dict]]:
    """Kinds in turn (term 0, phrase 0, ..., term 1, ...): the cold start is not one kind's."""
    longest = max(len(found) for found in queries.values())
    return [(kind, queries[kind][n]) for n in range(longest) for kind in queries
            if n < len(queries[kind])]


# -- one corpus --------------------------------------------------------------------------------
class Corpus:
    def __init__(self, label: str, path: Path, targets: dict, rounds: int, ticker: bool):
        self.label, self.path, self.targets, self.rounds = label, path, targets, rounds
        self.work = common.work_dir("index", label)
        self.db = self.work / "fts5.db"
        self.configs = {"default config": write_config(self.work / "default", path, False)}
        if ticker:
            self.configs["ticker table"] = write_config(self.work / "ticker", path, True)

    def say(self, text: str) -> None:
        print(f"  {self.label}: {text}", file=sys.stderr, flush=True)

    def cli(self, config: Path, *args: str) -> list[str]:
        return [_python(), "-m", "explorer", "--config", str(config), *args]

    def fts5(self, *args: str) -> list[str]:
        return [_python(), "-m", "benchmarks.sides", *args]

    def row(self, metric, value, unit, **kwargs) -> dict:
        return common.row(NAME, self.label, metric, value, unit, **kwargs)


def _check(value: float, limit: float | None) -> bool | None:
    return None if limit is None else value <= limit


def bench_indexing(c: Corpus) -> list[dict]:
    runs: dict[str, list[common.Run]] = {"fts5": [], **{name: [] for name in c.configs}}
    sides = list(runs)
    for number in range(c.rounds):
        order = sides if number % 2 == 0 else sides[::-1]
        for side in order:
            c.say(f"indexing round {number + 1}/{c.rounds}: {side} ...")
            if side == "fts5":
                argv = c.fts5("fts5-build", str(c.path), str(c.db))
            else:
                shutil.rmtree(c.configs[side].parent / "index", ignore_errors=True)
                argv = c.cli(c.configs[side], "index", "--rebuild")
            runs[side].append(common.measure(argv, cwd=common.REPO))
    t = c.targets
    fts_cpu = common.median(r.cpu for r in runs["fts5"])
    fts_wall = common.median(r.wall for r in runs["fts5"])
    rows = []
    for name in c.configs:
        cpu = common.median(r.cpu for r in runs[name])
        wall = common.median(r.wall for r in runs[name])
        rss = common.median(r.rss_mb for r in runs[name])
        ratio_limit = t.get("cpu_ratio")
        rows.append(c.row(f"index CPU, {name} (median of {c.rounds})", cpu, "s",
                          baseline=fts_cpu,
                          target=f"ratio <= {ratio_limit}" if ratio_limit else None,
                          ok=cpu / fts_cpu <= ratio_limit if ratio_limit else None))
        wall_limit = t.get("wall_s") if name == "default config" else None
        rows.append(c.row(f"index wall, {name}", wall, "s", baseline=fts_wall,
                          target=f"<= {wall_limit} s" if wall_limit else None,
                          ok=_check(wall, wall_limit)))
        rss_limit = t.get("index_rss_mb") if name == "default config" else None
        rows.append(c.row(f"index peak RSS, {name}", rss, "MB",
                          baseline=common.median(r.rss_mb for r in runs["fts5"]),
                          target=f"<= {rss_limit} MB" if rss_limit else None,
                          ok=_check(rss, rss_limit)))
    index = c.configs["default config"].parent / "index"
    rows.append(c.row("index size", common_size(index) / 1e6, "MB",
                      baseline=c.db.stat().st_size / 1e6))
    again = common.measure(c.cli(c.configs["default config"], "index"), cwd=common.REPO)
    rows.append(c.row("no-change re-index (CLI, wall)", again.wall, "s", baseline=None,
                      target="<= 1 s" if c.label == "bbc" else None,
                      ok=again.wall <= 1.0 if c.label == "bbc" else None))
    return rows


def common_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def bench_search(c: Corpus, texts: list, per_kind: int) -> list[dict]:
    from explorer.records import SearchRequest
    from explorer.workspace import Workspace

    queries = make_queries(texts, per_kind)
    workspace = Workspace.open(str(c.configs["default config"]))
    opened, _ = common.timed(lambda: workspace.index)          # opened, as the app does
    con = sqlite3.connect(str(c.db))
    runs = [lambda q: workspace.search(SearchRequest(q["text"], limit=LIMIT)),
            lambda q: fts5_query(con, q["fts"], q.get("days"))]
    times: dict[str, list[list[float]]] = {kind: [[], []] for kind in queries}
    c.say(f"searching: {sum(map(len, queries.values()))} queries, no warm-up ...")
    try:
        for number, (kind, query) in enumerate(interleaved(queries)):
            for side in ((0, 1) if number % 2 == 0 else (1, 0)):
                started = time.perf_counter()
                runs[side](query)
                times[kind][side].append(time.perf_counter() - started)
    finally:
        workspace.close()
        con.close()
    limit = c.targets.get("p95_ms")
    rows = [c.row("open the index (in process)", opened * 1000, "ms")]
    for kind, (mine, theirs) in times.items():
        (m50, m95), (t50, t95) = common.p50_p95(mine), common.p50_p95(theirs)
        rows.append(c.row(f"search {kind} p50", m50 * 1000, "ms", baseline=t50 * 1000))
        rows.append(c.row(f"search {kind} p95", m95 * 1000, "ms", baseline=t95 * 1000,
                          target=f"<= {limit} ms" if limit else None,
                          ok=_check(m95 * 1000, limit)))
    return rows


def bench_first_use(c: Corpus, texts: list, rounds: int) -> list[dict]:
    """The first query in a fresh process, and a one-shot `search --json`, per side."""
    words = [q["text"] for q in make_queries(texts, rounds * 3, seed=99)["term"]]
    first: dict[str, list[float]] = {"project": [], "fts5": []}
    oneshot: dict[str, list[common.Run]] = {"fts5": [], **{name: [] for name in c.configs}}
    c.say(f"first use: {rounds} rounds ...")
    for number in range(rounds):
        flip = number % 2 == 1
        word = words[number]
        for side in (("fts5", "project") if flip else ("project", "fts5")):
            argv = c.fts5("fts5-first", str(c.db), word) if side == "fts5" else \
                c.fts5("project-first", str(c.configs["default config"]), word)
            first[side].append(float(common.measure(argv, cwd=common.REPO).stdout.split()[-1]))
        word = words[rounds + number]
        sides = list(oneshot)
        for side in (sides[::-1] if flip else sides):
            argv = c.fts5("fts5-search", str(c.db), word) if side == "fts5" else \
                c.cli(c.configs[side], "search", word, "--json")
            oneshot[side].append(common.measure(argv, cwd=common.REPO))
    t = c.targets
    rows = []
    mine, theirs = common.median(first["project"]), common.median(first["fts5"])
    limit = t.get("first_ms")
    rows.append(c.row(f"first query in a fresh process (median of {rounds})", mine * 1000, "ms",
                      baseline=theirs * 1000, target=f"<= {limit} ms" if limit else None,
                      ok=_check(mine * 1000, limit)))
    base_wall = common.median(r.wall for r in oneshot["fts5"])
    base_cpu = common.median(r.cpu for r in oneshot["fts5"])
    base_rss = common.median(r.rss_mb for r in oneshot["fts5"])
    for name in c.configs:
        limit = t.get("oneshot_s" if name == "default config" else "oneshot_ticker_s")
        wall = common.median(r.wall for r in oneshot[name])
        rows.append(c.row(f"one-shot search --json, {name}, wall", wall, "s",
                          baseline=base_wall, target=f"<= {limit} s" if limit else None,
                          ok=_check(wall, limit)))
        rows.append(c.row(f"one-shot search --json, {name}, CPU",
                          common.median(r.cpu for r in oneshot[name]), "s", baseline=base_cpu))
        rss = common.median(r.rss_mb for r in oneshot[name])
        limit = t.get("oneshot_rss_mb") if name == "default config" else None
        rows.append(c.row(f"one-shot search --json, {name}, peak RSS", rss, "MB",
                          baseline=base_rss, target=f"<= {limit} MB" if limit else None,
                          ok=_check(rss, limit)))
    return rows


def bench_app_memory(c: Corpus, texts: list) -> list[dict]:
    word = make_queries(texts, 1, seed=5)["term"][0]["text"]
    run = common.measure(c.fts5("app-memory", str(c.configs["default config"]), word),
                         cwd=common.REPO)
    rss = float(run.stdout.split()[-1])
    limit = c.targets.get("app_rss_mb")
    return [c.row("app peak RSS (first list, one search)", rss, "MB",
                  target=f"<= {limit} MB" if limit else None, ok=_check(rss, limit))]


def bench_corpus(c: Corpus, quick: bool, app: bool) -> list[dict]:
    texts = list(read_plain(c.path))
    c.say(f"{len(texts)} records")
    rows = bench_indexing(c)
    rows += bench_search(c, texts, 8 if quick else 40)
    rows += bench_first_use(c, texts, 1 if quick else 5)
    if app:
        rows += bench_app_memory(c, texts)
    return rows


def run(quick: bool) -> list[dict]:
    rows: list[dict] = []
    settings = common.settings
    sizes = [settings.generated_size] if settings.generated_size else \
        ([300] if quick else sorted(GENERATED))
    for name, targets, rounds in (("bbc", {}, 1), ("reuters", REUTERS, 2)):
        path = common.corpus_path(name)
        if path is None:
            rows.append(common.skipped(NAME, name, f"{settings.corpora}: absent"))
        elif quick:
            rows.append(common.skipped(NAME, name, "not in --quick"))
        else:
            ticker = name == "reuters" and (path.parent / TICKER_TABLE).exists()
            rounds = settings.rounds or rounds
            rows.extend(bench_corpus(Corpus(name, path, targets, rounds, ticker), quick, False))
    for size in sizes:
        label = f"generated-{size // 1000}k" if size >= 1000 else f"generated-{size}"
        corpus = Corpus(label, common.generated_corpus(size), GENERATED.get(size, {}),
                        settings.rounds or 1, False)
        rows.extend(bench_corpus(corpus, quick, app=size == max(sizes)))
    return rows
