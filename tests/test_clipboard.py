"""Copy that arrives (issue 14): under tmux with its default settings (which drop an
application's OSC 52), the text lands in tmux's paste buffer and the message says so; with no
local clipboard at all, the message says how to fix that."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid

import pytest

from explorer.app.clipboard import copy_local, describe, tools

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
TEXT = "> We don\u2019t want to ice the ecosystem\n\n\u2014 Sarah Friar, *Title*, `a`\n"


@pytest.fixture
def tmux_server():
    """A tmux server of our own (its own socket, no config file: tmux's defaults), and the
    environment a program running inside it would have."""
    name = f"news-explorer-test-{uuid.uuid4().hex[:8]}"
    base = ["tmux", "-L", name, "-f", "/dev/null"]
    subprocess.run([*base, "new-session", "-d", "-s", "t", "-x", "80", "-y", "24"], check=True)
    try:
        socket, pid = subprocess.run(
            [*base, "display-message", "-p", "#{socket_path} #{pid}"], check=True,
            capture_output=True, text=True).stdout.split()
        env = {"PATH": os.environ.get("PATH", ""), "TMUX": f"{socket},{pid},0"}
        yield base, env
    finally:
        subprocess.run([*base, "kill-server"], capture_output=True)


@needs_tmux
def test_under_tmux_defaults_the_text_lands_in_the_paste_buffer(tmux_server):
    base, env = tmux_server
    setting = subprocess.run([*base, "show-options", "-gv", "set-clipboard"],
                             capture_output=True, text=True).stdout.strip()
    assert setting == "external"               # tmux's default: an app's OSC 52 is dropped
    result = copy_local(TEXT, env=env, platform="linux")
    assert result.took == ["tmux's paste buffer"]
    buffer = subprocess.run([*base, "show-buffer"], capture_output=True, check=True).stdout
    assert buffer.decode("utf-8") == TEXT
    message, warning = describe(result, "the quote")
    assert not warning and "tmux's paste buffer" in message and "prefix ]" in message


def test_nothing_took_it_says_how_to_fix_it(tmp_path):
    env = {"PATH": str(tmp_path)}               # no clipboard tool, no display, no tmux
    assert tools(env, platform="linux") == []
    result = copy_local(TEXT, env=env, platform="linux")
    message, warning = describe(result, "the quote")
    assert warning and "OSC 52 only" in message and "xclip" in message


def test_under_tmux_without_its_program_says_to_turn_on_set_clipboard(tmp_path):
    result = copy_local(TEXT, env={"PATH": str(tmp_path), "TMUX": "/nowhere,1,0"},
                        platform="linux")
    message, warning = describe(result, "the quote")
    assert warning and "set-clipboard on" in message


def test_a_failing_tool_is_named(tmp_path):
    fake = tmp_path / "xclip"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    result = copy_local(TEXT, env={"PATH": str(tmp_path), "DISPLAY": ":0"}, platform="linux")
    assert result.failed == ["the X clipboard (xclip)"]
    assert "xclip) failed" in describe(result, "the quote")[0]


@needs_tmux
async def test_c_in_the_app_copies_into_tmux(seeds_ws, tmux_server, monkeypatch):
    from explorer.app.app import NewsExplorer

    base, env = tmux_server
    monkeypatch.setenv("TMUX", env["TMUX"])
    app = NewsExplorer(seeds_ws, timings=False)
    notes: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(4):
            await app.workers.wait_for_complete()
            await pilot.pause()
        await pilot.press(*"Friar", "enter")
        for _ in range(4):
            await app.workers.wait_for_complete()
            await pilot.pause()
        await pilot.press("enter")
        for _ in range(4):
            await app.workers.wait_for_complete()
            await pilot.pause()
        view = app.article_view
        view.move_cursor(view.body.index("ice the ecosystem"))
        app.notify = lambda message, **kw: notes.append(message)
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
    buffer = subprocess.run([*base, "show-buffer"], capture_output=True, check=True).stdout
    assert buffer.decode("utf-8") == app.clipboard
    assert buffer.decode("utf-8").startswith("> We don\u2019t want to ice")
    assert any("tmux's paste buffer" in n for n in notes)
