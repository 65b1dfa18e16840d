"""Two small made-up corpora shaped like BBC (a folder per section, headline, blank line, body
in paragraphs, no dates, no sources) and Reuters (JSON Lines, capitals titles, bodies
hard-wrapped at about 65 characters with indented paragraphs, human tags, a title-only
record), so the reading tests and snapshots run without ../shared. The people, firms and
events are invented."""

from __future__ import annotations

import json
from pathlib import Path

BBC = {
    "politics/001.txt": (
        "Marsh and Okafor clash over budget",
        "Prime Minister Helen Marsh and Chancellor David Okafor disagreed openly on Tuesday "
        "over the timing of the spring budget, according to officials in Westminster.\n\n"
        "Mr Okafor told MPs he would not be rushed. \"The numbers come first,\" he said. "
        "Helen Marsh and David Okafor have worked together since the election.\n\n"
        "Backbencher Tom Reilly said the row was damaging. Tom Reilly, 52, has sat for the "
        "party since 2001. Mrs Marsh said she had full confidence in her chancellor.\n\n"
        "The opposition leader Carla Wynn said the government was divided. Carla Wynn said "
        "she would table questions in the Commons on Wednesday."),
    "politics/002.txt": (
        "Okafor defends tax plans",
        "Chancellor David Okafor has defended his plans for a new levy on banks, saying the "
        "Treasury had consulted widely.\n\n"
        "Mr Okafor said he expected Northwind Holdings plc and other lenders to object. "
        "Helen Marsh backed him on Thursday: Mrs Marsh said she trusted his judgement.\n\n"
        "Carla Wynn said the levy would hurt savers in London and Manchester. Tom Reilly "
        "said he would vote with the government."),
    "politics/003.txt": (
        "Wynn sets out election pledges",
        "Opposition leader Carla Wynn has promised to cut rail fares if her party wins the "
        "next election.\n\n"
        "Ms Wynn said she had costed every pledge. David Okafor dismissed the plans, and "
        "Helen Marsh said the sums did not add up. Mr Okafor told reporters he would "
        "publish his own figures in London next week."),
    "business/001.txt": (
        "Northwind profits rise",
        "Shares in Northwind Holdings plc rose 4% after the bank reported higher profits "
        "for the year.\n\n"
        "Northwind Holdings chief executive Priya Shah said she was pleased. Analysts at "
        "Castlegate Capital Ltd said the results beat forecasts. The firm Castlegate "
        "Capital expects further gains in France and Germany."),
    "business/002.txt": (
        "Castlegate buys stake in rival",
        "Castlegate Capital Ltd has bought a 10% stake in Northwind Holdings plc, the two "
        "firms said.\n\n"
        "Priya Shah said she welcomed the investment. Shares of Castlegate Capital fell 2% "
        "in London. The deal needs approval in France."),
}


def bbc_sample(root: Path) -> Path:
    for rel, (title, body) in BBC.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return root


def _wire(paragraphs: list[str], width: int = 64) -> str:
    """Paragraphs hard-wrapped as the wire does: lines of about `width` characters, each
    paragraph after the first starting on an indented line."""
    out = []
    for number, paragraph in enumerate(paragraphs):
        words, line, lines = paragraph.split(), "", []
        for word in words:
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
        text = "\n".join(lines)
        out.append(text if number == 0 else "    " + text)
    return "\n".join(out)


REUTERS = [
    {"id": "1", "date": "1987-03-02T10:15:00", "title": "HARBOUR BOARD SEES HIGHER COCOA ARRIVALS",
     "people": ["anna-berg"], "orgs": ["icco"], "places": ["ghana", "usa"],
     "body": _wire([
         "Cocoa arrivals at the port of Takoradi rose sharply in the week to February 27, "
         "the Harbour Board said, as the main crop harvest continued under dry weather.",
         "Board chairman Anna Berg said arrivals totalled 41,200 tonnes against 36,900 a "
         "year earlier, and that the ICCO buffer stock manager would be told of the figures.",
         "Anna Berg added that shipments to Europe would resume next month. Traders in "
         "London said the figures were in line with expectations.",
         "Reuter"])},
    {"id": "2", "date": "1987-03-03T08:00:00", "title": "ICCO COUNCIL TO MEET ON BUFFER STOCK",
     "people": ["anna-berg"], "orgs": ["icco"], "places": ["uk"],
     "body": _wire([
         "The International Cocoa Organization (ICCO) council will meet in London next week "
         "to discuss buffer stock rules, delegates said.",
         "Ghana's delegate Anna Berg said producers wanted the rules agreed before the "
         "next crop year. Consumer delegates from the UK and West Germany were cautious.",
         "Reuter"])},
    {"id": "3", "date": "1987-03-04T12:30:00", "title": "PORTLAND STEEL <PSC> SEES LOWER NET",
     "people": [], "orgs": [], "places": ["usa"],
     "body": _wire([
         "Portland Steel Corp said it expected first quarter net earnings to fall to "
         "about 12 mln dlrs from 19.5 mln dlrs a year earlier because of weak demand.",
         "The company said its Harbor Works plant would run at 70 pct of capacity. Portland "
         "Steel chairman Mark Ellison told shareholders he expected a recovery by autumn.",
         "Reuter"])},
    {"id": "4", "date": "1987-03-04T15:00:00",
     "title": "PORTLAND STEEL SETS DIVIDEND", "people": [], "orgs": [], "places": ["usa"]},
]


def reuters_sample(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in REUTERS), encoding="utf-8")
    return path


def write_config(path: Path, corpus: Path, **extra) -> Path:
    """A config over `corpus` with the project's default gazetteer (the seeds' entities),
    plus `extra` keys (folders, source, record_entities...)."""
    import yaml

    root = Path(__file__).resolve().parent.parent
    config = yaml.safe_load((root / "config.yaml").read_text(encoding="utf-8"))
    config.update({"corpus": str(corpus), **extra})
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path
