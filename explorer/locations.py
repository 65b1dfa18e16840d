"""The one place that knows where files live when there is no project config: the user's
config, data and cache folders (platformdirs: XDG on Linux, ~/Library on macOS, AppData on
Windows), and the index folder of each corpus, keyed by the corpus's resolved path."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

APP_NAME = "news-explorer"
CONFIG_NAME = "config.yaml"


def _dirs():
    # platformdirs reads $XDG_* (and $HOME) on every call: tests point them into tmp_path.
    import platformdirs

    return platformdirs.PlatformDirs(APP_NAME, appauthor=False)


def config_dir() -> Path:
    """Where the user's own config.yaml lives (`news-explorer init` writes it there)."""
    return Path(_dirs().user_config_dir)


def user_config() -> Path:
    return config_dir() / CONFIG_NAME


def data_dir() -> Path:
    """User data (saved searches, kept quotes, curated entities, the app's settings)."""
    return Path(_dirs().user_data_dir)


def cache_dir() -> Path:
    """Things that can be rebuilt: one index folder per corpus."""
    return Path(_dirs().user_cache_dir)


def default_corpus() -> Path:
    """The corpus of a config written by `news-explorer init`: fetched feeds land here."""
    return data_dir() / "articles"


def index_dir_for(corpus: Path) -> Path:
    """The index of `corpus` in the cache folder: a readable name plus a hash of the resolved
    path, so two corpora with the same folder name never share an index."""
    resolved = Path(corpus).expanduser().resolve()
    digest = hashlib.sha1(str(resolved).encode("utf-8")).hexdigest()[:12]
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", resolved.name).strip("-.") or "corpus"
    return cache_dir() / "indexes" / f"{name[:40]}-{digest}"


def app_settings() -> Path:
    """The app's remembered choices (the theme), written atomically."""
    return data_dir() / "app.yaml"
