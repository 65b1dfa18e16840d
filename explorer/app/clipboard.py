"""Copy that arrives: the local clipboard tools, beside the terminal's OSC 52.

OSC 52 (what Textual's `copy_to_clipboard` sends) reaches the clipboard only when the terminal
honours it, and tmux drops it from applications unless `set-clipboard on` (its default is
`external`). So the text also goes to whichever local clipboard is there:
- under tmux (`$TMUX`): `tmux load-buffer -w -`, tmux's paste buffer (prefix + ] pastes it; with
  `-w`, tmux 3.2+ also passes it to the outer terminal's clipboard when it can);
- Wayland (`$WAYLAND_DISPLAY`): `wl-copy`;
- X11 (`$DISPLAY`): `xclip -selection clipboard`, else `xsel --clipboard --input`;
- macOS: `pbcopy`.
Each tool runs with a short timeout and no shell; `describe()` says where the text went, or that
nothing took it and how to fix that.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Mapping, Sequence

TIMEOUT = 3.0        # seconds a clipboard tool may take (xclip forks and returns at once)


@dataclass(frozen=True)
class Tool:
    name: str                  # what the message calls it
    command: tuple[str, ...]
    fallback: tuple[str, ...] = ()    # tried when `command` fails (an older tmux without -w)


@dataclass
class CopyResult:
    took: list[str] = field(default_factory=list)        # the tools that took the text
    failed: list[str] = field(default_factory=list)      # tools there that failed
    tmux: bool = False                                    # under tmux


def tools(env: Mapping[str, str] | None = None, platform: str | None = None) -> list[Tool]:
    """The clipboard tools worth trying here, most local first."""
    env = os.environ if env is None else env
    platform = platform or sys.platform
    path = env.get("PATH")
    found: list[Tool] = []

    def have(program: str) -> bool:
        return shutil.which(program, path=path) is not None

    if env.get("TMUX") and have("tmux"):
        found.append(Tool("tmux's paste buffer", ("tmux", "load-buffer", "-w", "-"),
                          ("tmux", "load-buffer", "-")))
    if env.get("WAYLAND_DISPLAY") and have("wl-copy"):
        found.append(Tool("the Wayland clipboard (wl-copy)", ("wl-copy",)))
    if env.get("DISPLAY"):
        if have("xclip"):
            found.append(Tool("the X clipboard (xclip)", ("xclip", "-selection", "clipboard")))
        elif have("xsel"):
            found.append(Tool("the X clipboard (xsel)", ("xsel", "--clipboard", "--input")))
    if platform == "darwin" and have("pbcopy"):
        found.append(Tool("the clipboard (pbcopy)", ("pbcopy",)))
    return found


def _run(command: Sequence[str], text: str, env: Mapping[str, str]) -> bool:
    try:
        done = subprocess.run(list(command), input=text.encode("utf-8"), env=dict(env),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              timeout=TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def copy_local(text: str, env: Mapping[str, str] | None = None,
               platform: str | None = None) -> CopyResult:
    """Give `text` to every local clipboard tool found (see the module docstring)."""
    env = os.environ if env is None else env
    result = CopyResult(tmux=bool(env.get("TMUX")))
    for tool in tools(env, platform):
        if _run(tool.command, text, env) or (tool.fallback and _run(tool.fallback, text, env)):
            result.took.append(tool.name)
        else:
            result.failed.append(tool.name)
    return result


def describe(result: CopyResult, what: str) -> tuple[str, bool]:
    """The message for the user, and whether it is a warning (nothing local took the text)."""
    if result.took:
        where = " and ".join(result.took)
        paste = " (prefix ] pastes it)" if any("tmux" in t for t in result.took) else ""
        return f"Copied {what} to {where}{paste}; also sent to the terminal (OSC 52)", False
    if result.tmux:
        fix = ("tmux did not take it: add 'set -g set-clipboard on' to ~/.tmux.conf so tmux "
               "passes OSC 52 on")
    else:
        fix = ("if it did not arrive, install wl-clipboard (Wayland) or xclip (X11), or turn "
               "on OSC 52 clipboard access in your terminal")
    failed = f" ({', '.join(result.failed)} failed)" if result.failed else ""
    return f"Sent {what} to the terminal by OSC 52 only{failed}: {fix}", True
