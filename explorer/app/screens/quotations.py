"""The quotations screen (`Q`): who said what in the open article, or in the current results.

Type in the filter to keep one speaker's quotations (any part of the name, or an alias the
entity resolver knows). `y` keeps the highlighted quotation as a highlight (with a note and tags),
`c` copies it with its citation, `x` exports the quotations listed, `enter` opens the article at
the quotation. Detection runs in a thread worker through explorer.quotes.detection.
"""

from __future__ import annotations


from textual import on, work
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from explorer.app.screens.filtered_list import FilteredListScreen

from explorer.errors import UserError
from explorer.quotes.detection import article_quotations, filter_by_speaker, quotation_record
from explorer.text import printable

SHOWN = 220     # characters of a quotation shown in the list


def quotation_prompt(article, quote, show_title: bool) -> Content:
    """Two or three lines: the quoted words, then who said it (and where)."""
    text = " ".join(quote.text.split())
    if len(text) > SHOWN:
        text = text[:SHOWN - 1].rstrip() + "\u2026"
    who = (Content.styled(quote.speaker, "bold") if quote.speaker
           else Content.styled(quote.speaker_text or "unattributed", "italic $text-muted"))
    parts: list = ["  \u2014 ", who]
    if quote.speaker_role and quote.speaker_role != quote.speaker:
        parts += [", ", Content.styled(printable(quote.speaker_role), "$text-muted")]
    if show_title:
        parts += [Content.styled(f"  \u00b7 {printable(article.title)}", "$text-muted")]
    return Content("\n").join([Content.assemble("\u201c", printable(text), "\u201d"),
                               Content.assemble(*parts)])


class QuotationsScreen(FilteredListScreen):
    """Dismissed with (article id, offset) to open the article there, or None."""

    PREFIX = "quotations"
    PLACEHOLDER = "speaker (/ to filter; any part of a name or an alias)"
    HINT = ("enter open \u00b7 y keep \u00b7 c copy \u00b7 x export \u00b7 / speaker \u00b7 "
            "g/G first/last \u00b7 escape close")
    LIST_ACTIONS = FilteredListScreen.LIST_ACTIONS | {"keep", "copy", "export"}

    BINDINGS = [
        Binding("Q", "close_key", "Close", show=False),
        Binding("y", "keep", "Keep", id="quotations.keep",
                tooltip="Keep the highlighted quotation (note and tags asked)"),
        Binding("c", "copy", "Copy", id="quotations.copy",
                tooltip="Copy the quotation with its citation"),
        Binding("x", "export", "Export", id="quotations.export",
                tooltip="Export the quotations listed"),
    ]

    class Loaded(Message):
        def __init__(self, found: list, error: str | None = None) -> None:
            super().__init__()
            self.found, self.error = found, error

    def __init__(self, workspace, article_ids: list[str], scope: str, actions=None) -> None:
        super().__init__()
        self.workspace = workspace
        self.article_ids = list(article_ids)
        self.scope = scope                      # 'in "Title"' or 'in the 12 results'
        self.actions = actions                  # QuoteActions: keep, copy, export
        self.found: list[tuple] = []            # (article, Quotation), all of them
        self.error: str | None = None

    def title_content(self) -> Content:
        return Content.styled(f"Quotations {self.scope}", "bold")

    def on_mount(self) -> None:
        super().on_mount()
        self.set_message("finding quotations\u2026")
        self.load()

    @work(thread=True, exclusive=True, group="quotations")
    def load(self) -> None:
        found = []
        try:
            for article_id in self.article_ids:
                article = self.workspace.article(article_id)
                found.extend((article, q) for q in article_quotations(self.workspace, article))
        except UserError as exc:
            self.post_message(self.Loaded(found, str(exc)))
            return
        self.post_message(self.Loaded(found))

    def on_quotations_screen_loaded(self, event: Loaded) -> None:
        self.found, self.error = event.found, event.error
        self.filter_changed(self.filter_text)

    def filter_changed(self, speaker: str) -> None:
        speaker = " ".join(speaker.split())
        shown = self.found
        if speaker:
            resolve = self.workspace.resolve_entity
            keep = {id(q) for q in filter_by_speaker([q for _, q in self.found], speaker,
                                                     resolve)}
            shown = [(a, q) for a, q in self.found if id(q) in keep]
        many = len(self.article_ids) > 1
        position = {id(q): i for i, (_, q) in enumerate(self.found)}
        self.show_rows(shown, (Option(quotation_prompt(a, q, many), id=str(position[id(q)]))
                               for a, q in shown))
        if self.error:
            self.set_message(self.error, error=True)
            return
        speakers = len({q.speaker for _, q in shown if q.speaker})
        total = len(self.found)
        text = (f"{len(shown)} of {total} quotations" if speaker else
                f"{total} quotation{'s' if total != 1 else ''}")
        if not total:
            text = "No quotations found here."
        elif not shown:
            text = f"No quotations by \u201c{speaker}\u201d ({total} in all)."
        else:
            text += f", {speakers} speaker{'s' if speakers != 1 else ''}"
        self.set_message(text)

    @on(OptionList.OptionSelected, "#quotations-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.current is not None:
            article, quote = self.current
            self.dismiss((article.id, quote.start))

    def action_keep(self) -> None:
        if self.current and self.actions is not None:
            article, quote = self.current
            self.actions.keep_span(article.id, quote.start, quote.end, quote.text,
                                   quote.speaker)

    def action_copy(self) -> None:
        if self.current and self.actions is not None:
            self.actions.copy_record(quotation_record(*self.current))

    def action_export(self) -> None:
        if self.actions is not None and self.shown:
            records = [quotation_record(a, q) for a, q in self.shown]
            count = len(records)
            self.actions.export_records(records, f"{count} quotation{'s' if count != 1 else ''}"
                                                 f" {self.scope}")

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "undo":
            return False                  # nothing is removed here
        return super().check_action(action, parameters)
