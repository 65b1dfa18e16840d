"""The app's remembered choices (the theme), one small YAML file in the user's data folder,
written atomically; a corrupt file is reported and left untouched (nothing is remembered)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from explorer.errors import DataFileError
from explorer.yamlfile import load_yaml, save_yaml

HEADER = "# news-explorer remembers the app's choices here (the theme). Safe to delete.\n"


def load_settings(path: Path) -> dict[str, Any]:
    """The settings; {} when there are none yet; DataFileError when the file is corrupt."""
    if not Path(path).exists():
        return {}
    data = load_yaml(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise DataFileError(f"{path}: expected a mapping of settings")
    return dict(data)


def remember(path: Path, **changes: Any) -> None:
    """Update some settings, keeping the others (a corrupt file raises and is kept as it is)."""
    settings = load_settings(path)
    if all(settings.get(k) == v for k, v in changes.items()):
        return
    settings.update(changes)
    save_yaml(path, settings, HEADER)
