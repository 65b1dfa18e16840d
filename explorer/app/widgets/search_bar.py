"""The search bar: the query input plus the entity filters, each shown as a removable chip."""

from __future__ import annotations

import time

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widgets import Input, Static

# A key that follows the previous one within this time waits for the burst (a paste, a held key)
# to end; a key on its own searches at once.
DEBOUNCE_SECONDS = 0.03
# The box's hint, longest first: the longest that fits is shown (never one cut short).
PLACEHOLDERS = (
    "Search: words, \"phrases\", date:2025-06, source:, entity:  (empty: every article, "
    "newest first)",
    "Search: words, \"phrases\", date:, source:, entity:  (empty: every article)",
    "Search: words, \"phrases\", date:, source:, entity:",
    "Search: words, \"phrases\", date:",
    "Search",
)


class FilterChip(Static):
    """`entity:NAME ✕`; a click removes the filter."""

    def __init__(self, name: str) -> None:
        super().__init__(Content.assemble(("entity:", "$text-muted"), name, " \u2715"),
                         classes="filter-chip")
        self.entity = name
        self.tooltip = f"Remove the filter entity:{name}"

    def on_click(self) -> None:
        self.post_message(SearchBar.FilterRemoved(self.entity))


class QueryInput(Input):
    """The query box; backspace at its start removes the last entity filter."""

    # Input sets its virtual size to the text's width on every key, and Widget.virtual_size
    # lays out the whole screen when it changes. The box has a fixed size (`#query`), and a
    # scroll view's scrolling needs only a repaint, so here the change lays nothing out.
    virtual_size = Reactive(Size(0, 0), layout=False)

    BINDINGS = [
        Binding("backspace", "delete_left_or_filter", "Delete", show=False),
        Binding("down", "app.focus_results", "Results", show=False),
    ]

    async def _on_key(self, event: events.Key) -> None:
        # `/` means "search" and `?` "help" everywhere; in an empty box (where the app starts)
        # they would only start the query with a stray character, so they act as the keys.
        if event.character in ("/", "?") and not self.value:
            event.stop()
            event.prevent_default()
            if event.character == "?":
                self.app.action_help()
            return
        await super()._on_key(event)

    def on_resize(self) -> None:
        bar = self.parent
        if isinstance(bar, SearchBar):      # (filter chips beside it make it narrower too)
            bar.fit_placeholder()

    def action_delete_left_or_filter(self) -> None:
        bar = self.parent
        at_start = self.cursor_position == 0 and self.selection.is_empty
        if at_start and isinstance(bar, SearchBar) and bar.filters:
            bar.post_message(SearchBar.FilterRemoved(bar.filters[-1]))
        else:
            self.action_delete_left()


class SearchBar(Horizontal):
    """Posts `Changed` (debounced while typing, at once on enter) with the text and filters."""

    class Changed(Message):
        def __init__(self, text: str, filters: tuple[str, ...], submitted: bool) -> None:
            super().__init__()
            self.text, self.filters, self.submitted = text, filters, submitted

    class FilterRemoved(Message):
        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.filters: tuple[str, ...] = ()
        self._timer = None
        self._last_key = float("-inf")

    def compose(self) -> ComposeResult:
        yield QueryInput(placeholder=PLACEHOLDERS[0], id="query")
        yield Horizontal(id="filters")

    @property
    def input(self) -> Input:
        return self.query_one(QueryInput)

    @property
    def text(self) -> str:
        return self.input.value

    def set_filters(self, filters: tuple[str, ...]) -> None:
        self.filters = tuple(filters)
        box = self.query_one("#filters", Horizontal)
        box.remove_children()
        box.mount_all(FilterChip(name) for name in self.filters)
        box.display = bool(self.filters)

    def on_mount(self) -> None:
        self.query_one("#filters").display = False

    def fit_placeholder(self) -> None:
        box = self.input
        room = box.scrollable_content_region.width or box.size.width
        if room <= 0:
            return
        box.placeholder = next((text for text in PLACEHOLDERS if len(text) < room),
                               PLACEHOLDERS[-1])

    @on(Input.Changed, "#query")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        now = time.monotonic()
        burst = now - self._last_key < DEBOUNCE_SECONDS
        self._last_key = now
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if burst:
            self._timer = self.set_timer(DEBOUNCE_SECONDS, self._post)
        else:
            self._post()

    @on(Input.Submitted, "#query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.post_message(self.Changed(self.text, self.filters, submitted=True))

    def _post(self) -> None:
        self._timer = None
        self.post_message(self.Changed(self.text, self.filters, submitted=False))
