"""`python -m benchmarks [--quick] [--only NAME]`: run every benchmarks/bench_*.py, print one table."""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import platform
import sys
import time
import traceback
from pathlib import Path

from benchmarks import common


def discover() -> list[str]:
    """Names of the benchmark modules (bench_*.py in this folder), in name order."""
    folder = Path(__file__).resolve().parent
    return sorted(m.name for m in pkgutil.iter_modules([str(folder)])
                  if m.name.startswith("bench_"))


def _selected(names: list[str], only: list[str]) -> list[str]:
    if not only:
        return names
    wanted = {o.removeprefix("bench_").removesuffix(".py") for o in only}
    unknown = wanted - {n.removeprefix("bench_") for n in names}
    if unknown:
        raise SystemExit(f"benchmarks: no module bench_{sorted(unknown)[0]}.py "
                         f"(there are: {', '.join(n.removeprefix('bench_') for n in names)})")
    return [n for n in names if n.removeprefix("bench_") in wanted]


def run(names: list[str], quick: bool, echo=print) -> list[dict]:
    """Run the named modules; a module that fails gives an 'error' row, the others still run."""
    rows: list[dict] = []
    for name in names:
        started = time.perf_counter()
        echo(f"running {name} ...", file=sys.stderr)
        try:
            module = importlib.import_module(f"benchmarks.{name}")
            found = module.run(quick)
        except Exception as exc:  # one broken benchmark must not hide the others' figures
            traceback.print_exc()
            found = [common.row(name.removeprefix("bench_"), "-", "error", None,
                                f"{type(exc).__name__}: {exc}"[:120])]
        rows.extend(found)
        echo(f"  {name}: {len(found)} rows in {time.perf_counter() - started:.1f}s",
             file=sys.stderr)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="small sizes, a smoke test of every benchmark")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="run only bench_NAME.py (repeatable)")
    parser.add_argument("--size", type=int, default=None, metavar="N",
                        help="articles in the generated corpus (default 100000; 2000 with --quick)")
    parser.add_argument("--corpora", type=Path, default=None,
                        help=f"real corpora folder (default {common.settings.corpora})")
    parser.add_argument("--work", type=Path, default=None,
                        help=f"scratch folder (default {common.settings.work})")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE",
                        help="also write the rows as JSON")
    parser.add_argument("--markdown", action="store_true",
                        help="print the table as Markdown (for the README)")
    parser.add_argument("--list", action="store_true", help="list the benchmark modules")
    parser.add_argument("--docs", type=Path, default=DOCS, metavar="FILE",
                        help="where a full run writes its figures (default docs/performance.md)")
    parser.add_argument("--write-docs", action="store_true",
                        help="write the figures there even when the run is not a full one")
    parser.add_argument("--rounds", type=int, default=None, metavar="N",
                        help="indexing rounds per corpus (default: 2 for Reuters, 1 otherwise)")
    args = parser.parse_args(argv)

    names = discover()
    if args.list:
        print("\n".join(n.removeprefix("bench_") for n in names))
        return 0
    names = _selected(names, args.only)
    common.settings.quick = args.quick
    common.settings.generated_size = args.size
    common.settings.rounds = args.rounds
    if args.corpora is not None:
        common.settings.corpora = args.corpora
    if args.work is not None:
        common.settings.work = args.work

    compile_project()
    started = time.perf_counter()
    load_before = _load()
    rows = run(names, args.quick)
    header = (f"{platform.node()}: {platform.python_implementation()} "
              f"{platform.python_version()}, {_cores()} cores, load {load_before} at the start "
              f"and {_load()} at the end, {time.strftime('%Y-%m-%d %H:%M %Z')}, "
              f"{'quick' if args.quick else 'full'} run in {time.perf_counter() - started:.0f}s; "
              f"ratio = value / baseline (same run)")
    print(f"# {header}")
    print(common.format_markdown(rows) if args.markdown else common.format_table(rows))
    full = not args.quick and not args.only and args.size is None and args.rounds is None
    if full or args.write_docs:
        if not full:
            header += (f" (not a full run: BENCH_ARGS="
                       f"{' '.join(argv if argv is not None else sys.argv[1:])})")
        write_docs(args.docs, header, rows)
        print(f"figures written to {args.docs}", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    failed = [r for r in rows if r["metric"] == "error"]
    return 1 if failed else 0


DOCS = common.REPO / "docs" / "performance.md"
BEGIN, END = "<!-- make bench: from here -->", "<!-- make bench: to here -->"
DOCS_INTRO = """Written by `make bench` (a full run: `python -m benchmarks`) between the two markers; the
figures of earlier runs are in this file's git history. Baselines are measured in the same run:
SQLite FTS5 for indexing and search (benchmarks/bench_index.py says how each side is timed), a
bare Textual app for start-up. `ok` is PASS or FAIL against the target (issue 17 for indexing
and search). Times on a shared machine swing with its load: compare ratios and CPU seconds
before wall seconds.

Indexing 2,000 documents or more uses two processes (explorer/index/parallel.py): reading stays
in the main process; tagging, analysis and writing happen in two workers, each writing one
segment; the index is the same as a one-core build's (tests/test_parallel.py).

### What memory is bounded by

- Searching: the index is opened without mmap (`open_index` in
  `explorer/index/whoosh_internals.py`: Whoosh copied every memory-mapped segment onto the
  heap), so a process holds what it reads, not the index. Per open index: the ranker keeps the
  scores of the last terms up to 500,000 postings (about 40 MB) and the positions of the last
  phrase words up to 200,000 documents (`explorer/search/ranking.py`), plus one length per
  document and text field and the sorted `day` column (these grow with the index). Snippets
  remember up to 300,000 analysed words; the entity resolver up to 100,000 names; the app's
  results list 4,096 wrapped rows and 512 drawn ones.
- Indexing: the posting pool spills to disk past 256 MB of postings (128 MB per part when a large
  write is split between two processes); each worker process has at most 4 batches of 64
  documents waiting; the analyser remembers up to 500,000 distinct words, and the writer the
  postings of up to 20,000 values of each repeating field (source, day, date, entity); the pool's
  size is estimated (60 bytes a posting plus its value, 400 a term), not measured. The plan keeps no
  article text: of each article read it keeps its id, content hash, locator and start in its
  file (about 0.8 KB an article with the manifest it makes: 80 MB at 100,000), and the writers
  read the articles again one at a time (explorer/index/build.py). A JSON Lines file is read
  line by line; a file of another format is read whole, one at a time (at most `max_file_mb`).
- Peak RSS rows are those of the largest process of a run (the benchmark measures with wait4).
"""


def write_docs(path: Path, header: str, rows: list[dict]) -> None:
    """The latest figures between the markers of the page (at its top the first time), the
    rest of the page kept; written atomically, so a half-written page is never left."""
    from explorer.files import atomic_write_text

    failed = [r for r in rows if r.get("ok") is False]
    section = (f"{BEGIN}\n## Latest run\n\n{DOCS_INTRO}\n{header}\n\n"
               f"{len(failed)} of {sum(r.get('ok') is not None for r in rows)} targets missed."
               f"\n\n{common.format_markdown(rows)}\n{END}")
    try:
        page = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        page = "# Performance\n"
    if BEGIN in page and END in page:
        page = page[:page.index(BEGIN)] + section + page[page.index(END) + len(END):]
    else:
        title, _, rest = page.partition("\n")
        page = f"{title}\n\n{section}\n\n## Earlier figures\n{rest}"
    atomic_write_text(path, page)


def compile_project() -> None:
    """Write the project's bytecode before anything is timed, as an installed package has it:
    where PYTHONDONTWRITEBYTECODE is set (as on the shared machine), every process the benchmark
    starts compiled all of explorer/ again (0.12-0.16 s of a one-shot search's CPU)."""
    import compileall

    compileall.compile_dir(str(common.REPO / "explorer"), quiet=1)


def _load() -> str:
    """The 1-minute load average at the end of the run: other work on the machine skews times
    (ratios to a baseline measured in the same run much less)."""
    import os
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "?"


def _cores() -> int:
    import os
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


if __name__ == "__main__":
    sys.exit(main())
