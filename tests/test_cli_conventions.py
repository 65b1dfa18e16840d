"""CLI conventions: --version, NO_COLOR, shell completion, help text for every option."""

from __future__ import annotations

import argparse
import os
import pty
import shutil
import subprocess
import sys

import pytest

from explorer.cli import build_parser, main
from tests.conftest import ROOT


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == "news-explorer 0.1.0"


def _all_parsers(parser, path=()):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _all_parsers(sub, path + (name,))


def test_every_option_has_help_and_app_options_stay_out_of_commands():
    missing, leaked = [], []
    for path, parser in _all_parsers(build_parser()):
        for action in parser._actions:
            if not action.help and not isinstance(action, argparse._SubParsersAction):
                missing.append((path, action.option_strings or action.dest))
            if path and {"--saved", "--version"} & set(action.option_strings):
                leaked.append((path, action.option_strings))
    assert not missing and not leaked


def _run_on_terminal(args, env) -> str:
    """Run the CLI with its stdout on a pseudo-terminal, as a user would see it."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "explorer", *args], cwd=ROOT, env=env,
                            stdout=follower, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:           # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_no_color_turns_off_bold_and_colour(tmp_path):
    args = ["--index", str(tmp_path / "index"), "--data", str(tmp_path / "data"),
            "search", "OpenAI", "--limit", "2"]
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    coloured = _run_on_terminal(args, env)
    assert "\x1b[1m" in coloured
    plain = _run_on_terminal(args, env | {"NO_COLOR": "1"})
    assert "\x1b[" not in plain and "OpenAI" in plain


def _bash_complete(script: str, words: list[str]) -> list[str]:
    line = " ".join(words)
    program = (f'{script}\nCOMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; '
               '_news_explorer; printf "%s\\n" "${COMPREPLY[@]}"')
    out = subprocess.run(["bash", "--norc", "-c", program], capture_output=True, text=True,
                         check=True).stdout
    return out.split()


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
def test_bash_completion_completes_commands_and_their_options(capsys):
    assert main(["completion", "bash"]) == 0
    script = capsys.readouterr().out
    assert _bash_complete(script, ["news-explorer", "fet"]) == ["fetch"]
    assert "--no-index" in _bash_complete(script, ["news-explorer", "fetch", "--"])
    assert "--saved" not in _bash_complete(script, ["news-explorer", "fetch", "--"])
    assert _bash_complete(script, ["news-explorer", "saved", "re"]) == ["rename"]
    assert _bash_complete(script, ["news-explorer", "completion", "f"]) == ["fish"]


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_scripts_name_every_command(shell, capsys):
    assert main(["completion", shell]) == 0
    script = capsys.readouterr().out
    for command in ("fetch", "init", "search", "completion", "saved"):
        assert command in script
    checker = shutil.which(shell)
    if checker:                     # when the shell is installed: the script parses
        flag = ["-n"] if shell == "zsh" else ["--no-execute"]
        subprocess.run([checker, *flag], input=script, text=True, check=True)


def test_a_missing_corpus_is_one_line_and_makes_no_index_folder(tmp_path, capsys):
    index = tmp_path / "index"
    status = main(["--corpus", str(tmp_path / "nowhere"), "--index", str(index), "search", "x"])
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1
    assert f"{tmp_path / 'nowhere'}: corpus not found" in err and "news-explorer fetch" in err
    assert not index.exists()


def test_without_any_config_the_index_goes_to_the_cache_keyed_by_corpus(tmp_path, monkeypatch,
                                                                       capsys, user_folders):
    monkeypatch.chdir(tmp_path)
    for name in ("a", "b"):
        (tmp_path / name / "news").mkdir(parents=True)
        (tmp_path / name / "news" / "story.txt").write_text(f"Story {name}\n\nBody of {name}.\n")
        assert main(["--corpus", str(tmp_path / name / "news"), "search", "body"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]   # nothing written here
    indexes = sorted((user_folders / "cache" / "news-explorer" / "indexes").iterdir())
    assert len(indexes) == 2 and all(p.name.startswith("news-") for p in indexes)
    out = capsys.readouterr().out
    assert "Story a" in out and "Story b" in out
