"""The entity sidebar: the entities of the current results (or of the open article), with article
counts, grouped by type; `u` switches to the names nobody has linked to an entity yet."""

from __future__ import annotations

from rich.cells import cell_len
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

TYPE_ORDER = ("person", "organization", "product", "place", "other", "unknown")
TYPE_HEADINGS = {"person": "People", "organization": "Organizations", "product": "Products",
                 "place": "Places", "other": "Other", "unknown": "Type unknown"}
DISCOVERED_MARK = "\u25c7 "      # ◇: a name the corpus uses that no entity covers yet
FILTER_MARK = "\u2713 "


class EntitySidebar(OptionList):
    """`enter` adds the entity as a search filter; moving over one lights its mentions.
    Discovered names (◇) are listed in their type's group after the entities; `a` (or
    `enter`) on one makes it an entity."""

    # Its size is set by the stylesheet: a new list changes only what scrolls inside it, so it
    # needs its scrollbar updated (OptionList does), not the whole screen laid out again.
    virtual_size = Reactive(Size(0, 0), layout=False)

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "Top", show=False),
        Binding("G", "last", "Bottom", show=False),
        Binding("enter", "select", "Filter", id="entities.filter",
                tooltip="Add (or remove) entity:NAME in the search"),
        Binding("u", "toggle_unlinked", "Unlinked", id="entities.unlinked",
                tooltip="Show the names not linked to any entity (and back)"),
        Binding("a", "alias", "Add", id="entities.alias",
                tooltip="Make the discovered (\u25c7) or unlinked name an entity, or an "
                        "alias of one"),
        Binding("c", "co_mentions", "With", id="entities.comentions",
                tooltip="The entities that appear in the same articles as this one"),
    ]

    class Chosen(Message):
        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    class Highlighted(Message):
        """The entity under the sidebar's highlight (None for a heading or an unlinked name)."""

        def __init__(self, name: str | None) -> None:
            super().__init__()
            self.name = name

    class AliasRequested(Message):
        """Make `text` an entity or an alias; `kind` is a discovered name's guessed type."""

        def __init__(self, text: str, kind: str | None = None) -> None:
            super().__init__()
            self.text, self.kind = text, kind

    class CoMentionsWanted(Message):
        """The co-mentions of an entity, asked for with `c`."""

        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    class ModeChanged(Message):
        """The sidebar wants the other list (entities <-> unlinked names)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.unlinked_mode = False
        self.scope = "results"
        self.filters: tuple[str, ...] = ()
        self.discovered_types: dict[str, str] = {}
        self._shown: tuple | None = None        # what to draw again at another width
        self._drawn_width = 0

    def show_entities(self, counts: list, scope: str, filters: tuple[str, ...] = (),
                      label: str | None = None, discovered: list = ()) -> None:
        """`counts` are EntityCount records, `discovered` DiscoveredName records (names the
        corpus uses that no entity covers); scope is 'results' or 'article'; `label` says
        which articles they come from (for the border)."""
        self.scope, self.filters = scope, tuple(filters)
        self._shown = ("entities", counts, scope, filters, label, discovered)
        self.border_title = "Entities \u00b7 " + (label or scope)
        self.discovered_types = {d.name: d.type for d in discovered}
        current = self._current_id()
        options: list[Option] = []
        groups: dict[str, list] = {}
        for count in counts:
            kind = count.type if count.type in TYPE_HEADINGS else "other"
            groups.setdefault(kind, []).append((count, "e"))
        for name in discovered:
            kind = name.type if name.type in TYPE_HEADINGS else "unknown"
            groups.setdefault(kind, []).append((name, "d"))
        width = self._drawn_width = self._row_width()
        for kind in TYPE_ORDER:
            if kind not in groups:
                continue
            options.append(Option(Content.styled(TYPE_HEADINGS[kind], "bold $text-secondary"),
                                  disabled=True))
            for count, prefix in groups[kind]:
                number = count.mentions if scope == "article" else count.articles
                if prefix == "d":
                    mark, style = DISCOVERED_MARK, f"italic $text-{_TYPE_COLOURS[kind]}"
                else:
                    mark = FILTER_MARK if count.name in self.filters else "  "
                    style = f"$text-{_TYPE_COLOURS[kind]}"
                options.append(Option(_row(mark, count.name, style, number, width),
                                      id=f"{prefix}:{count.name}"))
        if not options:
            options.append(Option(Content.styled("no entities here", "$text-muted"),
                                  disabled=True))
        elif discovered:
            options.append(Option(Content.styled(f"{DISCOVERED_MARK}discovered; a adds",
                                                 "$text-muted"), disabled=True))
        self._replace(options, current)

    def show_unlinked(self, names: list[tuple[str, int]], scope: str,
                      label: str | None = None) -> None:
        self.scope = scope
        self._shown = ("unlinked", names, scope, label)
        self.border_title = "Unlinked \u00b7 " + (label or scope)
        current = self._current_id()
        width = self._drawn_width = self._row_width()
        options = [Option(_row("", text, "", count, width), id=f"u:{text}")
                   for text, count in names]
        if not options:
            options.append(Option(Content.styled("no unlinked names", "$text-muted"),
                                  disabled=True))
        self._replace(options, current)

    def _row_width(self) -> int:
        """Cells a row may take (its count stays on the row: long names are shortened)."""
        width = self.scrollable_content_region.width
        return width if width > 4 else 26

    def on_resize(self) -> None:
        if self._shown is not None and self._row_width() != self._drawn_width:
            kind, *args = self._shown
            if kind == "entities":
                self.show_entities(*args)
            else:
                self.show_unlinked(*args)

    def _current_id(self) -> str | None:
        option = self.highlighted_option
        return option.id if option else None

    def _replace(self, options: list[Option], current: str | None) -> None:
        self.set_options(options)
        ids = [option.id for option in options]
        if current in ids:
            self.highlighted = ids.index(current)
        else:
            enabled = [i for i, option in enumerate(options) if not option.disabled]
            self.highlighted = enabled[0] if enabled else None

    @property
    def current_entity(self) -> str | None:
        """The entity (or discovered name) under the highlight."""
        option_id = self._current_id()
        return option_id[2:] if option_id and option_id[:2] in ("e:", "d:") else None

    @property
    def current_discovered(self) -> str | None:
        option_id = self._current_id()
        return option_id[2:] if option_id and option_id.startswith("d:") else None

    @property
    def current_unlinked(self) -> str | None:
        option_id = self._current_id()
        return option_id[2:] if option_id and option_id.startswith("u:") else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith("e:"):
            self.post_message(self.Chosen(option_id[2:]))
        elif option_id.startswith("u:"):
            self.post_message(self.AliasRequested(option_id[2:]))
        elif option_id.startswith("d:"):
            name = option_id[2:]
            self.post_message(self.AliasRequested(name, self.discovered_types.get(name)))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if self.has_focus:
            self.post_message(self.Highlighted(self.current_entity))

    def on_focus(self) -> None:
        if self.highlighted is None:          # show where the cursor is from the start
            enabled = [i for i in range(self.option_count)
                       if not self.get_option_at_index(i).disabled]
            if enabled:
                self.highlighted = enabled[0]
        self.post_message(self.Highlighted(self.current_entity))

    def action_toggle_unlinked(self) -> None:
        self.unlinked_mode = not self.unlinked_mode
        self.post_message(self.ModeChanged())

    def action_co_mentions(self) -> None:
        name = self.current_entity if self.current_discovered is None else None
        if name is None:
            self.notify("Move to an entity first (c: the entities named with it)",
                        severity="warning")
            return
        self.post_message(self.CoMentionsWanted(name))

    def action_alias(self) -> None:
        name = self.current_discovered
        if name is not None:
            self.post_message(self.AliasRequested(name, self.discovered_types.get(name)))
            return
        text = self.current_unlinked
        if text is None:
            self.notify("Press a on a discovered name (\u25c7), or u for the unlinked names",
                        severity="warning")
            return
        self.post_message(self.AliasRequested(text))


_TYPE_COLOURS = {"person": "success", "organization": "accent", "product": "warning",
                 "place": "primary", "other": "secondary", "unknown": "muted"}


def _row(mark: str, name: str, style: str, number: int, width: int) -> Content:
    """mark, name, count on one row of `width` cells: a long name is cut with an ellipsis."""
    count = str(number)
    room = max(4, width - cell_len(mark) - len(count) - 1)
    if cell_len(name) > room:
        name = name[:room - 1].rstrip() + "\u2026"
    return Content.assemble(mark, (name, style) if style else name, " ", (count, "$text-muted"))
