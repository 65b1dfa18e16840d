"""Saved searches: `saved list | add | run | rename | rm`, each with --json."""

from __future__ import annotations

from explorer.store import saved_searches as store
from explorer.cli.arguments import indexed_workspace, positive_int
from explorer.cli.corpus_commands import hit_dict
from explorer.cli.output import bold, dim, emit_json, marked
from explorer.ingest.dates import local_date
from explorer.records import SORTS, SearchRequest
from explorer.text import printable


def register(subparsers, parents) -> None:
    saved = subparsers.add_parser("saved", parents=parents, help="saved searches",
                                  description="Searches kept by name, with what is new since "
                                              "each was last opened.")
    commands = saved.add_subparsers(dest="saved_command", metavar="SUBCOMMAND", required=True,
                                    help="what to do")

    p = commands.add_parser("list", parents=parents,
                            help="saved searches with their matches and new matches")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_list)

    p = commands.add_parser("add", parents=parents, help="save a search under a name")
    p.add_argument("name", help="a unique name")
    p.add_argument("query", nargs="?", default="", help="Whoosh query (empty: every article)")
    p.add_argument("--sort", choices=SORTS, default="relevance",
                   help="order of the results (default: relevance)")
    p.add_argument("--entity", action="append", default=[], metavar="NAME",
                   help="only articles mentioning this entity (repeatable)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_add)

    p = commands.add_parser("run", parents=parents,
                            help="run a saved search, showing what is new (marks it seen)")
    p.add_argument("name", help="the saved search's name")
    p.add_argument("--peek", action="store_true", help="do not mark the results as seen")
    p.add_argument("--limit", type=positive_int, default=20, metavar="N",
                   help="show at most N articles (default: 20)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_run)

    p = commands.add_parser("rename", parents=parents, help="rename a saved search")
    p.add_argument("old", help="the saved search's name")
    p.add_argument("new", help="its new name")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_rename)

    p = commands.add_parser("rm", parents=parents, help="remove a saved search")
    p.add_argument("name", help="the saved search's name")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_rm)


def _describe(search: store.SavedSearch) -> str:
    parts = [f"'{search.query}'" if search.query else "(every article)"]
    if search.entities:
        parts.append("entities: " + ", ".join(search.entities))
    if search.sort != "relevance":
        parts.append(f"sort: {search.sort}")
    return printable("  ".join(parts))


def cmd_list(args) -> int:
    workspace = indexed_workspace(args)
    rows = store.statuses(workspace)
    if args.json:
        emit_json([row.to_dict() for row in rows])
        return 0
    if not rows:
        print("no saved searches yet: news-explorer saved add NAME QUERY")
        return 0
    width = max(len(row.search.name) for row in rows)
    print(dim(f"{'name':<{width}}  {'matches':>7}  {'new':>5}  query"))
    for row in rows:
        if row.error:
            print(f"{printable(row.search.name):<{width}}  {'-':>7}  {'-':>5}  "
                  f"{_describe(row.search)}  {dim('error: ' + row.error)}")
            continue
        print(f"{printable(row.search.name):<{width}}  {row.matches:>7}  {row.new:>5}  "
              f"{_describe(row.search)}")
    return 0


def cmd_add(args) -> int:
    workspace = indexed_workspace(args)
    request = SearchRequest(args.query, tuple(args.entity), args.sort, None)
    search = store.save_current(workspace, args.name, request)
    if args.json:
        emit_json({**search.summary(), "matches": len(search.seen)})
        return 0
    print(f"saved '{printable(search.name)}': {_describe(search)}, "
          f"{len(search.seen)} matches now")
    return 0


def cmd_run(args) -> int:
    workspace = indexed_workspace(args)
    run = store.run_saved_search(workspace, args.name, limit=args.limit, mark=not args.peek)
    results = run.results
    if args.json:
        emit_json({"name": run.search.name, "query": run.search.query,
                   "matches": len(run.matching),
                   "results": [hit_dict(hit, results) for hit in results.hits],
                   "new": run.new})
        return 0
    print(f"{bold(run.search.name)}  {_describe(run.search)}")
    print(dim(f"{len(run.matching)} matches, {len(run.new)} new since last opened"
              + ("" if args.peek else "; now marked seen")))
    for number, hit in enumerate(results.hits, 1):
        flag = " [new]" if run.is_new(hit.id) else ""
        meta = " \u00b7 ".join([local_date(hit.date)[:10] if hit.date else "undated",
                                hit.source or "no source", hit.id])
        print(f"{number:>3}. {bold(hit.title)}{flag}")
        print(f"     {dim(meta)}")
        print(f"     {marked(hit.snippet)}")
    return 0


def cmd_rename(args) -> int:
    from explorer.cli.arguments import open_workspace

    workspace = open_workspace(args)
    search = store.rename_saved_search(workspace.config.data, args.old, args.new)
    if args.json:
        emit_json(search.summary())
        return 0
    print(f"renamed '{printable(args.old)}' to '{printable(search.name)}'")
    return 0


def cmd_rm(args) -> int:
    from explorer.cli.arguments import open_workspace

    workspace = open_workspace(args)
    search = store.remove_saved_search(workspace.config.data, args.name)
    if args.json:
        emit_json(search.summary())
        return 0
    print(f"removed '{printable(search.name)}'")
    return 0


def check_saved(args) -> None:
    """`--saved NAME` names a saved search that exists (before the app opens on it)."""
    from explorer.cli.arguments import open_workspace

    workspace = open_workspace(args)
    store.find(store.load_saved_searches(workspace.config.data), args.saved)
