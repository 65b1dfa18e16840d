"""The results list: one row per article with title, date, source, snippet and entities.

A Line-API `ScrollView` rather than an `OptionList`, for the key-to-results path: OptionList
wraps every option twice when its options are replaced (once to measure its height, once to
draw it), re-checks its line table on every line it draws, and lays out the whole screen when
its height changes. Here a row's height comes from the same word division Textual uses to draw
it (`rich`'s `divide_line`, kept per text and width), only the rows on screen are drawn (kept per
article and look), and a new list only repaints this widget. Rows look as OptionList drew them.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import NamedTuple

from rich._wrap import divide_line
from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import Reactive, reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Padding

from explorer.ingest.dates import local_date
from explorer.recent import Recent
from explorer.text import printable

SNIPPET_CHARS = 180
TAB_SIZE = 8            # as Content draws tabs


def hit_prompt(hit) -> Content:
    """A result as Content (never markup: titles and snippets are article text)."""
    title = Content.styled(printable(hit.title or "(untitled)"), "bold")
    meta = Content.styled(printable(meta_line(local_date(hit.date) if hit.date else None,
                                              getattr(hit, "section", None), hit.source)),
                          "$text-muted")
    snippet_parts = [(printable(text), lit) for text, lit in hit.snippet.parts]
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
        lines.append(Content.styled(printable(", ".join(hit.entities[:4])),
                                    "italic $text-accent"))
    return Content("\n").join(lines)


def meta_line(date: str | None, section: str | None, source: str | None,
              full_date: bool = False) -> str:
    """"2025-06-19 · business · BBC"; "undated" only when there is no section to say more."""
    day = (date if full_date else date[:10]) if date else ""
    parts = [day or ("" if section else "undated"), section or "",
             source or "no source"]
    return " \u00b7 ".join(part for part in parts if part)


def hit_key(hit) -> tuple:
    """What a hit's row shows (not its score): equal keys draw the same row."""
    return (hit.id, hit.title, hit.date, getattr(hit, "section", None), hit.source,
            hit.snippet.parts, hit.entities)


class Row(NamedTuple):
    """A result as the list holds it (`prompt` is what it shows)."""

    id: str
    prompt: Content


class _ListKeys(ScrollView):
    """The moving keys every list has (as OptionList's); the help screen lists ResultsList's own."""

    BINDINGS = [
        Binding("down", "cursor_down", "Down", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("pagedown", "page_down", "Page Down", show=False),
        Binding("pageup", "page_up", "Page Up", show=False),
    ]


class ResultsList(_ListKeys, can_focus=True):
    """Articles matching the search. `enter` (or a click) opens one."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "Top", show=False),
        Binding("G", "last", "Bottom", show=False),
        Binding("enter", "select", "Open", id="results.open", tooltip="Open the article"),
    ]

    # OptionList's look, under this widget's names.
    DEFAULT_CSS = """
    ResultsList {
        color: $foreground;
        overflow-x: hidden;
        overflow-y: scroll;     /* the scrollbar stays: its coming and going laid out the screen */
        border: tall $border-blurred;
        padding: 0 1;
        background: $surface;
        & > .results-list--option-highlighted {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            border: tall $border;
            background-tint: $foreground 5%;
            & > .results-list--option-highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
        & > .results-list--separator {
            color: $foreground 15%;
        }
        & > .results-list--option-highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
        }
        & > .results-list--option-hover {
            background: $block-hover-background;
        }
    }
    """

    COMPONENT_CLASSES = {
        "results-list--option", "results-list--option-highlighted",
        "results-list--option-hover", "results-list--separator",
    }

    # The list's height changes with every search; a scroll view needs no layout for that (its
    # size is set by the stylesheet), only its scrollbars updated, which `_measure` does.
    virtual_size = Reactive(Size(0, 0), layout=False)
    highlighted: reactive[int | None] = reactive(None)
    _hover: reactive[int | None] = reactive(None)

    class Opened(Message):
        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    class NeedMore(Message):
        """The highlight reached the last result: the app may load more."""

    class WantLast(Message):
        """`G` / `end`: the app loads the results up to the last one (in a worker), then
        highlights it."""

    class Moved(Message):
        """The highlighted row (0-based) while the list has focus; None when it loses it."""

        def __init__(self, row: int | None) -> None:
            super().__init__()
            self.row = row

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.hits: list = []
        self._rows: list[Row] = []
        self._keys: list[tuple] = []
        self._starts: list[int] = []          # first line of each row
        self._heights: list[int] = []         # lines of each row, its separator included
        self._width = 0                       # the width the heights are for
        self._wraps: Recent[tuple[str, int], int] = Recent(4096)
        self._drawn: Recent[tuple, list[Strip]] = Recent(512)
        self._shown: dict[tuple[int, str], list[Strip]] = {}

    # -- the rows --------------------------------------------------------------------------
    def show_hits(self, hits: list) -> None:
        """Replace the list; the highlight stays on the same article when it is still there."""
        current = self.current_id
        self.hits = list(hits)
        self._rows = [Row(hit.id, hit_prompt(hit)) for hit in self.hits]
        self._keys = [hit_key(hit) for hit in self.hits]
        self._shown.clear()
        self._measure()
        self.scroll_y = 0
        ids = [hit.id for hit in self.hits]
        self.highlighted = None
        if self.hits:
            self.highlighted = ids.index(current) if current in ids else 0
        self.refresh()

    def replace_option_prompt(self, option_id: str, prompt: Content) -> None:
        """Show the row of `option_id` as `prompt` (the NEW badge)."""
        index = self._index_of(option_id)
        self._rows[index] = Row(option_id, prompt)
        self._keys[index] = hit_key(self.hits[index]) + (prompt.plain, tuple(prompt.spans))
        self._shown.clear()
        self._measure()
        self.refresh()

    def _index_of(self, option_id: str) -> int:
        for index, row in enumerate(self._rows):
            if row.id == option_id:
                return index
        raise KeyError(option_id)

    def get_option(self, option_id: str) -> Row:
        return self._rows[self._index_of(option_id)]

    def get_option_at_index(self, index: int) -> Row:
        return self._rows[index]

    @property
    def option_count(self) -> int:
        return len(self._rows)

    @property
    def highlighted_option(self) -> Row | None:
        return self._rows[self.highlighted] if self.highlighted is not None else None

    @property
    def current_id(self) -> str | None:
        option = self.highlighted_option
        return option.id if option else None

    # -- geometry --------------------------------------------------------------------------
    def _padding(self):
        return self.get_component_styles("results-list--option").padding

    def _measure(self) -> None:
        """Each row's height at the current width, and the list's virtual size (again when
        that shows or hides the scrollbar, which changes the width)."""
        for _ in range(3):
            self._measure_at(self.scrollable_content_region.width)
            if self.scrollable_content_region.width == self._width:
                break
            self._forget_drawn()

    def _measure_at(self, width: int) -> None:
        self._width = width
        if width <= 0:
            return
        inner = max(1, width - self._padding().width)
        starts, heights, line = [], [], 0
        last = len(self._rows) - 1
        for index, row in enumerate(self._rows):
            height = sum(self._wrapped(text, inner) for text in row.prompt.plain.split("\n"))
            height += index < last                # the separator under every row but the last
            starts.append(line)
            heights.append(height)
            line += height
        self._starts, self._heights = starts, heights
        size = Size(width, line)
        if size != self.virtual_size:
            self.virtual_size = size
            self._scroll_update(size)        # scrollbars (as OptionList does after a change)

    def _wrapped(self, text: str, width: int) -> int:
        """Lines `text` takes at `width`: the division Content's own wrapping uses."""
        key = (text, width)
        lines = self._wraps.get(key)
        if lines is None:
            plain = text.expandtabs(TAB_SIZE) if "\t" in text else text
            lines = len(divide_line(plain, width, fold=True)) + 1
            self._wraps.put(key, lines)
        return lines

    def on_resize(self, event: events.Resize) -> None:
        self._forget_drawn()
        self._measure()
        self.scroll_to_highlight()

    def notify_style_update(self) -> None:
        super().notify_style_update()          # a theme or focus change: draw rows again
        self._forget_drawn()
        self.refresh()

    def on_focus(self, event: events.Focus) -> None:
        self._shown.clear()
        self.post_message(self.Moved(self.highlighted))

    def on_blur(self, event: events.Blur) -> None:
        self._shown.clear()
        self.post_message(self.Moved(None))

    # -- drawing ---------------------------------------------------------------------------
    def _forget_drawn(self) -> None:
        """Drop every drawn row (after a change of width, theme or focus)."""
        self._drawn.clear()
        self._shown.clear()

    def _state(self, index: int) -> str:
        if index == self.highlighted:
            return "results-list--option-highlighted"
        if index == self._hover:
            return "results-list--option-hover"
        return ""

    def _row_strips(self, index: int) -> list[Strip]:
        state = self._state(index)
        strips = self._shown.get((index, state))
        if strips is not None:
            return strips
        width = self._width
        style = (self.get_visual_style("results-list--option", state) if state else
                 self.get_visual_style("results-list--option"))
        key = (self._keys[index], width, state, self.has_focus)
        drawn = self._drawn.get(key)
        if drawn is None:
            visual = self._rows[index].prompt
            padding = self._padding()
            drawn = visual.to_strips(self, Padding(visual, padding) if padding else visual,
                                     width, None, style)
            drawn = [strip.extend_cell_length(width, style.rich_style) for strip in drawn]
            self._drawn.put(key, drawn)
        meta = {"option": index}
        strips = [strip.apply_meta(meta) for strip in drawn]
        height = self._heights[index] - (index < len(self._rows) - 1)
        if len(strips) != height:            # never expected: keep the row to its measure
            blank = Strip.blank(width, style.rich_style).apply_meta(meta)
            strips = (strips + [blank] * height)[:height]
        if index < len(self._rows) - 1:
            rule = self.get_visual_style("results-list--separator").rich_style
            strips.append(Strip([Segment("\u2500" * width, rule)], width))
        self._shown[(index, state)] = strips
        return strips

    def render_line(self, y: int) -> Strip:
        line = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if width != self._width:
            self._forget_drawn()
            self._measure()
        if not self._rows or line >= self._starts[-1] + self._heights[-1]:
            return Strip.blank(width, self.get_visual_style("results-list--option").rich_style)
        index = bisect_right(self._starts, line) - 1
        return self._row_strips(index)[line - self._starts[index]]

    # -- highlight and keys ----------------------------------------------------------------
    def validate_highlighted(self, highlighted: int | None) -> int | None:
        if highlighted is None or not self._rows:
            return None
        return max(0, min(highlighted, len(self._rows) - 1))

    def watch_highlighted(self, highlighted: int | None) -> None:
        self.refresh()
        if self.has_focus:
            self.post_message(self.Moved(highlighted))
        if highlighted is None:
            return
        self.scroll_to_highlight()
        if self.hits and highlighted >= len(self.hits) - 1:
            self.post_message(self.NeedMore())

    def watch__hover(self) -> None:
        self.refresh()

    def scroll_to_highlight(self) -> None:
        highlighted = self.highlighted
        if highlighted is None or not self.is_mounted or highlighted >= len(self._starts):
            return
        self.scroll_to_region(
            Region(0, self._starts[highlighted], self._width, self._heights[highlighted]),
            force=True, animate=False, immediate=True)

    def on_show(self) -> None:
        self.scroll_to_highlight()

    def action_cursor_down(self) -> None:
        if self._rows:
            self.highlighted = 0 if self.highlighted is None else self.highlighted + 1

    def action_cursor_up(self) -> None:
        if self._rows:
            self.highlighted = 0 if self.highlighted is None else self.highlighted - 1

    def action_first(self) -> None:
        if self._rows:
            self.highlighted = 0

    def action_last(self) -> None:
        if self._rows:
            self.post_message(self.WantLast())      # before NeedMore, which it supersedes
            self.highlighted = len(self._rows) - 1

    def _move_page(self, direction: int) -> None:
        if not self._rows:
            return
        if self.highlighted is None:
            self.highlighted = 0
            return
        total = self._starts[-1] + self._heights[-1]
        line = self._starts[self.highlighted] + direction * self.scrollable_content_region.height
        line = max(0, min(line, total - 1))
        self.highlighted = bisect_right(self._starts, line) - 1

    def action_page_down(self) -> None:
        self._move_page(1)

    def action_page_up(self) -> None:
        self._move_page(-1)

    def action_select(self) -> None:
        option = self.highlighted_option
        if option is not None:
            self.post_message(self.Opened(option.id))

    # -- mouse -----------------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        clicked = event.style.meta.get("option")
        if clicked is not None and clicked < len(self._rows):
            self.highlighted = clicked
            self.action_select()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover = event.style.meta.get("option")

    def on_leave(self, event: events.Leave) -> None:
        self._hover = None
