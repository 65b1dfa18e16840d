"""Quotes out: Markdown with citations, CSV with every field, JSON with every field.

Each renderer takes records as dicts (KeptQuote.to_dict() or Quotation.to_dict() plus its
article's citation fields) so kept quotes and detected quotations export alike.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any, Iterable, Sequence

from explorer.errors import UserError
from explorer.yamlfile import atomic_write_text

FORMATS = ("md", "csv", "json")
EXTENSIONS = {"md": ".md", "csv": ".csv", "json": ".json"}
# Column order for CSV (and key order for JSON); any other fields follow in their own order.
COLUMNS = (
    "number", "id", "text", "speaker", "speaker_role", "entities", "note", "tags", "title",
    "source", "date", "url", "path", "article_id", "start", "end", "prefix", "suffix",
    "created", "status",
)


def ordered(record: dict[str, Any]) -> dict[str, Any]:
    keys = [k for k in COLUMNS if k in record] + [k for k in record if k not in COLUMNS]
    return {k: record[k] for k in keys}


def columns_of(records: Sequence[dict[str, Any]]) -> list[str]:
    seen: list[str] = []
    for record in records:
        for key in ordered(record):
            if key not in seen:
                seen.append(key)
    return [k for k in COLUMNS if k in seen] + [k for k in seen if k not in COLUMNS]


def render(fmt: str, records: Iterable[dict[str, Any]]) -> str:
    records = list(records)
    if fmt == "md":
        return to_markdown(records)
    if fmt == "csv":
        return to_csv(records)
    if fmt == "json":
        return to_json(records)
    raise ValueError(f"unknown export format '{fmt}' (use {', '.join(FORMATS)})")


def to_json(records: Sequence[dict[str, Any]]) -> str:
    """A JSON list of objects with every field (lists stay lists)."""
    return json.dumps([ordered(dict(r)) for r in records], ensure_ascii=False, indent=2) + "\n"


def to_csv(records: Sequence[dict[str, Any]]) -> str:
    """A header row, then one row per quote; lists joined with '; '. Cells holding commas,
    quotes or newlines are quoted by the csv module (quotes doubled)."""
    columns = columns_of(records) or list(COLUMNS)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: _cell(record.get(k)) for k in columns})
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return str(value)


_BLOCK_START = re.compile(r"^(\s*)([#>+\-*=]|\d+[.)]|```|~~~)")


def _quote_line(line: str) -> str:
    """One line of a quote inside `>`: characters that would start a heading, list or nested
    quote at the beginning are escaped so the text stays text."""
    line = line.strip()
    if not line:
        return ">"
    match = _BLOCK_START.match(line)
    if match:
        line = line[:match.start(2)] + "\\" + line[match.start(2):]
    return "> " + line


def _inline(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", " ".join(str(text).split()))


def citation(record: dict[str, Any]) -> str:
    """'— Sarah Friar (chief financial officer), *Title*, Source, 2025-06-19, <url>'."""
    parts: list[str] = []
    speaker = record.get("speaker")
    if speaker:
        role = record.get("speaker_role")
        parts.append(_inline(speaker) + (f" ({_inline(role)})" if role and role != speaker
                                         else ""))
    if record.get("title"):
        parts.append(f"*{_inline(record['title'])}*")
    for key in ("source", "date"):
        if record.get(key):
            parts.append(_inline(str(record[key])))
    if record.get("url"):
        parts.append(f"<{record['url']}>")
    elif record.get("path"):
        parts.append(f"`{str(record['path']).replace('`', '')}`")
    return "\u2014 " + ", ".join(parts) if parts else "\u2014 (no citation)"


def to_markdown(records: Sequence[dict[str, Any]]) -> str:
    """Each quote a `>` blockquote (paragraphs kept), then its citation line, note and tags."""
    blocks: list[str] = []
    for record in records:
        text = str(record.get("text") or "")
        lines = [_quote_line(line) for line in text.split("\n")]
        block = ["\n".join(lines), "", citation(record)]
        extras = []
        if record.get("note"):
            extras.append(f"Note: {_inline(record['note'])}")
        if record.get("tags"):
            extras.append("Tags: " + ", ".join(_inline(t) for t in record["tags"]))
        if record.get("status") == "orphaned":
            extras.append("(orphaned: this text is no longer in the article)")
        if extras:
            block += [""] + ["  \n".join(extras)]
        blocks.append("\n".join(block))
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def write_export(path: str | Path, fmt: str, records: Iterable[dict[str, Any]]) -> Path:
    """Render quotes and write them to a file atomically; a bad path is one UserError line."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise UserError(f"{target}: is a folder; give a file name")
    try:
        atomic_write_text(target, render(fmt, records))
    except OSError as exc:
        raise UserError(f"{target}: cannot write: {exc.strerror}") from None
    return target
