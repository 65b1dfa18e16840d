"""Loading and validating config.yaml into a frozen Config; errors name the file and line.

The config is looked up as --config, $NEWS_EXPLORER_CONFIG, ./config.yaml, then the user's
config folder (explorer/locations.py). A project config (one of the first three) keeps its
index and data beside it; the user's own config, or none at all, keeps data in the user's data
folder and each corpus's index in the user's cache folder."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from explorer import locations
from explorer.errors import ConfigError
from explorer.yamlfile import line_of, load_yaml

CONFIG_ENV = "NEWS_EXPLORER_CONFIG"
DEFAULT_CONFIG_NAME = "config.yaml"
KNOWN_KEYS = {
    "corpus", "index", "data", "entities", "entity_files", "alias_tables", "entity_matching",
    "feeds", "opml", "fetch", "keymap", "max_file_mb", "symlinks_out",
    "discovered", "folders", "source", "record_entities",
}
FETCH_KEYS = {"timeout", "full_articles"}
DEFAULT_MAX_FILE_MB = 64     # a corpus file bigger than this is skipped, with the reason
FOLDER_MEANINGS = ("section", "source")


@dataclass(frozen=True)
class AliasTable:
    """A TSV of name variants: one entity per `entity_column` value, aliases from `alias_column`."""

    path: Path
    entity_column: str
    alias_column: str
    type: str = "organization"
    name_column: str | None = None  # column whose most frequent value names the entity
    min_count: int = 1
    count_column: str | None = None
    line: int = 0


@dataclass(frozen=True)
class Config:
    path: Path | None
    corpus: Path
    index: Path
    data: Path
    entities: tuple = ()                 # raw entity mappings (validated by explorer.entities)
    entity_files: tuple[Path, ...] = ()
    alias_tables: tuple[AliasTable, ...] = ()
    entity_matching: dict = field(default_factory=dict)
    feeds: tuple[str, ...] = ()          # feed URLs `news-explorer fetch` downloads
    opml: tuple[Path, ...] = ()          # OPML subscription lists: more feed URLs
    fetch_timeout: float = 20.0          # seconds
    full_articles: bool = False          # fetch the page of items that carry only a summary
    keymap: dict = field(default_factory=dict)   # binding id -> keys (Textual's set_keymap)
    index_follows_corpus: bool = False   # the index lives in the cache, keyed by the corpus
    max_file_mb: float = DEFAULT_MAX_FILE_MB   # corpus files above it are skipped
    symlinks_out: bool = False                 # read symlinks that lead out of the corpus
    discovered: bool = True              # list the corpus's own names no entity covers
    folders: str | None = None           # what the folder holding a file names: section, source
    source: str | None = None            # the source of articles that name none
    record_entities: bool = False        # names in record metadata (people:, orgs:...) are entities

    @property
    def name(self) -> str:
        return str(self.path) if self.path else "(no config file)"

    def with_overrides(self, corpus=None, index=None, data=None) -> "Config":
        changes = {}
        if corpus is not None:
            changes["corpus"] = Path(corpus).expanduser().resolve()
            if index is None and self.index_follows_corpus:
                changes["index"] = locations.index_dir_for(changes["corpus"])
        if index is not None:
            changes["index_follows_corpus"] = False
            changes["index"] = Path(index).expanduser().resolve()
        if data is not None:
            changes["data"] = Path(data).expanduser().resolve()
        return _checked(replace(self, **changes))


def _checked(config: Config) -> Config:
    """Refuse folders that would make one of them clean out another: the index folder is
    emptied before a rebuild, so it may not be (or hold) the corpus or the user data."""
    index = config.index
    for key, other in (("corpus", config.corpus), ("data", config.data)):
        if other == index or index in other.parents:
            raise ConfigError(f"{config.name}: the index folder {index} would hold the {key} "
                              f"({other}): give --index a folder of its own")
    return config


def find_config(explicit: str | None = None) -> tuple[Path | None, bool]:
    """The config file to use and whether the user named it (so a missing one is an error):
    --config, $NEWS_EXPLORER_CONFIG, ./config.yaml, then the user's config folder."""
    if explicit:
        return Path(explicit).expanduser(), True
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env).expanduser(), True
    here = Path.cwd() / DEFAULT_CONFIG_NAME
    if here.is_file():
        return here, False
    mine = locations.user_config()
    return (mine, False) if mine.is_file() else (None, False)


def is_user_config(path: Path) -> bool:
    """The config in the user's config folder: no project around it, so its index and data
    default to the user's cache and data folders rather than to folders beside it."""
    try:
        return path.resolve() == locations.user_config().resolve()
    except OSError:
        return False


def _path(raw: Any, key: str, base: Path, name: str, line: int) -> Path:
    if not isinstance(raw, str) or not raw.strip():
        raise ConfigError(f"{name}:{line}: '{key}' must be a path (a non-empty string)")
    path = Path(raw).expanduser()
    return (path if path.is_absolute() else base / path).resolve()


def load_config(
    path: str | None = None, *, corpus=None, index=None, data=None
) -> Config:
    """Load the config (see find_config) plus overrides."""
    config_path, explicit = find_config(path)
    if config_path is None:
        if corpus is None:
            raise ConfigError(
                f"no config: not in {Path.cwd()}, nor {locations.user_config()}: run "
                "`news-explorer init` to write one, or pass --config FILE or --corpus PATH"
            )
        # No config anywhere: nothing is written into the current folder.
        corpus_path = Path(corpus).expanduser().resolve()
        config = Config(None, corpus_path, locations.index_dir_for(corpus_path),
                        locations.data_dir(), index_follows_corpus=True)
        return config.with_overrides(corpus=corpus, index=index, data=data)
    if not config_path.is_file():
        raise ConfigError(f"{config_path}: config file not found")
    config = parse_config(load_yaml(config_path, ConfigError), config_path)
    return config.with_overrides(corpus=corpus, index=index, data=data)


def parse_config(raw: Any, config_path: Path) -> Config:
    name = str(config_path)
    base = config_path.resolve().parent
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{name}:{line_of(raw, 1)}: the config must be a mapping of keys")
    top = line_of(raw, 1)
    for key in raw:
        if key not in KNOWN_KEYS:
            raise ConfigError(
                f"{name}:{_key_line(raw, key, config_path)}: unknown key '{key}' "
                f"(known: {', '.join(sorted(KNOWN_KEYS))})"
            )
    line = lambda key: _key_line(raw, key, config_path) or top  # noqa: E731

    mine = is_user_config(config_path)
    default_corpus = str(locations.default_corpus()) if mine else "seeds"
    corpus = _path(raw.get("corpus", default_corpus), "corpus", base, name, line("corpus"))
    follows = mine and "index" not in raw
    index = (locations.index_dir_for(corpus) if follows else
             _path(raw.get("index", "index"), "index", base, name, line("index")))
    data = (_path(raw["data"], "data", base, name, line("data")) if "data" in raw else
            locations.data_dir() if mine else base / ".news-explorer")

    entities = raw.get("entities") or []
    if not isinstance(entities, list):
        raise ConfigError(f"{name}:{line('entities')}: 'entities' must be a list")
    entity_files = raw.get("entity_files") or []
    if not isinstance(entity_files, list):
        raise ConfigError(f"{name}:{line('entity_files')}: 'entity_files' must be a list of paths")
    files = tuple(_path(p, "entity_files", base, name, line("entity_files")) for p in entity_files)

    tables_raw = raw.get("alias_tables") or []
    if not isinstance(tables_raw, list):
        raise ConfigError(f"{name}:{line('alias_tables')}: 'alias_tables' must be a list")
    tables = tuple(_alias_table(t, base, name, line("alias_tables")) for t in tables_raw)

    matching = raw.get("entity_matching") or {}
    if not isinstance(matching, dict):
        raise ConfigError(f"{name}:{line('entity_matching')}: 'entity_matching' must be a mapping")
    max_file_mb = raw.get("max_file_mb", DEFAULT_MAX_FILE_MB)
    if (isinstance(max_file_mb, bool) or not isinstance(max_file_mb, (int, float))
            or not 0 < max_file_mb <= 1_000_000):
        raise ConfigError(f"{name}:{line('max_file_mb')}: 'max_file_mb' must be a number of "
                          "megabytes above 0")
    symlinks_out = raw.get("symlinks_out", False)
    if not isinstance(symlinks_out, bool):
        raise ConfigError(f"{name}:{line('symlinks_out')}: 'symlinks_out' must be true or false")
    feeds, opml = _feeds(raw, base, name, line)
    timeout, full = _fetch(raw.get("fetch"), name, line("fetch"))
    keymap = raw.get("keymap") or {}
    if not isinstance(keymap, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in keymap.items()):
        raise ConfigError(f"{name}:{line('keymap')}: 'keymap' must map binding ids to keys, "
                          "e.g. 'app.sort: ctrl+o'")
    discovered = raw.get("discovered", True)
    if not isinstance(discovered, bool):
        raise ConfigError(f"{name}:{line('discovered')}: 'discovered' must be true or false")
    record_entities = raw.get("record_entities", False)
    if not isinstance(record_entities, bool):
        raise ConfigError(f"{name}:{line('record_entities')}: 'record_entities' must be true "
                          "or false")
    folders = raw.get("folders")
    if folders is not None and folders not in FOLDER_MEANINGS:
        raise ConfigError(f"{name}:{line('folders')}: 'folders' must be one of "
                          f"{', '.join(FOLDER_MEANINGS)}")
    source = raw.get("source")
    if source is not None and (not isinstance(source, str) or not source.strip()):
        raise ConfigError(f"{name}:{line('source')}: 'source' must be a name (a string)")
    return Config(config_path.resolve(), corpus, index, data, tuple(entities), files, tables,
                  dict(matching), feeds, opml, timeout, full, dict(keymap), follows,
                  max_file_mb, symlinks_out, discovered=discovered, folders=folders,
                  source=source.strip() if source else None,
                  record_entities=record_entities)


def _feeds(raw: dict, base: Path, name: str, line) -> tuple[tuple[str, ...], tuple[Path, ...]]:
    feeds = raw.get("feeds") or []
    if not isinstance(feeds, list):
        raise ConfigError(f"{name}:{line('feeds')}: 'feeds' must be a list of feed URLs")
    for url in feeds:
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise ConfigError(f"{name}:{line_of(feeds, line('feeds'))}: feed {url!r} is not "
                              "an http(s) URL")
    opml = raw.get("opml") or []
    opml = [opml] if isinstance(opml, str) else opml
    if not isinstance(opml, list):
        raise ConfigError(f"{name}:{line('opml')}: 'opml' must be a path or a list of paths")
    paths = tuple(_path(p, "opml", base, name, line("opml")) for p in opml)
    return tuple(dict.fromkeys(feeds)), paths


def _fetch(raw: Any, name: str, line: int) -> tuple[float, bool]:
    raw = raw or {}
    if not isinstance(raw, dict) or set(raw) - FETCH_KEYS:
        raise ConfigError(f"{name}:{line}: 'fetch' takes {', '.join(sorted(FETCH_KEYS))}")
    timeout = raw.get("timeout", 20)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        raise ConfigError(f"{name}:{line}: 'fetch: timeout' must be a number of seconds > 0")
    full = raw.get("full_articles", False)
    if not isinstance(full, bool):
        raise ConfigError(f"{name}:{line}: 'fetch: full_articles' must be true or false")
    return float(timeout), full


def _alias_table(raw: Any, base: Path, name: str, line: int) -> AliasTable:
    line = line_of(raw, line)
    if not isinstance(raw, dict) or "path" not in raw:
        raise ConfigError(f"{name}:{line}: each alias table needs 'path', 'entity_column' "
                          "and 'alias_column'")
    for key in ("entity_column", "alias_column"):
        if not isinstance(raw.get(key), str):
            raise ConfigError(f"{name}:{line}: alias table needs '{key}' (a column name)")
    min_count = raw.get("min_count", 1)
    if not isinstance(min_count, int) or min_count < 1:
        raise ConfigError(f"{name}:{line}: 'min_count' must be a whole number >= 1")
    return AliasTable(
        path=_path(raw["path"], "path", base, name, line),
        entity_column=raw["entity_column"],
        alias_column=raw["alias_column"],
        type=str(raw.get("type", "organization")),
        name_column=raw.get("name_column"),
        min_count=min_count,
        count_column=raw.get("count_column"),
        line=line,
    )


def _key_line(raw: dict, key: str, config_path: Path) -> int:
    """The line a top-level key is on (values that are scalars carry no line of their own)."""
    value = raw.get(key)
    if line_of(value):
        return line_of(value) - (0 if isinstance(value, (dict, list)) else 0)
    try:
        for number, text in enumerate(config_path.read_text(encoding="utf-8").splitlines(), 1):
            if text.startswith(f"{key}:"):
                return number
    except OSError:
        pass
    return line_of(raw, 1)
