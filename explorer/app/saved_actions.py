"""The app side of saved searches: `s` saves the search on screen, `S` lists them, and opening
one runs it, marks it seen and flags the results that are new since it was last opened.

Domain calls run in thread workers through explorer.store.saved_searches; the workspace
serialises their use of the index.
"""

from __future__ import annotations

import time

from textual.content import Content

from explorer.store import saved_searches as store
from explorer.app import messages as m
from explorer.app.screens.name_dialog import NameDialog
from explorer.app.screens.saved_searches import SavedSearchesScreen
from explorer.app.widgets.results_list import hit_prompt
from explorer.errors import UserError
from explorer.records import SearchRequest

PROGRESS_EVERY = 0.05    # seconds between progress messages while catching up the index
NEW_BADGE = Content.styled(" NEW ", "bold reverse $text-warning")


def search_key(request: SearchRequest) -> tuple:
    """What makes two requests the same search (the limit does not)."""
    return (request.text.strip(), tuple(request.entities), request.sort)


def new_prompt(hit) -> Content:
    """A result's usual prompt with a NEW badge before its title."""
    return Content.assemble(NEW_BADGE, " ", hit_prompt(hit))


class SavedSearchActions:
    """Owned by the app; `active` is the saved search on screen and the ids new in it."""

    def __init__(self, app) -> None:
        self.app = app
        self.active: tuple[tuple, frozenset[str]] | None = None
        self.active_name: str | None = None
        self._first_run = True
        self.last_removed: store.SavedSearch | None = None   # what `u` in the list puts back

    @property
    def workspace(self):
        return self.app.workspace

    def current_request(self) -> SearchRequest:
        bar = self.app.search_bar
        return SearchRequest(bar.text, tuple(bar.filters), self.app.sort)

    def _error(self, message: str) -> None:
        self.app.status.show_error(message)
        self.app.notify(message, severity="error", markup=False)

    # -- s: save the current search ------------------------------------------------------------
    def save(self) -> None:
        request = self.current_request()
        self.app.run_worker(lambda: self._ask_name(request), thread=True,
                            group="saved-searches", exclusive=True)

    def _ask_name(self, request: SearchRequest) -> None:
        try:
            searches = store.load_saved_searches(self.workspace.config.data)
        except UserError as exc:          # a broken file: say so, save nothing
            self.app.call_from_thread(self._error, str(exc))
            return
        taken = [s.name for s in searches]
        proposed = store.suggest_name(request.text, request.entities, taken)
        described = request.text.strip() or "every article"
        title = f"Save the search \u201c{described}\u201d as"
        same = [s.name for s in searches if search_key(s.request()) == search_key(request)]
        if same:
            title = f"Already saved as \u201c{same[0]}\u201d. {title}"
        dialog = NameDialog(title, proposed, taken=taken)
        self.app.call_from_thread(self.app.push_screen, dialog,
                                  lambda name: self._named(name, request))

    def _named(self, name: str | None, request: SearchRequest) -> None:
        if name:
            self.app.run_worker(lambda: self._save(name, request), thread=True,
                                group="saved-searches")

    def _save(self, name: str, request: SearchRequest) -> None:
        try:
            saved = store.save_current(self.workspace, name, request)
        except UserError as exc:
            self.app.call_from_thread(self._error, str(exc))
            return
        count = len(saved.seen)
        self.app.call_from_thread(
            self.app.notify, f"Saved \u201c{saved.name}\u201d: {count} "
                             f"match{'es' if count != 1 else ''}; S lists saved searches",
            markup=False, timeout=4)

    # -- S: the list; enter runs one -----------------------------------------------------------
    def show(self) -> None:
        self.app.push_screen(SavedSearchesScreen(self.workspace, actions=self),
                             self._chosen)

    def _chosen(self, name: str | None) -> None:
        if name:
            self.open(name)

    def open(self, name: str) -> None:
        """Run the saved search `name` (marking it seen) and show its results."""
        self.app.run_worker(lambda: self._run(name), thread=True, group="saved-searches",
                            exclusive=True)

    def _run(self, name: str) -> None:
        try:
            if self._first_run:
                self._first_run = False
                self._catch_up()
            run = store.run_saved_search(self.workspace, name, limit=1)
        except UserError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._opened, run)

    def _catch_up(self) -> None:
        """Opening the app on a saved search (--saved) follows a story: articles added to the
        corpus since the index was built must count as new, so a stale index is brought up to
        date first (with the app's progress bar), not after the search was marked seen."""
        post, last, reason = self.app.post_message, [0.0], [""]

        def started(why: str) -> None:
            reason[0] = why
            post(m.IndexProgress("starting", 0, 0, why))

        def progress(phase: str, done: int, total: int) -> None:
            now = time.perf_counter()
            if now - last[0] >= PROGRESS_EVERY or done >= total:
                last[0] = now
                post(m.IndexProgress(phase, done, total, reason[0]))
        summary = self.workspace.ensure_index(progress=progress, started=started)
        if summary is not None:
            post(m.IndexReady(self.workspace.index_state()[0], summary))

    def _failed(self, message: str) -> None:
        self._error(message)
        if self.app.results is None:      # opening the app on it: show every article instead
            self.app.set_search(self.app.search_bar.text, self.app.search_bar.filters)

    def _opened(self, run: store.SavedRun) -> None:
        search = run.search
        self.active = (search_key(search.request()), frozenset(run.new))
        self.active_name = search.name
        self.app.set_search(search.query, search.entities, search.sort)
        count, new = len(run.matching), len(run.new)
        self.app.notify(f"\u201c{search.name}\u201d: {count} match{'es' if count != 1 else ''}, "
                        f"{new} new since last opened", markup=False, timeout=4)
        shown = self.app.results
        if shown is not None and search_key(shown.request) == self.active[0]:
            self.mark_new(shown.request)  # already on screen, so no new results will come

    def mark_new(self, request: SearchRequest) -> None:
        """Flag the results new since the saved search was last opened (when it is the search
        on screen; any other search ends the saved one)."""
        if self.active is None:
            return
        key, new = self.active
        if search_key(request) != key:
            self.active = None
            self.app.status.show_saved(None)
            return
        results = self.app.results_list
        for hit in results.hits:
            if hit.id in new:
                results.replace_option_prompt(hit.id, new_prompt(hit))
        count = len(new)
        self.app.status.show_saved(
            f"\u201c{self.active_name}\u201d: {count} new" + (" \u00b7 ] next new" if count
                                                           else ""))

    def next_new(self) -> None:
        """`]`: the cursor to the next result new since the saved search was last opened
        (round to the first); more results are loaded when the new ones are further down."""
        if self.active is None:
            self.app.notify("Open a saved search (S) to see what is new", severity="warning",
                            timeout=3)
            return
        new = self.active[1]
        results = self.app.results_list
        hits = results.hits
        marked = [i for i, hit in enumerate(hits) if hit.id in new]
        if not marked:
            if len(hits) < len(new) or not new:
                self.app.notify("No new results" if not new else
                                "The new results are further down: load more (G)", timeout=3)
            else:
                self.app.notify("No new results", timeout=3)
            return
        current = results.highlighted if results.highlighted is not None else -1
        after = [i for i in marked if i > current]
        results.highlighted = after[0] if after else marked[0]
        results.focus()
        if self.app.article_id is not None:
            self.app.open_article(hits[results.highlighted].id)

    @property
    def new_ids(self) -> frozenset[str]:
        return self.active[1] if self.active else frozenset()
