"""Quotation detection and speaker attribution on long articles: the work must grow linearly.

Each row is the CPU time of `detect_quotations` on an article of N KB; the baseline is the time
of the smallest article scaled by the size (what linear growth predicts), so a ratio near 1 is
linear and a ratio growing with N is not (before issue 12: 100 / 200 / 400 / 800 KB took
0.4 / 1.8 / 9.6 / 34 s). The articles are BBC stories run together when ../shared/corpora is
there, else a generated text with the same ingredients (quotes, names, titles, pronouns).
"""

from __future__ import annotations

import time

from benchmarks import common

NAME = "quotes"
_FIRST = ["Sarah", "James", "Amira", "Tom", "Li", "Grace", "Owen", "Nadia", "Paul", "Ines"]
_SYLLABLES = ["bar", "cot", "dun", "fel", "gran", "hol", "kem", "lor", "mas", "ner", "pol",
              "rud", "sel", "tam", "vin", "wex"]


def person(n: int) -> tuple[str, str]:
    """A first name and a surname of its own for each n (so the article names more people the
    longer it is, as a long article does)."""
    surname = "".join(_SYLLABLES[(n // 16 ** k) % 16] for k in range(3)).capitalize()
    return _FIRST[n % len(_FIRST)], surname


def generated_article(chars: int) -> str:
    """An article of about `chars` characters: quotations attributed every way detection
    knows (said X, X said, X added:, he said, continuation paragraphs), among plain text."""
    paragraphs: list[str] = []
    size = n = 0
    while size < chars:
        first, last = person(n)
        title = "Mrs" if n % 2 else "Mr"
        pronoun = "she" if n % 2 else "he"
        block = [
            f"{first} {last}, chief economist at Holbrook Partners, spoke on Tuesday.",
            f"\u201cWe expect prices to rise sharply next year,\u201d said {first} {last}.",
            f"{title} {last} added: \u201cThe outlook is weak for everyone involved here.\u201d",
            f"\u201cIt will take a long time to recover from this,\u201d {pronoun} said.",
            "\u201cAnd nobody should pretend otherwise, whatever the figures say.",
            f"\u201cWe will keep watching the market very closely,\u201d {last} said.",
            "Markets were calm in the afternoon, and traders looked ahead to the figures.",
        ]
        text = "\n\n".join(block)
        paragraphs.append(text)
        size += len(text) + 2
        n += 1
    return "\n\n".join(paragraphs)[:chars]


def _article(chars: int) -> tuple[str, str]:
    """(label, text): BBC stories run together when present, else the generated article."""
    bbc = common.settings.corpora / "bbc"
    if bbc.exists():
        text = ""
        for path in sorted(bbc.glob("*/*.txt")):
            text += path.read_text(encoding="utf-8", errors="replace").split("\n", 2)[-1] + "\n\n"
            if len(text) >= chars:
                return "bbc-joined", text[:chars]
    return "generated", generated_article(chars)


def run(quick: bool) -> list[dict]:
    from explorer.quotes.detection import detect_quotations

    sizes = [25, 50, 100] if quick else [100, 200, 400, 800]
    rows: list[dict] = []
    first: float | None = None
    for kb in sizes:
        label, text = _article(kb * 1000)
        started = time.process_time()
        found = detect_quotations(text, "long")
        seconds = time.process_time() - started
        if first is None:
            first = seconds
        rows.append(common.row(NAME, label, f"detect quotations, {kb} KB article "
                                            f"({len(found)} quotations), CPU", seconds, "s",
                               baseline=first * kb / sizes[0], target="ratio <= 1.5",
                               ok=seconds <= 1.5 * first * kb / sizes[0] + 0.05))
    return rows
