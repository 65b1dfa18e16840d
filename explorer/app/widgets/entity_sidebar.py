"""The entity sidebar: the entities of the current results (or of the open article), with article
counts, grouped by type; `u` switches to the names nobody has linked to an entity yet."""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

TYPE_ORDER = ("person", "organization", "product", "place", "other")
TYPE_HEADINGS = {"person": "People", "organization": "Organizations", "product": "Products",
                 "place": "Places", "other": "Other"}


class EntitySidebar(OptionList):
    """`enter` adds the entity as a search filter; moving over one lights its mentions."""

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
        Binding("a", "alias", "Alias", id="entities.alias",
                tooltip="Make the unlinked name an alias of an entity"),
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
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

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

    def show_entities(self, counts: list, scope: str, filters: tuple[str, ...] = (),
                      label: str | None = None) -> None:
        """`counts` are EntityCount records; scope is 'results' or 'article'; `label` says
        which articles they come from (for the border)."""
        self.scope, self.filters = scope, tuple(filters)
        self.border_title = "Entities \u00b7 " + (label or scope)
        current = self._current_id()
        options: list[Option] = []
        groups: dict[str, list] = {}
        for count in counts:
            kind = count.type if count.type in TYPE_HEADINGS else "other"
            groups.setdefault(kind, []).append(count)
        for kind in TYPE_ORDER:
            if kind not in groups:
                continue
            options.append(Option(Content.styled(TYPE_HEADINGS[kind], "bold $text-secondary"),
                                  disabled=True))
            for count in groups[kind]:
                number = count.mentions if scope == "article" else count.articles
                mark = "\u2713 " if count.name in self.filters else "  "
                options.append(Option(Content.assemble(
                    mark, (count.name, f"$text-{_TYPE_COLOURS[kind]}"), " ",
                    (str(number), "$text-muted")), id=f"e:{count.name}"))
        if not options:
            options.append(Option(Content.styled("no entities here", "$text-muted"),
                                  disabled=True))
        self._replace(options, current)

    def show_unlinked(self, names: list[tuple[str, int]], scope: str,
                      label: str | None = None) -> None:
        self.scope = scope
        self.border_title = "Unlinked \u00b7 " + (label or scope)
        current = self._current_id()
        options = [Option(Content.assemble(text, " ", (str(count), "$text-muted")),
                          id=f"u:{text}") for text, count in names]
        if not options:
            options.append(Option(Content.styled("no unlinked names", "$text-muted"),
                                  disabled=True))
        self._replace(options, current)

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
        option_id = self._current_id()
        return option_id[2:] if option_id and option_id.startswith("e:") else None

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

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if self.has_focus:
            self.post_message(self.Highlighted(self.current_entity))

    def on_focus(self) -> None:
        self.post_message(self.Highlighted(self.current_entity))

    def action_toggle_unlinked(self) -> None:
        self.unlinked_mode = not self.unlinked_mode
        self.post_message(self.ModeChanged())

    def action_co_mentions(self) -> None:
        name = self.current_entity
        if name is None:
            self.notify("Move to an entity first (c: the entities named with it)",
                        severity="warning")
            return
        self.post_message(self.CoMentionsWanted(name))

    def action_alias(self) -> None:
        text = self.current_unlinked
        if text is None:
            self.notify("Press u for the unlinked names, then a on one", severity="warning")
            return
        self.post_message(self.AliasRequested(text))


_TYPE_COLOURS = {"person": "success", "organization": "accent", "product": "warning",
                 "place": "primary", "other": "secondary"}
