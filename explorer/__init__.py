"""news-explorer: explore a corpus of news articles from the terminal."""

__version__ = "0.1.0"
