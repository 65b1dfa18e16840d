"""YAML files a person can edit: loading with line numbers for errors, and atomic writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from explorer.errors import DataFileError
from explorer.files import atomic_write_text  # noqa: F401 (one writer; imported from here too)


class LineDict(dict):
    """A mapping loaded from YAML that remembers the line (1-based) it started on."""

    line: int = 0


class LineList(list):
    line: int = 0


MAX_DEPTH = 64    # nesting deeper than this is refused (PyYAML composes recursively)


class _LineLoader(yaml.SafeLoader):
    """The safe loader, stricter: no anchors or aliases (a "billion laughs" file expands
    without end), no key written twice in one mapping (the last one silently won), no nesting
    deeper than MAX_DEPTH (a RecursionError)."""

    _depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, f"aliases (*{event.anchor}) are not allowed", event.start_mark)
        if getattr(event, "anchor", None) is not None:
            raise yaml.composer.ComposerError(
                None, None, f"anchors (&{event.anchor}) are not allowed", event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested deeper than {MAX_DEPTH} levels", event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node, deep=False):  # noqa: D401 - PyYAML hook
        seen: dict = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"key '{str(key)[:40]}' is written twice (first on line {seen[key]})",
                        key_node.start_mark)
                seen[key] = key_node.start_mark.line + 1
            except TypeError:
                continue          # an unhashable key: the base class names the problem
        mapping = LineDict(super().construct_mapping(node, deep=True))
        mapping.line = node.start_mark.line + 1
        return mapping

    def construct_sequence(self, node, deep=False):
        seq = LineList(super().construct_sequence(node, deep=True))
        seq.line = node.start_mark.line + 1
        return seq


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping
)
_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _LineLoader.construct_sequence
)


def parse_yaml(text: str, name: str, error: type[Exception] = DataFileError) -> Any:
    """Parse YAML text; a syntax error becomes one line: ``name:line: problem``."""
    try:
        return yaml.load(text, Loader=_LineLoader)
    except RecursionError:       # deep nesting the depth limit did not catch
        raise error(f"{name}: invalid YAML: nested too deeply") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise error(f"{name}{line}: invalid YAML: {problem}") from None


def load_yaml(path: Path, error: type[Exception] = DataFileError) -> Any:
    """Read and parse a YAML file; errors name the file (and line where known)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise error(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise error(f"{path}: cannot read: {exc.strerror}") from None
    return parse_yaml(text, str(path), error)


def line_of(value: Any, default: int = 0) -> int:
    return getattr(value, "line", default)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def dump_yaml(data: Any) -> str:
    return yaml.safe_dump(_plain(data), sort_keys=False, allow_unicode=True, width=100)


def save_yaml(path: Path, data: Any, header: str = "") -> None:
    atomic_write_text(path, header + dump_yaml(data))
