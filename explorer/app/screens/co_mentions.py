"""Co-mentions (`C` for the results, `c` on an entity in the sidebar): the entities that appear
in the same articles, grouped by type, with how many articles they share and how much more often
than chance (lift). `enter` adds the entity as a filter to the search."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from explorer.app.screens.view_screen import ViewScreen
from explorer.errors import UserError
from explorer.text import printable

TYPE_TITLES = {"person": "People", "organization": "Organizations", "product": "Products",
               "place": "Places", "other": "Other"}
SHOWN = 200        # entities listed at most


class CoMentionsScreen(ViewScreen):
    """Dismissed with the entity to filter by, or None."""

    LIST_ID = "comentions-list"

    BINDINGS = [
        Binding("escape,C", "dismiss(None)", "Close", id="comentions.close", tooltip="Back"),
    ]

    def __init__(self, workspace, entity: str | None = None, request=None) -> None:
        super().__init__(workspace, entity, request)
        self.names: dict[str, str] = {}         # option id -> entity name

    def compose(self) -> ComposeResult:
        with Vertical(id="comentions-box", classes="view-box"):
            yield Static(Content.styled("Co-mentions", "bold"), id="comentions-title",
                         classes="view-title")
            yield Static("counting\u2026", id="comentions-message", classes="view-message")
            yield OptionList(id="comentions-list")
            yield Static("enter filter by it \u00b7 esc close", classes="view-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.load()

    @work(thread=True, exclusive=True, group="comentions")
    def load(self) -> None:
        try:
            found = self.workspace.co_mentions(self.entity, self.request)
        except UserError as exc:
            self.post_message(self.Loaded(None, str(exc)))
            return
        self.post_message(self.Loaded(found))

    def on_view_screen_loaded(self, event: ViewScreen.Loaded) -> None:
        message = self.query_one("#comentions-message", Static)
        if event.error:
            message.update(Content.styled(event.error, "bold $text-error"))
            return
        found = event.found
        self.query_one("#comentions-title", Static).update(Content.assemble(
            Content.styled("Co-mentions of ", "bold"), Content.styled(printable(found.subject),
                                                                      "bold $text-accent")))
        plural = "" if found.articles == 1 else "s"
        message.update(Content.styled(
            f"{found.articles:,} article{plural} of {found.total:,} \u00b7 shared: articles "
            f"that mention both \u00b7 lift: how many times more often than in all articles",
            "$text-muted"))
        options: list[Option] = []
        rows = found.rows[:SHOWN]
        for kind in TYPE_TITLES:
            group = [r for r in rows if r.type == kind]
            if not group:
                continue
            options.append(Option(Content.styled(TYPE_TITLES[kind], "bold"), disabled=True))
            for row in group:
                key = f"e{len(self.names)}"
                self.names[key] = row.name
                options.append(Option(Content.assemble(
                    f"{row.shared:>6}  ", Content.styled(f"{row.lift:>6.1f}\u00d7  ",
                                                         "$text-muted"),
                    printable(row.name)), id=key))
        if not options:
            options.append(Option(Content.styled("no other entity appears in these articles",
                                                 "$text-muted"), disabled=True))
        self.set_rows(options)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        name = self.names.get(event.option.id or "")
        if name:
            self.dismiss(name)

