"""Quotes out, in the formats other tools read; every one carries the author, the full title, the
source, the date, the URL and the article's id.

- `md`: Markdown blockquotes with a citation line; every character that Markdown would read as
  markup is escaped, so the rendered text is the quote, whatever it holds.
- `csv`: every field, through the one CSV writer (formula-leading cells guarded; `excel` adds a
  UTF-8 byte order mark).
- `json`: every field, lists kept as lists.
- `annotation`: W3C Web Annotation JSON-LD: an AnnotationCollection, each quote targeted by a
  TextQuoteSelector and a TextPositionSelector, its note and tags as bodies.
- `csl`: CSL-JSON, one `article-newspaper` item per article (what Zotero and pandoc cite).
- `readwise`: Readwise's CSV import columns.

Renderers take records as dicts (KeptQuote.to_dict() or quotation_record()) so kept quotes and
detected quotations export alike. Files are written only as regular files: see write_export.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
from pathlib import Path
from typing import Any, Iterable, Sequence

from explorer.csv_writer import to_csv as write_csv
from explorer.errors import UserError
from explorer.text import printable
from explorer.yamlfile import atomic_write_text

FORMATS = ("md", "csv", "json", "annotation", "csl", "readwise")
EXTENSIONS = {"md": ".md", "csv": ".csv", "json": ".json", "annotation": ".jsonld",
              "csl": ".csl.json", "readwise": ".readwise.csv"}
LABELS = {
    "md": "Markdown \u00b7 blockquotes with citations",
    "csv": "CSV \u00b7 one row per quote, every field",
    "json": "JSON \u00b7 a list of objects, every field",
    "annotation": "Web Annotation JSON-LD \u00b7 W3C selectors, note and tags",
    "csl": "CSL-JSON \u00b7 the articles, for Zotero and pandoc",
    "readwise": "Readwise CSV \u00b7 Highlight, Title, Author, URL, Note",
}
EXPORTS_FOLDER = "exports"          # <data>/exports/: where exports go unless a path is given
# Column order for CSV (and key order for JSON); any other fields follow in their own order.
COLUMNS = (
    "number", "id", "text", "speaker", "speaker_role", "entities", "note", "tags", "title",
    "author", "source", "date", "url", "path", "article_id", "start", "end", "prefix",
    "suffix", "created", "status",
)
READWISE_COLUMNS = ("Highlight", "Title", "Author", "URL", "Note", "Location", "Location Type",
                    "Date")
ANNOTATION_CONTEXT = [
    "http://www.w3.org/ns/anno.jsonld",
    {"dcterms": "http://purl.org/dc/terms/", "title": "dcterms:title",
     "publisher": "dcterms:publisher", "issued": "dcterms:issued",
     "identifier": "dcterms:identifier"},
]


class ExportExists(UserError):
    """The export's target file exists: the app asks, the CLI needs --force."""


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


def render(fmt: str, records: Iterable[dict[str, Any]], *, excel: bool = False) -> str:
    records = list(records)
    if fmt == "md":
        return to_markdown(records)
    if fmt == "csv":
        return to_csv(records, excel=excel)
    if fmt == "json":
        return to_json(records)
    if fmt == "annotation":
        return to_annotations(records)
    if fmt == "csl":
        return to_csl_json(records)
    if fmt == "readwise":
        return to_readwise(records, excel=excel)
    raise ValueError(f"unknown export format '{fmt}' (use {', '.join(FORMATS)})")


def with_extension(path: str | Path, fmt: str) -> Path:
    """`path` with the extension of `fmt`, replacing the extension of any other format."""
    path = Path(path)
    name = path.name
    for ext in sorted(set(EXTENSIONS.values()), key=len, reverse=True):
        if name.lower().endswith(ext) and len(name) > len(ext):
            name = name[:-len(ext)]
            break
    return path.with_name(name + EXTENSIONS[fmt])


# ---- JSON and CSV ----------------------------------------------------------------------------

def to_json(records: Sequence[dict[str, Any]]) -> str:
    """A JSON list of objects with every field (lists stay lists)."""
    return json.dumps([ordered(dict(r)) for r in records], ensure_ascii=False, indent=2) + "\n"


def to_csv(records: Sequence[dict[str, Any]], *, excel: bool = False) -> str:
    """A header row, then one row per quote; lists joined with '; '."""
    return write_csv(records, columns_of(records) or list(COLUMNS), excel=excel)


def to_readwise(records: Sequence[dict[str, Any]], *, excel: bool = False) -> str:
    """Readwise's CSV import: Highlight, Title, Author, URL, Note, Location, Location Type, Date.
    Tags go into the note as `.tag` (how Readwise tags from a note); the source, the article's
    date and id follow in brackets, since Readwise has no columns for them."""
    rows = []
    for record in records:
        tags = " ".join("." + re.sub(r"\s+", "_", t) for t in record.get("tags") or ())
        about = ", ".join(str(v) for v in (record.get("source"), record.get("date"),
                                           f"article {record.get('article_id')}") if v)
        note = "\n".join(part for part in (record.get("note") or "", tags, f"[{about}]")
                         if part)
        rows.append({
            "Highlight": record.get("text") or "", "Title": record.get("title") or "",
            "Author": record.get("author") or record.get("source") or "",
            "URL": record.get("url") or "", "Note": note, "Location": record.get("start"),
            "Location Type": "order", "Date": _readwise_date(record.get("created")),
        })
    return write_csv(rows, READWISE_COLUMNS, excel=excel)


def _readwise_date(created: Any) -> str:
    """'2025-06-20 09:30:00' (Readwise's format), from an ISO time; '' when there is none."""
    if not created:
        return ""
    try:
        when = dt.datetime.fromisoformat(str(created).replace("Z", "+00:00"))
    except ValueError:
        return ""
    if when.tzinfo is not None:
        when = when.astimezone(dt.timezone.utc)
    return when.strftime("%Y-%m-%d %H:%M:%S")


# ---- Markdown --------------------------------------------------------------------------------

# Characters that start inline markup anywhere: code, emphasis, links and images, raw HTML and
# autolinks, entities, hard breaks (a trailing backslash); | and ~ for tables and strikethrough
# in the flavours that have them. A backslash before any ASCII punctuation is a literal.
_INLINE = re.compile(r"([\\`*_\[\]<>&|~])")
# At the start of a line: headings, block quotes, list items, thematic breaks, setext
# underlines, ordered list numbers (`1.` or `1)`: the punctuation is escaped, `1\.`).
_LINE_START = re.compile(r"^([#>+\-=])|^(\d{1,9})([.)])")


def escape_markdown(text: str) -> str:
    """One line of text, escaped so that CommonMark renders exactly these characters (control
    characters made visible first: an ESC in a file name shows as ␛, never reaches a terminal)."""
    text = _INLINE.sub(r"\\\1", printable(text))
    match = _LINE_START.match(text)
    if match and match.group(1):
        text = "\\" + text
    elif match:
        text = match.group(2) + "\\" + text[match.end(2):]
    return text


def _inline(text: Any) -> str:
    return escape_markdown(" ".join(str(text).split()))


def _quote_line(line: str) -> str:
    """One line of a quote inside `>`; blank space at the ends would be code or a hard break."""
    line = " ".join(line.split())
    return "> " + escape_markdown(line) if line else ">"


def _code_span(text: str) -> str:
    """`text` as a code span, however many backticks it holds (CommonMark: a longer fence)."""
    text = printable(" ".join(text.split()))
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


_SAFE_URL = re.compile(r"^https?://[^\s<>\"`\\]+$", re.IGNORECASE)


def _link(url: str) -> str:
    """An autolink when the URL is plain http(s), else the URL as escaped text."""
    url = printable(url)
    return f"<{url}>" if _SAFE_URL.match(url) else _inline(url)


def citation(record: dict[str, Any]) -> str:
    """'— Sarah Friar (chief financial officer), *Full Title*, Jane Doe, Bloomberg, 2025-06-19,
    <url>, article 49b354e22f16'."""
    parts: list[str] = []
    speaker = record.get("speaker")
    if speaker:
        role = record.get("speaker_role")
        parts.append(_inline(speaker) + (f" ({_inline(role)})" if role and role != speaker
                                         else ""))
    if record.get("title"):
        parts.append(f"*{_inline(record['title'])}*")
    for key in ("author", "source", "date"):
        if record.get(key):
            parts.append(_inline(str(record[key])))
    if record.get("url"):
        parts.append(_link(str(record["url"])))
    elif record.get("path"):
        parts.append(_code_span(str(record["path"])))
    if record.get("article_id"):
        parts.append(f"article {_code_span(str(record['article_id']))}")
    return "\u2014 " + ", ".join(parts) if parts else "\u2014 (no citation)"


def to_markdown(records: Sequence[dict[str, Any]]) -> str:
    """Each quote a `>` blockquote (paragraphs kept), then its citation line, note and tags."""
    blocks: list[str] = []
    for record in records:
        text = str(record.get("text") or "")
        lines = [_quote_line(line) for line in text.split("\n")]
        while len(lines) > 1 and lines[-1] == ">":
            lines.pop()
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


# ---- W3C Web Annotation ------------------------------------------------------------------------

def _source_iri(record: dict[str, Any]) -> str:
    url = str(record.get("url") or "")
    if _SAFE_URL.match(url):
        return url
    return f"urn:news-explorer:article:{record.get('article_id') or 'unknown'}"


def annotation(record: dict[str, Any]) -> dict[str, Any]:
    """One quote as a W3C Web Annotation (https://www.w3.org/TR/annotation-model/)."""
    selectors: list[dict[str, Any]] = [{
        "type": "TextQuoteSelector", "exact": record.get("text") or "",
        **({"prefix": record["prefix"]} if record.get("prefix") else {}),
        **({"suffix": record["suffix"]} if record.get("suffix") else {}),
    }]
    if record.get("status") != "orphaned" and isinstance(record.get("start"), int) \
            and isinstance(record.get("end"), int):
        selectors.append({"type": "TextPositionSelector", "start": record["start"],
                          "end": record["end"]})
    source = {"id": _source_iri(record), "type": "Text",
              "identifier": record.get("article_id"), "title": record.get("title") or None,
              "creator": record.get("author") or None,
              "publisher": record.get("source") or None, "issued": record.get("date") or None}
    bodies: list[dict[str, Any]] = []
    if record.get("note"):
        bodies.append({"type": "TextualBody", "value": record["note"], "format": "text/plain",
                       "purpose": "commenting"})
    for tag in record.get("tags") or ():
        bodies.append({"type": "TextualBody", "value": tag, "purpose": "tagging"})
    quote_id = record.get("id") or f"{record.get('article_id')}-{record.get('start')}"
    out: dict[str, Any] = {
        "id": f"urn:news-explorer:quote:{quote_id}", "type": "Annotation",
        "motivation": "commenting" if record.get("note") else "highlighting",
    }
    if record.get("created"):
        out["created"] = record["created"]
    if bodies:
        out["body"] = bodies
    out["target"] = {"source": {k: v for k, v in source.items() if v is not None},
                     "selector": selectors}
    return out


def to_annotations(records: Sequence[dict[str, Any]]) -> str:
    """An AnnotationCollection (JSON-LD) holding every quote as an Annotation."""
    items = [annotation(r) for r in records]
    collection = {"@context": ANNOTATION_CONTEXT, "type": "AnnotationCollection",
                  "label": "news-explorer quotes", "total": len(items),
                  "first": {"type": "AnnotationPage", "startIndex": 0, "items": items}}
    return json.dumps(collection, ensure_ascii=False, indent=2) + "\n"


# ---- CSL-JSON ----------------------------------------------------------------------------------

def csl_names(author: str | None) -> list[dict[str, str]]:
    """'Jane Doe and John Roe' -> [{'family': 'Doe', 'given': 'Jane'}, ...]; 'Roe, John' is
    family first; a one-word name (an agency, a desk) is a literal."""
    if not author or not str(author).strip():
        return []
    names = []
    for part in re.split(r"\s*;\s*|\s+and\s+|\s*&\s*", str(author).strip()):
        part = " ".join(part.split())
        if not part:
            continue
        if "," in part:
            family, given = (p.strip() for p in part.split(",", 1))
            names.append({"family": family, "given": given} if given else {"literal": family})
        elif " " in part:
            given, family = part.rsplit(" ", 1)
            names.append({"family": family, "given": given})
        else:
            names.append({"literal": part})
    return names


def _date_parts(date: Any) -> dict[str, Any] | None:
    match = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", str(date or ""))
    if not match:
        return None
    return {"date-parts": [[int(p) for p in match.groups() if p]]}


def to_csl_json(records: Sequence[dict[str, Any]]) -> str:
    """CSL-JSON: one `article-newspaper` item per article quoted (its id is the article's id),
    the quotes in `note`, in the order first quoted."""
    items: dict[str, dict[str, Any]] = {}
    for record in records:
        key = str(record.get("article_id") or record.get("path") or record.get("id"))
        if key not in items:
            item: dict[str, Any] = {"id": key, "type": "article-newspaper",
                                    "title": record.get("title") or ""}
            authors = csl_names(record.get("author"))
            if authors:
                item["author"] = authors
            if record.get("source"):
                item["container-title"] = record["source"]
            issued = _date_parts(record.get("date"))
            if issued:
                item["issued"] = issued
            if record.get("url"):
                item["URL"] = record["url"]
            item["note"] = f"news-explorer article {key}"
            items[key] = item
        items[key]["note"] += "\n\u201c" + " ".join(str(record.get("text") or "").split()) \
            + "\u201d"
    return json.dumps(list(items.values()), ensure_ascii=False, indent=2) + "\n"


# ---- files -----------------------------------------------------------------------------------

def exports_folder(data: Path) -> Path:
    return Path(data) / EXPORTS_FOLDER


def default_path(data: Path, fmt: str, stem: str = "quotes",
                 today: dt.date | None = None) -> Path:
    """`<data>/exports/quotes-2025-06-19.md`, or `-2`, `-3`... when that name is taken."""
    folder = exports_folder(data)
    base = f"{stem}-{(today or dt.date.today()).isoformat()}"
    path, number = with_extension(folder / base, fmt), 2
    while os.path.lexists(path):
        path, number = with_extension(folder / f"{base}-{number}", fmt), number + 1
    return path


def check_target(path: str | Path, *, force: bool = False, data: Path | None = None) -> Path:
    """The file an export may write: a regular file (or none yet) in an existing folder. A
    device, FIFO, socket, symlink or folder is refused; an existing file needs `force`
    (ExportExists); a missing folder is an error unless it is `<data>/exports`."""
    target = Path(path).expanduser()
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise UserError(f"{target}: cannot export there: {exc.strerror}") from None
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            raise UserError(f"{target}: is a symbolic link; exports write only regular files")
        if stat.S_ISDIR(info.st_mode):
            raise UserError(f"{target}: is a folder; give a file name")
        if not stat.S_ISREG(info.st_mode):
            raise UserError(f"{target}: is not a regular file (a device, FIFO or socket); "
                            f"exports write only regular files")
        if not force:
            raise ExportExists(f"{target}: exists; use --force to overwrite it")
    parent = target.parent
    if not parent.is_dir():
        default = data is not None and _same_path(parent, exports_folder(data))
        if not default:
            raise UserError(f"{parent}: no such folder; create it first or pick another path")
    return target


def _same_path(a: Path, b: Path) -> bool:
    return os.path.abspath(a) == os.path.abspath(b)


def write_export(path: str | Path, fmt: str, records: Iterable[dict[str, Any]], *,
                 force: bool = False, data: Path | None = None, excel: bool = False) -> Path:
    """Render quotes and write them to a regular file atomically (see check_target); a bad
    path is one UserError line."""
    target = check_target(path, force=force, data=data)
    try:
        atomic_write_text(target, render(fmt, records, excel=excel))
    except OSError as exc:
        raise UserError(f"{target}: cannot write: {exc.strerror}") from None
    return target
