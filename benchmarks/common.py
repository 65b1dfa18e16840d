"""Shared helpers for the benchmarks: timing, percentiles, corpora, a generated corpus, the table."""

from __future__ import annotations

import json
import math
import random
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

REPO = Path(__file__).resolve().parents[1]
COLUMNS = ("benchmark", "corpus", "metric", "value", "unit", "baseline", "ratio", "target", "ok")


@dataclass
class Settings:
    """Run-wide options, set by `python -m benchmarks` before the modules run."""

    corpora: Path = Path(__file__).resolve().parents[2] / "shared" / "corpora"
    work: Path = REPO / "benchmarks" / ".work"
    generated_size: int | None = None    # articles in the generated corpus (None: 100,000)
    quick: bool = False
    rounds: int | None = None            # indexing rounds per corpus (None: the module's own)
    extra: dict[str, Any] = field(default_factory=dict)


settings = Settings()


# -- timing --------------------------------------------------------------------------------------
class Timer:
    seconds: float = 0.0


@contextmanager
def timer() -> Iterator[Timer]:
    """`with timer() as t: ...` then `t.seconds`."""
    t = Timer()
    started = time.perf_counter()
    try:
        yield t
    finally:
        t.seconds = time.perf_counter() - started


@dataclass
class Run:
    """A program run in a process of its own: wall and CPU seconds (user + system, its waited-for
    children included) and the peak RSS of the largest process of it, in MB."""

    wall: float
    cpu: float
    rss_mb: float
    stdout: str


def measure(argv: list[str], env: dict | None = None, cwd: Path | None = None) -> Run:
    """Run `argv` and measure it with wait4, through benchmarks/launch.py (which says why)."""
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        usage_file = Path(tmp) / "usage.json"
        launcher = [sys.executable, "-S", str(Path(__file__).with_name("launch.py")),
                    str(usage_file)]
        started = time.perf_counter()
        done = subprocess.run(launcher + list(argv), capture_output=True, env=env, cwd=cwd)
        wall = time.perf_counter() - started
        usage = json.loads(usage_file.read_text()) if usage_file.exists() else {"status": -1}
    stderr = done.stderr.decode("utf-8", "replace")
    if done.returncode or usage["status"]:
        raise RuntimeError(f"{' '.join(map(str, argv[:6]))}: exit {usage['status']}: "
                           f"{stderr.strip()[-300:]}")
    return Run(wall, usage["utime"] + usage["stime"], usage["maxrss_kb"] / 1024,
               done.stdout.decode("utf-8", "replace"))


def median(values: Iterable[float]) -> float:
    import statistics

    values = list(values)
    return statistics.median(values) if values else math.nan


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def percentile(values: Iterable[float], pct: float) -> float:
    """The pct-th percentile (nearest rank, 0-100) of values."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def p50_p95(values: Iterable[float]) -> tuple[float, float]:
    values = list(values)
    return percentile(values, 50), percentile(values, 95)


# -- rows and the table --------------------------------------------------------------------------
def row(benchmark: str, corpus: str, metric: str, value: float | None, unit: str, *,
        baseline: float | None = None, target: str | None = None,
        ok: bool | None = None) -> dict:
    """One table row; `ratio` is value / baseline (both measured in this run)."""
    ratio = None
    if value is not None and baseline:
        ratio = value / baseline
    return {"benchmark": benchmark, "corpus": corpus, "metric": metric, "value": value,
            "unit": unit, "baseline": baseline, "ratio": ratio, "target": target, "ok": ok}


def skipped(benchmark: str, corpus: str, reason: str) -> dict:
    """A row saying a corpus was not measured (absent, or too big for --quick)."""
    return row(benchmark, corpus, "skipped", None, reason)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "PASS" if value else "FAIL"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        if abs(value) >= 100:
            return f"{value:.0f}"
        if abs(value) >= 10:
            return f"{value:.1f}"
        return f"{value:.2f}" if abs(value) >= 0.1 or value == 0 else f"{value:.3f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def format_table(rows: list[dict]) -> str:
    """Rows as plain text with aligned columns (numbers right-aligned)."""
    header = list(COLUMNS)
    cells = [[_cell(r.get(c)) for c in COLUMNS] for r in rows]
    widths = [max([len(h)] + [len(line[i]) for line in cells]) for i, h in enumerate(header)]
    numeric = {"value", "baseline", "ratio"}

    def fmt(line: list[str]) -> str:
        return "  ".join(v.rjust(w) if c in numeric else v.ljust(w)
                         for c, v, w in zip(COLUMNS, line, widths)).rstrip()

    out = [fmt(header), fmt(["-" * w for w in widths])]
    out.extend(fmt(line) for line in cells)
    return "\n".join(out)


def format_markdown(rows: list[dict]) -> str:
    """The same rows as a Markdown table (for the README)."""
    out = ["| " + " | ".join(COLUMNS) + " |", "|" + " --- |" * len(COLUMNS)]
    for r in rows:
        out.append("| " + " | ".join(_cell(r.get(c)).replace("|", "/") for c in COLUMNS) + " |")
    return "\n".join(out)


# -- corpora -------------------------------------------------------------------------------------
REAL = {"bbc": "bbc", "reuters": "reuters21578.jsonl"}


def corpus_path(name: str) -> Path | None:
    """A real corpus under ../shared/corpora by short name ('bbc', 'reuters'), None when absent."""
    path = settings.corpora / REAL.get(name, name)
    return path if path.exists() else None


def work_dir(*parts: str) -> Path:
    """A folder under benchmarks/.work (git-ignored), created on demand."""
    path = settings.work.joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


_SENTENCE = re.compile(r"(?<=[.!?])[\"']?\s+(?=[\"'A-Z])")


def sentence_pool(limit: int = 60_000) -> list[str]:
    """Real sentences to recombine: BBC and Reuters when present, else the repo's seed articles."""
    texts: list[str] = []
    bbc, reuters = corpus_path("bbc"), corpus_path("reuters")
    if bbc:
        for path in sorted(bbc.rglob("*.txt")):
            texts.append(path.read_bytes().decode("utf-8", "replace").split("\n", 1)[-1])
    if reuters:
        with reuters.open(encoding="utf-8") as lines:
            for line in lines:
                body = json.loads(line).get("body")
                if body:
                    texts.append(body)
    if not texts:
        texts = [p.read_text(encoding="utf-8", errors="replace")
                 for p in sorted((REPO / "seeds").rglob("*")) if p.is_file()]
    pool: list[str] = []
    for text in texts:
        for sentence in _SENTENCE.split(" ".join(text.split())):
            if 30 <= len(sentence) <= 400:
                pool.append(sentence)
    random.Random(7).shuffle(pool)
    return pool[:limit]


def generated_corpus(size: int, seed: int = 2026) -> Path:
    """A JSONL corpus of `size` articles recombined from real sentences with random dates.

    Written once under benchmarks/.work/generated and reused while size and seed are the same.
    """
    folder = work_dir("generated", f"n{size}-s{seed}")
    target = folder / "articles.jsonl"
    if target.exists():
        return target
    rng = random.Random(seed)
    pool = sentence_pool()
    sources = ["wire", "daily", "herald", "tribune", "courier", "gazette"]
    tmp = target.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        for number in range(size):
            paragraphs = []
            for _ in range(rng.randint(2, 6)):
                paragraphs.append(" ".join(rng.choice(pool) for _ in range(rng.randint(1, 4))))
            title = " ".join(rng.choice(pool).split()[: rng.randint(5, 11)]).rstrip(",.;:")
            day = rng.randint(730_120, 739_600)        # ordinals: 2000-01-01 .. 2025-12-..
            date = _ordinal_iso(day)
            record = {"id": f"g{number}", "title": title, "body": "\n\n".join(paragraphs),
                      "date": date, "source": rng.choice(sources)}
            out.write(json.dumps(record) + "\n")
    tmp.replace(target)
    return target


def _ordinal_iso(day: int) -> str:
    import datetime as dt
    return dt.date.fromordinal(day).isoformat()
