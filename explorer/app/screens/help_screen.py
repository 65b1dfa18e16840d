"""`?`: every key on one screen, generated from the bindings (keymap.py)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from explorer.app.keymap import EXTRA_KEYS, describe, key_groups


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q,f1", "dismiss", "Close", show=True)]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Content.styled("news-explorer keys", "bold $text-accent"),
                         classes="help-title")
            for group in key_groups():
                lines = [Content.styled(group.title, "bold $text-secondary")]
                for binding in group.bindings:
                    keys = " ".join(self.app.get_key_display(Binding(key, binding.action))
                                    for key in binding.key.split(","))
                    lines.append(Content.assemble((f"  {keys:<16}", "bold"), describe(binding)))
                yield Static(Content("\n").join(lines), classes="help-group")
            lines = [Content.styled("Also", "bold $text-secondary")]
            for keys, text in EXTRA_KEYS:
                lines.append(Content.assemble((f"  {keys:<16}", "bold"), text))
            yield Static(Content("\n").join(lines), classes="help-group")

    def on_mount(self) -> None:
        self.query_one("#help").border_title = "Help (escape to close)"
