"""The kept quotes screen (`K`): every passage kept, numbered as `quotes list` numbers them.

`/` filters (words of the text, note, title or speaker; `#tag` for a tag), `enter` opens the
article at the quote, `t` edits the note and tags, `d` removes the quote (asks first), `c` copies
it with its citation, `x` exports the quotes listed. Orphaned quotes (text gone from the article)
are listed and marked. Loading and changes run in thread workers through explorer.quotes.kept.
"""

from __future__ import annotations

import contextlib

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from explorer.quotes import kept
from explorer.app.screens.confirm_dialog import ConfirmDialog
from explorer.app.screens.keep_dialog import KeepDialog
from explorer.errors import UserError
from explorer.text import printable

SHOWN = 200


def kept_prompt(item: kept.KeptQuote) -> Content:
    """Two or three lines: number and text, then speaker, title and date, then tags and note."""
    text = " ".join(item.text.split())
    if len(text) > SHOWN:
        text = text[:SHOWN - 1].rstrip() + "\u2026"
    first = Content.assemble((f"{item.number:>3}. ", "bold"), "\u201c", printable(text),
                             "\u201d")
    if item.orphaned:
        first = Content.assemble(first, ("  orphaned", "bold $text-error"))
    meta = [m for m in (item.speaker, item.title, (item.date or "")[:10] or None) if m]
    lines = [first, Content.styled("     " + printable(" \u00b7 ".join(meta)), "$text-muted")]
    extra = []
    if item.tags:
        extra.append("#" + " #".join(item.tags))
    if item.note:
        extra.append(item.note)
    if extra:
        lines.append(Content.styled("     " + printable("  ".join(extra)), "italic"))
    return Content("\n").join(lines)


def matches(item: kept.KeptQuote, text: str) -> bool:
    """`#tag` words name tags; the other words must all occur in the quote's fields."""
    words = text.split()
    tags = [w[1:].casefold() for w in words if w.startswith("#") and len(w) > 1]
    if any(tag not in {t.casefold() for t in item.tags} for tag in tags):
        return False
    query = " ".join(w for w in words if not w.startswith("#"))
    return not query or bool(kept.filter_kept_quotes([item], query=query))


class KeptQuotesScreen(ModalScreen["tuple[str, int] | None"]):
    """Dismissed with (article id, offset) to open the article at a quote, or None."""

    BINDINGS = [
        Binding("escape,K", "close", "Close", id="kept.close", tooltip="Back"),
        Binding("t", "annotate", "Note", id="kept.annotate", tooltip="Edit the note and tags"),
        Binding("d,delete", "delete", "Delete", id="kept.delete",
                tooltip="Remove this quote (asks first)"),
        Binding("c", "copy", "Copy", id="kept.copy", tooltip="Copy it with its citation"),
        Binding("x", "export", "Export", id="kept.export", tooltip="Export the quotes listed"),
        Binding("slash,f", "filter", "Filter", id="kept.filter",
                tooltip="Filter: words, or #tag"),
        Binding("j", "cursor('down')", "Down", show=False),
        Binding("k", "cursor('up')", "Up", show=False),
    ]

    class Loaded(Message):
        def __init__(self, items: list[kept.KeptQuote], error: str | None = None) -> None:
            super().__init__()
            self.items, self.error = items, error

    def __init__(self, workspace, actions=None, lock=None) -> None:
        super().__init__()
        self.workspace = workspace
        self.actions = actions
        self.lock = lock or contextlib.nullcontext()
        self.items: list[kept.KeptQuote] = []
        self.shown: list[kept.KeptQuote] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="kept-box"):
            yield Static(Content.styled("Kept quotes", "bold"), id="kept-title")
            yield Input(placeholder="filter (/): words of the quote, note, title or speaker; "
                                    "#tag", id="kept-filter")
            yield OptionList(id="kept-list")
            yield Static("loading\u2026", id="kept-message")
            yield Static("enter open \u00b7 t note \u00b7 d delete \u00b7 c copy \u00b7 "
                         "x export \u00b7 / filter \u00b7 escape close", id="kept-hint")

    @property
    def option_list(self) -> OptionList:
        return self.query_one("#kept-list", OptionList)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#kept-filter", Input)

    def on_mount(self) -> None:
        self.option_list.focus()
        self.reload()

    @work(thread=True, exclusive=True, group="kept-quotes")
    def reload(self) -> None:
        """Every kept quote, re-anchored in the current index."""
        try:
            with self.lock:
                items = kept.refresh(self.workspace)
        except UserError as exc:
            self.post_message(self.Loaded([], str(exc)))
            return
        self.post_message(self.Loaded(items))

    def on_kept_quotes_screen_loaded(self, event: Loaded) -> None:
        self.items = event.items
        self.show(self.filter_input.value, event.error)

    def show(self, text: str, error: str | None = None) -> None:
        current = self.current.id if self.current else None
        self.shown = [item for item in self.items if matches(item, text)]
        self.option_list.set_options(Option(kept_prompt(item), id=item.id)
                                     for item in self.shown)
        ids = [item.id for item in self.shown]
        if ids:
            self.option_list.highlighted = ids.index(current) if current in ids else 0
        message = self.query_one("#kept-message", Static)
        if error:
            message.update(Content.styled(error, "bold $text-error"))
            return
        orphans = sum(item.orphaned for item in self.items)
        if not self.items:
            line = "No kept quotes yet: in an article, v selects and y keeps; H keeps a sentence."
        elif text.strip():
            line = f"{len(self.shown)} of {len(self.items)} kept quotes"
        else:
            line = f"{len(self.items)} kept quote{'s' if len(self.items) != 1 else ''}"
        if orphans:
            line += f", {orphans} orphaned (text no longer in its article)"
        message.update(Content.styled(line, "$text-muted"))

    @on(Input.Changed, "#kept-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.show(event.value)

    @on(Input.Submitted, "#kept-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.option_list.focus()

    @property
    def current(self) -> kept.KeptQuote | None:
        index = self.option_list.highlighted if self.is_mounted else None
        if index is None or not 0 <= index < len(self.shown):
            return None
        return self.shown[index]

    @on(OptionList.OptionSelected, "#kept-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        item = self.current
        if item is None:
            return
        if item.orphaned:
            self.app.notify("This quote's text is no longer in its article", severity="warning")
        self.dismiss((item.article_id, item.start))

    def action_filter(self) -> None:
        self.filter_input.focus()

    def action_cursor(self, direction: str) -> None:
        if direction == "down":
            self.option_list.action_cursor_down()
        else:
            self.option_list.action_cursor_up()

    def action_close(self) -> None:
        if self.filter_input.value:              # escape clears a filter first
            self.filter_input.value = ""
            self.option_list.focus()
            return
        self.dismiss(None)

    def action_annotate(self) -> None:
        item = self.current
        if item is None:
            return

        def chosen(result) -> None:
            if result is not None:
                self._change(lambda store: store.update(item.id, note=result[0],
                                                        tags=result[1]))
        self.app.push_screen(KeepDialog(item.text, item.speaker,
                                        title=f"Note and tags for quote {item.number}",
                                        note=item.note, tags=item.tags, action="save"), chosen)

    def action_delete(self) -> None:
        item = self.current
        if item is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._change(lambda store: store.remove_id(item.id))
        text = " ".join(item.text.split())
        shown = text if len(text) <= 60 else text[:59] + "\u2026"
        self.app.push_screen(ConfirmDialog(f"Remove quote {item.number}, \u201c{shown}\u201d?",
                                           confirm="Remove"), confirmed)

    @work(thread=True, group="kept-quotes-change")
    def _change(self, change) -> None:
        try:
            change(kept.store_for(self.workspace))
        except UserError as exc:
            self.app.call_from_thread(self.app.notify, str(exc), severity="error",
                                      markup=False)
        self.app.call_from_thread(self.reload)

    def action_copy(self) -> None:
        if self.current is not None and self.actions is not None:
            self.actions.copy_record(self.current.to_dict())

    def action_export(self) -> None:
        if self.shown and self.actions is not None:
            count = len(self.shown)
            self.actions.export_records([item.to_dict() for item in self.shown],
                                        f"{count} kept quote{'s' if count != 1 else ''}")

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in {"annotate", "delete", "copy", "export", "cursor"} and \
                self.focused is self.filter_input:
            return False
        return True
