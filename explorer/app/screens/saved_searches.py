"""The saved searches screen (`S`): each search with its matches and how many are new.

`enter` runs one (the screen is dismissed with its name: the app runs it and marks it seen),
`r` renames, `d` deletes after a confirmation (the cursor stays on the next one), `u` puts the
last deleted search back, `/` filters by name or query. Counting and file changes run in thread workers
through explorer.store.saved_searches; the screen never touches the file itself.
"""

from __future__ import annotations

import datetime as dt

from textual import on, work
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from explorer.store import saved_searches as store
from explorer.app.screens.confirm_dialog import ConfirmDialog
from explorer.app.screens.filtered_list import FilteredListScreen
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


def matches(row: store.SavedStatus, text: str) -> bool:
    """Every word of `text` occurs in the search's name, query or filters (any case)."""
    search = row.search
    haystack = " ".join([search.name, search.query, *search.entities]).casefold()
    return all(word in haystack for word in text.casefold().split())


class SavedSearchesScreen(FilteredListScreen):
    """Dismissed with the name of the search to run, or None."""

    PREFIX = "saved"
    TITLE_TEXT = "Saved searches"
    PLACEHOLDER = "filter (/): words of the name or query"
    HINT = ("enter run \u00b7 r rename \u00b7 d delete \u00b7 u undo \u00b7 / filter \u00b7 "
            "g/G first/last \u00b7 escape close")
    LIST_ACTIONS = FilteredListScreen.LIST_ACTIONS | {"rename", "delete"}

    BINDINGS = [
        Binding("S", "close_key", "Close", show=False),
        Binding("r", "rename", "Rename", id="saved.rename", tooltip="Rename this search"),
        Binding("d,delete", "delete", "Delete", id="saved.delete",
                tooltip="Delete this search (asks first; u puts it back)"),
    ]

    class Loaded(Message):
        def __init__(self, rows: list[store.SavedStatus], error: str | None = None) -> None:
            super().__init__()
            self.rows, self.error = rows, error

    class Changed(Message):
        """A rename, delete or undo finished (or failed with `error`)."""

        def __init__(self, message: str, error: bool = False) -> None:
            super().__init__()
            self.message, self.error = message, error

    def __init__(self, workspace, actions=None) -> None:
        super().__init__()
        self.workspace = workspace
        self.actions = actions                  # SavedSearchActions: keeps the last deleted
        self.rows: list[store.SavedStatus] = []
        self.error: str | None = None
        self._highlight: str | None = None      # the name to highlight after a reload

    def on_mount(self) -> None:
        super().on_mount()
        self.set_message("counting matches\u2026")
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
        self.rows, self.error = event.rows, event.error
        self.filter_changed(self.filter_text)

    def filter_changed(self, text: str) -> None:
        shown = [row for row in self.rows if matches(row, text)]
        self.show_rows(shown, (Option(status_prompt(row), id=row.search.name) for row in shown))
        if self._highlight is not None:         # a renamed search: follow it
            names = [row.search.name for row in shown]
            if self._highlight in names:
                self.option_list.highlighted = names.index(self._highlight)
            self._highlight = None
        if self.error:
            self.set_message(self.error, error=True)
        elif not self.rows:
            self.set_message("No saved searches yet: press s on a search to save it.")
        else:
            new = sum(row.new or 0 for row in self.rows)
            shown_part = f"{len(shown)} of " if len(shown) != len(self.rows) else ""
            self.set_message(
                f"{shown_part}{len(self.rows)} saved search{'es' if len(self.rows) != 1 else ''}"
                f", {new} new article{'s' if new != 1 else ''} in all")

    @property
    def current_name(self) -> str | None:
        row = self.current
        return row.search.name if row is not None else None

    # -- actions -------------------------------------------------------------------------------
    @on(OptionList.OptionSelected, "#saved-list")
    def _run(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

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
        row = self.current
        if row is None:
            return
        name, query = row.search.name, row.search.query.strip() or "every article"

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._change("remove", name)
        self.app.push_screen(ConfirmDialog(f"Delete the saved search \u201c{name}\u201d "
                                           f"({query})? (u puts it back)"), confirmed)

    def undo(self) -> bool:
        search = getattr(self.actions, "last_removed", None)
        if search is None:
            return False
        self.actions.last_removed = None
        self._change("restore", search.name, search=search)
        return True

    @work(thread=True, group="saved-searches-change")
    def _change(self, what: str, name: str, new: str = "", search=None) -> None:
        data = self.workspace.config.data
        try:
            if what == "rename":
                self._highlight = store.rename_saved_search(data, name, new).name
                self.post_message(self.Changed(f"renamed '{name}' to '{new}'"))
            elif what == "restore":
                store.add_saved_search(data, search)
                self._highlight = search.name
                self.post_message(self.Changed(f"'{name}' is back"))
            else:
                removed = store.remove_saved_search(data, name)
                if self.actions is not None:
                    self.actions.last_removed = removed
                self.post_message(self.Changed(f"deleted '{name}': u puts it back"))
        except UserError as exc:
            self.post_message(self.Changed(str(exc), error=True))

    def on_saved_searches_screen_changed(self, event: Changed) -> None:
        self.app.notify(event.message, severity="error" if event.error else "information",
                        markup=False)
        self.reload()
