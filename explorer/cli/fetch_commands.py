"""Commands for your own news: init (a starter config) and fetch (feeds and pages)."""

from __future__ import annotations

import sys
from pathlib import Path

from explorer.cli.arguments import open_workspace
from explorer.cli.output import ProgressBar, emit_json
from explorer.text import printable


def register(subparsers, parents) -> None:
    p = subparsers.add_parser(
        "init", parents=parents, help="write a commented starter config",
        description="Write a commented config.yaml to start from: into FOLDER (a project of "
                    "its own, with its index and data beside it), or by default into your "
                    "config folder, where news-explorer finds it from anywhere.")
    p.add_argument("folder", nargs="?", metavar="FOLDER",
                   help="where to write config.yaml (default: your config folder)")
    p.add_argument("--force", action="store_true", help="replace a config.yaml already there")
    p.set_defaults(handler=cmd_init)

    p = subparsers.add_parser(
        "fetch", parents=parents, help="download feeds (or pages) and index what is new",
        description="Download the feeds listed under 'feeds:' and 'opml:' in the config (or "
                    "the URLs given: feeds or web pages), store each new item as a file in "
                    "the corpus folder, then update the index.")
    p.add_argument("urls", nargs="*", metavar="URL",
                   help="a feed or a web page to fetch instead of the configured feeds")
    p.add_argument("--no-index", action="store_true",
                   help="store the new items but do not update the index")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(handler=cmd_fetch)


def cmd_init(args) -> int:
    from explorer import locations
    from explorer.cli.starter import starter_config
    from explorer.errors import UserError
    from explorer.yamlfile import atomic_write_text

    folder = Path(args.folder).expanduser() if args.folder else locations.config_dir()
    target = folder / "config.yaml"
    if target.exists() and not args.force:
        raise UserError(f"{target}: a config is already there (--force replaces it)")
    atomic_write_text(target, starter_config(project=bool(args.folder)))
    print(f"wrote {target}")
    if args.folder:
        print(f"use it with `news-explorer --config {target}`, or from {folder}")
    print("next: list your feeds under 'feeds:' in it, then run `news-explorer fetch`")
    return 0


def cmd_fetch(args) -> int:
    workspace = open_workspace(args)
    bar = ProgressBar()
    summary = workspace.fetch(args.urls or None, progress=bar)
    bar.close()
    indexed = None
    if not args.no_index and workspace.config.corpus.exists():
        bar = ProgressBar()
        indexed = workspace.update_index(progress=bar)
        bar.close()
    if args.json:
        emit_json({"new": summary.new, "failed": summary.failed,
                   "seconds": round(summary.seconds, 3),
                   "sources": [{"url": s.url, "title": s.title, "new": s.new, "known": s.known,
                                "not_modified": s.not_modified, "error": s.error,
                                "warning": s.warning} for s in summary.sources],
                   "articles": indexed.articles if indexed else None})
    else:
        for source in summary.sources:
            print(printable(source.line()))
        print(summary.line())
        if indexed is not None:
            print(f"indexed {indexed.line()}")
    if summary.sources and summary.failed == len(summary.sources):
        print("news-explorer: every source failed", file=sys.stderr)
        return 1
    return 0
