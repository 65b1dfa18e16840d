"""The gazetteer: entities (canonical name, type, aliases) from config, entity files, alias
tables (TSV) and the user's curated entities.yaml; checked so that no alias names two entities."""

from __future__ import annotations

import csv
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from explorer.errors import ConfigError, DataFileError
from explorer.yamlfile import line_of, load_yaml

TYPES = ("person", "organization", "product", "place", "other")
# Words that head a descriptive alias: "ChatGPT maker" is also "maker of ChatGPT".
EPITHET_HEADS = {"maker", "developer", "owner", "parent", "creator", "operator", "publisher",
                 "producer", "manufacturer", "founder", "builder", "provider"}

# Priority of where a name comes from: lower wins when two entities share a derived form.
CURATED, CONFIG, DERIVED, TABLE = 0, 1, 2, 3


@dataclass
class Entity:
    name: str
    type: str = "organization"
    aliases: list[str] = field(default_factory=list)
    description: str = ""
    origin: str = ""          # "file:line" where it was defined, for error messages
    priority: int = CONFIG
    weight: int = 0           # alias tables: how often the names were seen
    codes: list[str] = field(default_factory=list)   # alias tables: the entity column (ticker)
    quiet: bool = False       # its name is a code, not looked for in text

    def names(self) -> list[str]:
        return [self.name, *self.aliases]

    def to_dict(self) -> dict:
        data: dict[str, Any] = {"name": self.name, "type": self.type}
        if self.aliases:
            data["aliases"] = list(self.aliases)
        if self.description:
            data["description"] = self.description
        return data


class Gazetteer:
    """All entities, by canonical name; `fingerprint` changes whenever any of them does."""

    def __init__(self, entities: Iterable[Entity]):
        self.entities: list[Entity] = list(entities)
        self.by_name: dict[str, Entity] = {e.name: e for e in self.entities}

    def __len__(self) -> int:
        return len(self.entities)

    def get(self, name: str) -> Entity | None:
        found = self.by_name.get(name)
        if found is None:
            folded = name.casefold()
            found = next((e for e in self.entities if e.name.casefold() == folded), None)
        return found

    def fingerprint(self, extra: str = "") -> str:
        digest = hashlib.sha1(extra.encode("utf-8"))
        for e in self.entities:
            digest.update(repr((e.name, e.type, e.aliases, e.priority)).encode("utf-8"))
        return digest.hexdigest()[:16]


# -- reading entity mappings -------------------------------------------------------------------
def parse_entities(raw: Any, source: str, error: type[Exception] = ConfigError,
                   priority: int = CONFIG, default_line: int = 0) -> list[Entity]:
    """Entity mappings (a list, as under `entities:`) into Entities; errors name source:line."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise error(f"{source}:{line_of(raw, default_line)}: 'entities' must be a list of "
                    "mappings with 'name' and 'type'")
    entities = []
    for item in raw:
        line = line_of(item, line_of(raw, default_line))
        where = f"{source}:{line}"
        if not isinstance(item, dict):
            raise error(f"{where}: an entity must be a mapping with 'name' and 'type'")
        unknown = set(item) - {"name", "type", "aliases", "description"}
        if unknown:
            raise error(f"{where}: unknown entity key '{sorted(unknown)[0]}' "
                        "(known: name, type, aliases, description)")
        name = item.get("name")
        if not isinstance(name, (str, int, float)) or not str(name).strip():
            raise error(f"{where}: an entity has no name")
        name = " ".join(str(name).split())
        kind = item.get("type", "organization")
        if kind not in TYPES:
            raise error(f"{where}: entity '{name}' has type '{kind}' "
                        f"(use one of {', '.join(TYPES)})")
        aliases = item.get("aliases") or []
        if isinstance(aliases, str):
            aliases = [aliases]
        if not isinstance(aliases, list) or not all(
                isinstance(a, (str, int, float)) and str(a).strip() for a in aliases):
            raise error(f"{where}: the aliases of '{name}' must be a list of non-empty names")
        description = item.get("description") or ""
        entities.append(Entity(name, kind, [" ".join(str(a).split()) for a in aliases],
                               str(description), where, priority))
    return entities


def load_entity_file(path: Path, error: type[Exception] = ConfigError,
                     priority: int = CONFIG) -> list[Entity]:
    """A YAML file with `entities:` (or a bare list of entities)."""
    raw = load_yaml(path, error)
    if raw is None:
        return []
    if isinstance(raw, dict):
        unknown = set(raw) - {"entities"}
        if unknown:
            raise error(f"{path}:{line_of(raw, 1)}: unknown key '{sorted(unknown)[0]}' "
                        "(an entity file has 'entities:')")
        raw = raw.get("entities")
    return parse_entities(raw, str(path), error, priority, 1)


def load_alias_table(table) -> list[Entity]:
    """A TSV of name variants (config `alias_tables:`): one entity per `entity_column` value,
    named by its most frequent variant; entities that end up with the same name are merged."""
    where = f"{table.path}"
    try:
        handle = open(table.path, encoding="utf-8", newline="")
    except OSError as exc:
        raise ConfigError(f"{where}: cannot read alias table: {exc.strerror}") from None
    with handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        columns = reader.fieldnames or []
        for column in (table.entity_column, table.alias_column, table.name_column,
                       table.count_column):
            if column and column not in columns:
                raise ConfigError(f"{where}:1: no column '{column}' "
                                  f"(columns: {', '.join(columns)})")
        groups: dict[str, dict[str, int]] = defaultdict(dict)
        named: dict[str, dict[str, int]] = defaultdict(dict)     # name_column values
        for number, row in enumerate(reader, 2):
            key = (row.get(table.entity_column) or "").strip()
            alias = clean_table_name(" ".join((row.get(table.alias_column) or "").split()))
            if not key or not alias:
                continue
            count = 1
            if table.count_column:
                try:
                    count = int(row.get(table.count_column) or 1)
                except ValueError:
                    raise ConfigError(f"{where}:{number}: '{row.get(table.count_column)}' in "
                                      f"column '{table.count_column}' is not a number") from None
            if count < table.min_count:
                continue
            groups[key][alias] = groups[key].get(alias, 0) + count
            if table.name_column:
                value = " ".join((row.get(table.name_column) or "").split()).replace(",", "")
                if value:
                    named[key][value] = named[key].get(value, 0) + count
    from explorer.entities.tokens import name_keys

    # Keys that end up with one name (as the matcher reads names: "Pennzoil Co" and "Pennzoil
    # Company", "AAPL" and "AAPL.O") are one entity, named by the heavier of them.
    merged: dict[tuple, Entity] = {}
    for key, variants in groups.items():
        pool = dict(named[key] if named.get(key) else variants)
        quiet = False
        while True:
            name = _table_name(pool)
            seen = sum(c for a, c in pool.items() if a.casefold() == name.casefold())
            if useful_alias(name) and not _weak_acronym(name, seen) and not (
                    common_word_name(name) and seen < 3):
                break
            pool = {a: c for a, c in pool.items() if a.casefold() != name.casefold()}
            if not pool:
                # No usable variant ("France's", "SIX", "ICO" seen once): named by its
                # code, found by `resolve`, not in text.
                name, quiet = key, True
                break
        weight = sum(variants.values())
        same = name_keys(name)[0]
        entity = merged.get(same)
        if entity is None:
            entity = merged[same] = Entity(name, table.type, [], "", f"{where} ({key})", TABLE)
            entity.quiet = quiet
        elif weight > entity.weight and name != entity.name:
            entity.aliases.append(entity.name)
            entity.name = name
        entity.codes.append(key)
        for alias, count in variants.items():
            if alias != entity.name and alias not in entity.aliases and useful_alias(alias) \
                    and not _weak_acronym(alias, count) and not (
                        common_word_name(alias) and count < 3):
                entity.aliases.append(alias)
        entity.weight += weight
    return list(merged.values())


# Units and market words a newswire writes in capitals in headlines ("15 CTS"): never names.
UNITS = {"cts", "pct", "mln", "bln", "dlrs", "dlr", "lbs", "lb", "kg", "kgs", "tonnes", "yds",
         "qtr", "shr", "shrs", "div", "avg", "vs", "net", "rev", "revs", "oper", "ups"}
_REGION_WORDS = {"north", "south", "east", "west", "central", "new", "great", "the", "of",
                 "and", "upper", "lower"}
_GLUED = re.compile(r"^.*\b(?:Inc|Corp|Co|Ltd|Plc|PLC|INC|CORP|CO|LTD)\.\s+(?=[A-Z])")


def clean_table_name(alias: str) -> str:
    """A harvested variant as a name: two names a regular expression glued together keep the
    second ("Drexel Burnham Lambert Inc. Pennzoil Co" -> "Pennzoil Co"), a possessive loses its
    "'s" ("American Express Co's"), a leading possessive qualifier goes ("France's Matra" ->
    "Matra"), and commas go."""
    alias = _GLUED.sub("", alias).replace(",", "")
    alias = re.sub(r"^\S+['\u2019]s\s+(?=\S)", "", alias)
    return re.sub(r"['\u2019][sS]$", "", alias).strip()


@lru_cache(maxsize=1 << 16)
def common_word_name(alias: str) -> bool:
    """One ordinary English word ("CHANCELLOR", "COMMERCE", "FORD"): a company's name only
    on more evidence than a harvest's single sighting."""
    from explorer.entities.names import is_common_word
    from explorer.entities.tokens import bare, name_keys

    keys = name_keys(alias)[0]
    return len(keys) == 1 and len(bare(keys[0])) >= 3 and is_common_word(bare(keys[0]))


def _weak_acronym(alias: str, count: int) -> bool:
    """A short name in capitals seen once ("ICO" <ICO>): too often some other body's initials
    (the International Coffee Organization) to find in text on that evidence alone."""
    return count < 2 and alias.isupper() and len(alias.replace(".", "")) <= 4 and " " not in alias


@lru_cache(maxsize=1 << 16)
def useful_alias(alias: str) -> bool:
    """Harvested name lists are noisy: drop variants that cannot name a company on their own
    ("AND", "H", "N.A.", "MAY")."""
    from explorer.entities.tokens import SUFFIXES, STOPWORDS, bare, name_keys
    from explorer.entities.wordlists import NOT_NAMES

    from explorer.entities.wordlists import CONNECTORS, GENERIC, PLACES

    keys = [bare(k) for k in name_keys(alias)[0]]
    if sum(c.isalpha() for c in alias) < 3 or not keys:
        return False
    if keys[0] in CONNECTORS or keys[-1] in CONNECTORS:      # "AND P" of "S AND P"
        return False
    if keys[0] in NOT_NAMES and len(keys[0]) > 1:            # "Yesterday Citicorp"
        return False
    if all(k in STOPWORDS or k in SUFFIXES or k.isdigit() for k in keys):
        return False
    if all(k in PLACES or k in _REGION_WORDS for k in keys):
        return False                         # "NORTH AMERICAN": a region, not a company
    if len(keys) == 1 and keys[0] in UNITS:
        return False
    return not (len(keys) == 1 and (keys[0] in GENERIC or keys[0] in PLACES))


def _table_name(variants: dict[str, int]) -> str:
    """A usable variant, the most frequent (case-folded spellings pooled), sharing most words
    with the others; written in mixed case if any spelling is."""
    pooled: dict[str, list] = {}
    for alias, count in variants.items():
        entry = pooled.setdefault(alias.casefold(), [0, []])
        entry[0] += count
        entry[1].append(alias)
    words_of = {key: set(key.split()) for key in pooled}

    def rank(item):
        key, (total, spellings) = item
        shared = sum(len(words_of[key] & words_of[other]) / len(words_of[key] or {1})
                     for other in pooled if other != key)
        return (useful_alias(spellings[0]), total, any(not s.isupper() for s in spellings),
                shared)

    _, (_, spellings) = max(pooled.items(), key=rank)
    mixed = [s for s in spellings if not s.isupper()]
    return max(mixed or spellings, key=lambda s: variants[s])


# -- putting it together -----------------------------------------------------------------------
def merge_case_equal(entities: list[Entity]) -> list[Entity]:
    """Entities whose names are equal but for case ("Mercury" and "MERCURY" in one file) are
    one entity: the first keeps its name and takes the others' names as aliases."""
    first: dict[str, Entity] = {}
    out = []
    for entity in entities:
        base = first.get(entity.name.casefold())
        if base is None:
            first[entity.name.casefold()] = entity
            out.append(entity)
            continue
        for alias in entity.names():
            if alias != base.name and alias not in base.aliases:
                base.aliases.append(alias)
        base.description = base.description or entity.description
    return out


def check_unique(entities: list[Entity], error: type[Exception] = ConfigError) -> None:
    """One alias claimed by two entities is an error naming both. Two names that read the same
    to the matcher ("Foo Company" and "Foo Co") are let through: the mention is ambiguous."""
    from explorer.entities.tokens import name_keys

    owners: dict[tuple, tuple[Entity, str]] = {}
    for entity in entities:
        if entity.priority == TABLE:
            continue
        for alias in entity.names():
            keys = name_keys(alias)[0]
            if not keys:
                raise error(f"{entity.origin}: '{alias}' of '{entity.name}' has no letters or "
                            "digits")
            other = owners.get(keys)
            if other is not None and other[0] is not entity and not (
                    alias == entity.name and other[1] == other[0].name):
                what = "the name" if alias == entity.name else "an alias"
                raise error(f"{entity.origin}: '{alias}' ({what} of '{entity.name}') is also "
                            f"claimed by '{other[0].name}' ({other[0].origin})")
            owners[keys] = (entity, alias)


def merge_curated(entities: list[Entity], curated: list[Entity]) -> list[Entity]:
    """The user's curated entities extend the configured ones: same name adds aliases."""
    by_name = {e.name.casefold(): e for e in entities}
    result = list(entities)
    for extra in curated:
        base = by_name.get(extra.name.casefold())
        if base is None:
            result.append(extra)
            by_name[extra.name.casefold()] = extra
            continue
        merged = Entity(base.name, base.type, list(base.aliases), base.description,
                        base.origin, min(base.priority, extra.priority), base.weight)
        merged.aliases += [a for a in extra.aliases if a not in merged.aliases]
        if extra.type != base.type and extra.priority == CURATED:
            merged.type = extra.type
        result[result.index(base)] = merged
        by_name[base.name.casefold()] = merged
    return result


def configured_entities(config) -> list[Entity]:
    """The entities of config `entities:` and `entity_files:`, checked."""
    entities = parse_entities(list(config.entities), config.name, ConfigError, CONFIG,
                              line_of(config.entities, 1))
    for path in config.entity_files:
        entities += load_entity_file(path)
    entities = merge_case_equal(entities)
    check_unique(entities)
    return entities


def load_gazetteer(config, curated_path: Path | None = None,
                   replace_with: Path | None = None) -> Gazetteer:
    """The configured gazetteer (config `entities:`, `entity_files:`, `alias_tables:`) plus the
    curated file; with `replace_with`, only that file (the `tag --entities FILE` case)."""
    if replace_with is not None:
        entities = merge_case_equal(load_entity_file(Path(replace_with)))
        check_unique(entities)
        return Gazetteer(entities)
    entities = configured_entities(config)
    if curated_path is not None and Path(curated_path).is_file():
        curated = load_entity_file(Path(curated_path), DataFileError, CURATED)
        entities = merge_curated(entities, curated)
        check_unique(entities, DataFileError)
    taken = {e.name.casefold() for e in entities}
    for table in config.alias_tables:
        entities += [e for e in load_alias_table(table) if e.name.casefold() not in taken]
    return Gazetteer(entities)
