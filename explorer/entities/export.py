"""The gazetteer, out: to take the people and companies the explorer knows to other tools.

- `yaml`: our own entity file (what `entity_files:` reads back), curated aliases merged in;
- `spacy`: spaCy EntityRuler patterns, one JSON object a line (`label`, `pattern`, `id`);
- `ftm`: FollowTheMoney entities, one JSON object a line (`id`, `schema`, `properties` with
  `name`, `alias` and `weakAlias`, the names the linker only trusts with context).
"""

from __future__ import annotations

import hashlib
import json
from typing import Iterable

import yaml

from explorer.entities.gazetteer import Entity

FORMATS = ("yaml", "spacy", "ftm")

# spaCy's labels (OntoNotes) for our types.
SPACY_LABELS = {"person": "PERSON", "organization": "ORG", "product": "PRODUCT",
                "place": "GPE", "other": "MISC"}
# FollowTheMoney schemata for our types; products and other things have none.
FTM_SCHEMATA = {"person": "Person", "organization": "Organization", "place": "Address"}


def is_weak(name: str) -> bool:
    """A name the linker trusts only with context: one word that is not an acronym ("Apple",
    "Paris", "Brown"), so a common word or part of a longer name as often as this entity."""
    words = name.split()
    return len(words) == 1 and not (name.isupper() and len(name) > 1)


def export_entities(entities: Iterable[Entity], fmt: str) -> tuple[str, int]:
    """The entities in format `fmt`, and how many had to be left out (no FtM schema)."""
    entities = list(entities)
    if fmt == "yaml":
        data = {"entities": [entity.to_dict() for entity in entities]}
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), 0
    if fmt == "spacy":
        lines = [json.dumps({"label": SPACY_LABELS.get(e.type, "MISC"), "pattern": name,
                             "id": e.name}, ensure_ascii=False)
                 for e in entities for name in _unique(e.names())]
        return "".join(line + "\n" for line in lines), 0
    if fmt == "ftm":
        lines, left_out = [], 0
        for entity in entities:
            schema = FTM_SCHEMATA.get(entity.type)
            if schema is None:
                left_out += 1
                continue
            lines.append(json.dumps(ftm_entity(entity, schema), ensure_ascii=False))
        return "".join(line + "\n" for line in lines), left_out
    raise ValueError(f"unknown format {fmt!r}")


def ftm_entity(entity: Entity, schema: str) -> dict:
    aliases = [a for a in _unique(entity.aliases) if a != entity.name]
    properties: dict[str, list[str]] = {"name": [entity.name]}
    strong = [a for a in aliases if not is_weak(a)]
    weak = [a for a in aliases if is_weak(a)]
    if schema == "Address":            # an Address has no weakAlias: every name is an alias
        strong, weak = aliases, []
        properties["full"] = [entity.name]
    if strong:
        properties["alias"] = strong
    if weak:
        properties["weakAlias"] = weak
    if entity.description:
        properties["description" if schema != "Address" else "summary"] = [entity.description]
    digest = hashlib.sha1(f"{entity.type}:{entity.name}".encode("utf-8")).hexdigest()[:16]
    return {"id": f"news-explorer-{digest}", "schema": schema, "properties": properties}


def _unique(names: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for name in names:
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out
