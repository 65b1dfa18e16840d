"""The modal that keeps a passage, or edits a kept one: shows it, takes a note and tags."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from explorer.text import printable

PREVIEW = 240       # characters of the passage shown


class KeepDialog(ModalScreen["tuple[str, tuple[str, ...]] | None"]):
    """Dismissed with (note, tags) on enter (both may be empty), or None on escape."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, passage: str, speaker: str | None = None,
                 title: str = "Keep this passage", note: str = "",
                 tags: tuple[str, ...] = (), action: str = "keep") -> None:
        super().__init__(classes="dialog")
        self.passage = passage
        self.speaker = speaker
        self.title_text = title
        self.note, self.tags, self.action = note, tags, action

    def compose(self) -> ComposeResult:
        text = " ".join(self.passage.split())
        if len(text) > PREVIEW:
            text = text[:PREVIEW - 1].rstrip() + "\u2026"
        with Vertical(id="keep-box"):
            yield Static(Content.styled(self.title_text, "bold"), id="keep-title")
            yield Static(Content.assemble(("\u201c", "$text-muted"), printable(text),
                                          ("\u201d", "$text-muted"),
                                          (f"  \u2014 {self.speaker}" if self.speaker else "",
                                           "italic")), id="keep-passage")
            yield Input(self.note, placeholder="note (optional)", id="keep-note")
            yield Input(", ".join(self.tags), placeholder="tags, separated by commas (optional)",
                        id="keep-tags")
            yield Static(Content.styled(f"enter {self.action} \u00b7 tab next field \u00b7 "
                                        "escape cancel", "$text-muted"), id="keep-hint")

    def on_mount(self) -> None:
        self.query_one("#keep-note", Input).focus()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        note = " ".join(self.query_one("#keep-note", Input).value.split())
        tags = tuple(t.strip() for t in self.query_one("#keep-tags", Input).value.split(",")
                     if t.strip())
        self.dismiss((note, tags))

    def action_cancel(self) -> None:
        self.dismiss(None)
