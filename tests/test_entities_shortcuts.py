"""The shortcuts the tagger takes for speed give what the plain way gives: word splitting and
region finding against plain reference versions, the exact pass's capitalisation rules on both
of its paths (every word capitalised, or not), and the stored form of mentions and the entity
counts worked out column by column."""

import re
from collections import Counter

import pytest

from explorer.config import parse_config
from explorer.entities.gazetteer import EPITHET_HEADS, load_gazetteer
from explorer.entities.matching import MatchingOptions
from explorer.entities.mentions import Mention, pack_all
from explorer.entities.tagger import Tagger, tag_counts
from explorer.entities.tokens import Regions, gap_joiner, words
from explorer.entities.wordlists import CONNECTORS

TEXTS = [
    "",
    "  ...  ",
    "Apple",
    "iPhone maker Apple Inc. said on Monday (Reuters) - Alex. Brown & Sons, AT&T and 3Com Corp",
    "the maker of ChatGPT, OpenAI, and Facebook owner Meta Platforms met in Paris.\n\nREUTER",
    "Nestlé SA's chief, Ørsted A/S and Société Générale_Group met in Zürich\u2019s Café",
    "data-labeling startup Scale AI     " + " " * 50 + "then Bank of America" + "x" * 30 + "Yb",
    "a" * 20 + "Foo" + " " * 41 + "Bar" + " " * 40 + "Baz maker",
    "U.S. Treasury Secretary James Baker said the Federal Reserve Board met in Washington.",
]


def reference_words(text: str):
    found = list(re.finditer(r"[^\W_]+", text))
    joiners = [None] + [gap_joiner(text[a.end():b.start()]) for a, b in zip(found, found[1:])]
    if not found:
        joiners = []
    return ([m.start() for m in found], [m.end() for m in found], [m.group() for m in found],
            joiners)


def reference_blank(regions: Regions, text: str) -> str:
    spans = [m.span() for m in re.finditer(regions.from_capital.pattern, text)]
    spans = [(a, b) for a, b in spans if not a or not text[a - 1].isalnum()]
    for word in regions.triggers:
        for m in re.finditer(re.escape(word), text):
            a, b = m.span()
            if (not a or not text[a - 1].isalnum()) and (b >= len(text) or not text[b].isalnum()):
                spans.append(regions.from_here.match(text, a).span())
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1] + Regions.MERGE_GAP:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    out, end = "", 0
    for a, b in merged:
        out += " " * (a - end) + text[a:b]
        end = b
    return out


@pytest.mark.parametrize("text", TEXTS)
def test_words_are_the_words_of_the_text_with_their_joiners(text):
    w = words(text)
    assert (w.starts, w.ends, w.surface, w.joiners) == reference_words(text)
    assert w.caps == [s[0].isupper() for s in w.surface]


@pytest.mark.parametrize("text", TEXTS)
def test_regions_blank_out_the_same_stretches_as_one_merge_of_all_spans(text):
    regions = Regions(EPITHET_HEADS | {"startup"}, CONNECTORS | EPITHET_HEADS)
    blanked = regions.blank_outside(text)
    assert blanked == reference_blank(regions, text)
    assert len(blanked) <= len(text)
    w = words(text, regions)
    kept = reference_words(blanked)
    assert (w.starts, w.ends, w.surface) == kept[:3]


GAZETTEER = """entities:
  - name: Bank of America
  - name: ALCOA
    aliases: [Aluminum Co of America]
  - name: 3Com
  - name: OpenAI
    aliases: [ChatGPT maker]
  - name: General Motors
    aliases: [GM]
"""
# text -> (names found where the case must fit, names found where it need not: a typed query)
CASES = {
    "Bank of America": (["Bank of America"], ["Bank of America"]),
    "BANK OF AMERICA": (["Bank of America"], ["Bank of America"]),
    "Bank Of America": (["Bank of America"], ["Bank of America"]),
    "bank of America": ([], ["Bank of America"]),
    "Bank of america": ([], ["Bank of America"]),
    "Alcoa and Aluminum Co. of America": (["ALCOA", "ALCOA"], ["ALCOA", "ALCOA"]),
    "3Com Corp": (["3Com"], ["3Com"]),
    "3com": (["3Com"], ["3Com"]),
    "the ChatGPT maker said": (["OpenAI"], ["OpenAI"]),
    "the chatgpt Maker": ([], ["OpenAI"]),
    "general Motors": ([], ["General Motors"]),
    "General motors": ([], ["General Motors"]),
    "GM": (["General Motors"], ["General Motors"]),
    "Gm": (["General Motors"], ["General Motors"]),
}


@pytest.fixture(scope="module")
def scanner_and_names(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("scanner")
    (tmp / "gazetteer.yaml").write_text(GAZETTEER, encoding="utf-8")
    config = parse_config({"entity_files": [str(tmp / "gazetteer.yaml")]}, tmp / "config.yaml")
    tagger = Tagger(load_gazetteer(config), MatchingOptions())
    return tagger.scanner, tagger.names


@pytest.mark.parametrize("text", CASES)
def test_the_exact_pass_keeps_its_case_rules_on_capitalised_and_other_words(
        scanner_and_names, text):
    scanner, names = scanner_and_names
    found = [names[e] for m in scanner.scan(words(text)) for e in m.entities]
    anyhow = [names[e] for m in scanner.scan(words(text), check_case=False) for e in m.entities]
    assert (found, anyhow) == CASES[text]


MENTIONS = [
    Mention(40, 46, "Friar", "Sarah Friar", "person", 90.0, "short-name"),
    Mention(0, 6, "OpenAI", "OpenAI", "organization", 100.0, "exact"),
    Mention(10, 18, "Open AI", "OpenAI", "organization", 91.66666666666667, "fuzzy"),
    Mention(20, 25, "Scale", None, "organization", 90.0, "ambiguous", ("Scale AI", "Scale Inc")),
    Mention(30, 39, "Acme Corp", None, "other", 0.0, "unlinked"),
    Mention(50, 61, "Sarah Friar", "Sarah Friar", "person", 100.0, "exact"),
]


def test_mentions_pack_all_at_once_as_one_by_one():
    assert pack_all(MENTIONS) == [m.pack() for m in MENTIONS]
    assert pack_all([]) == []


@pytest.mark.parametrize("mentions", [MENTIONS, sorted(MENTIONS), MENTIONS[4:5], []])
def test_entities_are_counted_most_mentioned_then_first_mentioned_first(mentions):
    counts = Counter(m.entity for m in mentions if m.entity)
    first: dict[str, int] = {}
    for m in mentions:
        first.setdefault(m.entity, m.start)
    assert tag_counts(mentions) == sorted(counts, key=lambda name: (-counts[name], first[name]))
