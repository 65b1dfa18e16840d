"""The thresholds of mention matching (config `entity_matching:`), checked with file and line."""

from __future__ import annotations

from dataclasses import dataclass, fields

from explorer.errors import ConfigError
from explorer.yamlfile import line_of


@dataclass(frozen=True)
class MatchingOptions:
    # A fuzzy candidate links when its best score (0-100, rapidfuzz) reaches this...
    fuzzy_threshold: float = 90.0
    # ...and beats the best other entity by more than this; otherwise it is "ambiguous".
    ambiguity_margin: float = 3.0
    # Surname / distinctive first word links after the full name appeared in the article.
    short_names: bool = True
    short_name_score: float = 90.0
    # A word shared by more entities than this does not select fuzzy candidates on its own.
    prefilter_max_entities: int = 25
    # Acronyms of names of three or more words ("IBM") link like short names.
    acronyms: bool = True
    # Keep capitalised names that link to nothing as "unlinked" mentions.
    unlinked: bool = True

    def fingerprint(self) -> str:
        return repr(tuple(getattr(self, f.name) for f in fields(self)))


def matching_options(raw: dict | None, source: str = "config") -> MatchingOptions:
    raw = raw or {}
    known = {f.name: f for f in fields(MatchingOptions)}
    values = {}
    line = line_of(raw, 0)
    for key, value in raw.items():
        if key not in known:
            raise ConfigError(f"{source}:{line}: unknown entity_matching key '{key}' "
                              f"(known: {', '.join(known)})")
        kind = known[key].type
        if kind == "bool":
            if not isinstance(value, bool):
                raise ConfigError(f"{source}:{line}: entity_matching.{key} must be true or false")
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{source}:{line}: entity_matching.{key} must be a number")
        elif kind == "float" and not 0 <= value <= 100:
            raise ConfigError(f"{source}:{line}: entity_matching.{key} must be between 0 and 100")
        elif kind == "int" and (int(value) != value or value < 1):
            raise ConfigError(f"{source}:{line}: entity_matching.{key} must be a whole number "
                              ">= 1")
        values[key] = int(value) if kind == "int" else value
    return MatchingOptions(**values)
