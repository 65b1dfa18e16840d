"""Entities named by a corpus's own record metadata (config `record_entities: true`).

- JSON and JSON Lines records: `people`, `orgs`, `places` (Reuters' human tags), each a list of
  names or codes. A code such as `james-baker` or `west-germany` becomes the entity as the
  records' text writes it ("James Baker", "West Germany"); a code the text never writes (`usa`)
  names nothing, so no made-up spelling enters the gazetteer.
- Markdown front matter: `entities:`, a list of names (type "other") or of mappings with
  `name` and `type`.
- Feeds (RSS, RDF, Atom): each item's categories (type "other"), read with feedparser; a
  lower-case category counts only where the item's text writes it as a name.

Reading Reuters' 28 MB of records takes a second, so what each file names is kept beside the
index (`record_entities.json`, by the file's size and modification time): a start reads only
the files changed since.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path

from explorer.entities.gazetteer import TABLE, TYPES, Entity

FIELDS = {"people": "person", "orgs": "organization", "places": "place"}
CACHE_FILE = "record_entities.json"
FEEDS = (".rss", ".atom", ".rdf", ".xml")
FORMAT = 1
_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def record_entities(corpus: Path, index_dir: Path | None, taken: set[str]) -> list[Entity]:
    """The entities the corpus's records name, most-tagged first; names whose case-folded form
    is in `taken` (configured or curated entities) are left to those."""
    from explorer.ingest.corpus import walk

    files, _ = walk(Path(corpus))
    cache = _read_cache(index_dir)
    fresh: dict[str, list] = {}
    spellings: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for file in files:
        suffix = file.path.suffix.lower()
        if suffix not in (".jsonl", ".ndjson", ".json", ".md", ".markdown") + FEEDS:
            continue
        kept = cache.get(file.rel)
        if kept is None or kept[0] != file.signature:
            kept = [file.signature, _names_in_file(file.path, suffix)]
        fresh[file.rel] = kept
        for kind, key, name, count in kept[1]:
            spellings[(kind, key)][name] += count
    if index_dir is not None and fresh != cache:
        _write_cache(index_dir, fresh)
    entities, seen = [], set(taken)
    ranked = sorted(spellings.items(), key=lambda item: -sum(item[1].values()))
    for (kind, _), names in ranked:
        name = names.most_common(1)[0][0]
        if name.casefold() in seen:
            continue
        seen.add(name.casefold())
        entities.append(Entity(name, kind, [], "", "record metadata", TABLE,
                               sum(names.values())))
    return entities


def _names_in_file(path: Path, suffix: str) -> list[list]:
    """[type, key, name as written, times] for what one file's records name."""
    from explorer.text import decode_bytes

    try:
        data = path.read_bytes()
    except OSError:
        return []
    found: Counter = Counter()
    if suffix in FEEDS:
        _feed_categories(data, found)
        return [[kind, key, name, n] for (kind, key, name), n in found.items()]
    text = decode_bytes(data)[0]
    if suffix in (".md", ".markdown"):
        _front_matter_names(text, found)
    else:
        records = []
        if suffix == ".json":
            try:
                data = json.loads(text)
                records = data if isinstance(data, list) else [data]
            except ValueError:
                return []
        else:
            for line in text.splitlines():
                try:
                    records.append(json.loads(line))
                except ValueError:
                    continue
        for record in records:
            if isinstance(record, dict):
                _record_names(record, found)
    return [[kind, key, name, n] for (kind, key, name), n in found.items()]


def _record_names(record: dict, found: Counter) -> None:
    text = None
    for field, kind in FIELDS.items():
        values = record.get(field)
        if not isinstance(values, list):
            continue
        for value in values:
            if not isinstance(value, str) or not value.strip():
                continue
            if text is None:
                # the body first: Reuters' titles are in capitals
                text = f"{record.get('body') or ''}\n{record.get('title') or ''}"
            name = written_as(value, text)
            if name:
                found[(kind, " ".join(name.casefold().split()), name)] += 1


def written_as(code: str, text: str) -> str | None:
    """How `text` writes the tag `code` ("james-baker" -> "James Baker"), or None. The tag
    as written itself when it is already a name (not all lower case)."""
    words = [w for w in re.split(r"[-_\s]+", code.strip()) if w]
    if not words:
        return None
    if not code.islower():
        return " ".join(code.split())
    pattern = r"\b" + r"[-\s]+".join(re.escape(w) for w in words) + r"\b"
    capitals = None
    for match in re.finditer(pattern, text, re.IGNORECASE):
        written = " ".join(match.group().split())
        if not written[:1].isupper():
            continue                          # the common word ("gold", "trade"), not a name
        if not written.isupper():
            return written                    # "James Baker"
        capitals = capitals or written        # a headline's "JAMES BAKER", or "OPEC"
    if capitals and (len(capitals) <= 5 or " " not in capitals and len(words) == 1
                     and len(capitals) <= 5):
        return capitals                       # an acronym: "OPEC", "IMF", "EC"
    return None


def _feed_categories(data: bytes, found: Counter) -> None:
    import feedparser

    from explorer.ingest.feeds import looks_like_feed

    if not looks_like_feed(data):
        return
    for entry in feedparser.parse(data).entries:
        tags = entry.get("tags") or []
        if not tags:
            continue
        text = f"{entry.get('summary') or ''}\n{entry.get('title') or ''}"
        for tag in tags:
            term = tag.get("term") if hasattr(tag, "get") else None
            name = written_as(term, text) if isinstance(term, str) else None
            if name:
                found[("other", " ".join(name.casefold().split()), name)] += 1


def _front_matter_names(text: str, found: Counter) -> None:
    import yaml

    match = _FRONT.match(text)
    if not match:
        return
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return                                  # reported when the file is indexed
    values = meta.get("entities") if isinstance(meta, dict) else None
    if not isinstance(values, list):
        return
    for value in values:
        if isinstance(value, str):
            name, kind = value, "other"
        elif isinstance(value, dict) and isinstance(value.get("name"), str):
            name = value["name"]
            kind = value.get("type") if value.get("type") in TYPES else "other"
        else:
            continue
        name = " ".join(name.split())
        if name:
            found[(kind, name.casefold(), name)] += 1


def _read_cache(index_dir: Path | None) -> dict:
    if index_dir is None:
        return {}
    try:
        data = json.loads((Path(index_dir) / CACHE_FILE).read_text(encoding="utf-8"))
        return data["files"] if data.get("format") == FORMAT else {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _write_cache(index_dir: Path, files: dict) -> None:
    from explorer.yamlfile import atomic_write_text

    try:
        Path(index_dir).mkdir(parents=True, exist_ok=True)
        atomic_write_text(Path(index_dir) / CACHE_FILE,
                          json.dumps({"format": FORMAT, "files": files}, ensure_ascii=False))
    except OSError:
        pass                    # a read-only index folder: read again next time
