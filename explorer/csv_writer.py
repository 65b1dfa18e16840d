"""The one CSV writer, shared by `search --format csv` and the quote exports.

Cells a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage
return) get a leading apostrophe, as OWASP advises: Excel, LibreOffice and Google Sheets show the
text and run nothing. Control characters are made visible (ESC shows as ␛). Lists are joined with
'; '. `excel=True` starts the text with a UTF-8 byte order mark, so Excel opens the file as UTF-8
(curly quotes and accents intact) instead of the local code page.
"""

from __future__ import annotations

import csv
import io
from typing import Any, Iterable, Mapping, Sequence

from explorer.text import printable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def cell(value: Any) -> str:
    """One value as a CSV cell: None is empty, lists are joined, text is made inert."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)                         # numbers are numbers, even negative ones
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
    return printable(text)


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], *,
           excel: bool = False) -> str:
    """A header row, then one row per mapping (keys not in `columns` are left out). Cells with
    commas, quotes or newlines are quoted by the csv module; lines end with CRLF (RFC 4180)."""
    out = io.StringIO()
    if excel:
        out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([cell(c) for c in columns])
    for row in rows:
        writer.writerow([cell(row.get(column)) for column in columns])
    return out.getvalue()
