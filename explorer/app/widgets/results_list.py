"""The results list: one option per article with title, date, source, snippet and entities."""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

SNIPPET_CHARS = 180


def hit_prompt(hit) -> Content:
    """A result as Content (never markup: titles and snippets are article text)."""
    title = Content.styled(hit.title or "(untitled)", "bold")
    meta = Content.styled(" \u00b7 ".join([hit.date[:10] if hit.date else "undated",
                                           hit.source or "no source"]), "$text-muted")
    snippet_parts = list(hit.snippet.parts)
    lead = (hit.title or "").rstrip("\u2026").strip()
    if len(snippet_parts) == 1 and lead and snippet_parts[0][0].startswith(lead):
        # The opening of an article whose title is its first sentence: skip the repeat.
        rest = snippet_parts[0][0][len(lead):].lstrip()
        snippet_parts = [(rest, False)] if rest else []
    parts: list = []
    used, cut = 0, False
    for text, is_hit in snippet_parts:
        room = SNIPPET_CHARS - used
        if room <= 0:
            cut = True
            break
        if not is_hit and len(text) > room:     # end at a word, not mid-word
            space = text.rfind(" ", 0, room)
            text, cut = text[: space if space >= 0 else room], True
        parts.append((text, "bold $text-warning") if is_hit else text)
        used += len(text)
        if cut:
            break
    if cut:
        last = parts[-1] if isinstance(parts[-1], str) else parts[-1][0]
        if not last.rstrip().endswith("\u2026"):
            parts.append(" \u2026")
    lines = [title, meta] + ([Content.assemble(*parts)] if parts else [])
    if hit.entities:
        lines.append(Content.styled(", ".join(hit.entities[:4]), "italic $text-accent"))
    return Content("\n").join(lines)


class ResultsList(OptionList):
    """Articles matching the search. `enter` (or a click) opens one."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "Top", show=False),
        Binding("G", "last", "Bottom", show=False),
        Binding("enter", "select", "Open", id="results.open", tooltip="Open the article"),
    ]

    class Opened(Message):
        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    class NeedMore(Message):
        """The highlight reached the last result: the app may load more."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.hits: list = []

    def show_hits(self, hits: list) -> None:
        """Replace the list; the highlight stays on the same article when it is still there."""
        current = self.highlighted_option.id if self.highlighted_option else None
        self.hits = list(hits)
        options: list = []
        for hit in self.hits:
            if options:
                options.append(None)        # a separator line between articles
            options.append(Option(hit_prompt(hit), id=hit.id))
        self.set_options(options)
        ids = [hit.id for hit in self.hits]
        if self.hits:
            self.highlighted = ids.index(current) if current in ids else 0
            self.scroll_to_highlight()

    @property
    def current_id(self) -> str | None:
        option = self.highlighted_option
        return option.id if option else None

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        if highlighted is not None and self.hits and highlighted >= len(self.hits) - 1:
            self.post_message(self.NeedMore())

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Opened(event.option.id))
