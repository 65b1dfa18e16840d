"""Linking v2 on real news nobody here wrote: BBC with a few politicians, Reuters with the
5,245-company ticker table. Skipped when ../shared/corpora is absent."""

import json
import re
from collections import Counter

import pytest

from explorer.config import parse_config
from explorer.entities import EntityCatalog
from explorer.entities.gazetteer import UNITS
from explorer.entities.names import is_common_word
from explorer.text import decode_bytes
from tests.conftest import CORPORA, needs_corpora

pytestmark = pytest.mark.realdata

POLITICS = """
entities:
  - {name: Tony Blair, type: person}
  - {name: Gordon Brown, type: person}
  - {name: Margaret Thatcher, type: person}
  - {name: Apple, type: organization}
  - {name: Paris, type: place}
"""


@pytest.fixture(scope="module")
def bbc_mentions(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bbc")
    (folder / "people.yaml").write_text(POLITICS, encoding="utf-8")
    catalog = EntityCatalog(parse_config({"entity_files": [str(folder / "people.yaml")]},
                                         folder / "config.yaml"))
    out = []
    for path in sorted((CORPORA / "bbc").glob("*/*.txt")):
        text = decode_bytes(path.read_bytes())[0]
        out.append((path, text, catalog.tag(text)))
    return out


@needs_corpora("bbc")
def test_no_x_and_y_candidate_in_bbc_top_3000(bbc_mentions):
    counts = Counter(" ".join(m.text.split()).casefold() for _, _, mentions in bbc_mentions
                     for m in mentions if m.entity is None)
    top = [name for name, _ in counts.most_common(3000)]
    assert len(top) == 3000
    assert [name for name in top if " and " in f" {name} "] == []
    assert "stephen pound" in top or "backbencher stephen pound" not in top


@needs_corpora("bbc")
def test_bbc_titles_surnames_and_weak_names(bbc_mentions):
    wrong, surnames, paris_club = [], 0, 0
    for path, text, mentions in bbc_mentions:
        for m in mentions:
            before = text[max(0, m.start - 7):m.start]
            if m.entity == "Tony Blair" and ("Mrs" in before or "Cherie" in before
                                             or "Ms" in before):
                wrong.append((path.name, text[m.start - 20:m.end + 20]))
            if m.entity == "Paris" and text[m.end:m.end + 5] == " Club":
                paris_club += 1
            if m.entity == "Tony Blair" and m.text == "Blair":
                surnames += 1
    assert wrong == []                     # "Mrs Blair" is never Tony Blair
    assert paris_club == 0                 # the Paris Club is not Paris
    assert surnames > 300                  # "Mr Blair", "Blair said" (388 when written)


@pytest.fixture(scope="module")
def reuters(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reuters")
    config = parse_config({"alias_tables": [{
        "path": str(CORPORA / "reuters_ticker_aliases.tsv"), "entity_column": "ticker",
        "alias_column": "name_variant", "count_column": "count"}]}, folder / "config.yaml")
    return EntityCatalog(config)


@needs_corpora("reuters21578.jsonl")
@needs_corpora("reuters_ticker_aliases.tsv")
def test_reuters_top_30_entities_are_companies_not_table_noise(reuters):
    articles = Counter()
    with (CORPORA / "reuters21578.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            body = json.loads(line).get("body")
            if body:
                articles.update({m.entity for m in reuters.tag(body) if m.entity})
    top = [name for name, _ in articles.most_common(30)]
    noise = [name for name in top
             if name.casefold() in UNITS or name.upper() == "REUTER"
             or name.endswith(("'s", "'S")) or re.search(r"\b(Inc|Corp|Co|Ltd)\. [A-Z]", name)
             or (" " not in name and is_common_word(name.casefold()))]
    assert noise == [], top
    assert articles["CTS"] == 0 and "NORTH AMERICAN" not in articles


@needs_corpora("reuters_ticker_aliases.tsv")
def test_reuters_companies_resolve_by_name_and_ticker(reuters):
    assert reuters.resolve("Texaco")[0] == "Texaco"
    assert reuters.resolve("GM")[0] == "General Motors Corp"
    assert reuters.resolve("XON")[0] == "Exxon Corp"
    assert reuters.resolve("Exxon")[0] == "Exxon Corp"

