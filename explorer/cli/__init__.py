"""Command line: `news-explorer [global options] [COMMAND ...]`; no command opens the app."""

from __future__ import annotations

import argparse
import sys

from explorer.errors import UserError

# One module per group of commands, named *_commands.py; each has register(subparsers, parents).
def command_modules() -> list[str]:
    import pkgutil

    return sorted(f"{__name__}.{m.name}" for m in pkgutil.iter_modules(__path__)
                  if m.name.endswith("_commands"))


def global_options() -> argparse.ArgumentParser:
    """Options accepted before or after the command (defaults suppressed so both places work)."""
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("global options")
    group.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS,
                       help="config file (default: $NEWS_EXPLORER_CONFIG or ./config.yaml)")
    group.add_argument("--corpus", metavar="PATH", default=argparse.SUPPRESS,
                       help="corpus folder or single file (overrides the config)")
    group.add_argument("--index", metavar="DIR", default=argparse.SUPPRESS,
                       help="index folder (overrides the config)")
    group.add_argument("--data", metavar="DIR", default=argparse.SUPPRESS,
                       help="folder for saved searches, quotes and curated entities")
    group.add_argument("--saved", metavar="NAME", default=argparse.SUPPRESS,
                       help="open the app on this saved search")
    return parent


def build_parser() -> argparse.ArgumentParser:
    import importlib

    parents = [global_options()]
    parser = argparse.ArgumentParser(
        prog="news-explorer", parents=parents,
        description="Explore a corpus of news articles. With no command, open the app.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in command_modules():
        importlib.import_module(name).register(subparsers, parents)
    return parser


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
        summary = workspace.ensure_index(progress=bar)
        bar.close()
        if summary is not None and summary.rebuilt and summary.rebuilt != "no index yet":
            print(f"rebuilt the index: {summary.rebuilt}", file=sys.stderr)
        if summary is not None and summary.changed:
            print(f"indexed {summary.line()}", file=sys.stderr)
    return workspace


def positive_int(value: str) -> int:
    """argparse type: a whole number >= 1."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number >= 1")
    return number


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args, rest = global_options().parse_known_args(argv)
    if rest:
        args = build_parser().parse_args(argv)
    else:
        # No command: the app. Skip importing every command module (start-up time).
        args.command = None
    try:
        if args.command is None:
            from explorer.app import run_app

            if getattr(args, "saved", None) is not None:
                from explorer.cli.saved_commands import check_saved

                check_saved(args)       # an unknown name: one line and exit 2, no app
            return run_app(open_workspace(args), saved=getattr(args, "saved", None)) or 0
        return args.handler(args) or 0
    except UserError as exc:
        print(f"news-explorer: {exc}", file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:
        print("news-explorer: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
