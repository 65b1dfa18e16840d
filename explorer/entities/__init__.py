"""Entities: the gazetteer, finding mentions (exact scan, then rapidfuzz), alias resolution.

gazetteer.py  entities from config, entity files, TSV alias tables and the curated file
tokens.py     words with offsets and the folded keys names are matched on
scanner.py    the exact pass: one trie walk over the text for every name and alias
resolver.py   the fuzzy pass: rapidfuzz over the entities that share a word with a candidate
tagger.py     the passes together: exact, fuzzy, short names, unlinked
matching.py   thresholds (config `entity_matching:`)
mentions.py   Mention / EntityCount records and their stored form
annotate.py   index time: the Annotator; counting entities from stored fields
catalog.py    a workspace's entities: resolve, tag, curate aliases
"""

from explorer.entities.catalog import Ambiguous, EntityCatalog, Resolution
from explorer.entities.mentions import EntityCount, Mention

__all__ = ["Ambiguous", "EntityCatalog", "EntityCount", "Mention", "Resolution"]
