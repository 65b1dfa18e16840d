"""The saved searches screen (`S`): each search with its matches and how many are new.

`enter` runs one (the screen is dismissed with its name: the app runs it and marks it seen),
`r` renames, `d` deletes after a confirmation. Counting and file changes run in thread workers
through explorer.store.saved_searches; the screen never touches the file itself.
"""

from __future__ import annotations

import datetime as dt

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from explorer.store import saved_searches as store
from explorer.app.screens.confirm_dialog import ConfirmDialog
from explorer.app.screens.name_dialog import NameDialog
from explorer.errors import UserError


def ago(when: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """'never', 'just now', '5 min ago', '3 h ago', '2 days ago', or the date."""
    if when is None:
        return "never"
    seconds = ((now or dt.datetime.now(dt.timezone.utc)) - when).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    if seconds < 86400 * 30:
        days = int(seconds // 86400)
        return f"{days} day{'s' if days != 1 else ''} ago"
    return when.date().isoformat()


def describe(search: store.SavedSearch) -> Content:
    parts: list = [(search.query, "italic") if search.query else "every article"]
    for name in search.entities:
        parts += [" \u00b7 ", ("entity:", "$text-muted"), name]
    if search.sort == "date":
        parts.append(" \u00b7 newest first")
    return Content.assemble(*parts)


def status_prompt(row: store.SavedStatus) -> Content:
    """Two lines: the name with its counts, then the query, filters and when last opened."""
    search = row.search
    if row.error:
        counts = Content.styled(row.error, "$text-error")
    else:
        new = Content.styled(f"{row.new} new", "bold $text-warning" if row.new else
                             "$text-muted")
        counts = Content.assemble(f"{row.matches} match{'es' if row.matches != 1 else ''}",
                                  " \u00b7 ", new)
    first = Content.assemble((search.name, "bold"), "  ", counts)
    second = Content.assemble(describe(search),
                              (f"  \u00b7 opened {ago(search.last_opened)}", "$text-muted"))
    return Content("\n").join([first, second])


class SavedSearchesScreen(ModalScreen[str | None]):
    """Dismissed with the name of the search to run, or None."""

    BINDINGS = [
        Binding("escape,S", "close", "Close", id="saved.close", tooltip="Back to the search"),
        Binding("r", "rename", "Rename", id="saved.rename", tooltip="Rename this search"),
        Binding("d,delete", "delete", "Delete", id="saved.delete",
                tooltip="Delete this search (asks first)"),
        Binding("j", "cursor('down')", "Down", show=False),
        Binding("k", "cursor('up')", "Up", show=False),
    ]

    class Loaded(Message):
        def __init__(self, rows: list[store.SavedStatus], error: str | None = None) -> None:
            super().__init__()
            self.rows, self.error = rows, error

    class Changed(Message):
        """A rename or delete finished (or failed with `error`)."""

        def __init__(self, message: str, error: bool = False) -> None:
            super().__init__()
            self.message, self.error = message, error

    def __init__(self, workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.rows: list[store.SavedStatus] = []
        self._highlight: str | None = None      # the name to highlight after a reload

    def compose(self) -> ComposeResult:
        with Vertical(id="saved-box"):
            yield Static("Saved searches", id="saved-title")
            yield OptionList(id="saved-list")
            yield Static("counting matches\u2026", id="saved-message")
            yield Static("enter run \u00b7 r rename \u00b7 d delete \u00b7 escape close",
                         id="saved-hint")

    @property
    def option_list(self) -> OptionList:
        return self.query_one("#saved-list", OptionList)

    def on_mount(self) -> None:
        self.option_list.focus()
        self.reload()

    # -- loading -------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="saved-searches")
    def reload(self) -> None:
        try:
            rows = store.statuses(self.workspace)
            self.post_message(self.Loaded(rows))
        except UserError as exc:
            self.post_message(self.Loaded([], str(exc)))

    def on_saved_searches_screen_loaded(self, event: Loaded) -> None:
        current, self._highlight = self._highlight or self.current_name, None
        self.rows = event.rows
        options = self.option_list
        options.set_options(Option(status_prompt(row), id=row.search.name) for row in self.rows)
        names = [row.search.name for row in self.rows]
        if names:
            options.highlighted = names.index(current) if current in names else 0
        message = self.query_one("#saved-message", Static)
        if event.error:
            message.update(Content.styled(event.error, "bold $text-error"))
        elif not self.rows:
            message.update("No saved searches yet: press s on a search to save it.")
        else:
            new = sum(row.new or 0 for row in self.rows)
            message.update(Content.styled(
                f"{len(self.rows)} saved search{'es' if len(self.rows) != 1 else ''}, "
                f"{new} new article{'s' if new != 1 else ''} in all", "$text-muted"))

    @property
    def current_name(self) -> str | None:
        option = self.option_list.highlighted_option
        return option.id if option else None

    # -- actions -------------------------------------------------------------------------------
    @on(OptionList.OptionSelected, "#saved-list")
    def _run(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_cursor(self, direction: str) -> None:
        if direction == "down":
            self.option_list.action_cursor_down()
        else:
            self.option_list.action_cursor_up()

    def action_rename(self) -> None:
        name = self.current_name
        if name is None:
            return
        taken = [row.search.name for row in self.rows if row.search.name != name]

        def renamed(new: str | None) -> None:
            if new and new != name:
                self._change("rename", name, new)
        self.app.push_screen(NameDialog(f"Rename '{name}'", name, taken=taken,
                                        action="rename"), renamed)

    def action_delete(self) -> None:
        name = self.current_name
        if name is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._change("remove", name)
        self.app.push_screen(ConfirmDialog(f"Delete the saved search '{name}'?"), confirmed)

    @work(thread=True, group="saved-searches-change")
    def _change(self, what: str, name: str, new: str = "") -> None:
        data = self.workspace.config.data
        try:
            if what == "rename":
                self._highlight = store.rename_saved_search(data, name, new).name
                self.post_message(self.Changed(f"renamed '{name}' to '{new}'"))
            else:
                store.remove_saved_search(data, name)
                self.post_message(self.Changed(f"deleted '{name}'"))
        except UserError as exc:
            self.post_message(self.Changed(str(exc), error=True))

    def on_saved_searches_screen_changed(self, event: Changed) -> None:
        self.app.notify(event.message, severity="error" if event.error else "information")
        self.reload()
