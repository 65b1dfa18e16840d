"""Quotation detection and speaker attribution grow linearly with the article (issue 12: 100 /
200 / 400 / 800 KB took 0.4 / 1.8 / 9.6 / 34 s). Structural, not timed: the number of Python
calls (functions, generator steps and built-in calls such as each regex search, as
sys.setprofile sees them) for an article four times longer is about four times as many."""

import sys

from benchmarks.bench_quotes import generated_article
from explorer.quotes.detection import detect_quotations
from explorer.quotes.speakers import NAME_SEQ


class Mention:
    """An entity mention as the annotator gives them (start, end, entity, type, text)."""

    def __init__(self, match, n: int):
        self.start, self.end, self.text = match.start(), match.end(), match.group()
        self.entity = match.group()
        self.type = "person" if n % 3 else "organization"


def calls(body: str, mentions=()) -> tuple[int, int]:
    """(Python calls made detecting the quotations of `body`, quotations found)."""
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        count += 1

    sys.setprofile(profile)
    try:
        found = detect_quotations(body, "a", mentions=mentions,
                                  resolve=lambda name: (name, 100.0) if "Mas" in name else None)
    finally:
        sys.setprofile(None)
    return count, len(found)


def mentions_of(body: str) -> list[Mention]:
    return [Mention(m, n) for n, m in enumerate(NAME_SEQ.finditer(body))
            if len(m.group().split()) >= 2]


def test_four_times_the_article_is_about_four_times_the_work():
    small, large = generated_article(15_000), generated_article(60_000)
    calls(small)                                     # regexes compiled, imports done
    for with_mentions in (False, True):
        (small_calls, small_found) = calls(small, mentions_of(small) if with_mentions else ())
        (large_calls, large_found) = calls(large, mentions_of(large) if with_mentions else ())
        assert small_found > 50 and 3.8 < large_found / small_found < 4.2
        # linear: 4x (a little more for the larger sorted lists); quadratic would be 16x
        assert large_calls / small_calls < 5, (with_mentions, small_calls, large_calls)


def test_one_long_paragraph_is_linear_too():
    small = generated_article(15_000).replace("\n", " ")
    large = generated_article(60_000).replace("\n", " ")
    small_calls, _ = calls(small)
    large_calls, _ = calls(large)
    assert large_calls / small_calls < 5, (small_calls, large_calls)
