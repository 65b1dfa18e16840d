"""The export dialog (`x`): choose a format (Markdown, CSV, JSON, Web Annotation, CSL-JSON,
Readwise) and the file to write (by default a new file in `<data>/exports/`)."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from explorer.quotes.export import EXTENSIONS, FORMATS, LABELS, with_extension


class ExportDialog(ModalScreen["tuple[str, str] | None"]):
    """Dismissed with (format, path), or None on escape. Moving through the formats changes
    the file's extension; enter on a format or in the file name exports."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        *(Binding(str(i), f"pick({i - 1})", LABELS[fmt].split(" \u00b7 ")[0], show=False)
          for i, fmt in enumerate(FORMATS, 1)),
    ]

    def __init__(self, what: str, default_path: Path, fmt: str = "md") -> None:
        super().__init__(classes="dialog")
        self.what = what
        self.fmt = fmt
        self.default_path = with_extension(default_path, fmt)

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Static(Content.styled(f"Export {self.what}", "bold"), id="export-title")
            yield OptionList(*(Option(f"{i}  {LABELS[fmt]}", id=fmt)
                               for i, fmt in enumerate(FORMATS, 1)), id="export-format")
            yield Input(str(self.default_path), placeholder="file to write", id="export-path")
            yield Static("", id="export-error")
            yield Static(Content.styled(f"\u2191\u2193 or 1-{len(FORMATS)} format \u00b7 "
                                        "tab file name \u00b7 "
                                        "enter export \u00b7 escape cancel", "$text-muted"),
                         id="export-hint")

    @property
    def formats(self) -> OptionList:
        return self.query_one("#export-format", OptionList)

    def on_mount(self) -> None:
        self.formats.highlighted = FORMATS.index(self.fmt)
        self.formats.focus()

    @on(OptionList.OptionHighlighted, "#export-format")
    def _format_changed(self, event: OptionList.OptionHighlighted) -> None:
        self.fmt = event.option.id
        field = self.query_one("#export-path", Input)
        path = Path(field.value.strip() or str(self.default_path))
        known = any(path.name.lower().endswith(ext) for ext in EXTENSIONS.values())
        if known or not path.suffix:
            field.value = str(with_extension(path, self.fmt))

    @on(OptionList.OptionSelected, "#export-format")
    def _format_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_export()

    @on(Input.Submitted, "#export-path")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_export()

    def action_pick(self, index: int) -> None:
        if not isinstance(self.focused, Input):
            self.formats.highlighted = index

    def action_export(self) -> None:
        path = self.query_one("#export-path", Input).value.strip()
        if not path:
            self.query_one("#export-error", Static).update(
                Content.styled("give a file name", "$text-error"))
            return
        self.dismiss((self.fmt, path))

    def action_cancel(self) -> None:
        self.dismiss(None)
