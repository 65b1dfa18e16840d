"""The configured entities of a workspace: gazetteer, tagger and annotator built on first use,
resolving a typed name to an entity, and curating aliases in <data>/entities.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from explorer.entities import saved
from explorer.entities.annotate import EntityAnnotator
from explorer.entities.gazetteer import (
    CURATED, DERIVED, TYPES, Entity, Gazetteer, check_unique, configured_entities, load_entity_file,
    load_gazetteer, merge_curated,
)
from explorer.entities.matching import MatchingOptions, matching_options
from explorer.entities.tokens import words
from explorer.errors import DataFileError, UserError
from explorer.text import fold
from explorer.files import locked_update
from explorer.yamlfile import dump_yaml, load_yaml

if TYPE_CHECKING:
    from explorer.entities.tagger import Tagger

# Bump when matching changes in a way that changes what gets stored: indexes are then re-tagged.
ENGINE_VERSION = "entities-2"
CURATED_FILE = "entities.yaml"
SETTLED_FILE = "settled_mentions.yaml"
SETTLED_HEADER = ("# Ambiguous names you settled for one article only (the app). article id -> name\n"
                  "# as written -> entity. Safe to edit by hand.\n")
CURATED_HEADER = ("# Entities and aliases you added (news-explorer alias, or the app). Same format as\n"
                  "# `entities:` in config.yaml; loaded after it. Safe to edit by hand.\n")


class Resolution(tuple):
    """(canonical name, score), as the query builder wants it, plus how it was found."""

    def __new__(cls, name: str, score: float, alias: str = "", type: str = "other",
                method: str = "exact"):
        self = super().__new__(cls, (name, float(score)))
        self.alias, self.type, self.method = alias, type, method
        return self

    @property
    def name(self) -> str:
        return self[0]

    @property
    def score(self) -> float:
        return self[1]

    def to_dict(self, text: str) -> dict:
        return {"text": text, "entity": self.name, "type": self.type,
                "score": round(self.score, 1), "alias": self.alias, "method": self.method}


def _load_curated(path: Path) -> list[Entity]:
    return load_entity_file(path, DataFileError, CURATED) if path.is_file() else []


def _dump_curated(curated: list[Entity]) -> str:
    return CURATED_HEADER + dump_yaml({"entities": [e.to_dict() for e in curated]})


class Ambiguous(Resolution):
    """A typed name several entities answer to ("Brown"): false, like no answer, for callers
    that want one entity; `candidates` names them for callers that can list them."""

    def __new__(cls, candidates: tuple[str, ...]):
        self = super().__new__(cls, "", 0.0, method="ambiguous")
        self.candidates = candidates
        return self

    def __bool__(self) -> bool:
        return False

    def to_dict(self, text: str) -> dict:
        return {**super().to_dict(text), "entity": None, "candidates": list(self.candidates)}


class EntityCatalog:
    def __init__(self, config, replace_with: Path | None = None):
        self.config = config
        self.replace_with = replace_with
        self.options: MatchingOptions = matching_options(config.entity_matching, config.name)
        self.curated_path = Path(config.data) / CURATED_FILE
        self.settled_path = Path(config.data) / SETTLED_FILE
        self._settled: dict | None = None
        self._gazetteer: Gazetteer | None = None
        self._tagger: Tagger | None = None
        self._annotator: EntityAnnotator | None = None
        self._code_owners: dict[str, int] | None = None

    # -- built on first use (or read from beside the index: explorer/entities/saved.py) ------
    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None and not self._read_saved():
            gazetteer = load_gazetteer(
                self.config, None if self.replace_with else self.curated_path, self.replace_with)
            if getattr(self.config, "record_entities", False) and self.replace_with is None:
                # The names the corpus's records are tagged with (record_names.py).
                from explorer.entities.record_names import record_entities

                entities = gazetteer.entities
                taken = {name.casefold() for e in entities for name in e.names()}
                gazetteer = Gazetteer(entities + record_entities(
                    self.config.corpus, self.config.index, taken))
            self._gazetteer = gazetteer
        return self._gazetteer

    @property
    def tagger(self) -> Tagger:
        if self._tagger is None and not self._read_saved():
            from explorer.entities.tagger import Tagger

            self._tagger = Tagger(self.gazetteer, self.options)
            if self._saved_key is not None:
                saved.save_tagger(self.config.index, self._saved_key, self._gazetteer,
                                  self._tagger)
                saved.save_fingerprint(self.config.index, self._saved_key,
                                       self._own_fingerprint(), saved.name_words(self._tagger))
        return self._tagger

    @property
    def fingerprint(self) -> str:
        key = self._saved_key
        if self._gazetteer is None and key is not None:
            found = saved.read_fingerprint(self.config.index, key)
            if found is not None:
                return found
        found = self._own_fingerprint()
        if key is not None:
            saved.save_fingerprint(self.config.index, key, found)
        return found

    def _own_fingerprint(self) -> str:
        return self.gazetteer.fingerprint(ENGINE_VERSION + self.options.fingerprint())

    @property
    def _saved_key(self) -> str | None:
        """The key the saved gazetteer and tagger go by (None: not saved, for `tag --entities`)."""
        if self.replace_with is not None:
            return None
        return saved.inputs_key(self.config, self.curated_path,
                                ENGINE_VERSION + self.options.fingerprint())

    def _read_saved(self) -> bool:
        """Take the gazetteer and tagger saved beside the index when they are current."""
        if self._gazetteer is not None or self._saved_key is None:
            return False
        found = saved.read_tagger(self.config.index, self._saved_key)
        if found is None:
            return False
        self._gazetteer, self._tagger = found
        if saved.read_name_words(self.config.index, self._saved_key) is None:
            saved.save_fingerprint(self.config.index, self._saved_key, self._own_fingerprint(),
                                   saved.name_words(self._tagger))     # saved by an older run
        return True

    @property
    def annotator(self) -> EntityAnnotator:
        if self._annotator is None:
            self._annotator = EntityAnnotator(lambda: self.tagger, self.fingerprint,
                                              self.settled)
        return self._annotator

    def reload(self) -> None:
        self._gazetteer = self._tagger = self._annotator = self._code_owners = None
        self._settled = None

    # -- questions -----------------------------------------------------------------------------
    def types(self) -> dict[str, str]:
        return {e.name: e.type for e in self.gazetteer.entities}

    def names(self) -> list[str]:
        return sorted((e.name for e in self.gazetteer.entities), key=str.casefold)

    def tag(self, text: str):
        return self.tagger.tag(text)

    def resolve(self, text: str) -> Resolution | None:
        """The entity a typed name stands for ("ChatGPT maker", "Open AI", "alexander wang",
        a ticker "XON", a unique surname "Altman"), case-insensitively; None when nothing
        fits, an `Ambiguous` (false, with `candidates`) when several entities do."""
        w = words(fold(text))
        n = len(w)
        if not n:
            return None
        first = 1 if n > 1 and w.folded[0] == "the" else 0
        last = n - 1 if n > 1 and w.folded[-1] == "s" and w.joiner(n - 1) == "'" else n
        code = " ".join(text.split())
        if self._tagger is None and not saved.looks_like_code(text) and \
                not self._may_resolve(w, first, last):
            return None         # no word of it starts, is or shares a word with a name
        tagger = self.tagger
        keys = tuple(w.folded[first:last])
        matches = tagger.scanner.scan(w, check_case=False)
        if len(matches) == 1 and matches[0].first <= first and matches[0].last >= last:
            match = matches[0]
            entities = tagger.settle_exact(match.entities, keys, match.priority)
            if match.priority >= DERIVED:     # "Brown" of Brown Group, and Gordon Brown's
                others = tagger.linker.lookup(keys) - set(entities)
                if others:
                    return self._ambiguous({*entities, *others})
            if len(entities) > 1:
                return self._ambiguous(entities)
            return self._resolution(entities[0], 100.0, match.alias, "exact")
        owner = self._codes().get(code) if len(code) >= 2 and code.isupper() else None
        if owner is not None:                             # a ticker in capitals: "XON", "GM"
            return self._resolution(owner, 100.0, self.gazetteer.entities[owner].name, "code")
        scored = tagger.fuzzy.best(keys)
        if scored is not None:
            if scored.entity is None:
                return self._ambiguous(scored.candidates)
            return self._resolution(scored.entity, scored.score, scored.alias, "fuzzy")
        # "Altman", "Telekom", "WTO"; a lower-case ordinary word ("scale") only as a surname.
        owners = tagger.linker.lookup(keys)
        people = {e for e in owners if self.gazetteer.entities[e].type == "person"}
        if people != owners and len(keys) == 1 and text.strip().islower():
            from explorer.entities.names import is_common_word   # a word list (0.3 s to load):
                                                                  # only when it can matter
            if is_common_word(keys[0]):
                owners = people
        if len(owners) == 1:
            eid = next(iter(owners))
            return self._resolution(eid, self.options.short_name_score,
                                    self.gazetteer.entities[eid].name, "short-name")
        if owners:
            return self._ambiguous(owners)
        return None

    def _may_resolve(self, w, first: int, last: int) -> bool:
        """False when the saved name words (explorer/entities/saved.py) show that neither the
        exact pass, the fuzzy pass nor an acronym could find the text: then the tagger need not
        be loaded. True when it might, or when nothing is saved."""
        key = self._saved_key
        found = saved.read_name_words(self.config.index, key) if key is not None else None
        if found is None:
            return True
        return saved.may_resolve(found, w.folded, first, last, self.options.acronyms)

    def _ambiguous(self, eids) -> Ambiguous:
        return Ambiguous(tuple(sorted(self.gazetteer.entities[e].name for e in eids)))

    def _codes(self) -> dict[str, int]:
        """Alias tables' codes (tickers), upper case -> entity id; a code two entities share
        belongs to neither."""
        if self._code_owners is None:
            owners: dict[str, int] = {}
            shared = set()
            for eid, entity in enumerate(self.gazetteer.entities):
                for code in entity.codes:
                    code = code.upper()
                    if code in owners and owners[code] != eid:
                        shared.add(code)
                    owners[code] = eid
            self._code_owners = {c: e for c, e in owners.items() if c not in shared}
        return self._code_owners

    def _resolution(self, eid: int, score: float, alias: str, method: str) -> Resolution:
        entity = self.gazetteer.entities[eid]
        return Resolution(entity.name, score, alias, entity.type, method)

    # -- curating ------------------------------------------------------------------------------
    def add_alias(self, entity_name: str, alias: str, type: str | None = None) -> Entity:
        """Add an alias (creating the entity when new) to <data>/entities.yaml, atomically.
        A corrupt file is reported and left as it is."""
        entity_name, alias = " ".join(str(entity_name).split()), " ".join(str(alias).split())
        if not entity_name or not alias:
            raise UserError("an alias needs an entity name and the alias text")
        if type is not None and type not in TYPES:
            raise UserError(f"type '{type}': use one of {', '.join(TYPES)}")
        path = self.curated_path
        existing = self.gazetteer.get(entity_name)
        if existing is not None:
            entity_name = existing.name
        added: list[Entity] = []

        def change(curated: list[Entity]) -> list[Entity]:
            # Under the file's lock: what another process added meanwhile is kept.
            name = entity_name
            entry = next((e for e in curated if e.name.casefold() == name.casefold()), None)
            if entry is None:
                kind = type or (existing.type if existing else "organization")
                entry = Entity(name, kind, [], "", f"{path}", CURATED)
                curated.append(entry)
            elif type is not None:
                entry.type = type
            if alias != name and alias not in entry.aliases:
                entry.aliases.append(alias)
            merged = merge_curated(configured_entities(self.config), curated)
            try:
                check_unique(merged, UserError)
            except UserError as exc:
                raise UserError(f"cannot add '{alias}' to '{name}': {exc}") from None
            added.append(entry)
            return curated

        locked_update(path, _load_curated, _dump_curated, change)
        entry = added[0]
        self.reload()
        return self.gazetteer.get(entity_name) or entry

    def curated_owner(self, alias: str) -> str | None:
        """The entity one of your own aliases (<data>/entities.yaml) names, or None."""
        path = self.curated_path
        if not path.is_file():
            return None
        folded = " ".join(str(alias).split()).casefold()
        for entry in load_entity_file(path, DataFileError, CURATED):
            if any(a.casefold() == folded for a in entry.aliases):
                found = self.gazetteer.get(entry.name)
                return found.name if found is not None else entry.name
        return None

    def remove_alias(self, entity_name: str, alias: str) -> Entity:
        """Take back an alias you added (from <data>/entities.yaml, atomically). Aliases that
        come from config.yaml or an alias table are not yours to remove: they are named in the
        error. An entity left with no alias and no other change is dropped from the file."""
        entity_name, alias = " ".join(str(entity_name).split()), " ".join(str(alias).split())
        if not entity_name or not alias:
            raise UserError("removing an alias needs the entity name and the alias text")
        path = self.curated_path
        existing = self.gazetteer.get(entity_name)
        name = existing.name if existing is not None else entity_name
        kept: list[Entity] = []

        def change(curated: list[Entity]) -> list[Entity]:
            # Under the file's lock, like add_alias.
            entry = next((e for e in curated if e.name.casefold() == name.casefold()), None)
            mine = [a for a in (entry.aliases if entry else [])
                    if a.casefold() == alias.casefold()]
            if not mine:
                if existing is not None and any(a.casefold() == alias.casefold()
                                                for a in existing.aliases):
                    raise UserError(f"'{alias}' of '{name}' comes from "
                                    f"{existing.origin or 'config'}, not from your aliases: "
                                    "edit that file to remove it")
                raise UserError(f"'{alias}' is not an alias of '{name}' in {path}")
            entry.aliases = [a for a in entry.aliases if a not in mine]
            configured = {e.name.casefold() for e in configured_entities(self.config)}
            if not entry.aliases and not entry.description and \
                    entry.name.casefold() in configured:
                curated.remove(entry)       # nothing of yours is left on it
            kept.append(entry)
            return curated

        locked_update(path, _load_curated, _dump_curated, change)
        entry = kept[0]
        self.reload()
        return self.gazetteer.get(name) or entry

    # -- names settled for one article ---------------------------------------------------------
    def _read_settled(self) -> dict:
        return self._parse_settled(self.settled_path)

    @staticmethod
    def _parse_settled(path: Path) -> dict:
        if not path.is_file():
            return {}
        raw = load_yaml(path, DataFileError) or {}
        articles = raw.get("articles") if isinstance(raw, dict) else None
        if not isinstance(articles, dict) or not all(
                isinstance(v, dict) for v in articles.values()):
            raise DataFileError(f"{path}:1: expected 'articles:' mapping article ids to "
                                "{name: entity}")
        return {str(k): {str(n): str(e) for n, e in v.items()} for k, v in articles.items()}

    def settled(self) -> dict[str, dict[str, tuple[str, str]]]:
        """{article id: {folded name: (entity, type)}} from <data>/settled_mentions.yaml."""
        if self._settled is None:
            types = self.types()
            self._settled = {
                article: {" ".join(name.split()).casefold(): (entity, types.get(entity, "other"))
                          for name, entity in names.items()}
                for article, names in self._read_settled().items()}
        return self._settled

    def settle(self, article_id: str, text: str, entity_name: str) -> str:
        """Say that `text` is `entity_name` in one article only (an ambiguous name, say), saved
        atomically to <data>/settled_mentions.yaml. Returns the entity's canonical name."""
        entity = self.gazetteer.get(" ".join(str(entity_name).split()))
        if entity is None:
            raise UserError(f"no entity named '{entity_name}'")
        text = " ".join(str(text).split())
        if not text:
            raise UserError("settling a name needs the name as written")

        def change(raw: dict) -> dict:
            raw.setdefault(str(article_id), {})[text] = entity.name
            return raw

        locked_update(self.settled_path, self._parse_settled,
                      lambda raw: SETTLED_HEADER + dump_yaml({"articles": raw}), change)
        self._settled = None
        return entity.name
