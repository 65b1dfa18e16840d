"""Hostile YAML in the config and the user files: anchors and aliases (a "billion laughs"
expands exponentially), keys written twice, deep nesting. Each is one line naming the file and
line, exit status 2, the file left untouched."""

import pytest

from explorer.cli import main
from explorer.errors import DataFileError
from explorer.yamlfile import parse_yaml


def laughs(depth: int = 9) -> str:
    """A billion-laughs document: each level nine aliases of the one before."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, depth):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_anchors_and_aliases_are_refused_naming_the_line():
    with pytest.raises(DataFileError, match=r"^f\.yaml:1: invalid YAML: anchors \(&l0\)"):
        parse_yaml(laughs(), "f.yaml")
    with pytest.raises(DataFileError, match=r"^f\.yaml:2: invalid YAML: aliases \(\*x\)"):
        parse_yaml("a: 1\nb: *x\n", "f.yaml")


def test_deep_nesting_is_an_error_not_a_recursion_error():
    for text in ("[" * 100_000, "a: " + "{b: " * 5000 + "1" + "}" * 5000):
        with pytest.raises(DataFileError, match=r"^f\.yaml:1: invalid YAML: nested deeper"):
            parse_yaml(text, "f.yaml")


def test_a_key_written_twice_names_both_lines():
    with pytest.raises(DataFileError, match=r"^f\.yaml:3: invalid YAML: key 'corpus' is written "
                                            r"twice \(first on line 1\)"):
        parse_yaml("corpus: a\nindex: b\ncorpus: c\n", "f.yaml")
    with pytest.raises(DataFileError, match=r"^f\.yaml:2: .*key 'name' is written twice"):
        parse_yaml("- name: a\n  name: b\n", "f.yaml")


@pytest.fixture
def folders(tmp_path, seeds_copy):
    config = tmp_path / "config.yaml"
    config.write_text(f"corpus: {seeds_copy}\nindex: {tmp_path / 'ix'}\ndata: {tmp_path / 'data'}\n")
    (tmp_path / "data").mkdir()
    return config, tmp_path / "data"


def one_line_error(capsys, status: int, path) -> str:
    out, err = capsys.readouterr()
    assert status == 2, err
    assert "Traceback" not in err
    (line,) = [line for line in err.splitlines() if line.startswith("news-explorer:")]
    assert line.startswith(f"news-explorer: {path}:"), err
    return line


def test_bombs_in_config_and_user_files_are_one_line_errors(folders, capsys):
    config, data = folders
    config.write_text(config.read_text() + "entities:\n" +
                      "".join(f"  - {line}\n" for line in laughs().splitlines()))
    err = one_line_error(capsys, main(["--config", str(config), "stats"]), config)
    assert "anchors (&l0) are not allowed" in err
    config.write_text(config.read_text().split("entities:")[0])

    commands = {"entities.yaml": ["entities", "--limit", "1"], "quotes.yaml": ["quotes", "list"],
                "saved_searches.yaml": ["saved", "list"]}
    for name, command in commands.items():
        target = data / name
        target.write_text(laughs())
        err = one_line_error(capsys, main(["--config", str(config), *command]), target)
        assert ":1: invalid YAML: anchors (&l0) are not allowed" in err
        assert target.read_text() == laughs()          # left untouched
        target.unlink()


def test_duplicate_keys_in_config_and_user_files(folders, capsys):
    config, data = folders
    text = config.read_text()
    config.write_text(text + "corpus: elsewhere\n")
    err = one_line_error(capsys, main(["--config", str(config), "stats"]), config)
    assert f"{config}:4: invalid YAML: key 'corpus' is written twice (first on line 1)" in err
    config.write_text(text)

    saved = data / "saved_searches.yaml"
    saved.write_text("searches:\n  - name: oil\n    query: oil\n    query: gas\n")
    err = one_line_error(capsys, main(["--config", str(config), "saved", "list"]), saved)
    assert ":4: invalid YAML: key 'query' is written twice (first on line 3)" in err
