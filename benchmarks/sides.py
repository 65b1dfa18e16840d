"""The programs the benchmark times in processes of their own (`python -m benchmarks.sides ...`).

FTS5, the baseline, reads its input its own way (a plain JSON read of each line, or a plain read
of each text file) so that it is timed for its own work, not for the project's reader:

  fts5-build CORPUS DB          build the FTS5 database from a .jsonl file or a folder of .txt
  fts5-search DB WORD           a one-shot search: open, query, print JSON (as `search --json`)
  fts5-first DB WORD            seconds for the first query in a fresh process, once connected

The project's side runs its own CLI for indexing and one-shot searches; these two measure it
inside one process:

  project-first CONFIG WORD     seconds for the first query in a fresh process, the index open
  app-memory CONFIG WORD        the app, headless, over the index: first list, then a search;
                                prints the peak RSS in MB
"""

from __future__ import annotations

import json
import resource
import sqlite3
import sys
import time
from pathlib import Path

LIMIT = 50


def read_plain(corpus: Path):
    """(title, body, day ordinal or 0) from a .jsonl file or a folder of .txt files."""
    import datetime as dt

    if corpus.is_file():
        with corpus.open(encoding="utf-8") as lines:
            for line in lines:
                if not line.strip():
                    continue
                record = json.loads(line)
                title, body = record.get("title") or "", record.get("body") or ""
                if not (title or body):
                    continue
                day = 0
                date = record.get("date")
                if date:
                    try:
                        day = dt.date.fromisoformat(str(date)[:10]).toordinal()
                    except ValueError:
                        day = 0
                yield title, body, day
        return
    for path in sorted(corpus.rglob("*.txt")):
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        title, _, body = text.partition("\n")
        yield title.strip(), body.strip(), 0


def fts5_build(corpus: Path, db: Path) -> int:
    if db.exists():
        db.unlink()
    con = sqlite3.connect(str(db))
    con.executescript("""
        CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize='porter unicode61');
        CREATE TABLE docs(rowid INTEGER PRIMARY KEY, day INTEGER);
    """)
    count = 0
    with con:
        for number, (title, body, day) in enumerate(read_plain(corpus), 1):
            con.execute("INSERT INTO fts(rowid, title, body) VALUES (?, ?, ?)",
                        (number, title, body))
            con.execute("INSERT INTO docs VALUES (?, ?)", (number, day))
            count = number
        con.execute("CREATE INDEX docs_day ON docs(day)")
    con.close()
    return count


_SELECT = ("SELECT fts.rowid, fts.title, snippet(fts, 1, '**', '**', ' … ', 24) FROM fts "
           "JOIN docs d ON d.rowid = fts.rowid ")


def fts5_query(con: sqlite3.Connection, fts: str | None, days: tuple | None = None,
               limit: int = LIMIT) -> list:
    """FTS5's answer to a query: bm25 with the title weighted 2x like the project's schema,
    snippets by snippet(), dates in an indexed side table joined by rowid."""
    if fts is None:
        return con.execute(
            "SELECT d.rowid, f.title, substr(f.body, 1, 160) FROM docs d JOIN fts f "
            "ON f.rowid = d.rowid WHERE d.day BETWEEN ? AND ? ORDER BY d.day DESC LIMIT ?",
            (*days, limit)).fetchall()
    where, params = "fts MATCH ?", [fts]
    if days:
        where += " AND d.day BETWEEN ? AND ?"
        params += list(days)
    return con.execute(f"{_SELECT} WHERE {where} ORDER BY bm25(fts, 2.0, 1.0) LIMIT ?",
                       (*params, limit)).fetchall()


def _project_first(config: str, word: str) -> float:
    """The first search after the index is open (as the app opens it at start)."""
    from explorer.records import SearchRequest
    from explorer.workspace import Workspace

    workspace = Workspace.open(config)
    workspace.index
    started = time.perf_counter()
    workspace.search(SearchRequest(word, limit=LIMIT))
    return time.perf_counter() - started


def _app_memory(config: str, word: str) -> float:
    import asyncio

    from explorer.app.app import NewsExplorer
    from explorer.workspace import Workspace

    async def run() -> None:
        app = NewsExplorer(Workspace.open(config))
        async with app.run_test(size=(120, 40)) as pilot:
            for _ in range(600):
                await pilot.pause(0.05)
                if app._shown is not None and app.results_list.option_count:
                    break
            await pilot.press(*word)
            for _ in range(600):
                await pilot.pause(0.05)
                if app._shown is not None and app._shown.text == word:
                    break
    asyncio.run(run())
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> int:
    command, *args = argv
    if command == "fts5-build":
        print(fts5_build(Path(args[0]), Path(args[1])))
    elif command == "fts5-search":
        con = sqlite3.connect(args[0])
        rows = fts5_query(con, f'"{args[1]}"', limit=20)
        json.dump([{"rowid": r[0], "title": r[1], "snippet": r[2]} for r in rows], sys.stdout)
    elif command == "fts5-first":
        con = sqlite3.connect(args[0])
        started = time.perf_counter()
        fts5_query(con, f'"{args[1]}"')
        print(time.perf_counter() - started)
    elif command == "project-first":
        print(_project_first(args[0], args[1]))
    elif command == "app-memory":
        print(_app_memory(args[0], args[1]))
    else:
        raise SystemExit(f"unknown command {command}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
