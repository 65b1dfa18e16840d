"""What every command shares: the global options, argument types, and the workspace they open."""

from __future__ import annotations

import argparse
import sys


def global_options(app: bool = False) -> argparse.ArgumentParser:
    """Options accepted before or after the command (defaults suppressed so both places work);
    with `app`, also those that only the app takes (so subcommands do not list them)."""
    parent = argparse.ArgumentParser(prog="news-explorer", add_help=False)
    group = parent.add_argument_group("global options")
    group.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS,
                       help="config file (default: $NEWS_EXPLORER_CONFIG, ./config.yaml, "
                            "then the one `news-explorer init` writes)")
    group.add_argument("--corpus", metavar="PATH", default=argparse.SUPPRESS,
                       help="corpus folder or single file (overrides the config)")
    group.add_argument("--index", metavar="DIR", default=argparse.SUPPRESS,
                       help="index folder (overrides the config)")
    group.add_argument("--data", metavar="DIR", default=argparse.SUPPRESS,
                       help="folder for saved searches, quotes and curated entities")
    if app:
        group = parent.add_argument_group("app options")
        group.add_argument("--saved", metavar="NAME", default=argparse.SUPPRESS,
                           help="open the app on this saved search")
        group.add_argument("--version", action=_Version, nargs=0,
                           help="print the version and exit")
    return parent


class _Version(argparse.Action):
    """argparse's "version" action, with the version looked up only when asked for: reading
    the installed package's metadata imports importlib.metadata (60 ms of every start)."""

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"{parser.prog} {version()}")
        parser.exit()


def version() -> str:
    from importlib.metadata import PackageNotFoundError, version as installed

    try:
        return installed("news-explorer")
    except PackageNotFoundError:
        return "unknown"


def open_workspace(args: argparse.Namespace):
    from explorer.workspace import Workspace

    return Workspace.open(getattr(args, "config", None), corpus=getattr(args, "corpus", None),
                          index=getattr(args, "index", None), data=getattr(args, "data", None))


def indexed_workspace(args: argparse.Namespace, *, ensure: bool = True):
    """The workspace, its index first brought up to date (progress bar on a terminal)."""
    from explorer.cli.output import ProgressBar

    workspace = open_workspace(args)
    if ensure:
        bar = ProgressBar()
        try:
            summary = workspace.ensure_index(progress=bar, waiting=say_waiting)
        finally:
            bar.close()
        if summary is not None and summary.note:
            print(f"news-explorer: {summary.note}", file=sys.stderr)
        if summary is not None and summary.rebuilt and summary.rebuilt != "no index yet":
            print(f"rebuilt the index: {summary.rebuilt}", file=sys.stderr)
        if summary is not None and summary.changed:
            print(f"indexed {summary.line()}", file=sys.stderr)
    return workspace


def say_waiting() -> None:
    """Said once when another process holds the index's writer lock and this one waits."""
    print("news-explorer: waiting for another process updating the index", file=sys.stderr,
          flush=True)


def positive_int(value: str) -> int:
    """argparse type: a whole number >= 1."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number >= 1")
    return number
