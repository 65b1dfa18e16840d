"""news-explorer: explore a corpus of news articles from the terminal."""

__version__ = "0.1.0"


def _light_cached_property() -> None:
    """Whoosh's reader (whoosh/reading.py, pinned with whoosh-reloaded) takes one decorator,
    for `deleted_docs_set`, from the `cached_property` backport, and the backport imports
    asyncio at its top: 45 ms of every start, more than a search takes. The standard library's
    `functools.cached_property` does the same for a plain method (the value computed on first
    use and kept in the instance's __dict__), so it stands in for the backport, unless
    something imported the backport first. Here, because this runs before any module of the
    package imports Whoosh. tests/test_startup.py checks both."""
    import functools
    import sys
    import types

    if "cached_property" not in sys.modules:
        module = types.ModuleType("cached_property", "functools.cached_property (explorer/__init__.py)")
        module.cached_property = functools.cached_property   # type: ignore[attr-defined]
        sys.modules["cached_property"] = module


_light_cached_property()
