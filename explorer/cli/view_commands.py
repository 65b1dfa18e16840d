"""Views over many articles: `comentions`, `timeline`, `batch`."""

from __future__ import annotations

import sys
from pathlib import Path

from explorer.cli.arguments import indexed_workspace, positive_int
from explorer.cli.output import bold, dim, emit_csv, emit_json
from explorer.errors import UserError
from explorer.text import printable


def register(subparsers, parents) -> None:
    p = subparsers.add_parser(
        "comentions", parents=parents,
        help="the entities that appear in the same articles as an entity (or a query's results)")
    p.add_argument("entity", nargs="?", help="an entity, by any of its names")
    p.add_argument("--query", "-q", metavar="Q",
                   help="the articles matching Q (with ENTITY: only those of both)")
    p.add_argument("--limit", type=positive_int, default=30, metavar="N",
                   help="the first N entities (default 30)")
    _output(p)
    p.set_defaults(handler=cmd_comentions)

    p = subparsers.add_parser(
        "timeline", parents=parents,
        help="articles per day, week or month for a query (or an entity)")
    p.add_argument("query", nargs="?", default="", help="a query (empty: every article)")
    p.add_argument("--entity", metavar="NAME", help="an entity's articles (ANDed with QUERY)")
    p.add_argument("--by", choices=("day", "week", "month"), default="month",
                   help="the length of a period (default month)")
    p.add_argument("--plot", action="store_true", help="draw a bar chart on the terminal")
    _output(p)
    p.set_defaults(handler=cmd_timeline)

    p = subparsers.add_parser(
        "batch", parents=parents,
        help="search many names or queries at once, from a file (CSV, or one a line)")
    p.add_argument("file", help="a .csv file (the 'name' or 'query' column, else the first) or "
                                "a text file with one name or query a line")
    p.add_argument("--top", type=positive_int, default=3, metavar="N",
                   help="top articles reported for each row (default 3)")
    p.add_argument("--json", action="store_true", help="JSON instead of CSV")
    p.set_defaults(handler=cmd_batch)


def _output(p) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument("--json", action="store_true", help="JSON output")
    group.add_argument("--format", choices=("text", "csv"), default="text",
                       help="text (default) or csv")


def _request(text: str | None):
    from explorer.records import SearchRequest

    return SearchRequest(text) if text is not None else None


def cmd_comentions(args) -> int:
    if args.entity is None and args.query is None:
        raise UserError("comentions: name an entity, or give --query Q")
    workspace = indexed_workspace(args)
    found = workspace.co_mentions(args.entity, _request(args.query))
    rows = found.rows[:args.limit]
    if args.json:
        emit_json({**found.to_dict(), "entities": [r.to_dict() for r in rows]})
        return 0
    if args.format == "csv":
        emit_csv((r.to_dict() for r in rows), ["name", "type", "shared", "articles", "lift"])
        return 0
    print(f"{bold(found.subject)}: {found.articles} of {found.total} articles")
    if not rows:
        print("no other entity appears in them")
        return 0
    print(dim("shared = articles of these that mention it; lift = how many times more often "
              "than in all articles"))
    for kind in sorted({r.type for r in rows}):
        print(bold(kind))
        for r in (r for r in rows if r.type == kind):
            print(f"  {r.shared:>6}  {r.lift:>7.1f}x  {printable(r.name)}")
    return 0


def cmd_timeline(args) -> int:
    workspace = indexed_workspace(args)
    line = workspace.timeline(args.entity, _request(args.query), args.by)
    if args.json:
        emit_json(line.to_dict())
        return 0
    if args.format == "csv":
        emit_csv((p.to_dict() for p in line.periods), ["start", "end", "count"])
        return 0
    print(f"{bold(line.subject)}: {line.dated} dated articles by {line.by}, "
          f"{line.undated} undated")
    if not line.periods:
        return 0
    if args.plot:
        _plot(line)
    else:
        for period in line.periods:
            print(f"{period.label}  {period.count:>6}")
    if line.busiest:
        print(dim("busiest: " + ", ".join(f"{p.label} ({p.count})" for p in line.busiest)))
    return 0


def _plot(line) -> None:
    """Horizontal bars, one row a period, scaled to the terminal's width."""
    import shutil

    width = max(10, shutil.get_terminal_size((80, 24)).columns - 22)
    top = max(p.count for p in line.periods) or 1
    busiest = {p.start for p in line.busiest}
    for period in line.periods:
        bar = "█" * round(period.count * width / top) if period.count else ""
        mark = " *" if period.start in busiest else ""
        print(f"{period.label}  {period.count:>6} {bar}{mark}")


def cmd_batch(args) -> int:
    from explorer.cli.output import ProgressBar
    from explorer.workspace.batch import CSV_COLUMNS, batch_search, read_batch

    items = read_batch(Path(args.file))
    if not items:
        raise UserError(f"{args.file}: no names or queries in it")
    workspace = indexed_workspace(args)
    bar = ProgressBar()
    rows = batch_search(workspace, items, top=args.top, progress=bar)
    bar.close()
    if args.json:
        emit_json([row.to_dict() for row in rows])
    else:
        emit_csv((row.csv_row() for row in rows), CSV_COLUMNS)
    failed = sum(1 for row in rows if row.error)
    if failed:
        print(f"news-explorer: {failed} of {len(rows)} rows could not be searched "
              f"(see their 'error')", file=sys.stderr)
    return 0
