"""The footer: the keys that work now, trimmed to the width so that none is cut in half and `?`
(help, which lists every key) and `q` always show."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

KEEP = ("help", "quit")       # actions shown at every width
PALETTE_CELLS = 14            # "▏^p palette" docked at the right


class KeyFooter(Footer):
    """Textual's Footer, but when the keys do not fit, the last ones (other than help and
    quit) are left out rather than cut at the edge ("e Enti")."""

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        active = self.screen.active_bindings
        shown, seen = [], set()
        for _, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in seen:
                seen.add(binding.action)
                shown.append((binding, enabled, tooltip))
        room = (self.size.width or self.app.size.width) - PALETTE_CELLS

        def cells(item) -> int:
            binding = item[0]
            return cell_len(self.app.get_key_display(binding)) + cell_len(
                binding.description) + 3

        while shown and sum(map(cells, shown)) > room:
            droppable = [i for i, item in enumerate(shown) if item[0].action not in KEEP]
            if not droppable:
                break
            del shown[droppable[-1]]
        for binding, enabled, tooltip in shown:
            yield FooterKey(binding.key, self.app.get_key_display(binding), binding.description,
                            binding.action, disabled=not enabled, tooltip=tooltip
                            ).data_bind(compact=Footer.compact)
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            try:
                _, binding, enabled, tooltip = active[self.app.COMMAND_PALETTE_BINDING]
            except KeyError:
                return
            yield FooterKey(binding.key, self.app.get_key_display(binding), binding.description,
                            binding.action, classes="-command-palette", disabled=not enabled,
                            tooltip=binding.tooltip or binding.description)

    def on_resize(self) -> None:
        if self._bindings_ready:
            self.call_after_refresh(self.recompose)
