"""The commented starter config `news-explorer init` writes."""

from __future__ import annotations

_TEMPLATE = """\
# news-explorer configuration, written by `news-explorer init`.
# Relative paths are relative to this file's folder. Every key is optional.

# Where your articles live: a folder, walked recursively. .txt .md .json .jsonl, feeds
# (.rss .atom .rdf .xml) and saved web pages (.html) are read; `news-explorer fetch` stores
# each new feed item here as a Markdown file.
corpus: {corpus}
{places}
# Feeds `news-explorer fetch` downloads (and the app's `r` key).
feeds:
#  - https://feeds.bbci.co.uk/news/world/rss.xml
#  - https://www.theguardian.com/world/rss
# OPML subscription lists (newsboat: `newsboat -e > feeds.opml`), read at every fetch.
# opml: feeds.opml

# fetch:
#   timeout: 20            # seconds before a feed is given up (one line in the summary)
#   full_articles: false   # for feeds with only a summary, fetch each new item's page too

# Remap the app's keys by binding id (`?` in the app lists them), as posting does.
# keymap:
#   app.open_url: ctrl+o
#   app.pager: ctrl+r

# Entities to recognise and link (see the README, "Entities").
# entities:
#   - name: Sam Altman
#     type: person
#     aliases: [Altman]
"""

_USER_PLACES = """
# With no 'index:' or 'data:' here, each corpus's index lives in your cache folder and your
# saved searches and kept quotes in your data folder.
# index: /some/folder/index
# data: /some/folder/data
"""

_PROJECT_PLACES = """
index: index           # the search index (rebuilt from the corpus whenever needed)
data: .news-explorer   # saved searches, kept quotes and curated aliases
"""


def starter_config(project: bool) -> str:
    """A project's config keeps everything beside it; the user's own config keeps the corpus
    in the user's data folder and the index in the cache."""
    if project:
        return _TEMPLATE.format(corpus="articles", places=_PROJECT_PLACES)
    from explorer import locations

    return _TEMPLATE.format(corpus=_quoted(str(locations.default_corpus())),
                            places=_USER_PLACES)


def _quoted(path: str) -> str:
    import json

    return json.dumps(path)       # a JSON string is a YAML string: safe for any path
