"""The command line as a user runs it: exit codes, one-line errors, JSON and CSV output."""

import csv
import io
import json
import subprocess
import sys

import pytest

from explorer.cli import main
from tests.conftest import ROOT


@pytest.fixture
def cli(tmp_path, seeds_copy, capsys):
    base = ["--config", str(ROOT / "config.yaml"), "--corpus", str(seeds_copy),
            "--index", str(tmp_path / "index"), "--data", str(tmp_path / "data")]

    def run(*args):
        status = main([*args, *base])
        out, err = capsys.readouterr()
        return status, out, err
    return run


def test_index_prints_a_summary_then_is_incremental(cli):
    status, out, _ = cli("index")
    assert status == 0 and "2 articles: 2 added" in out
    status, out, _ = cli("index")
    assert "0 added, 0 updated, 0 removed" in out


def test_search_json_fields(cli):
    status, out, _ = cli("search", "Friar", "--json")
    assert status == 0
    (hit,) = json.loads(out)
    assert set(hit) >= {"id", "title", "date", "source", "path", "score", "snippet", "entities"}
    assert hit["date"] == "2025-06-19" and "**Friar**" in hit["snippet"]


def test_search_csv(cli):
    _, out, _ = cli("search", "OpenAI", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 2 and rows[0]["id"]


def test_text_output_and_did_you_mean(cli):
    _, out, _ = cli("search", "Friar")
    assert "2025-06-19" in out and "**Friar**" in out
    _, out, _ = cli("search", "Mercorr")
    assert "did you mean: Mercor" in out        # the user's case, a whole word


def test_malformed_query_exit_2_one_line(cli):
    cli("index")
    status, out, err = cli("search", '"Meta Scale')
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and '"Meta Scale' in err


def test_show_and_stats(cli):
    _, out, _ = cli("search", "Mercor", "--json")
    article_id = json.loads(out)[0]["id"]
    status, out, _ = cli("show", article_id[:6], "--json")
    assert status == 0 and json.loads(out)["id"] == article_id
    status, out, _ = cli("show", "zzzz")
    assert status == 2
    _, out, _ = cli("stats", "--json")
    stats = json.loads(out)
    assert (stats["articles"], stats["duplicates"], stats["skipped"]) == (2, 0, 0)
    assert stats["index_bytes"] > 0


def test_bad_config_is_one_line_exit_2(tmp_path, capsys):
    cfg = tmp_path / "config.yaml"
    cfg.write_text("corpus: seeds\nindex: [\n")
    assert main(["--config", str(cfg), "stats"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"news-explorer: {cfg}:") and err.count("\n") == 1


def test_python_dash_m_runs_without_a_traceback(tmp_path):
    done = subprocess.run([sys.executable, "-m", "explorer", "--config", str(tmp_path / "x.yaml"),
                           "stats"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "config file not found" in done.stderr


# -- a one-shot command imports only its own module ---------------------------------------------
def test_the_parser_of_one_command_imports_only_its_module():
    from tests.test_import_hygiene import packages_loaded

    code = "from explorer.cli import build_parser\nbuild_parser(['--index', 'x', 'search', 'oil'])"
    loaded = packages_loaded(code, ("explorer", "whoosh", "rapidfuzz", "textual"))
    assert "explorer.cli.corpus_commands" in loaded
    assert not [m for m in loaded if m.split(".")[0] in ("whoosh", "rapidfuzz", "textual")]
    assert not [m for m in loaded if m.startswith(("explorer.cli.quote", "explorer.cli.saved",
                                                   "explorer.cli.entity", "explorer.quotes"))]


def test_the_command_table_lists_what_the_modules_register():
    import argparse

    from explorer.cli import COMMANDS, build_parser

    full = build_parser()         # no arguments: every module registers its commands
    subparsers = next(a for a in full._actions if isinstance(a, argparse._SubParsersAction))
    registered = {c.dest: c.help for c in subparsers._choices_actions}
    assert registered == {name: help_text for name, (_, help_text) in COMMANDS.items()}
    shape = lambda parser: [(a.dest, a.option_strings, a.help) for a in parser._actions]  # noqa
    for name in COMMANDS:        # the parser of one command is that command's real parser
        lazy = build_parser([name])
        action = next(a for a in lazy._actions if isinstance(a, argparse._SubParsersAction))
        assert shape(action.choices[name]) == shape(subparsers.choices[name]), name
        assert action.choices[name].description == subparsers.choices[name].description
