"""Linking v2 on small texts written for the purpose: the names journalists write for someone
the gazetteer knows (titles, surnames, nicknames, parts, acronyms, place abbreviations), weak
one-word names, ambiguity, unlinked candidates, the query side and noisy alias tables."""

import json

import pytest

from explorer.cli import main
from explorer.config import parse_config
from explorer.entities import Ambiguous, EntityCatalog
from explorer.entities.candidates import split_candidate
from explorer.entities.gazetteer import load_gazetteer
from explorer.entities.matching import MatchingOptions
from explorer.entities.tagger import Tagger
from explorer.search.article_index import SearchRequest

GAZETTEER = """
entities:
  - {name: Tony Blair, type: person}
  - {name: Gordon Brown, type: person}
  - {name: Margaret Thatcher, type: person}
  - {name: William Clinton, type: person}
  - {name: John Kennedy, type: person}
  - {name: Tim Berners-Lee, type: person}
  - {name: Sam Altman, type: person}
  - {name: "Henry Home, Lord Kames", type: person}
  - {name: Brown Group, type: organization}
  - {name: Deutsche Telekom, type: organization}
  - {name: World Trade Organization, type: organization}
  - {name: Newmont Mining Corp, type: organization}
  - {name: Newmont Gold, type: organization}
  - {name: Harvard University, type: organization}
  - {name: Chelsea F.C., type: organization}
  - {name: "Merrill Lynch, Pierce, Fenner & Smith", type: organization}
  - {name: Apple, type: organization}
  - {name: Mercury, type: organization}
  - {name: MERCURY, type: organization}
  - {name: Paris, type: place}
  - {name: California, type: place}
  - {name: New York, type: place}
  - {name: United States of America, type: place}
"""


@pytest.fixture(scope="module")
def gazetteer_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("linking") / "gazetteer.yaml"
    path.write_text(GAZETTEER, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def tagger(gazetteer_file):
    config = parse_config({}, gazetteer_file.parent / "config.yaml")
    return Tagger(load_gazetteer(config, replace_with=gazetteer_file), MatchingOptions())


@pytest.fixture(scope="module")
def catalog(gazetteer_file):
    config = parse_config({"entity_files": [str(gazetteer_file)]},
                          gazetteer_file.parent / "config.yaml")
    return EntityCatalog(config)


def links(tagger, text):
    return [(m.text, m.entity) for m in tagger.tag(text) if m.entity]


def linked_to(tagger, text, word):
    return [m.entity for m in tagger.tag(text) if m.text == word]


# -- the gazetteer -----------------------------------------------------------------------------
def test_names_with_commas_and_names_equal_but_for_case_are_accepted(tagger):
    names = tagger.names
    assert "Henry Home, Lord Kames" in names
    assert "Merrill Lynch, Pierce, Fenner & Smith" in names
    assert "Mercury" in names and "MERCURY" not in names         # one entity
    assert links(tagger, "MERCURY rose; Mercury said.") == [("MERCURY", "Mercury"),
                                                             ("Mercury", "Mercury")]


def test_comma_parts_of_a_name_link(tagger):
    assert links(tagger, "The philosopher Lord Kames wrote.") == [
        ("Lord Kames", "Henry Home, Lord Kames")]
    assert linked_to(tagger, "He joined Merrill Lynch in 1990.", "Merrill Lynch") == [
        "Merrill Lynch, Pierce, Fenner & Smith"]


# -- persons -----------------------------------------------------------------------------------
def test_titles_link_a_surname_and_a_conflicting_title_does_not(tagger):
    assert linked_to(tagger, "Mr Blair will open the summit.", "Blair") == ["Tony Blair"]
    assert linked_to(tagger, "Prime Minister Thatcher resigned.", "Thatcher") == [
        "Margaret Thatcher"]
    # Mrs is a woman's title, Tony a man's name: not him, even after his full name.
    assert linked_to(tagger, "Tony Blair and Mrs Blair arrived.", "Blair") == [None]
    assert linked_to(tagger, "Mr Thatcher smiled.", "Thatcher") == [None]


def test_a_headline_short_form_links_to_the_full_name_in_the_body(tagger):
    text = "Blair fights back on tuition fees\n\nTony Blair defended the plan."
    assert links(tagger, text) == [("Blair", "Tony Blair"), ("Tony Blair", "Tony Blair")]


def test_a_surname_alone_needs_context_that_it_is_a_person(tagger):
    assert linked_to(tagger, "Altman said the deal was done.", "Altman") == ["Sam Altman"]
    assert linked_to(tagger, "The board praised Altman for it.", "Altman") == ["Sam Altman"]
    # "Brown" is an ordinary word: it takes a title or a verb of saying, not any verb.
    assert links(tagger, "Brown rice costs more. Brown fell over.") == []


def test_a_surname_another_person_has_in_full_stays_unlinked(tagger):
    text = "Former Scotland manager Craig Brown spoke. Brown said he was proud."
    assert "Gordon Brown" not in {m.entity for m in tagger.tag(text)}


def test_middle_names_initials_and_nicknames(tagger):
    assert linked_to(tagger, "John F. Kennedy was shot.", "John F. Kennedy") == ["John Kennedy"]
    assert linked_to(tagger, "Bill Clinton spoke.", "Bill Clinton") == ["William Clinton"]
    assert linked_to(tagger, "Berners-Lee said so.", "Berners-Lee") == ["Tim Berners-Lee"]


# -- ambiguity ---------------------------------------------------------------------------------
def test_a_shared_short_name_is_settled_by_the_full_name_or_reported(tagger):
    settled = "Newmont Mining Corp raised its bid. Newmont said it would wait."
    assert linked_to(tagger, settled, "Newmont") == ["Newmont Mining Corp"]
    [open_] = [m for m in tagger.tag("Newmont said it would wait.") if m.text == "Newmont"]
    assert open_.method == "ambiguous" and open_.entity is None
    assert open_.candidates == ("Newmont Gold", "Newmont Mining Corp")


def test_the_tag_command_prints_an_ambiguous_name_with_its_candidates(gazetteer_file, tmp_path,
                                                                       capsys):
    path = tmp_path / "a.txt"
    path.write_text("Mr Brown said no.", encoding="utf-8")
    assert main(["tag", "--entities", str(gazetteer_file), "--json", str(path)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["text"], r["entity"], r["method"]) for r in rows] == [
        ("Brown", "Gordon Brown", "short-name")]      # a title: a person, not Brown Group
    path.write_text("Brown said no.", encoding="utf-8")
    assert main(["tag", "--entities", str(gazetteer_file), str(path)]) == 0
    assert "one of Brown Group, Gordon Brown" in capsys.readouterr().out


# -- weak names --------------------------------------------------------------------------------
def test_a_one_word_name_that_is_a_common_word_needs_context(tagger):
    assert links(tagger, "She baked an Apple pie.") == []
    assert links(tagger, "Apple said sales rose.") == [("Apple", "Apple")]
    assert links(tagger, "Apple, Google and Amazon rose.") == [("Apple", "Apple")]


def test_a_name_inside_a_longer_unknown_name_is_an_unlinked_candidate(tagger):
    for text, longer in (("Talks at the Paris Club went on.", "Paris Club"),
                         ("He loved the Big Apple.", "Big Apple"),
                         ("Paris St Germain won.", "Paris St Germain")):
        mentions = tagger.tag(text)
        assert all(m.entity is None for m in mentions), text
        assert longer in [m.text for m in mentions if m.method == "unlinked"], text
    assert links(tagger, "He flew to Paris on Monday.") == [("Paris", "Paris")]


# -- organizations and places ------------------------------------------------------------------
def test_distinctive_parts_suffixes_and_acronyms_of_organisations(tagger):
    assert linked_to(tagger, "Telekom said profits rose.", "Telekom") == ["Deutsche Telekom"]
    assert linked_to(tagger, "The WTO ruled on it.", "WTO") == ["World Trade Organization"]
    assert linked_to(tagger, "Chelsea won 2-1.", "Chelsea") == ["Chelsea F.C."]
    assert linked_to(tagger, "She studied at Harvard.", "Harvard") == ["Harvard University"]


def test_standard_abbreviations_of_places(tagger):
    text = "The firm, based in San Jose, Calif., sued the U.S. government in N.Y. courts."
    found = links(tagger, text)
    assert ("Calif", "California") in found
    assert ("U.S", "United States of America") in found
    assert ("N.Y", "New York") in found


# -- unlinked candidates -----------------------------------------------------------------------
@pytest.mark.parametrize("text, names", [
    ("Tony Blair and Gordon Brown", ["Tony Blair", "Gordon Brown"]),
    ("Blair and Mr Brown", ["Blair", "Brown"]),
    ("Backbencher Stephen Pound", ["Stephen Pound"]),
    ("Prime Minister Tony Blair", ["Tony Blair"]),
    ("England and Wales", ["England", "Wales"]),
    ("Marks & Spencer", ["Marks & Spencer"]),
    ("General Motors", ["General Motors"]),
    ("Home Office", ["Home Office"]),
])
def test_split_candidate_cuts_at_coordination_and_drops_titles(text, names):
    assert split_candidate(text) == names


def test_unlinked_candidates_are_split_and_lose_titles(tagger):
    text = "Backbencher Stephen Pound said Jane Doe and John Roe agreed."
    unlinked = [m.text for m in tagger.tag(text) if m.method == "unlinked"]
    assert unlinked == ["Stephen Pound", "Jane Doe", "John Roe"]


# -- the query side ----------------------------------------------------------------------------
def test_resolve_finds_a_unique_surname_part_or_acronym_and_lists_shared_ones(catalog):
    assert catalog.resolve("Altman")[0] == "Sam Altman"
    assert catalog.resolve("altman")[0] == "Sam Altman"
    assert catalog.resolve("Telekom")[0] == "Deutsche Telekom"
    assert catalog.resolve("WTO")[0] == "World Trade Organization"
    brown = catalog.resolve("Brown")
    assert isinstance(brown, Ambiguous) and not brown
    assert brown.candidates == ("Brown Group", "Gordon Brown")
    assert catalog.resolve("apple pie") is None


def test_entity_filters_resolve_surnames_and_refuse_shared_ones(workspace_factory, tmp_path,
                                                                gazetteer_file, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Blair speaks\n\nTony Blair met Gordon Brown.\n",
                                  encoding="utf-8")
    (corpus / "b.txt").write_text("Markets\n\nMerrill Lynch, Pierce, Fenner & Smith said "
                                  "shares rose.\n", encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text(f"entity_files: [{gazetteer_file}]\n", encoding="utf-8")
    ws = workspace_factory(corpus, config=config)
    assert ws.search(SearchRequest("", entities=("Blair",))).total == 1
    assert ws.search(SearchRequest("entity:Blair")).total == 1
    merrill = ws.search(SearchRequest("", entities=("Merrill Lynch, Pierce, Fenner & Smith",)))
    assert merrill.total == 1
    assert "Merrill Lynch, Pierce, Fenner & Smith" in merrill.hits[0].entities
    base = ["--config", str(config), "--corpus", str(corpus), "--index", str(ws.config.index),
            "--data", str(ws.config.data)]
    assert main(["search", "--entity", "Brown", "x", *base]) == 2
    err = capsys.readouterr().err
    assert "could be any of: Brown Group, Gordon Brown" in err and "Traceback" not in err
    assert main(["resolve", "Brown", *base]) == 0
    assert "could be any of: Brown Group, Gordon Brown" in capsys.readouterr().out


# -- alias tables ------------------------------------------------------------------------------
TABLE = """ticker\tname_variant\tcount\texample_newid
CTS\tCTS\t3\t1
AXP\tAmerican Express Co's\t13\t2
PZ\tDrexel Burnham Lambert Inc. Pennzoil Co\t1\t3
MATR.PA\tFrance's MATRA\t1\t4
ICO\tICO\t1\t5
CHCR\tCHANCELLOR\t1\t6
REUT\tREUTER INC\t1\t7
TX\tTexaco Inc\t40\t8
TXC\tTexaco\t2\t9
XON\tExxon Corp\t30\t10
"""


@pytest.fixture(scope="module")
def table_catalog(tmp_path_factory):
    folder = tmp_path_factory.mktemp("table")
    (folder / "names.tsv").write_text(TABLE, encoding="utf-8")
    config = parse_config({"alias_tables": [{
        "path": str(folder / "names.tsv"), "entity_column": "ticker",
        "alias_column": "name_variant", "count_column": "count"}]}, folder / "config.yaml")
    return EntityCatalog(config)


def test_alias_table_noise_is_kept_out(table_catalog):
    names = set(table_catalog.names())
    assert "American Express Co" in names and "American Express Co's" not in names
    assert "Pennzoil Co" in names and not any("France" in n for n in names)
    text = ("Dividend 15 CTS a share, said American Express Co's chief.\n"
            "ICO delegates met. The CHANCELLOR spoke.\n REUTER\n\n"
            "Texaco fell.\n  REUTER...")
    found = [(m.text, m.entity) for m in table_catalog.tag(text) if m.entity]
    assert found == [("American Express Co", "American Express Co"), ("Texaco", "Texaco Inc")]


def test_every_table_company_resolves_by_name_and_ticker(table_catalog):
    assert table_catalog.resolve("Texaco")[0] == "Texaco Inc"
    assert table_catalog.resolve("XON")[0] == "Exxon Corp"
    assert table_catalog.resolve("ICO")[0] == "ICO"          # by its ticker, though not in text
    assert table_catalog.resolve("x") is None


# -- curated aliases ---------------------------------------------------------------------------
def test_alias_remove_takes_back_an_alias_and_retags(seeds_ws, capsys):
    seeds_ws.add_alias("Scale AI", "data-labeling startup")
    assert seeds_ws.resolve_entity("data-labeling startup")[0] == "Scale AI"
    retagged = seeds_ws.remove_alias("Scale AI", "data-labeling startup")
    assert retagged
    assert seeds_ws.resolve_entity("data-labeling startup") is None
    saved = (seeds_ws.config.data / "entities.yaml").read_text(encoding="utf-8")
    assert "data-labeling startup" not in saved
    base = ["--corpus", str(seeds_ws.config.corpus), "--index", str(seeds_ws.config.index),
            "--data", str(seeds_ws.config.data)]
    assert main(["alias", "--remove", "OpenAI", "ChatGPT maker", *base]) == 2
    assert "config" in capsys.readouterr().err           # not yours to remove


def test_an_ambiguous_name_settled_for_one_article_stays_ambiguous_elsewhere(
        workspace_factory, tmp_path, gazetteer_file):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Gold\n\nNewmont said output rose.\n", encoding="utf-8")
    (corpus / "b.txt").write_text("Mines\n\nNewmont said it would wait.\n", encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text(f"entity_files: [{gazetteer_file}]\n", encoding="utf-8")
    ws = workspace_factory(corpus, config=config)
    [first] = ws.search(SearchRequest("output")).hits
    [second] = ws.search(SearchRequest("wait")).hits
    assert ws.settle_mention(first.id, "Newmont", "Newmont Gold") == [first.id]
    [here] = [m for m in ws.mentions(first.id) if m.text == "Newmont"]
    assert (here.entity, here.method) == ("Newmont Gold", "settled")
    [there] = [m for m in ws.mentions(second.id) if m.text == "Newmont"]
    assert there.method == "ambiguous" and there.entity is None       # no alias was made
    assert ws.search(SearchRequest("", entities=("Newmont Gold",))).total == 1
    assert not (ws.config.data / "entities.yaml").exists()
    saved = (ws.config.data / "settled_mentions.yaml").read_text(encoding="utf-8")
    assert first.id in saved and "Newmont Gold" in saved
