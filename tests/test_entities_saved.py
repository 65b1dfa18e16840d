"""The gazetteer's fingerprint and the tagger are kept beside the index, so that a later process
(a one-shot search) neither loads the entity files nor builds the tagger, until they change."""

from __future__ import annotations

import pytest

from explorer.config import load_config
from explorer.entities import catalog as catalog_module
from explorer.entities.saved import FINGERPRINT_FILE, TAGGER_FILE
from explorer.search.article_index import SearchRequest
from explorer.workspace import Workspace
from tests.conftest import ROOT


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
