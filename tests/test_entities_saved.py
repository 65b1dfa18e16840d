"""The gazetteer's fingerprint and the tagger are kept beside the index, so that a later process
(a one-shot search) neither loads the entity files nor builds the tagger, until they change."""

from __future__ import annotations

import pytest

from explorer.config import load_config
from explorer.entities import catalog as catalog_module
from explorer.entities import saved, tokens
from explorer.entities.saved import FINGERPRINT_FILE, TAGGER_FILE
from explorer.search.article_index import SearchRequest
from explorer.text import fold
from explorer.workspace import Workspace
from tests.conftest import CORPORA, ROOT


def _reopened(ws) -> Workspace:
    ws.close()
    return Workspace(ws.config)


def _no_loading(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the gazetteer was loaded although it was saved beside the index")
    monkeypatch.setattr(catalog_module, "load_gazetteer", refuse)


def test_a_later_process_resolves_with_the_saved_tagger(seeds_ws, monkeypatch):
    index = seeds_ws.config.index
    assert (index / FINGERPRINT_FILE).is_file() and (index / TAGGER_FILE).is_file()
    fresh = _reopened(seeds_ws)
    _no_loading(monkeypatch)
    assert fresh.staleness() is None
    results = fresh.search(SearchRequest("ChatGPT maker"))
    assert results.resolved and results.resolved[0]["entity"] == "OpenAI"
    assert fresh.resolve_entity("alexander wang")[0] == "Alexandr Wang"
    fresh.close()


def test_a_new_alias_is_not_answered_from_the_old_saved_tagger(seeds_ws):
    seeds_ws.add_alias("OpenAI", "Altman's company")
    fresh = _reopened(seeds_ws)
    assert fresh.resolve_entity("Altman's company")[0] == "OpenAI"
    assert fresh.staleness() is None      # re-tagged in place, and the fingerprint follows
    fresh.close()


def test_a_changed_entity_file_is_not_answered_from_the_saved_files(tmp_path, seeds_copy):
    entities = tmp_path / "more.yaml"
    entities.write_text("- name: Zorblax Corp\n  type: organization\n")
    config = tmp_path / "config.yaml"
    config.write_text((ROOT / "config.yaml").read_text().replace(
        "# entity_files: [more-entities.yaml]", "entity_files: [more.yaml]"))
    ws = Workspace(load_config(str(config), corpus=seeds_copy, index=tmp_path / "ix",
                               data=tmp_path / "data"))
    ws.update_index()
    assert ws.resolve_entity("Zorblax Corp")[0] == "Zorblax Corp"
    entities.write_text("- name: Quuxly Inc\n  type: organization\n")
    fresh = _reopened(ws)
    assert fresh.staleness() == "the entity gazetteer changed"
    assert fresh.resolve_entity("Zorblax Corp") is None
    assert fresh.resolve_entity("Quuxly Inc")[0] == "Quuxly Inc"
    fresh.close()


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05garbage"])
def test_a_damaged_saved_tagger_is_rebuilt(seeds_ws, damage):
    (seeds_ws.config.index / TAGGER_FILE).write_bytes(damage)
    fresh = _reopened(seeds_ws)
    assert fresh.resolve_entity("ChatGPT maker")[0] == "OpenAI"
    fresh.close()


def _texts(catalog) -> list[str]:
    """Names, aliases, their parts and typos, and plain words: what people type."""
    texts = ["oil", "the market", "Open AI", "ChatGPT maker", "alexander wang", "Wang",
             "Scale", "sarah friar's", "the OpenAI", "IBM", "Aluminum Co of America", "xyzzy"]
    for entity in catalog.gazetteer.entities[:400]:
        for name in entity.names()[:3]:
            parts = name.split()
            texts += [name, name.lower(), parts[0], parts[-1], name[:-1], " ".join(parts[1:])]
    return [t for t in texts if t.strip()]


@pytest.mark.parametrize("ticker", [False, True])
def test_the_saved_name_words_never_miss_a_resolution(tmp_path, seeds_copy, ticker):
    if ticker and not (CORPORA / "reuters_ticker_aliases.tsv").exists():
        pytest.skip("the Reuters ticker table is absent")
    config = tmp_path / "config.yaml"
    text = (ROOT / "config.yaml").read_text()
    if ticker:
        text += (f"alias_tables:\n  - path: {CORPORA / 'reuters_ticker_aliases.tsv'}\n"
                 "    entity_column: ticker\n    alias_column: name_variant\n"
                 "    count_column: count\n    type: organization\n")
    config.write_text(text)
    ws = Workspace(load_config(str(config), corpus=seeds_copy, index=tmp_path / "ix",
                               data=tmp_path / "data"))
    ws.update_index()
    texts = _texts(ws.entities)
    catalog = ws.entities
    words = saved.read_name_words(ws.config.index, catalog._saved_key)
    assert words is not None
    spared = 0
    for text in texts:
        w = tokens.words(fold(text))
        n = len(w)
        if not n:
            continue
        first = 1 if n > 1 and w.folded[0] == "the" else 0
        last = n - 1 if n > 1 and w.folded[-1] == "s" and w.joiner(n - 1) == "'" else n
        if not saved.looks_like_code(text) and \
                not saved.may_resolve(words, w.folded, first, last, catalog.options.acronyms):
            assert not catalog.resolve(text), text     # no entity: the tagger's own answer
            spared += 1
    assert spared, "the pre-check never spared loading the tagger"

    fresh = _reopened(ws)
    assert fresh.resolve_entity("xyzzy") is None and fresh.entities._tagger is None
    assert fresh.resolve_entity("ChatGPT maker")[0] == "OpenAI"
    fresh.close()


def test_a_new_fingerprint_keeps_the_name_words_already_saved(tmp_path, seeds_copy):
    """Saving the fingerprint again (another process changed the gazetteer) re-writes the name
    words read back from the file: a traceback before (frozensets are not JSON)."""
    ws = Workspace(load_config(str(ROOT / "config.yaml"), corpus=seeds_copy,
                               index=tmp_path / "ix", data=tmp_path / "data"))
    ws.update_index()
    key = ws.entities._saved_key
    words = saved.read_name_words(ws.config.index, key)
    assert words
    saved.save_fingerprint(ws.config.index, key, "another fingerprint")
    saved._WORDS_CACHE.clear()
    assert saved.read_name_words(ws.config.index, key) == words
    assert saved.read_fingerprint(ws.config.index, key) == "another fingerprint"
