"""The command palette's provider: every action of the app, plus the current entity filters."""

from __future__ import annotations

from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from explorer.app.keymap import bound_keys, describe, key_groups, user_keymap


class ExplorerCommands(Provider):
    """Commands built from the bindings (see keymap.py), run on the pane that owns them."""

    def _commands(self) -> list[tuple[str, str, object]]:
        app = self.app
        found: list[tuple[str, str, object]] = []
        seen: set[str] = set()
        keymap = user_keymap(app)
        for group in key_groups(type(self.app)):
            if group.selector is None:
                target = app
            else:
                nodes = app.screen_stack[0].query(group.selector) if app.screen_stack else []
                target = nodes.first() if nodes else None
                if target is None:
                    continue
            for binding in group.bindings:
                if not binding.id or binding.id in seen:
                    continue
                seen.add(binding.id)
                keys = ", ".join(app.get_key_display(Binding(key, binding.action))
                                 for key in bound_keys(binding, keymap).split(","))
                found.append((describe(binding), f"{group.title} \u00b7 {keys}",
                              partial(app.run_action, binding.action, target)))
        for name in getattr(app.search_bar, "filters", ()):
            found.append((f"Remove filter entity:{name}", "Drop this entity from the search",
                          partial(app.remove_filter, name)))
        return found

    async def discover(self) -> Hits:
        for name, help_text, command in self._commands():
            yield DiscoveryHit(name, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, command in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), command, help=help_text)
