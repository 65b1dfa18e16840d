"""The app side of an article's source and of fetching: `o` opens the article's URL in the
browser, `p` reads the article in $PAGER (the app suspended meanwhile), `r` fetches the feeds
and brings the index up to date in a worker, with progress. Also the empty state shown when
the corpus is missing or has no articles, saying what to do."""

from __future__ import annotations

import os
import subprocess

from explorer.errors import UserError
from explorer.text import printable


def pager_text(article) -> str:
    """The article as a pager shows it: title, what and where from, then the body."""
    meta = " \u00b7 ".join(m for m in (article.date, article.source, article.author) if m)
    lines = [article.title, meta, article.url or article.path, "", article.body, ""]
    return printable("\n".join(lines))


def run_pager(text: str, pager: str | None = None) -> int:
    """Show `text` in the user's pager ($PAGER, else less); the pager's exit status."""
    command = pager or os.environ.get("PAGER") or "less"
    # Through the shell, as git and man do: $PAGER may carry options ("less -R").
    return subprocess.run(command, shell=True, input=text.encode("utf-8"),
                          check=False).returncode


def empty_state(config, missing: bool) -> str:
    """What the results pane says when there is nothing to show, and what to do about it."""
    where = (f"In {config.path}, " if config.path else
             "Run `news-explorer init` to write a config; in it, ")
    kinds = "(.txt .md .json .jsonl .rss .atom .html)"
    if config.feeds or config.opml:
        todo = "or press r to fetch your feeds."
    else:
        todo = "or list feeds under 'feeds:' and press r to fetch them."
    if missing:
        return (f"No articles yet: {config.corpus} does not exist.\n\n{where}point 'corpus:' "
                f"at a folder of articles {kinds}, {todo}")
    return (f"No articles in {config.corpus} yet.\n\nPut articles there {kinds}, {todo}")


class SourceActions:
    """Owned by the app: the actions on the current article's source, and fetching."""

    def __init__(self, app) -> None:
        self.app = app

    @property
    def workspace(self):
        return self.app.workspace

    def _current_id(self) -> str | None:
        """The open article, else the result under the cursor."""
        return self.app.article_id or self.app.results_list.current_id

    def _error(self, message: str) -> None:
        self.app.status.show_error(message)
        self.app.notify(message, severity="warning", markup=False)

    def _with_article(self, then) -> None:
        article_id = self._current_id()
        if article_id is None:
            self._error("No article: open one, or move to a result first")
            return

        def load() -> None:
            try:
                article = self.workspace.article(article_id)
            except UserError as exc:
                self.app.call_from_thread(self._error, str(exc))
                return
            self.app.call_from_thread(then, article)
        self.app.run_worker(load, thread=True, group="source")

    # -- o: the article's URL in the browser ------------------------------------------------
    def open_url(self) -> None:
        self._with_article(self._open_url)

    def _open_url(self, article) -> None:
        if not article.url:
            self._error(f"This article has no URL (it came from {article.path})")
            return
        self.app.open_url(article.url)
        self.app.notify(f"Opening {article.url}", timeout=3, markup=False)

    # -- p: the article in $PAGER -----------------------------------------------------------
    def read_in_pager(self) -> None:
        self._with_article(self._pager)

    def _pager(self, article) -> None:
        from textual.app import SuspendNotSupported

        try:
            with self.app.suspend():
                run_pager(pager_text(article))
        except SuspendNotSupported:
            self._error("The app cannot be suspended here, so no pager")
        except OSError as exc:
            self._error(f"Pager failed: {exc.strerror or exc}")

    # -- r: fetch the feeds, then bring the index up to date --------------------------------
    def refresh(self) -> None:
        self.app.run_worker(self._refresh, thread=True, exclusive=True, group="index")

    def _refresh(self) -> None:
        from explorer.app import messages as m

        app, notes = self.app, []
        try:
            if self.workspace.config.feeds or self.workspace.config.opml:
                # Fetching only writes files into the corpus: searches go on meanwhile.
                summary = self.workspace.fetch(progress=app._progress("fetching feeds"))
                notes.append(summary.line())
                notes.extend(s.line() for s in summary.sources if s.error)
            if not self.workspace.config.corpus.exists():
                app.call_from_thread(app.show_empty_state, True)
                if notes:
                    app.call_from_thread(app.notify, "\n".join(notes), markup=False)
                return
            app.post_message(m.IndexProgress("starting", 0, 0, "r pressed"))
            indexed = self.workspace.update_index(progress=app._progress("r pressed"))
            articles = self.workspace.index_state()[0]
        except UserError as exc:
            app.post_message(m.IndexFailed(str(exc)))
            return
        if notes:
            app.call_from_thread(app.notify, "\n".join(notes), markup=False, timeout=6)
        app.post_message(m.IndexReady(articles, indexed))
