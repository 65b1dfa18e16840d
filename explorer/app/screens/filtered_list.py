"""One base for the list screens (kept quotes `K`, quotations `Q`, saved searches `S`): a title, a
filter, the list, a message line and a hint, with the same keys and cursor behaviour everywhere.

- `j`/`k` and the arrows move; `g`/`home` go to the first row, `G`/`end` to the last.
- `/` (or `f`) focuses the filter; `enter` in it goes back to the list; `escape` clears a filter
  first, then closes the screen.
- After a reload (a row deleted, say) the cursor stays on the row it was on; when that row is
  gone, on the row that took its place (the next one), never back at the top.
- `u` undoes the last removal, when the screen's actions keep one (`undo()`).
While the filter has the focus, letter keys are typed into it: `action_*` named in
`LIST_ACTIONS` are then disabled.
"""

from __future__ import annotations

from typing import Any, Iterable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option


class FilteredListScreen(ModalScreen):
    """Subclasses set PREFIX (widget ids: `PREFIX-list`...), TITLE_TEXT, PLACEHOLDER, HINT, add
    their own BINDINGS (the letter that opened the screen bound to `close_key`), and call
    `show_rows()` with their rows and options."""

    PREFIX = "list"
    TITLE_TEXT = ""
    PLACEHOLDER = "filter (/)"
    HINT = ""
    # Actions bound to plain letters: off while the filter is being typed in.
    LIST_ACTIONS = frozenset({"cursor", "first", "last", "undo", "close_key"})

    BINDINGS = [
        Binding("escape", "close", "Close", tooltip="Clear the filter, else close"),
        Binding("slash,f", "filter", "Filter", tooltip="Filter the list"),
        Binding("u", "undo", "Undo", tooltip="Undo the last removal"),
        Binding("j", "cursor('down')", "Down", show=False),
        Binding("k", "cursor('up')", "Up", show=False),
        Binding("g,home", "first", "First", show=False),
        Binding("G,end", "last", "Last", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[Any] = []         # the rows listed, in order (after the filter)

    # -- layout ----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        prefix = self.PREFIX
        with Vertical(id=f"{prefix}-box", classes="list-box"):
            yield Static(self.title_content(), id=f"{prefix}-title", classes="list-title")
            yield Input(placeholder=self.PLACEHOLDER, id=f"{prefix}-filter",
                        classes="list-filter")
            yield OptionList(id=f"{prefix}-list", classes="list-list")
            yield Static("loading\u2026", id=f"{prefix}-message", classes="list-message")
            yield Static(self.HINT, id=f"{prefix}-hint", classes="list-hint")

    def title_content(self) -> Content:
        return Content.styled(self.TITLE_TEXT, "bold")

    @property
    def option_list(self) -> OptionList:
        return self.query_one(f"#{self.PREFIX}-list", OptionList)

    @property
    def filter_input(self) -> Input:
        return self.query_one(f"#{self.PREFIX}-filter", Input)

    @property
    def filter_text(self) -> str:
        return self.filter_input.value if self.is_mounted else ""

    def on_mount(self) -> None:
        self.option_list.focus()

    # -- rows ------------------------------------------------------------------------------
    def show_rows(self, rows: list[Any], options: Iterable[Option]) -> None:
        """List `rows` (one Option each, with a unique id). The cursor stays on the row it was
        on; when that row is gone, at the same place (the next row), clamped to the end."""
        options = list(options)
        listing = self.option_list
        before = listing.highlighted
        current = listing.highlighted_option.id if listing.highlighted_option else None
        self.shown = list(rows)
        listing.set_options(options)
        if not options:
            return
        ids = [option.id for option in options]
        if current in ids:
            listing.highlighted = ids.index(current)
        else:
            listing.highlighted = min(before or 0, len(options) - 1)

    @property
    def current(self) -> Any | None:
        index = self.option_list.highlighted if self.is_mounted else None
        if index is None or not 0 <= index < len(self.shown):
            return None
        return self.shown[index]

    def set_message(self, text: str, error: bool = False) -> None:
        style = "bold $text-error" if error else "$text-muted"
        self.query_one(f"#{self.PREFIX}-message", Static).update(Content.styled(text, style))

    def filter_changed(self, text: str) -> None:
        """The filter's text changed: list the rows that match (subclasses)."""

    # -- keys ------------------------------------------------------------------------------
    @on(Input.Changed)
    def _filter_changed(self, event: Input.Changed) -> None:
        if event.input is self.filter_input:
            self.filter_changed(event.value)

    @on(Input.Submitted)
    def _filter_done(self, event: Input.Submitted) -> None:
        if event.input is self.filter_input:
            event.stop()
            self.option_list.focus()

    def action_filter(self) -> None:
        self.filter_input.focus()

    def action_cursor(self, direction: str) -> None:
        if direction == "down":
            self.option_list.action_cursor_down()
        else:
            self.option_list.action_cursor_up()

    def action_first(self) -> None:
        self.option_list.action_first()

    def action_last(self) -> None:
        self.option_list.action_last()

    def action_close(self) -> None:
        if self.filter_input.value:              # escape clears a filter first
            self.filter_input.value = ""
            self.option_list.focus()
            return
        self.dismiss(None)

    def action_close_key(self) -> None:
        self.dismiss(None)

    def action_undo(self) -> None:
        if not self.undo():
            self.app.notify("Nothing to undo", timeout=2)

    def undo(self) -> bool:
        """Put back the last row removed; False when there is none (subclasses)."""
        return False

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in self.LIST_ACTIONS and self.is_mounted and \
                self.focused is self.filter_input:
            return False                  # typing in the filter: letters are letters
        return True
