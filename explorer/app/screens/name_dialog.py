"""A modal asking for a name (to save or rename something); names already taken are refused."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class NameDialog(ModalScreen[str | None]):
    """Dismissed with the name typed (whitespace folded), or None on escape."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, value: str = "", *, taken: list[str] = (),
                 action: str = "save", what: str = "saved search") -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.value = value
        self.taken = {name.casefold(): name for name in taken}
        self.action = action
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Static(Content.styled(self.title_text, "bold"), id="dialog-title")
            yield Input(value=self.value, placeholder="a name", id="dialog-name",
                        select_on_focus=True)
            yield Static("", id="dialog-error")
            yield Static(Content.styled(f"enter {self.action} \u00b7 escape cancel",
                                        "$text-muted"), id="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#dialog-name", Input).focus()

    @on(Input.Changed, "#dialog-name")
    def _clear_error(self) -> None:
        self.query_one("#dialog-error", Static).update("")

    @on(Input.Submitted, "#dialog-name")
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        name = " ".join(event.value.split())
        problem = None
        if not name:
            problem = "a name cannot be empty"
        elif name.casefold() in self.taken:
            problem = f"a {self.what} named '{self.taken[name.casefold()]}' exists already"
        if problem:
            self.query_one("#dialog-error", Static).update(
                Content.styled(problem, "$text-error"))
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)
