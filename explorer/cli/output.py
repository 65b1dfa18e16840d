"""Printing for the CLI: JSON, CSV, and readable text with hits marked on a terminal."""

from __future__ import annotations

import json
import os
import re
import sys
from typing import Any, Iterable

from explorer.csv_writer import to_csv
from explorer.text import printable


def is_tty(stream=None) -> bool:
    stream = stream or sys.stdout
    return hasattr(stream, "isatty") and stream.isatty()


def color() -> bool:
    """Bold and colour only on a terminal, and never when $NO_COLOR is set (no-color.org)."""
    return is_tty() and not os.environ.get("NO_COLOR")
# json escapes C0 controls but writes C1 controls (U+009B is a CSI to some terminals), bidi
# overrides and lone surrogates (unwritable as UTF-8) as they are: those become \\uXXXX, which
# leaves the data the same for a JSON reader and nothing for a terminal to obey.
_JSON_UNSAFE = re.compile("[\u007f-\u009f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def emit_json(data: Any) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2)
    sys.stdout.write(_JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text))
    sys.stdout.write("\n")


def emit_csv(rows: Iterable[dict], columns: list[str], *, excel: bool = False) -> None:
    """CSV on stdout through the one CSV writer (formula-leading cells guarded)."""
    sys.stdout.write(to_csv(rows, columns, excel=excel))


def bold(text: str) -> str:
    return f"\x1b[1m{printable(text)}\x1b[0m" if color() else printable(text)


def dim(text: str) -> str:
    return f"\x1b[2m{printable(text)}\x1b[0m" if color() else printable(text)


def marked(snippet) -> str:
    """A snippet with its hits in bold yellow on a terminal, between ** elsewhere."""
    if color():
        return "".join(f"\x1b[1;33m{printable(t)}\x1b[0m" if hit else printable(t)
                       for t, hit in snippet.parts)
    return printable(snippet.marked())


class ProgressBar:
    """A one-line progress bar on stderr when it is a terminal; silent otherwise."""

    def __init__(self, enabled: bool | None = None):
        self.enabled = is_tty(sys.stderr) if enabled is None else enabled
        self.shown = False

    def __call__(self, phase: str, done: int, total: int) -> None:
        if not self.enabled or (total > 20 and done % max(1, total // 100) and done != total):
            return
        width = 30
        filled = int(width * done / total) if total else width
        sys.stderr.write(f"\r{phase:<10} [{'#' * filled}{'.' * (width - filled)}] "
                         f"{done}/{total}  ")
        sys.stderr.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[2K")
            sys.stderr.flush()
