"""config.yaml: defaults, relative paths, overrides, and one-line errors naming file and line."""

import pytest

from explorer.config import load_config
from explorer.errors import ConfigError
from tests.conftest import ROOT


def test_default_config_paths_are_relative_to_the_file():
    config = load_config(str(ROOT / "config.yaml"))
    assert config.corpus == ROOT / "seeds"
    assert config.index == ROOT / "index"
    assert config.data == ROOT / ".news-explorer"


def test_overrides_win(tmp_path):
    config = load_config(str(ROOT / "config.yaml"), corpus=tmp_path, index=tmp_path / "i")
    assert config.corpus == tmp_path and config.index == tmp_path / "i"


def test_environment_variable_names_the_config(tmp_path, monkeypatch):
    cfg = tmp_path / "other.yaml"
    cfg.write_text("corpus: stories\n")
    monkeypatch.setenv("NEWS_EXPLORER_CONFIG", str(cfg))
    assert load_config().corpus == tmp_path / "stories"


@pytest.mark.parametrize("text, line, words", [
    ("corpus: [unclosed\n", 2, "invalid YAML"),
    ("corpus: seeds\ncolour: blue\n", 2, "unknown key 'colour'"),
    ("corpus: seeds\nindex: 5\n", 2, "'index' must be a path"),
])
def test_malformed_config_names_file_and_line(tmp_path, text, line, words):
    cfg = tmp_path / "config.yaml"
    cfg.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_config(str(cfg))
    message = str(err.value)
    assert message.startswith(f"{cfg}:{line}:") and words in message
    assert "\n" not in message


def test_missing_config_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(str(tmp_path / "nope.yaml"))
