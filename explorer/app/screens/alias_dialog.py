"""`a`: make a name an alias of an entity picked by fuzzy search, or of a new entity; or take
back one of your own aliases."""

from __future__ import annotations

from rapidfuzz import fuzz, process
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, OptionList, Select
from textual.widgets.option_list import Option

CHOICES = 30
# The third item of the dialog's answer when the alias is to be taken back.
REMOVE = "-remove"
# ... and when the name is to be that entity in this article only (no alias made).
HERE = "-here"


def rank_names(query: str, names: list[str], limit: int = CHOICES) -> list[str]:
    """Entity names best matching `query` (all names, sorted, when the query is empty)."""
    if not query.strip():
        return sorted(names, key=str.casefold)[:limit]
    found = process.extract(query, names, scorer=fuzz.WRatio, limit=limit,
                            processor=str.casefold)
    return [name for name, score, _ in found if score >= 40]


class AliasDialog(ModalScreen[tuple[str, str, "str | None"] | None]):
    """Returns (entity name, alias, type for a new entity or None), (entity name, alias,
    REMOVE) to take the alias back, (entity name, alias, HERE) to settle an ambiguous name in
    this article only, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
    ]

    def __init__(self, alias: str, entities: dict[str, str], types: list[str],
                 candidates: tuple[str, ...] = (), new_type: str | None = None,
                 removable: str | None = None, in_article: bool = False) -> None:
        """`entities` maps each entity name to its type; `types` are the types a new one
        can have; `candidates` (an ambiguous mention's) are offered first. `new_type` (a
        discovered name's guessed type, "unknown" included) offers a new entity first;
        `removable`: the entity the name is already one of your aliases of (offered first, to
        take back)."""
        super().__init__()
        self.promote = new_type is not None and removable is None   # yours: take it back
        self.new_type = new_type if new_type in types else None
        self.removable = removable
        # An ambiguous mention in an article: its choice can be for that article only.
        self.in_article = in_article and bool(candidates)
        self.candidates = [name for name in candidates if name in entities]
        self.alias = alias
        self.entities = dict(entities)
        self.names = sorted(self.entities, key=str.casefold)
        self.types = list(types) or ["organization"]

    def compose(self) -> ComposeResult:
        with Vertical(id="alias-dialog"):
            yield Label(Content.assemble(
                "Make ", (f"\u201c{self.alias}\u201d", "bold"),
                " a new entity (enter), or an alias of:" if self.promote else " an alias of:"))
            yield Input(self.alias, placeholder="find an entity, or name a new one",
                        id="alias-filter")
            yield OptionList(id="alias-choices")
            if self.in_article:
                yield Checkbox("only in this article (no alias)", True, id="alias-here")
            with Horizontal(id="alias-new"):
                yield Label("type of a new entity ")
                yield Select([(t, t) for t in self.types], value=self._default_type(),
                             allow_blank=False, id="alias-type")
            yield Label(Content.styled("enter: choose \u00b7 \u2191\u2193: move \u00b7 "
                                       "escape: cancel", "$text-muted"))

    def _default_type(self) -> str:
        if self.new_type:
            return self.new_type
        return "organization" if "organization" in self.types else self.types[0]

    def on_mount(self) -> None:
        self.query_one("#alias-dialog").border_title = (
            "Add an entity" if self.promote else "Add an alias")
        self._fill(self.alias)
        self.query_one("#alias-filter", Input).focus()

    @on(Input.Changed, "#alias-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, query: str) -> None:
        choices = self.query_one("#alias-choices", OptionList)
        ranked = rank_names(query, self.names)
        if " ".join(query.split()) == self.alias:     # untouched: an ambiguous name's choices
            ranked = self.candidates + [name for name in ranked if name not in self.candidates]
        options = [Option(Content.assemble(name, "  ", (self.entities.get(name, ""),
                                                        "$text-muted")), id=f"e:{name}")
                   for name in ranked]
        if self.removable and " ".join(query.split()) == self.alias:
            options.insert(0, Option(Content.assemble(
                ("\u2212 take back: ", "$text-error"), "no longer an alias of ",
                (self.removable, "bold")), id="remove"))
        new = " ".join(query.split())
        if new and new not in self.names:
            option = Option(Content.assemble(("+ new entity ", "$text-success"),
                                             (f"\u201c{new}\u201d", "bold")), id="new")
            if self.promote and new == self.alias:     # a discovered name: make it an entity
                options.insert(0, option)
            else:
                options.append(option)
        choices.set_options(options)
        if options:
            choices.highlighted = 0

    def action_move(self, delta: int) -> None:
        choices = self.query_one("#alias-choices", OptionList)
        if choices.option_count:
            current = choices.highlighted or 0
            choices.highlighted = max(0, min(choices.option_count - 1, current + delta))

    @on(Input.Submitted, "#alias-filter")
    def _submitted(self) -> None:
        choices = self.query_one("#alias-choices", OptionList)
        option = choices.highlighted_option
        if option is not None:
            self._choose(option.id)

    @on(OptionList.OptionSelected, "#alias-choices")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id)

    def _choose(self, option_id: str | None) -> None:
        if option_id == "remove":
            self.dismiss((self.removable, self.alias, REMOVE))
        elif option_id == "new":
            name = " ".join(self.query_one("#alias-filter", Input).value.split())
            kind = self.query_one("#alias-type", Select).value
            self.dismiss((name, self.alias, str(kind)))
        elif option_id and option_id.startswith("e:"):
            here = self.in_article and self.query_one("#alias-here", Checkbox).value
            self.dismiss((option_id[2:], self.alias, HERE if here else None))
