"""One base for the views over many articles (co-mentions `C`, timeline `T`): a modal with a
list whose rows are counted in a worker; `j`/`k`, `g`/`G` and `home`/`end` move, headings and
empty rows are skipped, the first real row is highlighted when the counts arrive."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class ViewScreen(ModalScreen):
    """Subclasses set LIST_ID and call `set_rows()` with their options."""

    LIST_ID = "view-list"

    BINDINGS = [
        Binding("j", "cursor('down')", "Down", show=False),
        Binding("k", "cursor('up')", "Up", show=False),
        Binding("g,home", "cursor('first')", "Top", show=False),
        Binding("G,end", "cursor('last')", "Bottom", show=False),
    ]

    class Loaded(Message):
        """What the worker counted (or the one-line error that stopped it)."""

        def __init__(self, found, error: str | None = None) -> None:
            super().__init__()
            self.found, self.error = found, error

    def __init__(self, workspace, entity: str | None = None, request=None) -> None:
        super().__init__()
        self.workspace = workspace
        self.entity = entity          # the entity whose articles are counted, or None
        self.request = request        # the search whose articles are counted, or None

    @property
    def option_list(self) -> OptionList:
        return self.query_one(f"#{self.LIST_ID}", OptionList)

    def on_mount(self) -> None:
        self.option_list.focus()

    def set_rows(self, options: list[Option]) -> None:
        self.option_list.set_options(options)
        first = next((i for i, o in enumerate(options) if not o.disabled), None)
        if first is not None:
            self.option_list.highlighted = first

    def action_cursor(self, where: str) -> None:
        options = self.option_list
        if where == "down":
            options.action_cursor_down()
        elif where == "up":
            options.action_cursor_up()
        elif where == "first":
            options.action_first()
        else:
            options.action_last()
