"""Run the command line, dying at the Nth line of explorer or Whoosh code it executes.

`python tests/kill_at.py N ARGS...` runs `news-explorer ARGS...` and calls `os._exit(137)` (no
cleanup, no `finally`, no flushing: what `kill -9` does) when the Nth line runs; N = 0 never
dies and prints the number of lines run to stderr as `LINES <n>`. The crash test uses it to
stop the indexer at many points, not a few chosen ones.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import whoosh

import explorer

ROOTS = (str(Path(explorer.__file__).parent), str(Path(whoosh.__file__).parent))


def main() -> None:
    stop = int(sys.argv[1])
    count = 0

    def line(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
            if count == stop:
                os._exit(137)
        return line

    def call(frame, event, arg):
        code = frame.f_code
        if code.co_name == "<module>" or not code.co_filename.startswith(ROOTS):
            return None           # imports are not what is being tested
        return line

    from explorer.cli import main as cli

    sys.settrace(call)
    try:
        status = cli(sys.argv[2:])
    finally:
        sys.settrace(None)
    print(f"LINES {count}", file=sys.stderr)
    sys.exit(status)


if __name__ == "__main__":
    main()
