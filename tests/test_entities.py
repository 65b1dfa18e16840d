"""Entities: the gazetteer, mention finding (exact, fuzzy, short names), resolution."""

from pathlib import Path

import pytest

from explorer.config import load_config, parse_config
from explorer.entities import EntityCatalog
from explorer.entities.gazetteer import load_gazetteer
from explorer.entities.matching import MatchingOptions
from explorer.entities.tagger import Tagger
from explorer.errors import ConfigError
from tests.conftest import ROOT, SEEDS

SEED_PHASES = SEEDS / "2025-06-19-openai-phases-out-scale-ai-after-meta-deal.txt"
SEED_ENDS = SEEDS / "2025-06-openai-ends-scale-ai-work-after-meta-stake.txt"

# Every entity mention in the seeds, in order, written by reading them: (text, entity).
EXPECTED_PHASES = [
    ("OpenAI", "OpenAI"), ("Scale AI", "Scale AI"), ("Meta", "Meta"),
    ("Scale", "Scale AI"), ("OpenAI", "OpenAI"), ("OpenAI", "OpenAI"),
    ("ChatGPT maker", "OpenAI"), ("Scale", "Scale AI"), ("Meta", "Meta"), ("OpenAI", "OpenAI"),
    ("OpenAI", "OpenAI"), ("OpenAI", "OpenAI"), ("Scale", "Scale AI"), ("Meta", "Meta"),
    ("Meta", "Meta"), ("Scale", "Scale AI"), ("Alexandr Wang", "Alexandr Wang"),
    ("Scale", "Scale AI"), ("Wang", "Alexandr Wang"), ("Meta", "Meta"),
    ("Scale AI", "Scale AI"), ("Scale", "Scale AI"), ("Google", "Google"), ("Meta", "Meta"),
    ("OpenAI", "OpenAI"), ("Meta", "Meta"), ("Scale", "Scale AI"), ("Google", "Google"),
    ("Scale", "Scale AI"), ("Reuters", "Reuters"), ("Meta", "Meta"), ("OpenAI", "OpenAI"),
    ("Sarah Friar", "Sarah Friar"), ("Scale", "Scale AI"), ("Friar", "Sarah Friar"),
    ("VivaTech", "VivaTech"), ("Paris", "Paris"), ("OpenAI", "OpenAI"), ("Scale", "Scale AI"),
    ("Scale", "Scale AI"), ("OpenAI", "OpenAI"), ("OpenAI", "OpenAI"), ("Forbes", "Forbes"),
    ("OpenAI", "OpenAI"), ("Scale", "Scale AI"), ("Scale", "Scale AI"), ("Scale", "Scale AI"),
    ("OpenAI", "OpenAI"), ("Mercor", "Mercor"), ("Mercor", "Mercor"),
]
EXPECTED_ENDS = [
    ("OpenAI", "OpenAI"), ("Scale AI", "Scale AI"), ("Meta", "Meta"), ("OpenAI", "OpenAI"),
    ("Bloomberg", "Bloomberg"), ("OpenAI", "OpenAI"), ("Scale", "Scale AI"),
    ("OpenAI", "OpenAI"), ("Scale", "Scale AI"), ("OpenAI", "OpenAI"), ("Meta", "Meta"),
    ("Scale", "Scale AI"), ("Alexandr Wang", "Alexandr Wang"), ("Meta", "Meta"),
    ("Wang", "Alexandr Wang"), ("Scale", "Scale AI"), ("Meta", "Meta"), ("OpenAI", "OpenAI"),
    ("Scale", "Scale AI"), ("Meta", "Meta"), ("Scale", "Scale AI"), ("Meta", "Meta"),
    ("OpenAI", "OpenAI"), ("ChatGPT", "ChatGPT"), ("OpenAI", "OpenAI"),
    ("Sam Altman", "Sam Altman"), ("Meta", "Meta"), ("OpenAI", "OpenAI"),
    ("Altman", "Sam Altman"), ("Meta", "Meta"), ("OpenAI", "OpenAI"), ("OpenAI", "OpenAI"),
    ("Scale", "Scale AI"),
]


@pytest.fixture(scope="module")
def seeds_tagger():
    return EntityCatalog(load_config(str(ROOT / "config.yaml"))).tagger


def tagger_for(tmp_path, yaml_text: str, **options) -> Tagger:
    path = tmp_path / "gazetteer.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    config = parse_config({"entity_files": [str(path)]}, tmp_path / "config.yaml")
    return Tagger(load_gazetteer(config), MatchingOptions(**options))


def linked(tagger, text):
    return [(m.text, m.entity) for m in tagger.tag(text) if m.entity]


def seed_body(path: Path) -> str:
    from explorer.ingest.corpus import read_file, walk

    files, _ = walk(path.parent)
    [article] = read_file(next(f for f in files if f.rel == path.name)).articles
    return article.body


@pytest.mark.parametrize("path, expected", [(SEED_PHASES, EXPECTED_PHASES),
                                            (SEED_ENDS, EXPECTED_ENDS)])
def test_every_mention_in_the_seeds(seeds_tagger, path, expected):
    body = seed_body(path)
    mentions = [m for m in seeds_tagger.tag(body) if m.entity]
    assert [(m.text, m.entity) for m in mentions] == expected
    assert all(body[m.start:m.end] == m.text for m in mentions)
    # "Scale" alone links only because "Scale AI" came first: it is a short name.
    assert {m.method for m in mentions if m.text == "Scale"} == {"short-name"}


def test_descriptive_aliases_hyphens_possessives_and_suffixes(seeds_tagger):
    text = ("The ChatGPT-maker said the maker of ChatGPT, OpenAI Inc., and Meta\u2019s and "
            "Meta's units met Scale AI Inc.")
    assert linked(seeds_tagger, text) == [
        ("ChatGPT-maker", "OpenAI"), ("maker of ChatGPT", "OpenAI"), ("OpenAI Inc", "OpenAI"),
        ("Meta", "Meta"), ("Meta", "Meta"), ("Scale AI Inc", "Scale AI")]


def test_common_words_do_not_link(seeds_tagger):
    text = ("Growth at scale needs meta data; google it. Scale matters to the maker, "
            "and friar Tuck prays.")
    assert linked(seeds_tagger, text) == []


def test_short_names_link_anywhere_in_the_article_once_the_full_name_is_there(seeds_tagger):
    # A headline's short form comes before the body's full name: it links too.
    text = "Friar spoke first.\n\nThen Sarah Friar spoke, and Friar left. Meta hired Wang."
    mentions = [(m.text, m.entity, m.method) for m in seeds_tagger.tag(text) if m.entity]
    assert mentions == [("Friar", "Sarah Friar", "short-name"),
                        ("Sarah Friar", "Sarah Friar", "exact"),
                        ("Friar", "Sarah Friar", "short-name"), ("Meta", "Meta", "exact")]


def test_misspelling_and_word_order_link_by_fuzzy_match(seeds_tagger):
    found = [(m.text, m.entity, m.method) for m in seeds_tagger.tag(
        "Analysts said Alexander Wang would go. Later Wang Alexandr did.") if m.entity]
    assert found[0] == ("Alexander Wang", "Alexandr Wang", "fuzzy")
    assert ("Wang Alexandr", "Alexandr Wang", "fuzzy") in found
    # the span is the name, not the article or adverb before it
    assert [m.text for m in seeds_tagger.tag("So Meanwhile Alexander Wang left.")
            if m.entity] == ["Alexander Wang"]


def test_two_entities_sharing_a_surname_leave_it_ambiguous(tmp_path):
    tagger = tagger_for(tmp_path, """
entities:
  - {name: John Smith, type: person}
  - {name: Jane Smith, type: person}
""")
    mentions = tagger.tag("John Smith and Jane Smith met. Smith said no.")
    smith = [m for m in mentions if m.text == "Smith"][0]
    assert smith.entity is None and smith.method == "ambiguous"
    assert smith.candidates == ("Jane Smith", "John Smith")


def test_fuzzy_near_tie_is_ambiguous_not_a_guess(tmp_path):
    tagger = tagger_for(tmp_path, """
entities:
  - {name: Jon Smith, type: person}
  - {name: Jan Smyth, type: person}
""", fuzzy_threshold=85)          # both score 88.9: one substituted letter each
    [mention] = [m for m in tagger.tag("We met Jon Smyth today.") if m.text == "Jon Smyth"]
    assert mention.entity is None and mention.method == "ambiguous"
    assert set(mention.candidates) == {"Jon Smith", "Jan Smyth"}


def test_suffixes_and_acronyms(tmp_path):
    tagger = tagger_for(tmp_path, """
entities:
  - name: International Business Machines Corp
  - name: Apple Computer Inc
""")
    text = ("IBM fell. International Business Machines Corp. rose; IBM said Apple Computer "
            "and Apple Computer, Inc. agreed. Apple Computer Incorporated too.")
    found = [(m.text, m.entity, m.method) for m in tagger.tag(text) if m.entity]
    assert found == [     # "IBM" before the full name links too (a headline's short form)
        ("IBM", "International Business Machines Corp", "short-name"),
        ("International Business Machines Corp", "International Business Machines Corp",
         "exact"),
        ("IBM", "International Business Machines Corp", "short-name"),
        ("Apple Computer", "Apple Computer Inc", "exact"),
        ("Apple Computer, Inc", "Apple Computer Inc", "exact"),
        ("Apple Computer Incorporated", "Apple Computer Inc", "exact"),
    ]
    assert [m.text for m in tagger.tag("International Business Machines Corporation said")
            if m.entity] == ["International Business Machines Corporation"]


def test_capitalised_unknown_names_are_kept_unlinked(seeds_tagger):
    mentions = seeds_tagger.tag("OpenAI hired Jane Doe from Acme Robotics last week.")
    unlinked = [m.text for m in mentions if m.method == "unlinked"]
    assert unlinked == ["Jane Doe", "Acme Robotics"]


def test_resolve_aliases_typed_any_way():
    catalog = EntityCatalog(load_config(str(ROOT / "config.yaml")))
    assert catalog.resolve("ChatGPT maker")[0] == "OpenAI"
    assert catalog.resolve("chatgpt maker")[0] == "OpenAI"
    assert catalog.resolve("Open AI")[0] == "OpenAI"
    assert catalog.resolve("OpenAI Inc.")[0] == "OpenAI"
    assert catalog.resolve("the maker of ChatGPT")[0] == "OpenAI"
    assert catalog.resolve("alexander wang")[0] == "Alexandr Wang"
    assert catalog.resolve("banana bread recipe") is None
    assert catalog.resolve("scale") is None


# -- gazetteer errors --------------------------------------------------------------------------
def config_with(tmp_path, text: str):
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return load_config(str(path))


def test_an_alias_claimed_by_two_entities_names_both(tmp_path):
    config = config_with(tmp_path, """corpus: .
entities:
  - name: OpenAI
    aliases: [ChatGPT maker]
  - name: Microsoft
    aliases: [chatgpt Maker]
""")
    with pytest.raises(ConfigError) as caught:
        load_gazetteer(config)
    message = str(caught.value)
    assert "config.yaml:5" in message and "config.yaml:3" in message
    assert "OpenAI" in message and "Microsoft" in message


def test_an_entity_without_a_name_is_a_config_error(tmp_path):
    config = config_with(tmp_path, "corpus: .\nentities:\n  - name: OpenAI\n  - type: person\n")
    with pytest.raises(ConfigError, match=r"config.yaml:4: an entity has no name"):
        load_gazetteer(config)


def test_bad_type_and_bad_threshold_name_the_line(tmp_path):
    config = config_with(tmp_path, "corpus: .\nentities:\n  - {name: X, type: planet}\n")
    with pytest.raises(ConfigError, match=r"config.yaml:3: .*type 'planet'"):
        load_gazetteer(config)
    config = config_with(tmp_path, "corpus: .\nentity_matching:\n  fuzzy_threshold: high\n")
    with pytest.raises(ConfigError, match="fuzzy_threshold must be a number"):
        EntityCatalog(config)


def test_alias_table_one_entity_per_key_named_by_its_most_frequent_variant(tmp_path):
    table = tmp_path / "aliases.tsv"
    table.write_text("ticker\tname_variant\tcount\n"
                     "AA\tALCOA\t2\nAA\tALUMINUM CO OF AMERICA\t1\nAA\tAluminum Co of America\t1\n"
                     "AAPL\tApple Computer Inc\t3\nAAPL.O\tApple Computer Inc\t2\n"
                     "AAPL.O\tAPPLE\t1\n", encoding="utf-8")
    config = config_with(tmp_path, f"""corpus: .
alias_tables:
  - path: {table}
    entity_column: ticker
    alias_column: name_variant
    count_column: count
""")
    gazetteer = load_gazetteer(config)
    assert sorted(e.name for e in gazetteer.entities) == ["Aluminum Co of America",
                                                         "Apple Computer Inc"]
    tagger = Tagger(gazetteer, MatchingOptions())
    assert linked(tagger, "Alcoa said Apple Computer Inc's unit, APPLE, agreed.") == [
        ("Alcoa", "Aluminum Co of America"), ("Apple Computer Inc", "Apple Computer Inc"),
        ("APPLE", "Apple Computer Inc")]
    bad = config_with(tmp_path, f"""corpus: .
alias_tables:
  - {{path: {table}, entity_column: symbol, alias_column: name_variant}}
""")
    with pytest.raises(ConfigError, match="no column 'symbol'"):
        load_gazetteer(bad)


def test_alias_table_name_column_names_the_entity(tmp_path):
    table = tmp_path / "people.tsv"
    table.write_text("id\tcanonical\tvariant\n1\tAlexandr Wang\tAlex Wang\n"
                     "1\tAlexandr Wang\tA. Wang\n", encoding="utf-8")
    config = config_with(tmp_path, f"""corpus: .
alias_tables:
  - {{path: {table}, entity_column: id, alias_column: variant, name_column: canonical,
     type: person}}
""")
    [entity] = load_gazetteer(config).entities
    assert (entity.name, entity.type) == ("Alexandr Wang", "person")
    assert entity.aliases == ["Alex Wang", "A. Wang"]


def test_entity_file_format_stands_alone(tmp_path):
    tagger = tagger_for(tmp_path, """
entities:
  - name: OpenAI
    type: organization
    aliases: [ChatGPT maker, the AI developer behind ChatGPT]
""")
    assert linked(tagger, "Shares of the AI developer behind ChatGPT rose.") == [
        ("AI developer behind ChatGPT", "OpenAI")]
