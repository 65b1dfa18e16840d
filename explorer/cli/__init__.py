"""Command line: `news-explorer [global options] [COMMAND ...]`; no command opens the app."""

from __future__ import annotations

import argparse
import os
import sys

from explorer.cli.arguments import global_options
from explorer.errors import UserError

# One module per group of commands, named *_commands.py; each has register(subparsers, parents).
# The command names each module registers, with their help, so that a one-shot command imports
# only its own module (and what that needs), not every command module and Whoosh at start-up.
# tests/test_cli.py checks this table against what the modules register.
COMMANDS: dict[str, tuple[str, str]] = {
    "completion": ("completion_commands", "print a shell completion script"),
    "index": ("corpus_commands", "build or update the index"),
    "search": ("corpus_commands", "search the index"),
    "show": ("corpus_commands", "print one article"),
    "stats": ("corpus_commands", "what the index holds"),
    "resolve": ("entity_commands", "the entity a name or phrase stands for ('ChatGPT maker')"),
    "tag": ("entity_commands", "entity mentions in text files (or standard input)"),
    "entities": ("entity_commands", "entities in the corpus (or a query's results); "
                                    "'entities export' writes the gazetteer out"),
    "alias": ("entity_commands", "add an alias (or a new entity) to <data>/entities.yaml, "
                                 "or --remove it"),
    "init": ("fetch_commands", "write a commented starter config"),
    "fetch": ("fetch_commands", "download feeds (or pages) and index what is new"),
    "quotes": ("quote_commands", "kept quotes"),
    "quotations": ("quote_commands", "quotations detected in the articles, with speakers"),
    "saved": ("saved_commands", "saved searches"),
    "comentions": ("view_commands", "the entities that appear in the same articles as an entity "
                                    "(or a query's results)"),
    "timeline": ("view_commands", "articles per day, week or month for a query (or an entity)"),
    "batch": ("view_commands", "search many names or queries at once, from a file (CSV, or one "
                               "a line)"),
}


def command_modules() -> list[str]:
    import pkgutil

    return sorted(f"{__name__}.{m.name}" for m in pkgutil.iter_modules(__path__)
                  if m.name.endswith("_commands"))


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser. Given the arguments, only the module of the command in them is imported
    (the others get a stand-in parser with their help line); without, every module is."""
    import importlib

    parents = [global_options()]
    parser = argparse.ArgumentParser(
        prog="news-explorer", parents=[global_options(app=True)],
        description="Explore a corpus of news articles. With no command, open the app.",
        epilog="Start with `news-explorer init`; `news-explorer COMMAND --help` for a command.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    wanted = _command_in(argv) if argv is not None else None
    if wanted is None:
        modules = command_modules()
    else:
        modules = [f"{__name__}.{COMMANDS[wanted][0]}"]
    registered = subparsers.choices
    for name in modules:
        importlib.import_module(name).register(subparsers, parents)
    for command, (module, help_text) in COMMANDS.items():
        if command not in registered:       # listed in --help; never run (its module would be)
            subparsers.add_parser(command, parents=parents, help=help_text)
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


def _command_in(argv: list[str]) -> str | None:
    """The command named in the arguments (the first word that is not a global option or its
    value), or None when there is none or it is unknown (argparse then says so)."""
    with_value = {option for action in global_options(app=True)._actions
                  if action.nargs != 0 for option in action.option_strings}
    words = iter(argv)
    for word in words:
        if word in with_value:
            next(words, None)
        elif word == "--":
            return None
        elif not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args, rest = global_options(app=True).parse_known_args(argv)
    if rest:
        args = build_parser(argv).parse_args(argv)
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
