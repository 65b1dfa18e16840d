"""Every key of the app, by the pane it works in: the help screen and the command palette are
both built from this, so neither can drift from the bindings."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class KeyGroup:
    title: str
    selector: str | None          # the widget the actions run on (None: the app)
    bindings: tuple[Binding, ...]


# Keys handled by Textual itself or by the mouse, listed so the help screen is complete.
EXTRA_KEYS = (
    ("tab / shift+tab", "Next / previous pane"),
    ("ctrl+p", "Command palette: every action, plus the theme"),
    ("ctrl+q", "Quit"),
    ("mouse", "Click a result to open it, an entity to filter, a filter chip to remove it; "
              "drag in the article to select; the wheel scrolls"),
)


def key_groups(app_class: type) -> list[KeyGroup]:
    """The keys of the app (`app_class`: its own bindings, passed in so this module need not
    import the App) and of each pane."""
    from explorer.app.widgets.article_view import ArticleView
    from explorer.app.widgets.entity_sidebar import EntitySidebar
    from explorer.app.widgets.results_list import ResultsList
    from explorer.app.widgets.search_bar import QueryInput

    def own(cls) -> tuple[Binding, ...]:
        return tuple(b for b in cls.BINDINGS if isinstance(b, Binding))

    return [
        KeyGroup("Everywhere", None, own(app_class)),
        KeyGroup("Search bar", "#query", own(QueryInput) + (
            Binding("enter", "submit", "Run the search now and go to the results"),)),
        KeyGroup("Results", "#results", own(ResultsList) + (
            Binding("up,down", "cursor_down", "Move"),)),
        KeyGroup("Article", "#article", own(ArticleView)),
        KeyGroup("Entity sidebar", "#sidebar", own(EntitySidebar)),
    ]


def describe(binding: Binding) -> str:
    return binding.tooltip or binding.description


def bound_keys(binding: Binding, keymap: dict) -> str:
    """The keys a binding answers to now: the user's `keymap:` (by binding id) over the default."""
    return keymap.get(binding.id, binding.key) if binding.id else binding.key


def user_keymap(app) -> dict:
    workspace = getattr(app, "workspace", None)
    return dict(getattr(getattr(workspace, "config", None), "keymap", None) or {})
