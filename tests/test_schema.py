"""The schema's fast Positions format writes exactly what Whoosh's own would."""

import pickle

import pytest
from whoosh.analysis import StandardAnalyzer
from whoosh.formats import Positions

from explorer.schema import FastPositions, build_schema
from tests.conftest import CORPORA, SEEDS

TEXTS = [
    "The U.S. e-mail giant's 3.5bn co-operation deal: Mr. Blair said \u00a3120m, didn't he?",
    "single",
    "",
    "Repeated words repeat: repeat, repeated, REPEATING repeats.",
    "\u00c9lys\u00e9e caf\u00e9 na\u00efve \u2014 \u201cquoted\u201d words_with_underscores x*y",
]


def _both(field, text):
    fast = sorted(field.format.word_values(text, field.analyzer, mode="index"))
    slow = sorted(Positions(field_boost=field.format.field_boost)
                  .word_values(text, field.analyzer, mode="index"))
    return fast, slow


@pytest.mark.parametrize("name", ["title", "body"])
def test_fast_positions_match_whoosh_on_tricky_text(name):
    field = build_schema()[name]
    for text in TEXTS + [p.read_text() for p in sorted(SEEDS.rglob("*")) if p.is_file()]:
        fast, slow = _both(field, text)
        assert fast == slow, text[:60]


def test_fast_positions_match_whoosh_on_bbc():
    bbc = CORPORA / "bbc"
    if not bbc.exists():
        pytest.skip(f"{bbc} is absent")
    field = build_schema()["body"]
    for path in sorted(bbc.rglob("*.txt"))[::10]:
        fast, slow = _both(field, path.read_bytes().decode("latin-1"))
        assert fast == slow, path


def test_other_analyzers_take_whooshs_own_path():
    fmt = FastPositions()
    analyzer = StandardAnalyzer()            # a stop list changes positions: not word-local
    text = "the cat and the hat"
    assert sorted(fmt.word_values(text, analyzer, mode="index")) == \
        sorted(Positions().word_values(text, analyzer, mode="index"))


def test_the_word_memo_is_not_pickled_into_the_index():
    schema = build_schema()
    before = pickle.dumps(schema)
    field = schema["body"]
    list(field.format.word_values("some words " * 50, field.analyzer, mode="index"))
    assert pickle.dumps(schema) == before
    assert pickle.loads(before)["body"].format == field.format
