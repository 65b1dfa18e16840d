"""Index time: the Annotator that stores each article's entities and mention spans, and the
read side that counts them back out of the stored fields."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, Iterable

from explorer.entities.mentions import EntityCount, Mention, pack_all

if TYPE_CHECKING:
    from explorer.entities.tagger import Tagger
# The tagger (and rapidfuzz) load when the first article is tagged: checking an index's
# fingerprint or resolving from the names saved beside it needs neither.


class EntityAnnotator:
    """Adds `entity` (canonical names, most-mentioned first) and `mentions` (packed spans into
    the body) to an article's document; `fingerprint` names the gazetteer and thresholds."""

    def __init__(self, tagger_factory, fingerprint: str, settled=None):
        """`settled()`: {article id: {folded mention text: (entity, type)}}, the ambiguous names
        a user settled for one article only (<data>/settled_mentions.yaml)."""
        self._factory = tagger_factory
        self._tagger: Tagger | None = None
        self.fingerprint = fingerprint
        self._settled = settled

    @property
    def tagger(self) -> Tagger:
        if self._tagger is None:
            self._tagger = self._factory()
        return self._tagger

    def annotate(self, article) -> dict[str, Any]:
        from explorer.entities.tagger import tag_counts

        tagger = self.tagger
        mentions = tagger.tag(article.body)
        here = self._settled().get(article.id) if self._settled is not None else None
        if here:
            mentions = [settle(m, here) for m in mentions]
        names = tag_counts(mentions)
        if not article.body.strip() and article.title:     # a title-only record
            names = tag_counts(tagger.tag(article.title))
        from explorer.index.schema import stored_entity

        return {"entity": ",".join(map(stored_entity, names)), "mentions": pack_all(mentions)}


def settle(mention: Mention, here: dict) -> Mention:
    """An ambiguous (or unlinked) mention the user settled for this article, linked."""
    if mention.entity is not None:
        return mention
    found = here.get(" ".join(mention.text.split()).casefold())
    if found is None:
        return mention
    entity, kind = found
    return mention._replace(entity=entity, type=kind, score=100.0, method="settled",
                            candidates=())


def stored_mentions(fields: dict) -> list[Mention]:
    body = fields.get("body") or ""
    return [Mention.unpack(p, body) for p in fields.get("mentions") or ()]


def count_entities(documents: Iterable[dict], types: dict[str, str]) -> list[EntityCount]:
    """Linked entities over stored documents: articles and mentions, most articles first."""
    from explorer.index.schema import entity_names

    articles: Counter = Counter()
    mentions: Counter = Counter()
    seen_type: dict[str, str] = {}
    for fields in documents:
        names = entity_names(fields.get("entity"))
        articles.update(set(names))
        for packed in fields.get("mentions") or ():
            if packed[2]:
                mentions[packed[2]] += 1
                seen_type.setdefault(packed[2], packed[3])
    return sorted(
        (EntityCount(name, types.get(name) or seen_type.get(name, "other"), count,
                     mentions[name]) for name, count in articles.items()),
        key=lambda c: (-c.articles, -c.mentions, c.name.casefold()))


def count_unlinked(documents: Iterable[dict]) -> list[tuple[str, int]]:
    """Proper names that link to nothing (and ambiguous ones), with how often they occur."""
    counts: Counter = Counter()
    spelling: dict[str, Counter] = {}
    for fields in documents:
        body = fields.get("body") or ""
        for packed in fields.get("mentions") or ():
            if packed[2] is None:
                text = " ".join(body[packed[0]:packed[1]].split())
                key = text.casefold()
                counts[key] += 1
                spelling.setdefault(key, Counter())[text] += 1
    return [(spelling[key].most_common(1)[0][0], n)
            for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def retag_articles(index_dir, article_ids: list[str], annotator: EntityAnnotator,
                   old_fingerprint: str, waiting=None) -> list[str]:
    """Re-annotate some articles in place (after an alias was added), as the index's one
    writer, and record the new gazetteer in the manifest committed with them, so the index is
    not rebuilt for it. Returns the ids re-tagged."""
    from pathlib import Path

    from whoosh import index as whoosh_index

    # The indexer's own document builder, so a re-tagged document is exactly what indexing
    # would have written (update_document replaces the whole document).
    from explorer.index.build import commit_with_manifest, document_fields, fail
    from explorer.index.folder import take_writer_lock
    from explorer.index.manifest import read_manifest
    from explorer.index.schema import article_from_fields
    from explorer.index.whoosh_internals import IndexWriter

    index_dir = Path(index_dir)
    lock = take_writer_lock(index_dir, wait=True, waiting=waiting)
    try:
        manifest = read_manifest(index_dir)
        if manifest is None:
            return []
        ix = whoosh_index.open_dir(str(index_dir))
        with ix.searcher() as searcher:
            articles = [article_from_fields(f) for f in
                        (searcher.document(id=i) for i in article_ids) if f]
        writer = None
        try:
            writer = IndexWriter(ix)
            for article in articles:
                fields = document_fields(article, article.duplicates, annotator)
                # An index from an older schema (rebuilt at the next update) may lack a field
                # the indexer now fills (body_pairs): its documents keep that index's fields.
                writer.update_document(**{name: value for name, value in fields.items()
                                          if name.removeprefix("_stored_") in ix.schema})
        except BaseException as exc:
            fail(index_dir, writer, None, exc)
        if manifest.get("annotator") == old_fingerprint:
            manifest["annotator"] = annotator.fingerprint
        commit_with_manifest(index_dir, writer, manifest)
        return [a.id for a in articles]
    finally:
        lock.release()
