"""Command line: `news-explorer [global options] [COMMAND ...]`; no command opens the app."""

from __future__ import annotations

import argparse
import os
import sys

from explorer.cli.arguments import global_options
from explorer.errors import UserError


# One module per group of commands, named *_commands.py; each has register(subparsers, parents).
def command_modules() -> list[str]:
    import pkgutil

    return sorted(f"{__name__}.{m.name}" for m in pkgutil.iter_modules(__path__)
                  if m.name.endswith("_commands"))


def build_parser() -> argparse.ArgumentParser:
    import importlib

    parents = [global_options()]
    parser = argparse.ArgumentParser(
        prog="news-explorer", parents=[global_options(app=True)],
        description="Explore a corpus of news articles. With no command, open the app.",
        epilog="Start with `news-explorer init`; `news-explorer COMMAND --help` for a command.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in command_modules():
        importlib.import_module(name).register(subparsers, parents)
    return parser


def _printable(text: str) -> str:
    """An error message as one line of visible text (it may echo a file's or a user's text)."""
    from explorer.text import printable

    return printable(text).replace("\n", "\u2424").replace("\t", "\u2409")


def os_error_line(exc: OSError) -> str:
    """'<path>: No space left on device' (both paths of a rename), or the error's own words."""
    paths = [p for p in (exc.filename, exc.filename2) if p is not None]
    reason = exc.strerror or str(exc) or type(exc).__name__
    if not paths:
        return f"{reason} ({type(exc).__name__})"
    return f"{' -> '.join(os.fsdecode(p) for p in paths)}: {reason}"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args, rest = global_options(app=True).parse_known_args(argv)
    if rest:
        args = build_parser().parse_args(argv)
    else:
        # No command: the app. Skip importing every command module (start-up time).
        args.command = None
    try:
        if args.command is None:
            from explorer.app import run_app
            from explorer.cli.arguments import open_workspace

            if getattr(args, "saved", None) is not None:
                from explorer.cli.saved_commands import check_saved

                check_saved(args)       # an unknown name: one line and exit 2, no app
            return run_app(open_workspace(args), saved=getattr(args, "saved", None)) or 0
        return args.handler(args) or 0
    except UserError as exc:
        print(f"news-explorer: {_printable(str(exc))}", file=sys.stderr)
        return exc.exit_status
    except OSError as exc:
        # A full disk, a read-only folder, a file we may not write: one line naming the path.
        if isinstance(exc, BrokenPipeError):
            return 0
        print(f"news-explorer: {_printable(os_error_line(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("news-explorer: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
