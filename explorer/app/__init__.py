"""The Textual app. Importing this package is cheap: Textual loads only when the app runs."""

from __future__ import annotations


import gc

GC_YOUNG = 10_000       # net allocations between young garbage collections (Python: 700)


def run_app(workspace, saved: str | None = None) -> int:
    """Run the explorer over `workspace` (opening saved search `saved`, when given).

    The garbage collector is tuned here, for the app's process only (never for a test that
    starts the App in pytest's). A search allocates thousands of short-lived objects: at
    Python's 700, young collections ran mid-search and promoted them, and full collections
    (60-110 ms on Reuters, the index's caches are large) came every three seconds of typing;
    with room for a search's temporaries they die young. What exists once the index is up to
    date (the index, the entity tagger, the widgets) lives as long as the app: frozen out of
    the full passes, which otherwise took 70-180 ms on Reuters every few keys, mid-typing."""
    from explorer.app.app import NewsExplorer

    gc.set_threshold(GC_YOUNG, *gc.get_threshold()[1:])
    app = NewsExplorer(workspace, saved=saved, when_ready=gc.freeze)
    app.run()
    return app.return_code or 0
