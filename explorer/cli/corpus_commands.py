"""Commands over the corpus and its index: index, search, show, stats (and opening the app)."""

from __future__ import annotations

import sys

from explorer.cli.arguments import indexed_workspace, positive_int, say_waiting
from explorer.cli.output import (
    ProgressBar, bold, dim, emit_csv, emit_json, marked,
)
from explorer.ingest.dates import local_date
from explorer.records import SORTS, SearchRequest
from explorer.text import printable

HIT_COLUMNS = ["id", "title", "date", "source", "path", "score", "snippet", "entities"]


def register(subparsers, parents) -> None:
    p = subparsers.add_parser("index", parents=parents, help="build or update the index")
    p.add_argument("--rebuild", action="store_true", help="start over instead of updating")
    p.add_argument("--dry-run", action="store_true",
                   help="print what would be added, updated, re-tagged and removed; write nothing")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(handler=cmd_index)

    p = subparsers.add_parser("search", parents=parents, help="search the index")
    p.add_argument("query", nargs="?", default="", help="Whoosh query (empty: every article)")
    p.add_argument("--sort", choices=SORTS, default="relevance",
                   help="order of the results (default: relevance)")
    p.add_argument("--limit", type=positive_int, default=20, metavar="N",
                   help="show at most N articles (default: 20)")
    p.add_argument("--entity", action="append", default=[], metavar="NAME",
                   help="only articles mentioning this entity (repeatable)")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print a JSON list")
    fmt.add_argument("--format", choices=("text", "json", "csv"), default="text",
                     help="output format (default: text)")
    p.add_argument("--excel", action="store_true",
                   help="with --format csv: start with a UTF-8 byte order mark for Excel")
    p.add_argument("--show-query", action="store_true", help="print the parsed query first")
    p.set_defaults(handler=cmd_search)

    p = subparsers.add_parser("show", parents=parents, help="print one article")
    p.add_argument("id", help="article id (or an unambiguous prefix)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_show)

    p = subparsers.add_parser("stats", parents=parents, help="what the index holds")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_stats)


def cmd_index(args) -> int:
    workspace = indexed_workspace(args, ensure=False)
    if args.dry_run:
        plan = workspace.plan_update(rebuild=args.rebuild)
        if args.json:
            emit_json({"generation": plan.files.generation, "rebuild": plan.files.rebuild,
                       "read": [f.rel for f in plan.files.read], "retry": plan.files.retry,
                       "removed_files": plan.files.removed,
                       **{name: [{"id": i.id, "path": i.copies[0]} for i in items]
                          for name, items in (("add", plan.add), ("update", plan.update),
                                              ("retag", plan.retag))},
                       "remove": plan.remove})
        else:
            for line in plan.lines():
                print(printable(line))
        return 0
    bar = ProgressBar()
    try:
        summary = workspace.update_index(rebuild=args.rebuild, progress=bar,
                                         waiting=say_waiting)
    finally:
        bar.close()
    if args.json:
        emit_json({"added": summary.added, "updated": summary.updated,
                   "removed": summary.removed, "skipped": summary.skipped,
                   "duplicates": summary.duplicates, "articles": summary.articles,
                   "seconds": round(summary.seconds, 3), "rebuilt": summary.rebuilt,
                   "skips": [{"path": p, "reason": r} for p, r in summary.skips]})
        return 0
    if summary.rebuilt and summary.rebuilt != "--rebuild":
        print(f"rebuilding the index: {summary.rebuilt}", file=sys.stderr)
    for path, reason in summary.skips:
        print(f"skipped {printable(path)}: {printable(reason)}", file=sys.stderr)
    print(summary.line())
    return 0


def cmd_search(args) -> int:
    fmt = "json" if args.json else args.format
    workspace = indexed_workspace(args)
    results = workspace.search(SearchRequest(args.query, tuple(args.entity), args.sort,
                                             args.limit))
    if fmt == "json":
        emit_json([hit_dict(hit, results) for hit in results.hits])
        return 0
    if fmt == "csv":
        emit_csv((hit_dict(hit, results) for hit in results.hits), HIT_COLUMNS,
                 excel=args.excel)
        return 0
    if args.show_query:
        print(dim(f"query: {results.query}"))
    for resolved in results.resolved:
        print(dim(f"\"{resolved['text']}\" -> {resolved['entity']} "
                  f"(score {resolved['score']:.0f})"))
    if not results.hits:
        print(f"no articles match '{printable(args.query)}'")
        if results.suggestion:
            print(f"did you mean: {printable(results.suggestion)}")
        return 0
    for number, hit in enumerate(results.hits, 1):
        meta = " \u00b7 ".join([local_date(hit.date)[:10] if hit.date else "undated",
                                hit.source or "no source", hit.id])
        print(f"{number:>3}. {bold(hit.title)}")
        print(f"     {dim(meta)}")
        print(f"     {marked(hit.snippet)}")
        if hit.entities:
            print(f"     {dim('entities: ' + ', '.join(hit.entities[:6]))}")
    shown = len(results.hits)
    print(dim(f"{shown} of {results.total} articles in {results.seconds * 1000:.0f} ms"))
    if results.suggestion:          # few hits while a nearby spelling has many
        print(f"did you mean: {printable(results.suggestion)}")
    return 0


def hit_dict(hit, results) -> dict:
    data = hit.to_dict()
    data["resolved"] = results.resolved or None
    return data


def cmd_show(args) -> int:
    workspace = indexed_workspace(args)
    article = workspace.article(args.id)
    if args.json:
        emit_json(article.to_dict())
        return 0
    print(bold(article.title))
    meta = [local_date(article.date) or "undated", article.source or "no source", article.path]
    print(dim(" \u00b7 ".join(printable(m) for m in meta)))
    if article.url:
        print(dim(article.url))
    print()
    print(printable(article.body))
    if article.duplicates:
        print()
        print(dim("duplicates: " + ", ".join(printable(p) for p in article.duplicates)))
    return 0


def cmd_stats(args) -> int:
    workspace = indexed_workspace(args)
    stats = workspace.stats()
    if args.json:
        emit_json(stats)
        return 0
    print(f"{stats['articles']} articles, {stats['duplicates']} duplicates, "
          f"{stats['skipped']} skipped, index {stats['index_bytes'] / 1e6:.1f} MB "
          f"in {printable(str(stats['index']))}")
    return 0
