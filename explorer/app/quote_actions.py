"""The app side of quotes: keeping passages (`y`/`h`/`H` in the article keep at once; `t` adds a
note and tags), kept passages lit up whenever their article is open, the quotations screen (`Q`),
export with a format chooser (`x`) and copying the quote under the cursor (`c`: OSC 52 and the
local clipboard, see clipboard.py).

Domain calls run in thread workers through explorer.quotes.kept and explorer.quotes.detection,
holding the app's domain lock whenever they touch the index.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from explorer.errors import UserError

if TYPE_CHECKING:
    from explorer.quotes.kept import KeptQuote

# The quote domain (kept quotes, quotations, export) and its screens are imported where they are
# first used, not at start-up: the app shows its first list sooner.

KEPT = "kept"            # the ArticleView kept quote layer of kept passages


class QuoteActions:
    """Owned by the app: the open article's kept passages and quotations, and the actions."""

    def __init__(self, app) -> None:
        self.app = app
        self.article = None
        self.kept: list[KeptQuote] = []
        self.quotations: list = []
        self.pending_cursor: tuple[str, int] | None = None
        self.last_kept: KeptQuote | None = None
        self.last_removed: KeptQuote | None = None   # what `u` in the kept quotes puts back

    @property
    def workspace(self):
        return self.app.workspace

    def _error(self, message: str) -> None:
        self.app.status.show_error(message)
        self.app.notify(message, severity="error", markup=False)

    def _worker(self, work, group: str = "quotes") -> None:
        self.app.run_worker(work, thread=True, group=group)

    # -- the open article: kept passages lit up, quotations known ---------------------------------
    def article_shown(self, article) -> None:
        """The article view shows `article`: light up its kept passages (re-anchored first)."""
        self.article, self.kept, self.quotations = article, [], []
        if self.pending_cursor and self.pending_cursor[0] == article.id:
            self.app.article_view.move_cursor(self.pending_cursor[1], center=True)
        self.pending_cursor = None
        self._worker(lambda: self._load(article), group="quotes-article")

    def _load(self, article) -> None:
        from explorer.quotes import kept as kept_quotes
        from explorer.quotes.detection import article_quotations

        error = None
        try:
            kept = kept_quotes.store_for(self.workspace).reanchor_article(article.id, article.body)
        except UserError as exc:              # a corrupt quotes.yaml: say so, change nothing
            kept, error = [], str(exc)
        quotations = article_quotations(self.workspace, article)
        self.app.call_from_thread(self._loaded, article.id, kept, quotations, error)

    def _loaded(self, article_id: str, kept, quotations, error: str | None) -> None:
        if error:
            self._error(error)
        if self.article is None or self.article.id != article_id:
            return                             # another article was opened meanwhile
        self.kept, self.quotations = list(kept), list(quotations)
        self._paint()

    def _paint(self) -> None:
        spans = [(h.start, h.end) for h in self.kept if not h.orphaned]
        self.app.article_view.set_layer(KEPT, spans)

    # -- keeping ---------------------------------------------------------------------------------
    def passage_kept(self, article_id: str, start: int, end: int, text: str) -> None:
        """`y`/`h` on a selection or `H` on a sentence: stored at once (`t` adds a note)."""
        self._worker(lambda: self._store(article_id, start, end, "", ()))

    def keep_span(self, article_id: str, start: int, end: int, text: str,
                  speaker: str | None = None) -> None:
        """Keep a passage after asking for its note and tags (the quotations screen's `y`)."""
        from explorer.app.screens.keep_dialog import KeepDialog

        def chosen(result) -> None:
            if result is not None:
                note, tags = result
                self._worker(lambda: self._store(article_id, start, end, note, tags))
        self.app.push_screen(KeepDialog(text, speaker), chosen)

    def _store(self, article_id: str, start: int, end: int, note: str, tags) -> None:
        from explorer.quotes import kept as kept_quotes

        try:
            kept = kept_quotes.keep_passage(self.workspace, article_id, start, end,
                                            note=note, tags=tags)
        except kept_quotes.AlreadyKept as exc:      # said, not an error: nothing was added
            message = str(exc)
            self.app.call_from_thread(self.app.notify, message[:1].upper() + message[1:],
                                      markup=False,
                                      severity="warning", timeout=4)
            return
        except UserError as exc:
            self.app.call_from_thread(self._error, str(exc))
            return
        self.app.call_from_thread(self._stored, kept)

    def _stored(self, kept: KeptQuote) -> None:
        self.last_kept = kept
        who = f" ({kept.speaker})" if kept.speaker else ""
        hint = "" if kept.note or kept.tags else "; t adds a note and tags"
        self.app.notify(f"Kept quote {kept.number}{who}{hint}", markup=False, timeout=4)
        if self.article is not None and self.article.id == kept.article_id:
            self.kept.append(kept)
            self._paint()

    def annotate(self) -> None:
        """`t`: note and tags for the kept passage under the cursor (else the last one kept)."""
        from explorer.app.screens.keep_dialog import KeepDialog

        target = None
        if self.app.article_id is not None and self.article is not None:
            cursor = self.app.article_view.cursor
            target = next((h for h in self.kept if not h.orphaned and
                           h.start <= cursor < h.end), None)
        target = target or self.last_kept
        if target is None:
            self.app.notify("Keep a passage first (v, move, y), then t adds a note and tags",
                            severity="warning")
            return

        def chosen(result) -> None:
            if result is not None:
                self._worker(lambda: self._annotate(target.id, *result))
        self.app.push_screen(KeepDialog(target.text, target.speaker,
                                        title=f"Note and tags for quote {target.number}",
                                        note=target.note, tags=target.tags, action="save"),
                             chosen)

    def _annotate(self, quote_id: str, note: str, tags) -> None:
        from explorer.quotes import kept as kept_quotes

        try:
            item = kept_quotes.store_for(self.workspace).update(quote_id, note=note, tags=tags)
        except UserError as exc:
            self.app.call_from_thread(self._error, str(exc))
            return
        self.app.call_from_thread(self._annotated, item)

    def _annotated(self, item: KeptQuote) -> None:
        self.kept = [item if h.id == item.id else h for h in self.kept]
        if self.last_kept is not None and self.last_kept.id == item.id:
            self.last_kept = item
        self.app.notify(f"Saved the note and tags of quote {item.number}", timeout=3)

    # -- Q: the quotations screen ----------------------------------------------------------------
    def show_quotations(self) -> None:
        from explorer.app.screens.quotations import QuotationsScreen

        app = self.app
        if app.article_id is not None and self.article is not None:
            ids, scope = [self.article.id], f"in \u201c{self.article.title}\u201d"
        elif app.results is not None and app.results.hits:
            ids = [hit.id for hit in app.results.hits]
            scope = f"in the {len(ids)} result{'s' if len(ids) != 1 else ''} shown"
        else:
            app.notify("No results to look for quotations in", severity="warning")
            return
        app.push_screen(QuotationsScreen(self.workspace, ids, scope, self),
                        self._open_quotation)

    def _open_quotation(self, result) -> None:
        if not result:
            return
        article_id, offset = result
        self.pending_cursor = (article_id, offset)
        self.app.open_article(article_id)

    # -- K: the kept quotes -------------------------------------------------------------------
    def show_kept(self) -> None:
        from explorer.app.screens.kept_quotes import KeptQuotesScreen

        self.app.push_screen(KeptQuotesScreen(self.workspace, self), self._kept_closed)

    def _kept_closed(self, result) -> None:
        if result:
            self._open_quotation(result)
        elif self.article is not None and self.app.article_id == self.article.id:
            article = self.article           # notes changed or quotes removed: paint again
            self._worker(lambda: self._load(article), group="quotes-article")

    # -- x: export -------------------------------------------------------------------------------
    def export_kept(self) -> None:
        """Export every kept quote (re-anchored, with speakers and entities brought up to date)."""
        from explorer.quotes import kept as kept_quotes

        def collect() -> None:
            try:
                items = kept_quotes.refresh(self.workspace)
            except UserError as exc:
                self.app.call_from_thread(self._error, str(exc))
                return
            if not items:
                self.app.call_from_thread(
                    self.app.notify, "No kept quotes yet: select a passage (v) and keep it (y)",
                    severity="warning")
                return
            records = [h.to_dict() for h in items]
            what = f"{len(records)} kept quote{'s' if len(records) != 1 else ''}"
            self.app.call_from_thread(self.export_records, records, what)
        self._worker(collect)

    def export_records(self, records: list[dict], what: str) -> None:
        """Ask for a format and a file (default: a new file in `<data>/exports/`), then write;
        an existing file is overwritten only after a yes."""
        from explorer.app.screens.export_dialog import ExportDialog
        from explorer.quotes.export import default_path

        default = default_path(self.workspace.config.data, "md")

        def chosen(result) -> None:
            if result is not None:
                fmt, path = result
                self._worker(lambda: self._write(records, fmt, path))
        self.app.push_screen(ExportDialog(what, default), chosen)

    def _write(self, records: list[dict], fmt: str, path: str, force: bool = False) -> None:
        from explorer.quotes.export import ExportExists, write_export

        try:
            target = write_export(path, fmt, records, force=force,
                                  data=self.workspace.config.data)
        except ExportExists:
            self.app.call_from_thread(self._ask_overwrite, records, fmt, path)
            return
        except UserError as exc:
            self.app.call_from_thread(self._error, str(exc))
            return
        count = len(records)
        self.app.call_from_thread(self.app.notify,
                                  f"Wrote {count} quote{'s' if count != 1 else ''} to {target}",
                                  markup=False, timeout=4)

    def _ask_overwrite(self, records: list[dict], fmt: str, path: str) -> None:
        from explorer.app.screens.confirm_dialog import ConfirmDialog

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._worker(lambda: self._write(records, fmt, path, force=True))
        self.app.push_screen(ConfirmDialog(f"{path} exists. Overwrite it?", confirm="Overwrite"),
                             confirmed)

    # -- c: copy ---------------------------------------------------------------------------------
    def quote_at(self, offset: int) -> dict | None:
        """The kept passage under the cursor, else the quotation under it, as a record."""
        from explorer.quotes.detection import quotation_record

        if self.article is None:
            return None
        for item in self.kept:
            if not item.orphaned and item.start <= offset < item.end:
                return item.to_dict()
        for quote in self.quotations:
            if quote.start - 1 <= offset <= quote.end:
                return quotation_record(self.article, quote)
        return None

    def copy_under_cursor(self) -> None:
        if self.app.article_id is None or self.article is None:
            self.app.notify("Open an article and put the cursor on a quote to copy it",
                            severity="warning")
            return
        record = self.quote_at(self.app.article_view.cursor)
        if record is None:
            self.app.notify("No quote under the cursor: move onto a kept passage or a "
                            "quotation (Q lists them)", severity="warning")
            return
        self.copy_record(record)

    def copy_record(self, record: dict) -> None:
        """The quote and its citation, as Markdown, to the terminal (OSC 52) and to the local
        clipboard (tmux's buffer, wl-copy, xclip/xsel, pbcopy); the message says where it went."""
        from explorer.app.clipboard import copy_local, describe
        from explorer.quotes.export import to_markdown

        markdown = to_markdown([record])
        self.app.copy_to_clipboard(markdown)
        text = " ".join(str(record.get("text", "")).split())
        shown = text if len(text) <= 40 else text[:39] + "\u2026"
        what = f"\u201c{shown}\u201d with its citation"

        def local() -> None:
            message, warning = describe(copy_local(markdown), what)
            self.app.call_from_thread(self.app.notify, message, markup=False, timeout=6,
                                      severity="warning" if warning else "information")
        self._worker(local, group="clipboard")
