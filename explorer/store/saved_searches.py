"""Saved searches: a name plus the full search state, kept in `<data>/saved_searches.yaml`.

Each search remembers when it was last opened and which article ids it matched then, so a later
run can tell which matches are new. The file is YAML a person can edit. Every change is a
read-modify-write under a lock file (two processes saving at once lose neither search) and is
written atomically; a file that will not parse is reported with its line and never overwritten.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import yaml

from explorer.errors import DataFileError, NotFoundError, UserError
from explorer.records import SORTS, SearchRequest, SearchResults
from explorer.text import printable
from explorer.files import locked_update
from explorer.sources import SearchSource
from explorer.yamlfile import line_of, load_yaml

FILE_NAME = "saved_searches.yaml"
HEADER = (
    "# news-explorer saved searches. Edit freely (other comments are not kept); keys:\n"
    "#   name (unique), query (Whoosh query text), entities (filters, ANDed), sort\n"
    "#   (relevance or date), created, last_opened, seen (the ids of the articles it has\n"
    "#   matched when opened, separated by spaces).\n"
)
KEYS = ("name", "query", "entities", "sort", "created", "last_opened", "seen")


class DuplicateNameError(UserError):
    """A saved search with that name exists already (names are unique, never overwritten)."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


@dataclass(frozen=True)
class SavedSearch:
    name: str
    query: str = ""
    entities: tuple[str, ...] = ()
    sort: str = "relevance"
    created: dt.datetime = field(default_factory=_now)
    last_opened: dt.datetime | None = None
    seen: tuple[str, ...] = ()          # the article ids it has matched when opened

    def request(self, limit: int | None = 50) -> SearchRequest:
        return SearchRequest(self.query, self.entities, self.sort, limit)

    def new_ids(self, matching: list[str]) -> list[str]:
        """The matching ids not seen when the search was last opened (in result order)."""
        seen = set(self.seen)
        return [article_id for article_id in matching if article_id not in seen]

    def to_dict(self) -> dict:
        return {"name": self.name, "query": self.query, "entities": _Flow(self.entities),
                "sort": self.sort, "created": self.created,
                "last_opened": self.last_opened, "seen": " ".join(self.seen)}

    def summary(self) -> dict:
        """The search without its seen ids, with ISO times: what `--json` prints."""
        return {"name": self.name, "query": self.query, "entities": list(self.entities),
                "sort": self.sort, "created": _iso(self.created),
                "last_opened": _iso(self.last_opened)}


def _iso(when: dt.datetime | None) -> str | None:
    return when.isoformat() if when is not None else None


def saved_searches_path(data: Path) -> Path:
    return Path(data) / FILE_NAME


def fold_name(name) -> str:
    """Whitespace folded to single spaces, control characters made visible (ESC -> ␛)."""
    return printable(" ".join(str(name).split()))


def clean_name(name: str) -> str:
    """A name ready to store; an empty one is refused."""
    folded = fold_name(name)
    if not folded:
        raise UserError("a saved search needs a name")
    return folded


def _same(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


def find(searches: list[SavedSearch], name: str) -> SavedSearch:
    """The saved search called `name` (exact, else ignoring case)."""
    name = fold_name(name)
    for search in searches:
        if search.name == name:
            return search
    for search in searches:
        if _same(search.name, name):
            return search
    known = ", ".join(f"'{s.name}'" for s in searches) or "none saved yet"
    raise NotFoundError(f"no saved search named '{name}' ({known})")


# -- reading and writing the file --------------------------------------------------------------
def load_saved_searches(data: Path) -> list[SavedSearch]:
    """The saved searches in `<data>/saved_searches.yaml`; [] when there is no file yet."""
    path = saved_searches_path(data)
    if not path.exists():
        return []
    fast = _fast_load(path)
    if fast is not _UNREAD:
        try:
            return _parse_file(fast, path)
        except DataFileError:
            pass                    # read it again with line numbers, for the message
    return _parse_file(load_yaml(path), path)


_UNREAD = object()


def _fast_load(path: Path):
    """The file parsed by libyaml (faster than the line-numbering loader, which is only needed
    to name the line of a problem); _UNREAD when libyaml is missing or the file has one."""
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        return _UNREAD
    try:
        text = path.read_text(encoding="utf-8")
        if "&" in text or "*" in text:
            return _UNREAD      # maybe an anchor or alias: the strict loader refuses those
        parser = loader(text)
        try:
            node = parser.get_single_node()
            if node is None or _has_duplicate_keys(node):
                return _UNREAD  # the strict loader names the line
            return parser.construct_document(node)
        finally:
            parser.dispose()
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return _UNREAD


def _has_duplicate_keys(root) -> bool:
    """A mapping in the composed document with a scalar key written twice."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            keys = [(k.tag, k.value) for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
            if len(keys) != len(set(keys)):
                return True
            stack.extend(v for pair in node.value for v in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return False


def _parse_file(raw, path: Path) -> list[SavedSearch]:
    if raw is None:
        return []
    entries = raw.get("searches") if isinstance(raw, dict) else raw
    if isinstance(raw, dict):
        unknown = sorted(set(raw) - {"searches"})
        if unknown:
            raise DataFileError(f"{path}:{line_of(raw, 1)}: unknown key '{unknown[0]}' "
                                f"(expected 'searches')")
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise DataFileError(f"{path}:{line_of(raw, 1)}: 'searches' must be a list")
    searches: list[SavedSearch] = []
    lines: dict[str, int] = {}
    for entry in entries:
        search = _parse_entry(entry, path, line_of(entries, 1))
        key = search.name.casefold()
        if key in lines:
            raise DataFileError(f"{path}:{line_of(entry)}: duplicate name '{search.name}' "
                                f"(also on line {lines[key]})")
        lines[key] = line_of(entry)
        searches.append(search)
    return searches


def _parse_entry(entry, path: Path, list_line: int) -> SavedSearch:
    if not isinstance(entry, dict):
        raise DataFileError(f"{path}:{list_line}: each saved search must be a mapping "
                            f"with at least a 'name'")
    at = f"{path}:{line_of(entry, list_line)}"
    unknown = [k for k in entry if k not in KEYS]
    if unknown:
        raise DataFileError(f"{at}: unknown key '{unknown[0]}' (keys: {', '.join(KEYS)})")
    name = entry.get("name")
    if not isinstance(name, (str, int, float)) or not " ".join(str(name).split()):
        raise DataFileError(f"{at}: 'name' must be a non-empty string")
    query = entry.get("query")
    if query is None:
        query = ""
    if not isinstance(query, (str, int, float)) or isinstance(query, bool):
        raise DataFileError(f"{at}: 'query' must be a string")
    sort = entry.get("sort") or "relevance"
    if sort not in SORTS:
        raise DataFileError(f"{at}: 'sort' must be one of {', '.join(SORTS)}, not '{sort}'")
    return SavedSearch(
        name=fold_name(name), query=str(query),
        entities=tuple(_strings(entry.get("entities"), "entities", at)),
        sort=sort,
        created=_when(entry.get("created"), "created", at) or _now(),
        last_opened=_when(entry.get("last_opened"), "last_opened", at),
        seen=tuple(_ids(entry.get("seen"), at)),
    )


def _strings(value, key: str, at: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list) or not all(
            isinstance(v, (str, int)) and not isinstance(v, bool) for v in value):
        raise DataFileError(f"{at}: '{key}' must be a list of strings")
    return [str(v) for v in value if str(v).strip()]


def _ids(value, at: str) -> list[str]:
    """Article ids, written as one string separated by spaces (a YAML list of 20,000 ids takes
    a second to load, one string a few milliseconds); a list is read too."""
    if isinstance(value, str):
        return value.split()
    return _strings(value, "seen", at)


def _when(value, key: str, at: str) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise DataFileError(f"{at}: '{key}' must be a date and time like "
                                f"2025-06-19 08:30:00+00:00, not '{value}'") from None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    if not isinstance(value, dt.datetime):
        raise DataFileError(f"{at}: '{key}' must be a date and time")
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value


def save_saved_searches(data: Path, searches: list[SavedSearch]) -> None:
    """Write the saved searches atomically. Refuses (and leaves the file alone) when the file
    on disk does not parse: a hand edit that went wrong is the user's to fix, not ours to lose."""
    update_saved_searches(data, lambda _: searches)


def _dump(searches: list[SavedSearch]) -> str:
    names: set[str] = set()
    for search in searches:
        if search.name.casefold() in names:
            raise DuplicateNameError(f"a saved search named '{search.name}' exists already")
        names.add(search.name.casefold())
    body = yaml.dump({"searches": [s.to_dict() for s in searches]}, Dumper=_Dumper,
                     sort_keys=False, allow_unicode=True, width=100)
    return HEADER + body


class _Flow(list):
    """A list written on one line (wrapped), `[a, b]`: ids and filters stay compact."""


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """Writes equal values out in full: `created` and `last_opened` are often the same
    datetime, and `&id001` / `*id001` anchors would puzzle a person editing the file."""

    def ignore_aliases(self, data) -> bool:
        return True


_Dumper.add_representer(_Flow, lambda dumper, value: dumper.represent_sequence(
    "tag:yaml.org,2002:seq", value, flow_style=True))


def update_saved_searches(data: Path, change: Callable[[list[SavedSearch]], list[SavedSearch]]
                          ) -> list[SavedSearch]:
    """Load, change and save under the lock, so concurrent writers see each other's changes
    (explorer/files.py); a broken file stops before `change`, a folder that cannot be
    written is one line naming the file."""
    return locked_update(saved_searches_path(data), lambda path: load_saved_searches(data),
                         _dump, change)


# -- the changes a user makes --------------------------------------------------------------------
def add_saved_search(data: Path, search: SavedSearch) -> SavedSearch:
    """Add a search; a name already taken (ignoring case) is an error, never an overwrite."""
    search = replace(search, name=clean_name(search.name))
    if search.sort not in SORTS:
        raise UserError(f"sort '{search.sort}': use one of {', '.join(SORTS)}")

    def change(searches):
        for other in searches:
            if _same(other.name, search.name):
                raise DuplicateNameError(f"a saved search named '{other.name}' exists already: "
                                         f"pick another name or remove it first")
        return [*searches, search]
    update_saved_searches(data, change)
    return search


def rename_saved_search(data: Path, old: str, new: str) -> SavedSearch:
    new = clean_name(new)
    renamed: list[SavedSearch] = []

    def change(searches):
        current = find(searches, old)
        for other in searches:
            if other is not current and _same(other.name, new):
                raise DuplicateNameError(f"a saved search named '{other.name}' exists already")
        renamed.append(replace(current, name=new))
        return [renamed[0] if s is current else s for s in searches]
    update_saved_searches(data, change)
    return renamed[0]


def remove_saved_search(data: Path, name: str) -> SavedSearch:
    removed: list[SavedSearch] = []

    def change(searches):
        removed.append(find(searches, name))
        return [s for s in searches if s is not removed[0]]
    update_saved_searches(data, change)
    return removed[0]


def mark_seen(data: Path, name: str, ids: list[str], when: dt.datetime | None = None
              ) -> SavedSearch:
    """Record that the search was opened now and matched `ids`. They are added to the ids seen
    before, never replace them: an article that stopped matching for a while (edited, or moved
    out of the corpus and back) was there before, and is not new when it matches again."""
    marked: list[SavedSearch] = []

    def change(searches):
        current = find(searches, name)
        seen = tuple(dict.fromkeys([*current.seen, *ids]))
        marked.append(replace(current, last_opened=when or _now(), seen=seen))
        return [marked[0] if s is current else s for s in searches]
    update_saved_searches(data, change)
    return marked[0]


# -- running them against the index ------------------------------------------------------------
@dataclass
class SavedRun:
    """One saved search run: the results shown, every matching id, and which are new."""

    search: SavedSearch
    results: SearchResults
    matching: list[str]
    new: list[str]

    def is_new(self, article_id: str) -> bool:
        return article_id in self.new_set

    @property
    def new_set(self) -> set[str]:
        return set(self.new)


@dataclass(frozen=True)
class SavedStatus:
    search: SavedSearch
    matches: int | None
    new: int | None
    error: str | None = None         # the query no longer runs (say, after a hand edit)

    def to_dict(self) -> dict:
        return {**self.search.summary(), "matches": self.matches, "new": self.new,
                "error": self.error}


def status(workspace: SearchSource, search: SavedSearch) -> SavedStatus:
    """How many articles the search matches now, and how many of them are new."""
    try:
        matching = workspace.matching_ids(search.request(None))
    except UserError as exc:
        return SavedStatus(search, None, None, str(exc))
    return SavedStatus(search, len(matching), len(search.new_ids(matching)))


def statuses(workspace: SearchSource) -> list[SavedStatus]:
    return [status(workspace, s) for s in load_saved_searches(workspace.config.data)]


def save_current(workspace: SearchSource, name: str, request: SearchRequest) -> SavedSearch:
    """Save a search as it is now; what it matches now counts as seen."""
    matching = workspace.matching_ids(request)       # a bad query fails before saving
    when = _now()
    search = SavedSearch(name=name, query=request.text, entities=tuple(request.entities),
                         sort=request.sort, created=when, last_opened=when,
                         seen=tuple(matching))
    return add_saved_search(workspace.config.data, search)


def run_saved_search(workspace: SearchSource, name: str, *, limit: int | None = 50, mark: bool = True
                     ) -> SavedRun:
    """Run a saved search: results (up to `limit`), every match, the new ones; then mark it
    seen unless `mark` is false (a peek)."""
    search = find(load_saved_searches(workspace.config.data), name)
    request = search.request(limit)
    try:
        results = workspace.search(request)
        matching = workspace.matching_ids(request)
    except UserError as exc:
        raise type(exc)(f"saved search '{search.name}': {exc}") from None
    new = search.new_ids(matching)
    if mark:
        search = mark_seen(workspace.config.data, search.name, matching)
    return SavedRun(search, results, matching, new)


def suggest_name(query: str, entities: tuple[str, ...] = (), taken: list[str] = ()) -> str:
    """A name proposed for a search: its query (shortened) and filters, made unique."""
    words = fold_name(query.replace('"', " "))
    if len(words) > 40:
        words = words[:40].rsplit(" ", 1)[0] or words[:40]
    base = " + ".join(part for part in [words, *entities] if part) or "all articles"
    taken_keys = {t.casefold() for t in taken}
    name, number = base, 2
    while name.casefold() in taken_keys:
        name, number = f"{base} ({number})", number + 1
    return name
