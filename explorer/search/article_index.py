"""The read side: parsing queries, running them, results with snippets, one article by id."""

from __future__ import annotations

import copy
import pickle
import datetime as dt
import itertools
import re
import time
from pathlib import Path
from typing import Callable, Iterable

from whoosh import collectors, index as whoosh_index, query as wq
from whoosh.fields import DATETIME
from whoosh.qparser import (
    FuzzyTermPlugin, GtLtPlugin, MultifieldParser, PhrasePlugin,
)
from whoosh.qparser.dateparse import DateParserPlugin

from explorer.ingest.articles import Article
from explorer.errors import NotFoundError, QueryError, UserError
from explorer.index.folder import latest_generation
from explorer.records import (  # noqa: F401 (the records are imported from here too)
    SORTS, Hit, SearchRequest, SearchResults, Snippet,
)
from explorer.index.schema import (  # noqa: F401 (article_from_fields is imported from here too)
    UNDATED, article_from_fields, stored_entity, entity_names as stored_entity_names,
)
from explorer.index.whoosh_internals import open_index
from explorer.search.aggregate import ArticleTable
from explorer.search.days import (
    TIME, DayIndex, document_times, newest_of, split_day_ranges,
)
from explorer.search.query_dates import rewrite_dates
from explorer.search.ranking import Ranker
from explorer.search.snippets import SnippetMaker, opening, snippet_terms
from explorer.text import printable

TEXT_FIELDS = ("title", "body")
FEW_HITS = 3    # a search with at most this many hits may get a "did you mean"
# resolve(text) -> (canonical entity name, score) or None: plugs entity resolution into queries.
EntityResolver = Callable[[str], "tuple[str, float] | None"]


class QueryBuilder:
    """Turns the user's query text into a Whoosh query (separate from running it)."""

    def __init__(self, schema, resolver: EntityResolver | None = None,
                 now: dt.datetime | None = None,
                 check_entity: Callable[[str], None] | None = None):
        self.schema = schema
        self.resolver = resolver
        self.check_entity = check_entity    # raises QueryError for a name no article carries
        self.now = now
        # `date:` clauses reach the parser as `day:` ranges (explorer/search/query_dates.py);
        # one that is not rewritten (no value) still meets Whoosh's date plugin, which needs a
        # DATETIME `date`, so the parser gets a copy of the schema with one.
        parse_schema = copy.deepcopy(schema)
        parse_schema.remove("date")
        parse_schema.add("date", DATETIME())
        self._errors: list[str] = []
        self.reader_of: Callable | None = None    # the index's reader, to bound expansions
        self.parser = MultifieldParser(list(TEXT_FIELDS), parse_schema)
        self.parser.remove_plugin_class(PhrasePlugin)
        # `"a b"~0` is proximity 0 (the phrase): Whoosh's own pattern only reads ~1 and up,
        # and took `~0` for the phrase AND the word "0".
        self.parser.add_plugin(PhrasePlugin(expr='"(?P<text>.*?)"(~(?P<slop>[0-9]+))?'))
        self.parser.add_plugin(FuzzyTermPlugin())
        self.parser.add_plugin(GtLtPlugin())
        self.parser.add_plugin(DateParserPlugin(basedate=now, callback=self._errors.append))

    def build(self, text: str, entities: Iterable[str] = ()) -> wq.Query:
        return self.parse(text, entities)[0]

    def parse(self, text: str, entities: Iterable[str] = ()) -> tuple[wq.Query, list[dict]]:
        """The Whoosh query for the text and filters, and the free text's entity resolution."""
        text = text.strip()
        resolved: list[dict] = []
        _check_size(text, self.now)
        _check_balanced(text)
        _check_fields(text)
        self._errors.clear()
        if text:
            # date: clauses as exact day ranges
            dated = rewrite_dates(text, self.now, shown_query(text))
            try:
                parsed = self.parser.parse(dated)
            except (ValueError, OverflowError):   # a date Whoosh half-reads: '202500'
                raise QueryError(f"query '{shown_query(text)}': cannot read a date or number "
                                 "in it") from None
            except Exception as exc:  # Whoosh raises assorted errors on odd syntax
                raise QueryError(f"query '{shown_query(text)}': {shown_query(str(exc), 120)}"
                                 ) from None
            if self._errors:
                raise QueryError(f"query '{shown_query(text)}': cannot read the date "
                                 f"'{shown_query(str(self._errors[0]), 40)}'")
            parsed = self._rewrite(parsed, text)
            if self.reader_of is not None:
                check_expansions(parsed, self.reader_of(), text)
            resolved = self.resolve_free_text(text)
            if resolved:   # "ChatGPT maker" also finds the articles tagged OpenAI
                parsed = _or_entity(parsed, wq.Term("entity", stored_entity(resolved[0]["entity"]).lower()))
        else:
            parsed = wq.Every()
        filters = [self.entity_term(name, text) for name in entities]
        if filters:
            parsed = wq.And([parsed, *filters]) if text else wq.And(filters)
        return parsed.normalize(), resolved

    def entity_term(self, name: str, text: str = "") -> wq.Query:
        name = " ".join(name.split())
        found = self.resolver(name) if self.resolver is not None else None
        if found:
            name = found[0]
        elif getattr(found, "candidates", ()):          # "Brown": which one?
            raise QueryError(f"entity '{name}' could be any of: "
                             f"{', '.join(found.candidates)} (give the full name)")
        elif self.check_entity is not None:
            self.check_entity(name)
        return wq.Term("entity", stored_entity(name).lower())

    def resolve_free_text(self, text: str) -> list[dict]:
        """The query's free text (outside fields; none when it uses operators or wildcards)
        when it names an entity: [{"text", "entity", "score", "alias"}]."""
        free = _free_text(text)
        found = self.resolver(free) if free and self.resolver is not None else None
        if not found:
            return []
        return [{"text": free, "entity": found[0], "score": round(float(found[1]), 1),
                 "alias": getattr(found, "alias", None)}]

    def _rewrite(self, q: wq.Query, text: str) -> wq.Query:
        if isinstance(q, wq.Term) and q.fieldname == "entity":
            return self.entity_term(str(q.text), text)
        if isinstance(q, wq.Phrase) and q.fieldname == "entity":
            return self.entity_term(" ".join(q.words), text)
        if isinstance(q, wq.Phrase) and q.slop < 1:      # ~0: the words next to each other
            q = copy.copy(q)
            q.slop = 1
        if isinstance(q, (wq.Term, wq.Phrase)) and q.fieldname == "date":
            raise QueryError(f"query '{shown_query(text)}': cannot read the date in it")
        if getattr(q, "error", None):
            raise QueryError(f"query '{shown_query(text)}': {shown_query(str(q.error), 120)}")
        if q.is_leaf():
            return q
        return q.apply(lambda sub: self._rewrite(sub, text))


_FIELD_CLAUSE = re.compile(r'\b\w+:("[^"]*"|\[[^\]]*\]|\{[^}]*[\]}]|\S+)')


def _free_text(text: str) -> str:
    """The words of a query outside field clauses; '' when it has operators or wildcards."""
    rest = _FIELD_CLAUSE.sub(" ", text)
    if re.search(r"[*?~()^]|\b(AND|OR|NOT|ANDNOT|ANDMAYBE)\b", rest):
        return ""
    return " ".join(rest.replace('"', " ").split())


def _or_entity(parsed: wq.Query, entity: wq.Query) -> wq.Query:
    """The free-text part of a query, OR the entity it resolved to; field clauses still AND."""
    text_only = lambda q: all(leaf.field() in TEXT_FIELDS  # noqa: E731
                              for leaf in (q.leaves() if not q.is_leaf() else [q]))
    if isinstance(parsed, wq.And):
        words = [q for q in parsed.subqueries if text_only(q)]
        rest = [q for q in parsed.subqueries if not text_only(q)]
        if words and rest:
            return wq.And(rest + [wq.Or([wq.And(words), entity])])
        if not words:
            return parsed
    elif not text_only(parsed):
        return parsed
    return wq.Or([parsed, entity])


QUERY_FIELDS = ("title", "body", "date", "source", "entity", "path", "id")
_FIELD = re.compile(r'(?<![\w.:/])([A-Za-z_]\w*):(?!//)')


def _check_fields(text: str) -> None:
    outside_quotes = re.sub(r'"[^"]*"', '""', text)
    for match in _FIELD.finditer(outside_quotes):
        if match.group(1) not in QUERY_FIELDS:
            raise QueryError(f"query '{shown_query(text)}': unknown field '{match.group(1)}:' "
                             f"(fields: {', '.join(QUERY_FIELDS)})")
        if outside_quotes[match.end():match.end() + 1] in ("", " ", "\t", "\n", ")"):
            example = "date:2025-06" if match.group(1) == "date" else f"{match.group(1)}:word"
            raise QueryError(f"query '{shown_query(text)}': '{match.group(1)}:' needs a value "
                             f"right after it (like {example})")


_OPENER = {")": "(", "]": "[", "}": "{"}
_CLOSER = {"(": ")", "[": "]", "{": "}"}


def _check_balanced(text: str) -> None:
    """Phrases closed, and brackets outside phrases paired: ( with ), and [ or { with ] or }
    (a range may mix them: date:{2025-01 to 2025-06]). A bracket inside a phrase is a word's."""
    shown = shown_query(text)
    if text.count('"') % 2:
        raise QueryError(f"query '{shown}': a phrase is missing its closing '\"'")
    open_brackets: list[str] = []
    for part, phrase in zip(text.split('"'), itertools.cycle((False, True))):
        if phrase:
            continue
        for char in part:
            if char in _CLOSER:
                open_brackets.append(char)
            elif char in _OPENER:
                ranges = char in "]}"
                if not open_brackets or (open_brackets[-1] in "[{") != ranges:
                    raise QueryError(f"query '{shown}': '{char}' without a matching "
                                     f"'{_OPENER[char]}'")
                open_brackets.pop()
    if open_brackets:
        char = open_brackets[-1]
        raise QueryError(f"query '{shown}': '{char}' without a matching '{_CLOSER[char]}'")


MAX_QUERY_CHARS = 2_000      # longer queries are refused: parsing and did-you-mean grow with it
MAX_WORD_CHARS = 200         # no indexed word is this long; did-you-mean is quadratic in it
MAX_WILDCARDS = 8            # '*' and '?' in one word: each is a backtracking point
MAX_FUZZY_DISTANCE = 2       # and 1 for words of 3-5 letters, 0 below (as Lucene's AUTO)
MAX_EXPANSION = 200          # words a wildcard may stand for (Reuters: 'ex*',
                             # 252 words, took 5 s; 'ban*', 106 words, 0.3 s)
_WORD = re.compile(r'[^\s()"\[\]{}]+')
_LAST_DAYS = re.compile(r'\bdate:"?\s*(?:last|past)\s+(\d+)\s+days?\b', re.I)


def shown_query(text: str, limit: int = 80) -> str:
    """A query as an error message shows it: on one line, controls visible, at most `limit`
    characters."""
    text = printable(text).replace("\n", "\u2424").replace("\t", "\u2409")
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"


def _check_size(text: str, now: dt.datetime | None = None) -> None:
    """Queries that would be slow to parse or run, or overflow a date, are refused up front."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query '{shown_query(text)}': {len(text):,} characters, longer than "
                         f"the {MAX_QUERY_CHARS:,} a query may have")
    for word in _WORD.findall(text):
        if len(word) > MAX_WORD_CHARS:
            raise QueryError(f"query '{shown_query(text)}': the word '{shown_query(word, 20)}' "
                             f"has {len(word):,} characters (at most {MAX_WORD_CHARS})")
        if sum(word.count(c) for c in "*?") > MAX_WILDCARDS:
            raise QueryError(f"query '{shown_query(text)}': '{shown_query(word, 30)}' has more "
                             f"than {MAX_WILDCARDS} wildcards")
    today = (now or dt.datetime.now()).date()
    for match in _LAST_DAYS.finditer(text):
        if int(match.group(1)) >= today.toordinal():
            raise QueryError(f"query '{shown_query(text)}': 'last {match.group(1)} days' goes "
                             "back before the year 1")


def check_expansions(q: wq.Query, reader, text: str) -> None:
    """A fuzzy term is at most MAX_FUZZY_DISTANCE from its words (less for short words), and a
    wildcard stands for at most MAX_EXPANSION words of the index (a query of thousands of words
    is slow to run and score: '**' is every word)."""
    for leaf in [q] if q.is_leaf() else q.leaves():
        if isinstance(leaf, wq.FuzzyTerm):
            letters = len(leaf.text)
            allowed = MAX_FUZZY_DISTANCE if letters > 5 else 1 if letters > 2 else 0
            if leaf.maxdist > allowed:
                # 'oil~2' is nearly every short word: on Reuters, 21,317 articles in 46 s
                raise QueryError(f"query '{shown_query(text)}': '{shown_query(leaf.text, 30)}~"
                                 f"{leaf.maxdist}' is too fuzzy (a word of {letters} letters "
                                 f"takes at most ~{allowed})")
        # A fuzzy term is bounded by its distance alone: Whoosh finds its words by computing
        # the distance to every word of the field (1.5 s on Reuters), and counting them here
        # would do that twice.
        if isinstance(leaf, (wq.Wildcard, wq.Prefix, wq.Regex)):
            words = itertools.islice(leaf.expanded_terms(reader), MAX_EXPANSION + 1)
            if sum(1 for _ in words) > MAX_EXPANSION:
                raise QueryError(
                    f"query '{shown_query(text)}': '{shown_query(str(leaf.text), 30)}' stands "
                    f"for more than {MAX_EXPANSION:,} words in {leaf.fieldname}: make it "
                    "more precise")


class ArticleIndex:
    """An open index: search it and fetch articles. Keep one and `refresh()` after updates."""

    def __init__(self, index_dir: Path, resolver: EntityResolver | None = None,
                 entity_names: Callable[[], list[str]] | None = None):
        self.index_dir = Path(index_dir)
        if latest_generation(index_dir) < 0:
            raise UserError(f"{index_dir}: no index here yet: run 'news-explorer index'")
        try:
            self.ix, self.searcher = _open(self.index_dir)
        except (ImportError, AttributeError, EOFError, pickle.UnpicklingError) as error:
            # Its table of contents names classes this version no longer has (an index written
            # before schema 5 named modules since moved): rebuilt by 'index', never a traceback.
            raise UserError(f"{index_dir}: the index was written by another version of "
                            f"news-explorer: run 'news-explorer index' to rebuild it") from error
        # The schema of the generation opened (Whoosh's `ix.schema` reads the latest table of
        # contents again, which a writer's commit may just have replaced and deleted).
        schema = self.searcher.schema
        self.entity_names = entity_names
        self.builder = QueryBuilder(schema, resolver, check_entity=self._check_entity)
        self.builder.reader_of = lambda: self.searcher.reader()
        self.snippets = {name: SnippetMaker(schema[name].analyzer) for name in TEXT_FIELDS}
        # Hits in a whole article (the reader lights them all up, however long it is).
        self._article_words = SnippetMaker(schema["body"].analyzer, charlimit=2 ** 62)
        self._day_index: tuple | None = None
        self._times: tuple | None = None      # (searcher, every document's time)
        self._ranker_of: tuple | None = None
        self._speller_of: tuple | None = None
        self._table_of: tuple | None = None

    def close(self) -> None:
        self.searcher.close()

    def _check_entity(self, name: str) -> None:
        """An entity filter that resolves to no entity is an error naming the nearest ones
        (an entity the index carries though the resolver does not know it is fine)."""
        if ("entity", name.lower()) in self.searcher.reader():
            return
        from rapidfuzz import fuzz, process      # rapidfuzz: not needed at start-up

        names = self.entity_names() if self.entity_names is not None else [
            word.decode() if isinstance(word, bytes) else word
            for word in self.searcher.reader().lexicon("entity")]
        nearest = [found for found, _, _ in process.extract(
            name, names, scorer=fuzz.WRatio, processor=str.casefold, limit=3)]
        hint = f"; nearest: {', '.join(nearest)}" if nearest else "; the index has no entities"
        raise QueryError(f"entity '{name}' is not an entity of this index{hint}")

    def refresh(self) -> None:
        # Not Searcher.refresh(): it reuses segment readers, and a reused reader keeps the
        # deletions it was opened with (Whoosh 2.7.5), so removed articles stayed and updated
        # ones showed twice.
        old = self.searcher
        self.ix, self.searcher = _open(self.index_dir)
        old.close()

    def __len__(self) -> int:
        return self.searcher.doc_count()

    @property
    def generation(self) -> int | None:
        """The index generation the searcher reads (None for an empty index)."""
        return self.searcher.reader().generation()

    def search(self, request: SearchRequest, *, snippets: bool = True,
               suggest: bool = True) -> SearchResults:
        if request.sort not in SORTS:
            raise QueryError(f"sort '{request.sort}': use one of {', '.join(SORTS)}")
        started = time.perf_counter()
        q, resolved = self.builder.parse(request.text, request.entities)
        results = self.run(q, request, started, snippets)
        results.resolved = resolved     # resolved once, while building the query
        if suggest and results.total <= FEW_HITS and request.text.strip():
            results.suggestion = self.suggest(request, results.total)
            results.seconds = time.perf_counter() - started
        return results

    def run(self, q: wq.Query, request: SearchRequest, started: float | None = None,
            snippets: bool = True) -> SearchResults:
        started = started or time.perf_counter()
        rest, day_ranges = split_day_ranges(q)
        if day_ranges and rest is None:      # dates alone: newest first, straight from `day`
            docnums, total = self._days().newest(day_ranges, request.limit)
            stored = self.searcher.stored_fields
            hits = [self._hit(stored(docnum), {}, None) for docnum in docnums]
        else:
            by_date = request.sort == "date" or isinstance(rest, wq.Every)
            # Newest first to the second (`time`), undated last; Whoosh breaks ties by number.
            kwargs = {"sortedby": TIME, "reverse": True} if by_date else {}
            allowed = self._days().docs(day_ranges) if day_ranges else None
            if allowed is not None and not allowed:
                hits, total = [], 0
            else:
                found, total = self._ranked(rest, request.limit, allowed, kwargs)
                terms = snippet_terms(rest, self.searcher.reader(), TEXT_FIELDS) \
                    if snippets else {}
                # Listed by date (or all of them): no score to show, not a made-up one.
                hits = [self._hit(fields, terms, None if by_date else score)
                        for fields, score in found]
        return SearchResults(request, hits, total, time.perf_counter() - started, str(q))

    def suggest(self, request: SearchRequest, total: int) -> str | None:
        """Did you mean: the request's text with the words the index lacks (no hits) or nearly
        lacks (few hits) spelled as the nearest words it has (explorer/search/spelling.py);
        offered only when it finds something, and with few hits, many times as much."""
        from explorer.search.spelling import MORE

        try:
            text = self._speller().suggest(request.text, total)
            if text is None or text == request.text:
                return None
            better = self.search(SearchRequest(text, request.entities, request.sort, 1),
                                 snippets=False, suggest=False).total
        except UserError:       # the respelled query does not parse: no suggestion
            return None
        return text if better > 0 and better >= total * MORE else None

    def _ranked(self, q: wq.Query, limit: int | None, allowed: set[int] | None,
                kwargs: dict) -> tuple[list[tuple[dict, float]], int]:
        """The best `limit` matches as (stored fields, score), and how many match in all."""
        ranker = self._ranker()
        if not kwargs and ranker.covers(q):     # words and phrases by relevance: explorer/search/ranking.py
            best, total = ranker.top(q, limit, allowed)
            stored = self.searcher.stored_fields
            return [(stored(docnum), score) for docnum, score in best], total
        if kwargs.get("sortedby") == TIME and ranker.covers(q):
            # Newest first: the ranker's matches in the order Whoosh's sorting collector gives
            # (which tested each phrase's positions in Python: `"said the"` by date took 7.5 s
            # at 300,000 articles).
            docs = ranker.scores(q).keys()
            if allowed is not None:
                docs = [docnum for docnum in docs if docnum in allowed]
            newest = newest_of(self._document_times(), list(docs), limit)
            stored = self.searcher.stored_fields
            return [(stored(docnum), None) for docnum in newest], len(docs)
        results = self._search(q, limit, allowed, kwargs)
        return [(hit.fields(), hit.score) for hit in results], len(results)

    def _search(self, q: wq.Query, limit: int | None, allowed: set[int] | None, kwargs: dict):
        """Whoosh's search, counting every match: the total is exact, never an estimate."""
        if kwargs:      # sorted: the sorting collector sees every match
            return self.searcher.search(q, limit=limit, filter=allowed, **kwargs)
        # Whoosh's own top-N collector skips blocks and swaps in matchers that drop documents
        # which cannot reach the top N, so it cannot count the matches: the total it offers is
        # an estimate (the expansions' document counts added up: `Blair~` said 232 for 187
        # articles) and len() would run the query a second time. This one sees them all.
        top = collectors.TopCollector(limit, usequality=False, replace=0) if limit \
            else collectors.UnlimitedCollector()
        collector = collectors.FilterCollector(top, allow=allowed) if allowed is not None \
            else top
        self.searcher.search_with_collector(q, collector)
        return collector.results()

    def _speller(self):
        """Did-you-mean for the text fields, from the current searcher's vocabulary."""
        if self._speller_of is None or self._speller_of[0] is not self.searcher:
            from explorer.search.spelling import QuerySpeller   # rapidfuzz: not at start-up
            body = self.snippets["body"]
            self._speller_of = (self.searcher, QuerySpeller(self.searcher, TEXT_FIELDS,
                                                            body.term, body.word))
        return self._speller_of[1]

    def _ranker(self) -> Ranker:
        """The ranker of the current searcher (it caches field lengths per searcher)."""
        if self._ranker_of is None or self._ranker_of[0] is not self.searcher:
            self._ranker_of = (self.searcher, Ranker(self.searcher))
        return self._ranker_of[1]

    def _document_times(self) -> list[int]:
        """Every document's `time` in the current searcher (read once per searcher; the day
        index and the newest-first listing share it)."""
        if self._times is None or self._times[0] is not self.searcher:
            self._times = (self.searcher, document_times(self.searcher))
        return self._times[1]

    def _days(self) -> DayIndex:
        """The sorted `day` column of the current searcher (read once per searcher)."""
        if self._day_index is None or self._day_index[0] is not self.searcher:
            self._day_index = (self.searcher, DayIndex(self.searcher, self._document_times()))
        return self._day_index[1]

    def _hit(self, fields: dict, terms: dict[str, set[str]], score: float | None) -> Hit:
        snippet = None
        for name in TEXT_FIELDS[::-1]:          # the body's passages, else the title
            words = terms.get(name)
            snippet = self.snippets[name].make(fields.get(name) or "", words) if words else None
            if snippet is not None:
                break
        if snippet is None:
            snippet = opening(fields.get("body", ""))
        return Hit(
            id=fields["id"], title=fields.get("title", ""), date=fields.get("date"),
            source=fields.get("source") or None, path=fields.get("path", ""),
            score=None if score is None else float(score), snippet=snippet, url=fields.get("url"),
            entities=tuple(stored_entity_names(fields.get("entity"))),
        )

    def resolve_id(self, prefix: str) -> str:
        """A full article id from an id or an unambiguous prefix of one."""
        prefix = prefix.strip().lower()
        if not prefix:
            raise NotFoundError("article id is empty")
        matches = list(self.searcher.reader().expand_prefix("id", prefix))
        ids = [m.decode() if isinstance(m, bytes) else m for m in matches]
        if not ids:
            raise NotFoundError(f"no article with id '{prefix}'")
        if len(ids) > 1 and prefix not in ids:
            raise NotFoundError(f"article id '{prefix}' is ambiguous ({len(ids)} articles)")
        return prefix if prefix in ids else ids[0]

    def article(self, article_id: str) -> Article:
        full = self.resolve_id(article_id)
        fields = self.searcher.document(id=full)
        if fields is None:
            raise NotFoundError(f"no article with id '{article_id}'")
        return article_from_fields(fields)

    def stored(self, article_id: str) -> dict:
        """All stored fields of an article (mentions included)."""
        fields = self.searcher.document(id=self.resolve_id(article_id))
        return dict(fields or {})

    def all_ids(self) -> list[str]:
        return [f["id"] for f in self.searcher.all_stored_fields()]

    def matching_ids(self, request: SearchRequest) -> list[str]:
        """Every article id the request matches (no limit, no snippets)."""
        q = self.builder.build(request.text, request.entities)
        found, _ = self._ranked(q, None, None, {})
        return [fields["id"] for fields, _ in found]

    def matching_docnums(self, request: SearchRequest) -> list[int]:
        """The document number of every live article the request matches (no order promised)."""
        q = self.builder.build(request.text, request.entities)
        rest, day_ranges = split_day_ranges(q)
        allowed = self._days().docs(day_ranges) if day_ranges else None
        if rest is None:
            reader = self.searcher.reader()
            return sorted(d for d in (allowed or ()) if not reader.is_deleted(d))
        if allowed is not None and not allowed:
            return []
        ranker = self._ranker()
        if ranker.covers(rest):
            best, _ = ranker.top(rest, None, allowed)
            return [docnum for docnum, _ in best]
        return list(self._search(rest, None, allowed, {}).docs())

    def article_table(self, names: dict[str, str]) -> ArticleTable:
        """The entities and days of every live article (explorer/search/aggregate.py), built
        once per searcher; `names` maps the indexed (lowercase) entity names to canonical ones."""
        if self._table_of is None or self._table_of[0] is not self.searcher:
            self._table_of = (self.searcher, ArticleTable(self.searcher, names))
        return self._table_of[1]

    def hit_spans(self, text: str, body: str) -> list[tuple[int, int]]:
        """Character spans in `body` of the words a query looks for (not those under NOT), in
        order: the same words its snippets mark."""
        if not text.strip():
            return []
        found = snippet_terms(self.builder.build(text), self.searcher.reader(), TEXT_FIELDS)
        terms = set().union(*found.values())
        return [(start, end) for start, end, _ in self._article_words.hits(body, terms)]


def _open(index_dir: Path, attempts: int = 5):
    """The index and a searcher of its latest generation. A writer that commits while they
    open deletes the files of the generation being opened: open the new one then."""
    for attempt in range(attempts):
        try:
            ix = open_index(index_dir)
            return ix, ix.searcher()
        except (OSError, whoosh_index.EmptyIndexError) as exc:
            if attempt == attempts - 1:
                raise UserError(f"{index_dir}: cannot open the index: "
                                f"{getattr(exc, 'strerror', None) or exc}") from None
    raise AssertionError("unreachable")
