"""The Whoosh schema: one document per unique article."""

from __future__ import annotations

from whoosh.analysis import SimpleAnalyzer, StemmingAnalyzer
from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from explorer.index.whoosh_internals import PositionBits, WordPairs, analyze_word
from explorer.ingest.articles import Article

# Bump when the schema or what goes into a field changes: older indexes are then rebuilt.
# 5: the codec and the positions format moved to explorer.index.whoosh_internals (their module
# path is pickled into the index). 7: `date` stored only and `time` a column only (below).
# 8: the `body_pairs` field.
SCHEMA_VERSION = 8

PAIR_FIELD = "body_pairs"

# The most frequent words of English prose (function words, and "said", the commonest verb of
# news), from general English word counts, not from any corpus here. A phrase with one of them
# is answered from the pair field (PAIR_FIELD): see docs/performance.md. Short on purpose:
# every occurrence of one adds up to two pair postings to the index.
COMMON_WORDS = (
    "the", "of", "and", "to", "a", "in", "is", "that", "for", "it", "was", "on", "as",
    "with", "be", "by", "at", "from", "has", "have", "he", "his", "are", "not", "an", "or",
    "but", "its", "this", "which", "were", "will", "had", "been", "they", "their", "would",
    "said",
)

UNDATED = 0  # `day` of an undated article: sorts last when newest come first
UNDATED_TIME = -(2 ** 62)   # `time` of an undated article: likewise


def build_schema() -> Schema:
    # No stop list: phrases such as "the maker of ChatGPT" must match word for word.
    stemmed = StemmingAnalyzer(stoplist=None, minsize=1)
    title = TEXT(stored=True, analyzer=stemmed, field_boost=2.0)
    body = TEXT(stored=True, analyzer=stemmed, phrase=True)
    for field in (title, body):
        field.format = PositionBits(field_boost=field.format.field_boost)
    # Adjacent body words where one is common, with both words' weights: a phrase such as
    # "said the" or "japan and" is answered without reading the common word's long postings.
    # Filled from the body text (build.document_fields gives it the body).
    pairs = WordPairs("body", stemmed, {analyze_word(stemmed, word) for word in COMMON_WORDS},
                      source_boost=body.format.field_boost)
    return Schema(
        id=ID(stored=True, unique=True),
        title=title,
        body=body,
        body_pairs=pairs,
        # The date as read (a datetime), shown and exported. Not indexed: a `date:` clause is
        # answered from `day` (explorer/search/query_dates.py). Whoosh indexes a DATETIME as
        # eight trie terms a value, which on Reuters were 84,000 of the index's 262,000 terms,
        # written for nothing (schema 6).
        date=STORED(),
        # Days since 0001-01-01 (UNDATED when unknown): few distinct values, so date ranges
        # expand to few terms, and a cheap column to sort by. Signed on purpose: Whoosh 2.7.5
        # answers NumericRange wrongly on an unsigned field ([1 TO n] matched every day).
        day=NUMERIC(int, bits=32, sortable=True),
        # Seconds since 1970 (UTC when the date had an offset), to sort by the time of day too:
        # a column only (as a NUMERIC field it also had sixteen trie terms a value, never
        # searched: 49,000 more terms on Reuters).
        time=COLUMN(NumericColumn("q", default=UNDATED_TIME)),
        source=TEXT(stored=True, analyzer=SimpleAnalyzer()),
        path=ID(stored=True),
        url=STORED(),
        author=STORED(),
        duplicates=STORED(),
        entity=KEYWORD(stored=True, commas=True, lowercase=True, scorable=True),
        mentions=STORED(),
    )


def article_from_fields(fields: dict) -> Article:
    """An article back from its stored document (what build.document_fields stores)."""
    return Article(
        id=fields["id"], title=fields.get("title", ""), body=fields.get("body", ""),
        path=fields.get("path", ""), date=fields.get("date"), source=fields.get("source") or None,
        url=fields.get("url"), author=fields.get("author"),
        duplicates=tuple(fields.get("duplicates") or ()),
    )


# The index keeps an article's entity names in one comma-separated keyword field, so a comma
# inside a name ("Merrill Lynch, Pierce, Fenner & Smith") is stored as a look-alike mark.
_STORED_COMMA = "\u201a"


def stored_entity(name: str) -> str:
    """A canonical name as the index's `entity` field holds it."""
    return name.replace(",", _STORED_COMMA) if "," in name else name


def entity_names(field: str | None) -> list[str]:
    """The canonical names in a stored `entity` field, in order."""
    return [n.replace(_STORED_COMMA, ",") for n in (field or "").split(",") if n]
