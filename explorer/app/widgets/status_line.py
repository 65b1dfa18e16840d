"""The status line: result count and time, alias resolutions in force, index state, errors."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from explorer.text import printable


def _one_line(text: str) -> str:
    """Visible text on one line: controls as their pictures, a newline as \u2424."""
    return printable(text).replace("\n", "\u2424")


class StatusLine(Static):
    """One line under the panes. Built from Content: queries and names are shown literally."""

    def __init__(self, *, id: str | None = None, timings: bool = True) -> None:
        super().__init__("", id=id)
        self.timings = timings
        self._results = Content("")
        self._error: Content | None = None
        self._notice: Content | None = None
        self._selection: Content | None = None
        self._saved: Content | None = None
        self._place: str | None = None      # "row 12 of 847", "hit 3/9"

    def show_results(self, results) -> None:
        shown, total = len(results.hits), results.total
        parts: list = [f"{shown:,} of {total:,} articles" if shown < total else
                       f"{total:,} article{'s' if total != 1 else ''}"]
        if self.timings:
            parts.append(f" in {results.seconds * 1000:.0f} ms")
        # The order in force, always (an empty query lists newest first whatever the sort).
        newest = results.request.sort == "date" or not results.request.text.strip()
        parts.append(" \u00b7 newest first" if newest else " \u00b7 by relevance")
        for resolved in results.resolved:
            parts += ["  ", (printable(f"\"{resolved['text']}\" \u2192 {resolved['entity']}"),
                             "$text-accent")]
        if results.suggestion:          # no hits, or few while a nearby spelling has many
            parts += ["  did you mean: ", (printable(results.suggestion), "bold")]
        self._results = Content.assemble(*parts)
        self._error = None
        self._paint()

    def show_error(self, message: str) -> None:
        """An error next to the last good results (which stay on screen)."""
        self._error = Content.styled(_one_line(message), "bold $text-error")
        self._paint()

    def show_notice(self, message: str | None) -> None:
        """A note kept beside the results until the next search is typed (an alias saved)."""
        if message is None and self._notice is None:
            return          # every key clears the notice: no repaint when there is none
        self._notice = Content.styled(_one_line(message), "$text-success") if message else None
        self._paint()

    def show_selection(self, words: int | None) -> None:
        """"selecting · 23 words" while a passage is being selected in the article."""
        if words is None:
            if self._selection is None:
                return
            self._selection = None
        else:
            self._selection = Content.styled(
                f"selecting \u00b7 {words} word{'s' if words != 1 else ''}"
                " (y keeps, escape cancels)", "bold $text-accent")
        self._paint()

    def show_saved(self, message: str | None) -> None:
        """What is new in the saved search on screen ("“Scale”: 3 new · ] next new")."""
        if message is None and self._saved is None:
            return
        self._saved = Content.styled(message, "bold $text-warning") if message else None
        self._paint()

    def show_place(self, place: str | None) -> None:
        """Where the user is: the row of the list, or the hit walked to ("hit 3/9")."""
        if place != self._place:
            self._place = place
            self._paint()

    def show_message(self, message: str) -> None:
        self._results = Content(printable(message))
        self._error = None
        self._paint()

    def _paint(self) -> None:
        parts = [self._results]
        if self._error is not None:
            parts = [self._error, "  ", self._results.stylize_before("$text-muted")]
        if self._place is not None:
            parts += ["  \u00b7  ", Content.styled(self._place, "bold")]
        if self._saved is not None:
            parts += ["  ", self._saved]
        if self._notice is not None:
            parts += ["  ", self._notice]
        if self._selection is not None:
            parts = [self._selection, "  ", *parts]
        self.update(Content.assemble(*parts), layout=False)   # one fixed line: no re-layout
