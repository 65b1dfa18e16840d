"""The quotations screen (`Q`): who said what in the open article, or in the current results.

Type in the filter to keep one speaker's quotations (any part of the name, or an alias the
entity resolver knows). `y` keeps the highlighted quotation as a highlight (with a note and tags),
`c` copies it with its citation, `x` exports the quotations listed, `enter` opens the article at
the quotation. Detection runs in a thread worker through explorer.quotes.detection.
"""

from __future__ import annotations


from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

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


class QuotationsScreen(ModalScreen["tuple[str, int] | None"]):
    """Dismissed with (article id, offset) to open the article there, or None."""

    BINDINGS = [
        Binding("escape,Q", "close", "Close", id="quotations.close", tooltip="Back"),
        Binding("y", "keep", "Keep", id="quotations.keep",
                tooltip="Keep the highlighted quotation (note and tags asked)"),
        Binding("c", "copy", "Copy", id="quotations.copy",
                tooltip="Copy the quotation with its citation (OSC 52)"),
        Binding("x", "export", "Export", id="quotations.export",
                tooltip="Export the quotations listed (Markdown, CSV or JSON)"),
        Binding("slash,f", "filter", "Speaker", id="quotations.filter",
                tooltip="Filter by speaker"),
        Binding("j", "cursor('down')", "Down", show=False),
        Binding("k", "cursor('up')", "Up", show=False),
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
        self.shown: list[tuple] = []            # after the speaker filter

    def compose(self) -> ComposeResult:
        with Vertical(id="quotations-box"):
            yield Static(Content.styled(f"Quotations {self.scope}", "bold"),
                         id="quotations-title")
            yield Input(placeholder="speaker (/ to filter; any part of a name or an alias)",
                        id="quotations-filter")
            yield OptionList(id="quotations-list")
            yield Static("finding quotations\u2026", id="quotations-message")
            yield Static("enter open \u00b7 y keep \u00b7 c copy \u00b7 x export \u00b7 "
                         "/ speaker \u00b7 escape close", id="quotations-hint")

    @property
    def option_list(self) -> OptionList:
        return self.query_one("#quotations-list", OptionList)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#quotations-filter", Input)

    def on_mount(self) -> None:
        self.option_list.focus()
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
        self.found = event.found
        self.show(self.filter_input.value, error=event.error)

    def show(self, speaker: str, error: str | None = None) -> None:
        speaker = " ".join(speaker.split())
        shown = self.found
        if speaker:
            resolve = getattr(self.workspace, "resolve_entity", None)
            keep = {id(q) for q in filter_by_speaker([q for _, q in self.found], speaker,
                                                     resolve)}
            shown = [(a, q) for a, q in self.found if id(q) in keep]
        self.shown = shown
        many = len(self.article_ids) > 1
        self.option_list.set_options(
            Option(quotation_prompt(a, q, many), id=str(i)) for i, (a, q) in enumerate(shown))
        if shown:
            self.option_list.highlighted = 0
        message = self.query_one("#quotations-message", Static)
        if error:
            message.update(Content.styled(error, "bold $text-error"))
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
        message.update(Content.styled(text, "$text-muted"))

    @on(Input.Changed, "#quotations-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.show(event.value)

    @on(Input.Submitted, "#quotations-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.option_list.focus()

    @property
    def current(self) -> tuple | None:
        index = self.option_list.highlighted
        if index is None or not 0 <= index < len(self.shown):
            return None
        return self.shown[index]

    @on(OptionList.OptionSelected, "#quotations-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        article, quote = self.shown[int(event.option.id)]
        self.dismiss((article.id, quote.start))

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
        if action in {"keep", "copy", "export", "cursor"} and self.focused is self.filter_input:
            return False                  # typing a name: y, c, x, j, k are letters
        return True
