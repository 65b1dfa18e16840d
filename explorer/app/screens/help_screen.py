"""`?`: every key on one screen, generated from the bindings (keymap.py)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from explorer.app.keymap import EXTRA_KEYS, bound_keys, describe, key_groups, user_keymap


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q,f1", "dismiss", "Close", show=True)]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Content.styled("news-explorer keys", "bold $text-accent"),
                         classes="help-title")
            keymap = user_keymap(self.app)
            for group in key_groups(type(self.app)):
                rows = []
                for binding in group.bindings:
                    keys = " ".join(self.app.get_key_display(Binding(key, binding.action))
                                    for key in bound_keys(binding, keymap).split(","))
                    rows.append((keys, describe(binding)))
                yield from self._group(group.title, rows)
            yield from self._group("Also", list(EXTRA_KEYS))

    def _group(self, title: str, rows: list[tuple[str, str]]) -> ComposeResult:
        yield Static(Content.styled(title, "bold $text-secondary"), classes="help-heading")
        with Grid(classes="help-group"):
            for keys, text in rows:
                yield Static(Content.styled(keys, "bold"), classes="help-keys")
                yield Static(Content(text), classes="help-text")

    def on_mount(self) -> None:
        self.query_one("#help").border_title = "Help (escape to close)"
