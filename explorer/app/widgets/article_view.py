"""The article reader: header, body with hits and entity mentions lit up, a cursor and a selection.

Why a Line-API `ScrollView` and not a read-only `TextArea` or a `Static`:
- `TextArea` has keyboard selection but no public API to style arbitrary spans, and we style
  hits, mentions by type, the focused entity and kept quotes, all overlapping.
- A `Static` with `Content.stylize` styles spans cleanly, but it wraps the text itself, so the view
  cannot tell which screen line the cursor is on (to scroll to it) or which character a mouse click
  hit. Here we wrap the text ourselves (`text_layout.wrap_spans`), keeping character offsets for
  every screen line: cursor, selection, mouse and `n`/`N` all work in body offsets, the same
  offsets the domain uses for mentions, hits and quotes.
Every character is drawn as a plain `Segment`: article text never goes through markup, so `[bold]`
or `[link=...]` in an article is just text.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Iterable

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from explorer.app import text_layout as tl
from explorer.ingest.dates import local_date
from explorer.app.widgets.results_list import meta_line
from explorer.text import printable

ENTITY_TYPES = ("person", "organization", "product", "place", "other")


@dataclass(frozen=True)
class Block:
    """A piece of text the view shows: the title, a meta line, the body, the duplicates."""

    name: str
    text: str
    component: str


@dataclass(frozen=True)
class Line:
    block: Block
    start: int
    end: int


class ArticleView(ScrollView, can_focus=True):
    """Shows one article. Body offsets are the currency: cursor, selection, spans."""

    BINDINGS = [
        Binding("up,k", "cursor_line(-1)", "Up", show=False),
        Binding("down,j", "cursor_line(1)", "Down", show=False),
        Binding("left", "cursor_char(-1)", "Left", show=False),
        Binding("right", "cursor_char(1)", "Right", show=False),
        Binding("w", "word(1)", "Next word", show=False),
        Binding("b", "word(-1)", "Previous word", show=False),
        Binding("right_parenthesis", "sentence(1)", "Next sentence", show=False),
        Binding("left_parenthesis", "sentence(-1)", "Previous sentence", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown,space", "page(1)", "Page down", show=False),
        Binding("g,home", "top", "Top", show=False),
        Binding("G,end", "bottom", "Bottom", show=False),
        Binding("n", "next_mark(1)", "Next hit", id="article.next", tooltip="Next search hit "
                "(or mention of the selected entity)"),
        Binding("N", "next_mark(-1)", "Prev hit", id="article.previous",
                tooltip="Previous search hit (or mention)"),
        Binding("v", "select", "Select", id="article.select",
                tooltip="Start (or stop) a selection at the cursor"),
        Binding("y,h", "keep", "Keep", id="article.keep", tooltip="Keep the selected passage"),
        Binding("H", "keep_sentence", "Keep sentence", show=False, id="article.keep_sentence",
                tooltip="Keep the sentence under the cursor"),
        Binding("a", "alias", "Alias", id="article.alias",
                tooltip="Add the selection or the unlinked name under the cursor as an alias"),
        Binding("escape", "cancel", "Back", show=False),
    ]

    COMPONENT_CLASSES = {
        "article-view--title", "article-view--meta", "article-view--body",
        "article-view--hit", "article-view--focus", "article-view--kept",
        "article-view--selection", "article-view--cursor", "article-view--unlinked",
        *(f"article-view--{kind}" for kind in ENTITY_TYPES),
    }

    class PassageKept(Message):
        """The reader kept a passage of the open article (the quotes feature stores it)."""

        def __init__(self, article_id: str, start: int, end: int, text: str) -> None:
            super().__init__()
            self.article_id, self.start, self.end, self.text = article_id, start, end, text

    class AliasRequested(Message):
        """`a` on a selection or a mention: make `text` an alias (or, when it is one of
        your aliases, take it back). `candidates` are the entities an ambiguous mention
        could be."""

        def __init__(self, article_id: str, text: str, candidates: tuple[str, ...] = ()
                     ) -> None:
            super().__init__()
            self.article_id, self.text, self.candidates = article_id, text, candidates

    class MarkReached(Message):
        """`n`/`N` moved to mark `number` (1-based) of `count`; `kind` is "hit" or "mention"."""

        def __init__(self, number: int, count: int, kind: str) -> None:
            super().__init__()
            self.number, self.count, self.kind = number, count, kind

    class Back(Message):
        """Escape with nothing to cancel: the app goes back to the results."""

    class SelectionChanged(Message):
        """A selection started, grew, shrank or ended: `words` is its size (None: none)."""

        def __init__(self, words: int | None) -> None:
            super().__init__()
            self.words = words

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.article = None
        self.body = ""
        self.hits: list[tuple[int, int]] = []
        self.title_hits: list[tuple[int, int]] = []
        self.mentions: list = []
        self.discovered: list = []              # DiscoveredMention: names no entity covers yet
        self.focus_entity: str | None = None
        self.anchor: int | None = None
        self._extra: dict[str, tuple[list[tuple[int, int]], str]] = {}
        self._sentences: list[tuple[int, int]] = []
        self._soft: frozenset[int] = frozenset()
        self._fresh = False                      # an article shown, not yet focused
        self._lines: list[Line] = []
        self._body_lines: list[int] = []        # indexes into _lines of the body lines
        self._body_starts: list[int] = []
        self._wrapped_for = -1
        self._dragging = False
        self._column: int | None = None          # the column up/down try to keep
        self._told_words: int | None = None      # the selection size last posted

    # -- content ---------------------------------------------------------------------------
    def show_article(self, article, hits: Iterable[tuple[int, int]] = (),
                     title_hits: Iterable[tuple[int, int]] = (), mentions: Iterable = (),
                     discovered: Iterable = ()) -> None:
        """Show `article` with its search hits, entity mentions and mentions of discovered
        names; the cursor goes to the first hit (or the top)."""
        self.article = article
        self.body = printable(article.body)     # one character for one: offsets hold
        self.hits = sorted(hits)
        self.title_hits = sorted(title_hits)
        self.mentions = sorted(mentions, key=lambda m: (m.start, m.end))
        self.discovered = sorted(discovered, key=lambda m: (m.start, m.end))
        self.focus_entity = None
        self.anchor = None
        self._extra = {}
        self._soft = tl.soft_breaks(self.body)      # hard-wrapped lines are reflowed
        self._sentences = tl.sentence_spans(self.body, self._soft)
        self._wrapped_for = -1
        self._relayout()
        self.cursor = self.hits[0][0] if self.hits else 0
        self._fresh = True
        self.scroll_to(0, 0, animate=False)
        self._scroll_to_cursor(center=bool(self.hits))

    def set_mentions(self, mentions: Iterable, discovered: Iterable = ()) -> None:
        """New entity mentions for the open article (after an alias re-tagged it)."""
        self.mentions = sorted(mentions, key=lambda m: (m.start, m.end))
        self.discovered = sorted(discovered, key=lambda m: (m.start, m.end))
        self.refresh()

    def clear(self) -> None:
        self.article = None
        self.body = ""
        self.hits, self.title_hits, self.mentions, self._extra = [], [], [], {}
        self.discovered = []
        self._sentences, self.anchor, self.focus_entity = [], None, None
        self._soft = frozenset()
        self._relayout()
        self._tell_selection()

    def set_focus_entity(self, name: str | None) -> None:
        """Light up every mention of entity `name`; `n`/`N` then walk them instead of hits."""
        self.focus_entity = name
        self.refresh()

    def set_layer(self, name: str, spans: Iterable[tuple[int, int]],
                  component: str = "article-view--kept") -> None:
        """Extra highlighted body spans under a name (kept quotes, say), drawn with the style of
        `component` (one of COMPONENT_CLASSES). Replaces the spans last set under that name."""
        self._extra[name] = (sorted(spans), component)
        self.refresh()

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected body span (start, end), or None: from the anchor to the cursor (both
        included), widened to whole words. What is drawn selected is exactly what `y` keeps."""
        if self.anchor is None or not self.body:
            return None
        start, end = sorted((self.anchor, self.cursor))
        start, end = tl.whole_words(self.body, start, min(end + 1, len(self.body)))
        return (start, end) if end > start else None

    @property
    def selected_text(self) -> str:
        span = self.selection
        return self.body[span[0]:span[1]] if span else ""

    @property
    def marks(self) -> list[tuple[int, int]]:
        """What `n`/`N` walk: mentions of the focused entity, else the search hits."""
        if self.focus_entity:
            name = self.focus_entity
            return sorted([(m.start, m.end) for m in self.mentions if m.entity == name] +
                          [(m.start, m.end) for m in self.discovered if m.name == name])
        return self.hits

    def mention_at(self, offset: int):
        for mention in self.mentions:
            if mention.start <= offset < mention.end:
                return mention
        return None

    # -- layout ----------------------------------------------------------------------------
    def _relayout(self) -> None:
        width = max(10, self.scrollable_content_region.width or self.size.width or 80)
        self._wrapped_for = width
        lines: list[Line] = []
        body_lines: list[int] = []
        article = self.article
        if article is not None:
            # An index written before names and ids were cleaned at ingest may still hold
            # ESC or BEL in them: nothing but printable text reaches the terminal.
            title = Block("title", printable(article.title or "(untitled)"),
                          "article-view--title")
            meta_text = printable(" \u00b7 ".join([
                meta_line(local_date(article.date), article.section, article.source, True),
                article.path]))
            meta = Block("meta", meta_text, "article-view--meta")
            blank = Block("blank", "", "article-view--body")
            lines += [Line(title, s, e) for s, e in tl.wrap_spans(title.text, width)]
            lines += [Line(meta, s, e) for s, e in tl.wrap_spans(meta.text, width)]
            if article.url:
                url = Block("url", printable(article.url), "article-view--meta")
                lines += [Line(url, s, e) for s, e in tl.wrap_spans(url.text, width)]
            lines.append(Line(blank, 0, 0))
            if not self.body.strip():
                # A title-only record (1,798 of Reuters'): say so rather than show nothing.
                note = Block("note", "This record has a title and no body: the title is all "
                             "there is.", "article-view--meta")
                lines += [Line(note, s, e) for s, e in tl.wrap_spans(note.text, width)]
            body = Block("body", self.body, "article-view--body")
            for s, e in tl.wrap_spans(self.body, width, self._soft):
                body_lines.append(len(lines))
                lines.append(Line(body, s, e))
            if article.duplicates:
                count = len(article.duplicates)
                heading = Block("dup", f"Duplicates ({count}): the same article is also at",
                                "article-view--meta")
                lines += [Line(blank, 0, 0), Line(heading, 0, len(heading.text))]
                for path in article.duplicates:
                    block = Block("dup", f"  {printable(path)}", "article-view--meta")
                    lines += [Line(block, s, e) for s, e in tl.wrap_spans(block.text, width)]
        self._lines = lines
        self._body_lines = body_lines
        self._body_starts = [lines[i].start for i in body_lines]
        self.virtual_size = Size(width, len(lines))
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        width = self.scrollable_content_region.width
        if width and width != self._wrapped_for:
            self._relayout()
            self._scroll_to_cursor()

    # -- drawing ---------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        number = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if self.article is None:
            # The hint wraps to the pane's width: none of it is cut.
            hint = "No article open: choose one in the results and press enter."
            lines = tl.wrap_spans(hint, max(1, width))
            if 1 <= number <= len(lines):
                start, end = lines[number - 1]
                return Strip([Segment(hint[start:end].rstrip(), base + self._partial("meta"))]
                             ).crop_extend(0, width, base)
            return Strip.blank(width, base)
        if number >= len(self._lines):
            return Strip.blank(width, base)
        line = self._lines[number]
        block = line.block
        block_style = base + self.get_component_rich_style(block.component, partial=True)
        if block.name == "body":
            segments = self._body_segments(line, block_style)
        else:
            text = block.text[line.start:line.end].rstrip("\n")
            spans = self.title_hits if block.name == "title" else []
            segments = list(_segments(text, line.start, [(spans, self._partial("hit"))],
                                      block_style))
        strip = Strip(segments)
        return strip.crop_extend(0, width, base)

    def _partial(self, name: str) -> Style:
        return self.get_component_rich_style(f"article-view--{name}", partial=True)

    def _body_segments(self, line: Line, style: Style) -> list[Segment]:
        layers: list[tuple[list[tuple[int, int]], Style]] = []
        for kind in ENTITY_TYPES:
            spans = [(m.start, m.end) for m in self.mentions
                     if m.entity and (m.type or "other") == kind]
            spans += [(m.start, m.end) for m in self.discovered if m.type == kind]
            if spans:
                layers.append((spans, self._partial(kind)))
        unlinked = [(m.start, m.end) for m in self.mentions if not m.entity]
        if unlinked:
            layers.append((unlinked, self._partial("unlinked")))
        for spans, component in self._extra.values():
            layers.append((spans, self.get_component_rich_style(component, partial=True)))
        if self.focus_entity:
            layers.append((self.marks, self._partial("focus")))
        else:
            layers.append((self.hits, self._partial("hit")))
        if self.selection:
            layers.append(([self.selection], self._partial("selection")))
        show_cursor = self.has_focus and self.article is not None
        if show_cursor:
            layers.append(([(self.cursor, self.cursor + 1)], self._partial("cursor")))
        text = self.body[line.start:line.end]
        segments = list(_segments(text, line.start, layers, style))
        at_end = self.cursor == line.end and (line.end >= len(self.body)
                                              or self.body[line.end] == "\n")
        if show_cursor and at_end:
            # The cursor sits on the newline ending the paragraph: draw it after the text.
            segments.append(Segment(" ", style + self._partial("cursor")))
        return segments

    # -- cursor ----------------------------------------------------------------------------
    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, max(0, len(self.body) - 1)))

    def watch_cursor(self) -> None:
        self.refresh()
        self._tell_selection()

    def _tell_selection(self) -> None:
        """Post SelectionChanged when the number of selected words changed (the status line
        says "selecting · 23 words")."""
        span = self.selection if self.anchor is not None else None
        words = tl.word_count(self.body[span[0]:span[1]]) if span else (
            0 if self.anchor is not None else None)
        if words != self._told_words:
            self._told_words = words
            self.post_message(self.SelectionChanged(words))

    def _line_index(self, offset: int) -> int:
        return tl.line_of(self._body_starts, offset)

    def _scroll_to_cursor(self, center: bool = False) -> None:
        if not self._body_lines:
            return
        y = self._body_lines[self._line_index(self.cursor)]
        height = self.scrollable_content_region.height or 1
        top = self.scroll_offset.y
        if center and not top <= y < top + height:
            self.scroll_to(y=max(0, y - height // 3), animate=False)
        elif y < top:
            self.scroll_to(y=y if y > self._body_lines[0] else 0, animate=False)
        elif y >= top + height:
            self.scroll_to(y=y - height + 1, animate=False)

    def move_cursor(self, offset: int, *, keep_column: bool = False, center: bool = False
                    ) -> None:
        if not keep_column:
            self._column = None
        self.cursor = offset
        self._scroll_to_cursor(center=center)

    def action_cursor_line(self, delta: int) -> None:
        if not self._body_starts:
            return
        index = self._line_index(self.cursor)
        start = self._body_starts[index]
        if self._column is None:
            self._column = self.cursor - start
        target = max(0, min(len(self._body_starts) - 1, index + delta))
        line = self._lines[self._body_lines[target]]
        self.move_cursor(min(line.start + self._column, max(line.start, line.end)),
                         keep_column=True)

    def action_cursor_char(self, delta: int) -> None:
        self.move_cursor(self.cursor + delta)

    def _extending(self, direction: int) -> bool:
        """Selecting forward: word and sentence motions then move to the END of a word or
        sentence (vim's `e`), so the selection stops there and not on the next one's first
        letter."""
        return direction > 0 and self.anchor is not None and self.cursor >= self.anchor

    def action_word(self, direction: int) -> None:
        if self._extending(direction):
            self.move_cursor(tl.word_end(self.body, self.cursor))
            return
        step = tl.next_word if direction > 0 else tl.previous_word
        self.move_cursor(step(self.body, self.cursor))

    def action_sentence(self, direction: int) -> None:
        starts = [s for s, _ in self._sentences]
        if not starts:
            return
        if self._extending(direction):
            end = tl.sentence_end(self._sentences, self.cursor)
            if end is not None:
                self.move_cursor(end)
            return
        if direction > 0:
            index = bisect_left(starts, self.cursor + 1)
            self.move_cursor(starts[index] if index < len(starts) else starts[-1])
        else:
            index = bisect_left(starts, self.cursor) - 1
            self.move_cursor(starts[max(0, index)])

    def action_page(self, direction: int) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        self.action_cursor_line(direction * height)

    def action_top(self) -> None:
        self.move_cursor(0)
        self.scroll_to(y=0, animate=False)

    def action_bottom(self) -> None:
        self.move_cursor(len(self.body))
        self.scroll_end(animate=False)

    def action_next_mark(self, direction: int) -> None:
        marks = self.marks
        if not marks:
            self.app.bell()
            return
        starts = [s for s, _ in marks]
        if direction > 0:
            index = bisect_left(starts, self.cursor + 1)
        else:
            index = bisect_left(starts, self.cursor) - 1
        index %= len(starts)
        self.move_cursor(starts[index], center=True)
        self.post_message(self.MarkReached(index + 1, len(starts),
                                           "mention" if self.focus_entity else "hit"))

    # -- selection and keeping -------------------------------------------------------------
    def action_select(self) -> None:
        self.anchor = None if self.anchor is not None else self.cursor
        self.refresh()
        self._tell_selection()

    def action_cancel(self) -> None:
        if self.anchor is not None:
            self.anchor = None
            self.refresh()
            self._tell_selection()
        elif self.focus_entity:
            self.set_focus_entity(None)
        else:
            self.post_message(self.Back())

    def action_keep(self) -> None:
        span = self.selection
        if self.article is None or span is None:
            self.notify("Press v to start a selection, move to extend it, then y to keep it",
                        severity="warning")
            return
        self._keep(*span)
        self.anchor = None
        self.refresh()
        self._tell_selection()

    def action_keep_sentence(self) -> None:
        sentence = tl.sentence_at(self._sentences, self.cursor)
        if self.article is None or sentence is None:
            return
        self._keep(*sentence)

    def _keep(self, start: int, end: int) -> None:
        self.post_message(self.PassageKept(self.article.id, start, end, self.body[start:end]))

    def action_alias(self) -> None:
        if self.article is None:
            return
        text = self.selected_text.strip()
        candidates: tuple[str, ...] = ()
        if not text:
            mention = self.mention_at(self.cursor)
            if mention is None:
                self.notify("Select a name (v) or put the cursor on a name first",
                            severity="warning")
                return
            text, candidates = mention.text, tuple(mention.candidates)
        self.anchor = None
        self.refresh()
        self._tell_selection()
        self.post_message(self.AliasRequested(self.article.id, " ".join(text.split()),
                                              candidates))

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "cancel":
            return True
        if action in {"keep", "keep_sentence", "alias", "select", "next_mark"}:
            return self.article is not None
        return True

    # -- mouse -----------------------------------------------------------------------------
    def _offset_at(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None or not self._lines:
            return None
        number = offset.y + self.scroll_offset.y
        if not self._body_lines:
            return None
        number = max(self._body_lines[0], min(number, self._body_lines[-1]))
        line = self._lines[number]
        return tl.offset_at_cell(self.body, line.start, line.end, offset.x + self.scroll_offset.x)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        target = self._offset_at(event)
        if target is None or event.button != 1:
            return
        self.focus()
        self.move_cursor(target)
        self.anchor = target
        self._dragging = True
        self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._dragging:
            target = self._offset_at(event)
            if target is not None:
                self.move_cursor(target)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging:
            self._dragging = False
            self.release_mouse()
            if self.anchor == self.cursor:
                self.anchor = None
                self.refresh()
            self._tell_selection()

    def on_focus(self) -> None:
        # Show where the cursor is: scrolled away (the wheel) while the focus was elsewhere,
        # it comes to the first body line on screen rather than the view jumping back to it.
        # (Not for an article just shown: its cursor is on its first hit, being scrolled to.)
        fresh, self._fresh = self._fresh, False
        if self._body_lines and self.article is not None and not fresh:
            y = self._body_lines[self._line_index(self.cursor)]
            top = self.scroll_offset.y
            height = self.scrollable_content_region.height or 1
            if not top <= y < top + height:
                visible = [n for n in self._body_lines if top <= n < top + height]
                if visible:
                    self.cursor = self._lines[visible[0]].start
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()


def _segments(text: str, base_offset: int, layers: list[tuple[list[tuple[int, int]], Style]],
              style: Style) -> Iterable[Segment]:
    """`text` (which starts at `base_offset`) cut into segments styled by overlapping layers,
    later layers on top. Tabs become spaces; nothing in the text is interpreted."""
    end_offset = base_offset + len(text)
    cuts = {base_offset, end_offset}
    active: list[tuple[list[tuple[int, int]], Style]] = []
    for spans, layer_style in layers:
        inside = [(s, e) for s, e in spans if s < end_offset and e > base_offset]
        if inside:
            active.append((inside, layer_style))
            for s, e in inside:
                cuts.update((max(s, base_offset), min(e, end_offset)))
    points = sorted(cuts)
    for left, right in zip(points, points[1:]):
        if left == right:
            continue
        # Tabs and the soft line breaks of reflowed text are drawn as spaces (one cell each,
        # so a character's cell is still its offset).
        piece = text[left - base_offset:right - base_offset].replace("\t", " "
                                                                     ).replace("\n", " ")
        piece_style = style
        for spans, layer_style in active:
            if any(s <= left < e for s, e in spans):
                piece_style = piece_style + layer_style
        yield Segment(piece, piece_style)
