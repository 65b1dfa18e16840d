"""Entities in the index, the search and the CLI: stored mentions, entity-aware queries,
curated aliases, and the `resolve`, `tag`, `entities` and `alias` commands."""

import json

import pytest

from explorer.cli import main
from explorer.search.article_index import SearchRequest
from tests.conftest import ROOT


def test_mentions_are_stored_at_index_time_with_offsets_into_the_body(seeds_ws):
    for article_id in seeds_ws.index.all_ids():
        body = seeds_ws.article(article_id).body
        mentions = seeds_ws.mentions(article_id)
        assert mentions and all(body[m.start:m.end] == m.text for m in mentions)
        assert {"OpenAI", "Scale AI", "Meta"} <= {m.entity for m in mentions}


def test_entity_field_lists_most_mentioned_first(seeds_ws):
    hits = seeds_ws.search(SearchRequest("Mercor")).hits
    assert hits[0].entities[:3] == ("Scale AI", "OpenAI", "Meta")


def test_entity_query_finds_articles_by_any_alias(seeds_ws):
    for query in ("entity:OpenAI", 'entity:"ChatGPT maker"', 'entity:"open ai"'):
        assert seeds_ws.search(SearchRequest(query)).total == 2, query
    only = seeds_ws.search(SearchRequest("entity:Mercor"))
    assert only.total == 1
    assert seeds_ws.search(SearchRequest("", entities=("Sam Altman",))).total == 1


def test_free_text_naming_an_entity_finds_its_articles_and_says_so(seeds_ws):
    results = seeds_ws.search(SearchRequest("ChatGPT maker"))
    assert results.total == 2          # only one article has the words "ChatGPT maker"
    assert results.resolved == [{"text": "ChatGPT maker", "entity": "OpenAI", "score": 100.0,
                                 "alias": "ChatGPT maker"}]
    results = seeds_ws.search(SearchRequest("Alexander Wang"))
    assert results.total == 2 and results.resolved[0]["entity"] == "Alexandr Wang"
    assert seeds_ws.search(SearchRequest("banana bread")).resolved == []


def test_entity_counts_and_unlinked_over_all_or_some_articles(seeds_ws):
    counts = {c.name: c for c in seeds_ws.entity_counts()}
    assert counts["OpenAI"].articles == 2 and counts["OpenAI"].type == "organization"
    assert counts["Sarah Friar"].articles == 1 and counts["Sarah Friar"].mentions == 2
    mercor = seeds_ws.index.matching_ids(SearchRequest("Mercor"))
    assert "Sam Altman" not in {c.name for c in seeds_ws.entity_counts(mercor)}
    assert ("AI", 15) in seeds_ws.unlinked()
    assert seeds_ws.entity_types()["Paris"] == "place"
    assert "Alexandr Wang" in seeds_ws.entity_names()


def test_add_alias_saves_atomically_and_retags_without_a_rebuild(seeds_ws):
    assert seeds_ws.search(SearchRequest("entity:Meta")).total == 2
    before = seeds_ws.search(SearchRequest('entity:"Scale AI"')).hits
    retagged = seeds_ws.add_alias("Scale AI", "data-labeling startup")
    assert len(retagged) == 2
    saved = (seeds_ws.config.data / "entities.yaml").read_text(encoding="utf-8")
    assert "data-labeling startup" in saved
    assert seeds_ws.staleness() is None                       # no rebuild for an alias
    mentions = [m for i in seeds_ws.index.all_ids() for m in seeds_ws.mentions(i)
                if m.text == "data-labeling startup"]
    assert mentions and {m.entity for m in mentions} == {"Scale AI"}
    assert len(seeds_ws.search(SearchRequest('entity:"Scale AI"')).hits) == len(before)
    # a new entity, with its type
    seeds_ws.add_alias("Social media company", "the social-media company", type="other")
    assert seeds_ws.entity_types()["Social media company"] == "other"
    assert seeds_ws.search(SearchRequest('entity:"social media company"')).total == 1


def test_a_corrupt_curated_file_is_reported_and_left_untouched(seeds_ws):
    from explorer.errors import UserError

    path = seeds_ws.config.data / "entities.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("entities: [\n", encoding="utf-8")
    seeds_ws.entities.reload()
    with pytest.raises(UserError, match="entities.yaml:2"):
        seeds_ws.add_alias("OpenAI", "Open-AI")
    assert path.read_text(encoding="utf-8") == "entities: [\n"


def test_an_alias_of_another_entity_is_refused(seeds_ws):
    from explorer.errors import UserError

    with pytest.raises(UserError, match="'Google'.*claimed by 'Meta'|'Google'.*'Google'"):
        seeds_ws.add_alias("Meta", "Google")
    assert not (seeds_ws.config.data / "entities.yaml").exists()


def test_changing_the_gazetteer_rebuilds_the_index(tmp_path, seeds_copy, workspace_factory):
    from explorer.config import load_config
    from explorer.workspace import Workspace

    config = tmp_path / "config.yaml"
    config.write_text((ROOT / "config.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    ws = workspace_factory(seeds_copy, config=config)
    assert ws.staleness() is None
    text = config.read_text(encoding="utf-8").replace(
        "  - name: Mercor\n", "  - name: Mercor\n    aliases: [Mercor AI]\n")
    config.write_text(text, encoding="utf-8")
    again = Workspace(load_config(str(config), corpus=seeds_copy, index=ws.config.index,
                                  data=ws.config.data))
    assert again.staleness() == "the entity gazetteer changed"


# -- the command line --------------------------------------------------------------------------
@pytest.fixture
def cli(tmp_path, seeds_copy, capsys):
    base = ["--config", str(ROOT / "config.yaml"), "--corpus", str(seeds_copy),
            "--index", str(tmp_path / "index"), "--data", str(tmp_path / "data")]

    def run(*args, stdin=None, monkeypatch=None):
        status = main([*args, *base])
        out, err = capsys.readouterr()
        return status, out, err
    return run


def test_resolve_command(cli):
    status, out, _ = cli("resolve", "ChatGPT maker", "--json")
    assert status == 0
    assert json.loads(out) == {"text": "ChatGPT maker", "entity": "OpenAI",
                               "type": "organization", "score": 100.0,
                               "alias": "ChatGPT maker", "method": "exact"}
    status, out, _ = cli("resolve", "banana bread recipe", "--json")
    assert json.loads(out)["entity"] is None
    status, out, _ = cli("resolve", "Open AI")
    assert status == 0 and "OpenAI" in out


def test_tag_command_offsets_are_into_the_decoded_text(cli, tmp_path):
    path = tmp_path / "note.txt"
    path.write_bytes("\u00a3100 to Sam Altman\u2019s fund; Altman agreed.".encode("cp1252"))
    status, out, _ = cli("tag", str(path), "--json")
    assert status == 0
    rows = json.loads(out)
    assert [(r["start"], r["end"], r["text"], r["entity"], r["method"]) for r in rows] == [
        (8, 18, "Sam Altman", "Sam Altman", "exact"),
        (27, 33, "Altman", "Sam Altman", "short-name")]
    assert rows[0]["file"] == str(path) and rows[0]["type"] == "person"


def test_tag_command_reads_standard_input_and_a_replacement_gazetteer(cli, tmp_path,
                                                                       monkeypatch):
    import io
    import sys

    gazetteer = tmp_path / "mine.yaml"
    gazetteer.write_text("entities:\n  - {name: Acme Corp, type: organization}\n",
                         encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(
        b"Acme Corp hired OpenAI staff.")))
    status, out, _ = cli("tag", "--entities", str(gazetteer), "--json")
    rows = json.loads(out)
    assert status == 0
    assert [(r["file"], r["text"], r["entity"]) for r in rows] == [
        ("-", "Acme Corp", "Acme Corp"), ("-", "OpenAI", None)]
    status, _, err = cli("tag", "--entities", str(tmp_path / "missing.yaml"))
    assert status == 2 and "missing.yaml" in err and "Traceback" not in err


def test_entities_command(cli):
    status, out, _ = cli("entities", "--json")
    rows = json.loads(out)
    assert status == 0 and rows[0] == {"name": "OpenAI", "type": "organization",
                                       "articles": 2, "mentions": 25}
    status, out, _ = cli("entities", "--query", "Altman", "--json")
    assert {r["name"] for r in json.loads(out)} >= {"Sam Altman", "OpenAI"}
    assert "Mercor" not in {r["name"] for r in json.loads(out)}
    status, out, _ = cli("entities", "--unlinked", "--json")
    assert {"text": "AI", "count": 15} in json.loads(out)


def test_alias_command_and_search_json_resolved(cli):
    status, out, _ = cli("alias", "Meta", "the social-media company", "--json")
    assert status == 0 and json.loads(out)["entity"] == "Meta"
    status, out, _ = cli("search", "ChatGPT maker", "--json")
    hits = json.loads(out)
    assert len(hits) == 2
    assert hits[0]["resolved"][0]["entity"] == "OpenAI"
    status, _, err = cli("alias", "Meta", "Google")
    assert status == 2 and "Google" in err and "Traceback" not in err
