"""The Textual app. Importing this package is cheap: Textual loads only when the app runs."""

from __future__ import annotations


def run_app(workspace, saved: str | None = None) -> int:
    """Run the explorer over `workspace` (opening saved search `saved`, when given)."""
    from explorer.app.app import NewsExplorer

    app = NewsExplorer(workspace, saved=saved)
    app.run()
    return app.return_code or 0
