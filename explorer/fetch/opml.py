"""OPML subscription lists (what newsboat, and most feed readers, export): the feed URLs."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from explorer.errors import ConfigError


def read_opml(path: Path) -> list[str]:
    """Every outline's xmlUrl, in document order, nested folders included."""
    try:
        root = ET.parse(path).getroot()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the OPML file: {exc.strerror}") from None
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else 0
        raise ConfigError(f"{path}:{line}: not valid OPML ({exc})") from None
    urls = []
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if url and url not in urls:
            urls.append(url)
    return urls
