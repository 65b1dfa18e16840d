"""The kept quotes screen (`K`): every passage kept, numbered as `quotes list` numbers them.

`/` filters (words of the text, note, title or speaker; `#tag` for a tag), `enter` opens the
article at the quote, `t` edits the note and tags, `d` removes the quote (asks first, quoting its
first words; the cursor then stays on the next quote), `u` puts the last removed quote back, `c`
copies it with its citation, `x` exports the quotes listed. Orphaned quotes (text gone from the
article) are listed and marked. Loading and changes run in thread workers through
explorer.quotes.kept; the keys shared with the other lists come from FilteredListScreen.
"""

from __future__ import annotations


from textual import on, work
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from explorer.quotes import kept
from explorer.app.screens.confirm_dialog import ConfirmDialog
from explorer.app.screens.filtered_list import FilteredListScreen
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


class KeptQuotesScreen(FilteredListScreen):
    """Dismissed with (article id, offset) to open the article at a quote, or None."""

    PREFIX = "kept"
    TITLE_TEXT = "Kept quotes"
    PLACEHOLDER = "filter (/): words of the quote, note, title or speaker; #tag"
    HINT = ("enter open \u00b7 t note \u00b7 d delete \u00b7 u undo \u00b7 c copy \u00b7 "
            "x export \u00b7 / filter \u00b7 g/G first/last \u00b7 escape close")
    LIST_ACTIONS = FilteredListScreen.LIST_ACTIONS | {"annotate", "delete", "copy", "export"}

    BINDINGS = [
        Binding("K", "close_key", "Close", show=False),
        Binding("t", "annotate", "Note", id="kept.annotate", tooltip="Edit the note and tags"),
        Binding("d,delete", "delete", "Delete", id="kept.delete",
                tooltip="Remove this quote (asks first; u puts it back)"),
        Binding("c", "copy", "Copy", id="kept.copy", tooltip="Copy it with its citation"),
        Binding("x", "export", "Export", id="kept.export", tooltip="Export the quotes listed"),
    ]

    class Loaded(Message):
        def __init__(self, items: list[kept.KeptQuote], error: str | None = None) -> None:
            super().__init__()
            self.items, self.error = items, error

    def __init__(self, workspace, actions=None) -> None:
        super().__init__()
        self.workspace = workspace
        self.actions = actions
        self.items: list[kept.KeptQuote] = []
        self.error: str | None = None

    def on_mount(self) -> None:
        super().on_mount()
        self.reload()

    @work(thread=True, exclusive=True, group="kept-quotes")
    def reload(self) -> None:
        """Every kept quote, re-anchored in the current index."""
        try:
            items = kept.refresh(self.workspace)
        except UserError as exc:
            self.post_message(self.Loaded([], str(exc)))
            return
        self.post_message(self.Loaded(items))

    def on_kept_quotes_screen_loaded(self, event: Loaded) -> None:
        self.items, self.error = event.items, event.error
        self.filter_changed(self.filter_text)

    def filter_changed(self, text: str) -> None:
        shown = [item for item in self.items if matches(item, text)]
        self.show_rows(shown, (Option(kept_prompt(item), id=item.id) for item in shown))
        if self.error:
            self.set_message(self.error, error=True)
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
        self.set_message(line)

    @on(OptionList.OptionSelected, "#kept-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        item = self.current
        if item is None:
            return
        if item.orphaned:
            self.app.notify("This quote's text is no longer in its article", severity="warning")
        self.dismiss((item.article_id, item.start))

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
                self._change(lambda store: self._removed(store.remove_id(item.id)))
        extra = " and its note" if item.note else ""
        self.app.push_screen(ConfirmDialog(
            f"Remove quote {item.number}{extra}, \u201c{kept.opening(item.text)}\u201d? "
            f"(u puts it back)", confirm="Remove"), confirmed)

    def _removed(self, item: kept.KeptQuote) -> None:
        """Remember the removal for `u` (on the app's quote actions, so it outlives the screen)."""
        if self.actions is not None:
            self.actions.last_removed = item
        self.app.call_from_thread(self.app.notify, f"Removed quote {item.number}, "
                                  f"\u201c{kept.opening(item.text, 40)}\u201d: u puts it back",
                                  markup=False, timeout=4)

    def undo(self) -> bool:
        item = getattr(self.actions, "last_removed", None)
        if item is None:
            return False
        self.actions.last_removed = None

        def restore(store) -> None:
            back = store.restore(item)
            self.app.call_from_thread(self.app.notify, f"Quote {back.number} is back",
                                      timeout=3)
        self._change(restore)
        return True

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
