"""The app side of the views over many articles: co-mentions (`C` for the results, `c` on an
entity in the sidebar) and the timeline (`T`). Each opens its screen, which counts in a worker;
what the user picks there comes back as a change to the search."""

from __future__ import annotations

from explorer.records import SearchRequest


class ViewActions:
    """Owned by the app."""

    def __init__(self, app) -> None:
        self.app = app

    def _request(self) -> SearchRequest:
        """The whole search on screen (every match, not just the rows listed)."""
        app = self.app
        return SearchRequest(app.search_bar.input.value, tuple(app.search_bar.filters))

    def co_mentions(self, entity: str | None = None) -> None:
        from explorer.app.screens.co_mentions import CoMentionsScreen

        request = None if entity else self._request()
        self.app.push_screen(CoMentionsScreen(self.app.workspace, entity, request),
                             self._filter_by)

    def timeline(self) -> None:
        from explorer.app.screens.timeline import TimelineScreen

        self.app.push_screen(TimelineScreen(self.app.workspace, None, self._request()),
                             self._narrow_to)

    def _filter_by(self, name: str | None) -> None:
        if name and name not in self.app.search_bar.filters:
            self.app.add_filter(name)

    def _narrow_to(self, period) -> None:
        if period is None:
            return
        request = self._request()
        text = f"{request.text} {period.query()}".strip()
        self.app.set_search(text, request.entities)
        self.app.action_focus_results()
