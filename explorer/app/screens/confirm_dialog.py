"""A modal yes/no question, for actions that cannot be undone (deleting a saved search...)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmDialog(ModalScreen[bool]):
    """Dismissed with True (`y`, or the confirm button) or False (`n`, `escape`)."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, confirm: str = "Delete") -> None:
        super().__init__(classes="dialog")
        self.question = question
        self.confirm = confirm

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Static(Content(self.question), id="dialog-title")
            with Horizontal(id="dialog-buttons"):
                yield Button(f"{self.confirm} (y)", variant="error", id="dialog-yes")
                yield Button("Cancel (n)", id="dialog-no")

    def on_mount(self) -> None:
        self.query_one("#dialog-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "dialog-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
