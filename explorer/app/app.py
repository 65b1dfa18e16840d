"""The App: layout, bindings, and wiring of widget messages to domain calls run in workers.

Every domain call runs in a thread worker and goes through the workspace, which serialises its
own use of the index (one Whoosh searcher is not safe to use from two threads at once); results
come back as messages from `messages.py`. A newer
search supersedes an older one: the worker skips a request that is no longer the one wanted, and
the handler drops results for any request but the current one (as Textual's dictionary example).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import Callable

from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, ProgressBar, Static
from textual.worker import get_current_worker

from explorer.app import messages as m
from explorer.app.commands import ExplorerCommands
from explorer.app.quote_actions import QuoteActions
from explorer.app.saved_actions import SavedSearchActions
from explorer.app.view_actions import ViewActions
from explorer.app.source_actions import SourceActions, empty_state
from explorer.app.widgets.article_view import ArticleView
from explorer.app.widgets.entity_sidebar import EntitySidebar
from explorer.app.widgets.key_footer import KeyFooter
from explorer.app.widgets.results_list import ResultsList
from explorer.app.widgets.search_bar import QueryInput, SearchBar
from explorer.app.widgets.status_line import StatusLine
from explorer.errors import UserError
from explorer.records import SearchRequest
from explorer.text import printable

NARROW_BELOW = 110      # columns: below this, results and article share one pane
RESULT_LIMIT = 30       # results a search shows at first; reaching the end loads as many more
SIDEBAR_DELAY = 0.3     # seconds after the last results before the sidebar counts entities:
                        # longer than the gap between keys of a typist (150 ms at 80 words a
                        # minute), so its counting (the workspace's searcher) waits for a pause
PROGRESS_EVERY = 0.05   # seconds between progress messages from the indexing worker
PAINT_WAIT = 0.5        # seconds opening the index waits for the first frame to be painted
KEY_HOLD_LIMIT = 5.0    # seconds keys wait at most for the results or article they were typed for


class NewsExplorer(App):
    """Search, read, and see who and what the news is about."""

    CSS_PATH = "app.tcss"
    TITLE = "news-explorer"
    COMMANDS = App.COMMANDS | {ExplorerCommands}
    BINDINGS = [
        Binding("slash", "focus_search", "Search", id="app.search",
                tooltip="Type a query (search as you type)"),
        Binding("e", "toggle_entities", "Entities", id="app.entities",
                tooltip="Show and focus the entity sidebar (again: hide it)"),
        Binding("O", "toggle_sort", "Sort", id="app.sort",
                tooltip="Sort by relevance or newest first"),
        Binding("o", "open_url", "Open URL", id="app.open_url",
                tooltip="Open the article's URL in the browser"),
        Binding("p", "pager", "Pager", show=False, id="app.pager",
                tooltip="Read the article in $PAGER (the app waits meanwhile)"),
        Binding("r", "refresh", "Fetch", id="app.refresh",
                tooltip="Fetch the feeds and bring the index up to date"),
        Binding("delete", "remove_filter", "Drop filter", show=False, id="app.remove_filter",
                tooltip="Remove the last entity filter"),
        Binding("n", "next_mark(1)", "Next hit", show=False, id="app.next",
                tooltip="Next hit (or mention) in the open article"),
        Binding("N", "next_mark(-1)", "Prev hit", show=False, id="app.previous",
                tooltip="Previous hit (or mention) in the open article"),
        Binding("escape", "back", "Back", show=False, id="app.back",
                tooltip="Back: article -> results -> search"),
        Binding("s", "save_search", "Save", id="app.save_search",
                tooltip="Save this search under a name"),
        Binding("S", "saved_searches", "Saved", id="app.saved_searches",
                tooltip="Saved searches: how many new, run, rename, delete"),
        Binding("right_square_bracket", "next_new", "Next new", show=False, id="app.next_new",
                tooltip="The next result new since the saved search was last opened"),
        Binding("Q", "quotations", "Quotations", id="app.quotations",
                tooltip="Who said what: quotations in the article, or in the results"),
        Binding("C", "co_mentions", "Co-mentions", show=False, id="app.comentions",
                tooltip="The entities that appear in the same articles as the results"),
        Binding("T", "timeline", "Timeline", show=False, id="app.timeline",
                tooltip="How many of the results appeared each month (week, day)"),
        Binding("K", "kept_quotes", "Kept", show=False, id="app.kept_quotes",
                tooltip="Kept quotes: open, edit the note and tags, remove, copy, export"),
        Binding("x", "export_quotes", "Export", id="app.export_quotes",
                tooltip="Export the kept quotes (Markdown, CSV, JSON, Web Annotation, CSL, "
                        "Readwise)"),
        Binding("c", "copy_quote", "Copy quote", show=False, id="app.copy_quote",
                tooltip="Copy the quote under the cursor, with its citation"),
        Binding("t", "annotate_quote", "Note", show=False, id="app.annotate_quote",
                tooltip="Note and tags for the kept quote under the cursor (or the last kept)"),
        Binding("question_mark,f1", "help", "Help", id="app.help",
                tooltip="Every key, on one screen"),
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit news-explorer"),
    ]

    def __init__(self, workspace, saved: str | None = None, *, timings: bool = True,
                 when_ready: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        # Called (in the indexing worker) once the index is up to date: the entry point freezes
        # what exists then out of the garbage collector (explorer/app/__init__.py).
        self.when_ready = when_ready
        # The saved search to open once the index is ready (the saved-searches feature reads it).
        self.initial_saved = saved
        self.saved = SavedSearchActions(self)
        self.quotes = QuoteActions(self)
        self.views = ViewActions(self)
        self.sources = SourceActions(self)
        self.timings = timings
        self.sort = "relevance"
        self.results = None                       # the last good SearchResults
        self.article_id: str | None = None
        self._alias_article: str | None = None      # the article an alias dialog came from
        self.ready = False
        self._wanted: SearchRequest | None = None
        self._shown: SearchRequest | None = None
        self._entities_key: tuple | None = None
        self._focus_results_pending = False
        self._last_wanted: SearchRequest | None = None    # `G`: highlight the last when shown
        self._sidebar_timer = None
        self._check_pending = False
        self._keep_page = False                   # no valid kept page: keep the first list
        self._page_generation: int | None = None  # the index generation of the page shown
        self._page_painted = threading.Event()
        self._sidebar_again = False               # discovered names came while it loaded
        self._key_hold = False                    # keys wait for a search or an article
        self._held_keys: list[events.Key] = []
        self._hold_timer = None

    # -- layout --------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield SearchBar(id="search-bar")
        with Horizontal(id="panes"):
            with Vertical(id="results-pane"):
                with Vertical(id="indexing"):
                    yield Label("Opening the index\u2026", id="indexing-label")
                    yield ProgressBar(id="indexing-bar", show_eta=False)
                yield Static("", id="empty-state", markup=False)
                yield ResultsList(id="results")
            yield ArticleView(id="article")
            yield EntitySidebar(id="sidebar")
        yield StatusLine(id="status", timings=self.timings)
        yield KeyFooter()

    def notify(self, message: str, *, title: str = "", severity="information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every notification (widgets' too: theirs come here) shows no control characters:
        names, aliases and errors in them may come from files."""
        super().notify(printable(message), title=printable(title), severity=severity,
                       timeout=timeout, markup=markup)

    def on_mount(self) -> None:
        self.query_one("#indexing-bar", ProgressBar).display = False
        self.query_one("#empty-state").display = False
        self._remember_theme()
        if self.workspace.config.keymap:
            self.set_keymap(dict(self.workspace.config.keymap))
        self._adapt(self.size.width)
        self.results_list.focus()                 # as newsboat and lazygit: `/` to search
        if _terminal_alive():
            self.set_interval(1.0, self._exit_if_terminal_gone, name="terminal-watch")
        if not self.workspace.config.corpus.exists():
            # Nothing to index, and no index folder to make: say what to do instead.
            self.show_empty_state(missing=True)
            return
        self.status.show_message("Opening the index\u2026")
        # The first page kept beside the index (a small file read without Whoosh), when it is
        # the one for the index as it is: in the first frame, before the index is opened.
        page = None if self.initial_saved else self.workspace.first_page(self._request("", ()))
        self._keep_page = page is None and not self.initial_saved
        if page is not None:
            self._wanted = page.results.request
            self._page_generation = page.generation
            self._show_results(page.results)
        self.call_after_refresh(self._page_painted.set)
        self.open_index()

    def _remember_theme(self) -> None:
        """Start in the theme chosen last time, and remember the one chosen now."""
        from explorer import locations
        from explorer.store.app_settings import load_settings, remember

        path = locations.app_settings()
        try:
            theme = load_settings(path).get("theme")
        except UserError as exc:
            self.notify(f"{exc} (the theme will not be remembered)", severity="warning",
                        markup=False)
            return
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme

        def save(theme) -> None:
            def write() -> None:
                try:
                    remember(path, theme=theme.name)
                except (UserError, OSError):
                    pass                 # a corrupt settings file is left as it is
            self.run_worker(write, thread=True, group="settings")
        self.theme_changed_signal.subscribe(self, save)

    def show_empty_state(self, missing: bool) -> None:
        """The results pane says why there is nothing and what to do (no endless progress)."""
        self.query_one("#indexing").display = False
        state = self.query_one("#empty-state", Static)
        state.update(empty_state(self.workspace.config, missing))
        state.display = True
        self.results_list.display = False
        self.search_bar.input.focus()             # nothing to move through: the search box
        self.status.show_message("No articles" if not missing else "Corpus not found")

    def _exit_if_terminal_gone(self) -> None:
        """Quit when the terminal hangs up. Under `make run` the hang-up signal goes to make,
        not to us, and Textual's input thread would spin on the dead tty at full CPU."""
        if not _terminal_alive():
            self.exit(return_code=129)

    def on_resize(self, event) -> None:
        self._adapt(event.size.width)

    def _adapt(self, width: int) -> None:
        panes = self.query_one("#panes")
        narrow = width < NARROW_BELOW
        if narrow and not panes.has_class("-narrow"):
            panes.add_class("-sidebar-hidden")
        elif not narrow and panes.has_class("-narrow"):
            panes.remove_class("-sidebar-hidden")
        panes.set_class(narrow, "-narrow")

    @property
    def _main_screen_gone(self) -> bool:
        """The main screen is gone (the app is exiting): late worker messages are dropped."""
        return not self.query("#panes")

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one(SearchBar)

    @property
    def results_list(self) -> ResultsList:
        return self.query_one(ResultsList)

    @property
    def article_view(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def sidebar(self) -> EntitySidebar:
        return self.query_one(EntitySidebar)

    @property
    def sidebar_visible(self) -> bool:
        return not self.query_one("#panes").has_class("-sidebar-hidden")

    # -- index -----------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="index")
    def open_index(self) -> None:
        """Open the index so the list shows at once (`check_index` runs once it is painted).
        With no index yet, build it first, with progress."""
        # Importing Whoosh holds the interpreter lock in long stretches: paint first.
        self._page_painted.wait(PAINT_WAIT)
        try:
            try:
                articles, generation = self.workspace.index_state()
            except UserError:                 # no index here yet
                articles = None
            if articles is None:
                self._bring_up_to_date()
            else:
                self.post_message(m.IndexReady(articles, generation=generation))
        except UserError as exc:
            self.post_message(m.IndexFailed(str(exc)))

    @work(thread=True, exclusive=True, group="index")
    def check_index(self) -> None:
        """After the first list: update the index (with progress) if the corpus or the
        gazetteer changed since it was built, then the list is shown again."""
        try:
            self._bring_up_to_date()
        except UserError as exc:
            self.post_message(m.IndexFailed(str(exc)))
        if self.when_ready is not None:
            self.when_ready()

    def _bring_up_to_date(self) -> None:
        # Checking walks the corpus once and builds the entity tagger (a tenth of a second on
        # Reuters): that is why it waits until the first list is on screen. Searches go on
        # meanwhile, and while the index is updated they answer from the last commit.
        reason = [""]

        def started(why: str) -> None:
            reason[0] = why
            self.post_message(m.IndexProgress("starting", 0, 0, why))

        summary = self.workspace.ensure_index(progress=self._progress(reason), started=started)
        if summary is None:
            return
        articles, _ = self.workspace.index_state()
        self.post_message(m.IndexReady(articles, summary))

    def _progress(self, reason):
        """A progress callback posting IndexProgress; `reason` is a one-item list (the reason
        is known once the update has started)."""
        last = [0.0]

        def report(phase: str, done: int, total: int) -> None:
            now = time.perf_counter()
            if now - last[0] >= PROGRESS_EVERY or done >= total:
                last[0] = now
                self.post_message(m.IndexProgress(phase, done, total, reason[0]))
        return report

    def on_index_progress(self, message: m.IndexProgress) -> None:
        if self._main_screen_gone:
            return
        self.query_one("#indexing").display = True
        bar = self.query_one("#indexing-bar", ProgressBar)
        bar.display = True
        label = self.query_one("#indexing-label", Label)
        label.update("Fetching the feeds" if message.phase == "fetching" else
                     f"Building the index ({message.reason}): {message.phase}")
        if message.total:
            bar.update(total=message.total, progress=message.done)
        self.status.show_message(f"Indexing: {message.phase} {message.done:,}/{message.total:,}")

    def on_index_ready(self, message: m.IndexReady) -> None:
        if self._main_screen_gone:
            return
        first = not self.ready
        self.ready = True
        if first:      # an index just built is up to date; an old one is checked once shown
            self._check_pending = message.summary is None
        self.query_one("#indexing").display = False
        empty = message.articles == 0
        self.query_one("#empty-state").display = False
        self.results_list.display = True
        if empty:
            self.show_empty_state(missing=False)
        self.prepare_discovered()
        if message.summary is not None and message.summary.note:
            self.notify(message.summary.note, severity="warning", timeout=6)
        elif message.summary is not None:
            self.notify(f"Indexed {message.summary.line()}", timeout=4)
        if not first:                         # the index was updated: show it again
            self._refresh_views()
        elif self.initial_saved:
            self.saved.open(self.initial_saved)
        elif self._wanted is None:
            self._search(self.search_bar.text, self.search_bar.filters)
        elif self._wanted != self._shown or message.generation != self._page_generation:
            self.run_search(self._wanted)     # typed before the index was open, or the
            #                                   index changed since the kept page was read
        else:                                 # the kept first page is the answer
            self.call_after_refresh(self._check_index_once)
            self.load_sidebar()

    def on_index_failed(self, message: m.IndexFailed) -> None:
        self.query_one("#indexing-bar", ProgressBar).display = False
        self.query_one("#indexing-label", Label).update(message.error)
        self.status.show_error(message.error)

    # -- search ----------------------------------------------------------------------------
    def set_search(self, text: str, entities: tuple[str, ...] = (), sort: str | None = None
                   ) -> None:
        """Show and run a whole search state (the saved-searches feature calls this)."""
        if sort:
            self.sort = sort
        self.search_bar.set_filters(tuple(entities))
        with self.search_bar.input.prevent(type(self.search_bar.input).Changed):
            self.search_bar.input.value = text
        self._search(text, tuple(entities))

    def _request(self, text: str, filters: tuple[str, ...], limit: int = RESULT_LIMIT
                 ) -> SearchRequest:
        return SearchRequest(text, tuple(filters), self.sort, limit)

    def _search(self, text: str, filters: tuple[str, ...], limit: int = RESULT_LIMIT) -> None:
        request = self._request(text, filters, limit)
        if request == self._wanted:
            return
        self._wanted = request
        if self.ready:
            self.run_search(request)

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, request: SearchRequest) -> None:
        if request != self._wanted:       # a newer key arrived while this one waited
            return
        try:
            if self._keep_page:
                results, generation = self.workspace.search_with_generation(request)
            else:
                results, generation = self.workspace.search(request), None
        except UserError as exc:
            self.post_message(m.SearchFailed(request, str(exc)))
            return
        self.post_message(m.SearchDone(request, results))
        if generation is not None and self.workspace.keep_first_page(results, generation):
            self._keep_page = False       # the next start paints this page at once

    def _check_index_once(self) -> None:
        if self._check_pending:
            self._check_pending = False
            self.check_index()

    def on_search_done(self, message: m.SearchDone) -> None:
        if self._main_screen_gone:
            return
        self.call_after_refresh(self._check_index_once)     # once the list is painted
        if message.request != self._wanted:
            return                          # stale: the user typed on
        self._show_results(message.results)

    def _show_results(self, results) -> None:
        self.results = results
        self._shown = results.request
        self.results_list.show_hits(results.hits)
        if results.request == self._last_wanted:
            self._last_wanted = None
            self.results_list.highlighted = len(results.hits) - 1
        self.saved.mark_new(results.request)
        self.status.show_results(results)
        self._focus_results_when_shown()
        # The sidebar follows once typing pauses, so its counting never delays the next key.
        if self._sidebar_timer is not None:
            self._sidebar_timer.stop()
        if SIDEBAR_DELAY > 0:
            self._sidebar_timer = self.set_timer(SIDEBAR_DELAY, self.load_sidebar)
        else:
            self.load_sidebar()

    def on_search_failed(self, message: m.SearchFailed) -> None:
        if self._main_screen_gone:
            return
        self._check_index_once()
        if message.request == self._wanted:
            self.status.show_error(message.error)   # the last good results stay
            self._focus_results_pending = False
            self._release_keys()

    @on(SearchBar.Changed)
    def _query_changed(self, event: SearchBar.Changed) -> None:
        self.status.show_notice(None)
        self._search(event.text, event.filters)
        if event.submitted:       # enter: go to the results once they are the ones asked for
            self._focus_results_pending = True
            self._focus_results_when_shown()

    def _focus_results_when_shown(self) -> None:
        if self._focus_results_pending and self._shown == self._wanted:
            self._focus_results_pending = False
            if self.results_list.option_count:
                self.results_list.focus()
            self._release_keys()        # the keys typed after enter go to these results

    @on(SearchBar.FilterRemoved)
    def _filter_removed(self, event: SearchBar.FilterRemoved) -> None:
        self.remove_filter(event.name)

    def add_filter(self, name: str) -> None:
        filters = self.search_bar.filters
        if name not in filters:
            self.search_bar.set_filters(filters + (name,))
        self._search(self.search_bar.text, self.search_bar.filters)

    def remove_filter(self, name: str) -> None:
        self.search_bar.set_filters(tuple(f for f in self.search_bar.filters if f != name))
        self._search(self.search_bar.text, self.search_bar.filters)

    def action_remove_filter(self) -> None:
        if self.search_bar.filters:
            self.remove_filter(self.search_bar.filters[-1])

    def action_toggle_sort(self) -> None:
        self.sort = "date" if self.sort == "relevance" else "relevance"
        self.notify(f"Sorted by {'date, newest first' if self.sort == 'date' else 'relevance'}",
                    timeout=2)
        self._search(self.search_bar.text, self.search_bar.filters)

    # -- article ---------------------------------------------------------------------------
    @on(ResultsList.NeedMore)
    def _more_results(self) -> None:
        shown = self._shown
        # only when the last page came back full (Whoosh's total can be an estimate)
        if shown is not None and self.results is not None and shown == self._wanted and (
                len(self.results.hits) == shown.limit < self.results.total):
            self._search(shown.text, shown.entities, (shown.limit or 0) + RESULT_LIMIT)

    @on(ResultsList.WantLast)
    def _last_result(self) -> None:
        """`G` / `end`: every result up to the last, searched in a worker (keys keep working
        meanwhile), then the last one highlighted."""
        shown, results = self._shown, self.results
        if shown is None or results is None or shown != self._wanted \
                or len(results.hits) >= results.total:
            return
        self._search(shown.text, shown.entities, results.total)
        self._last_wanted = self._wanted

    @on(ResultsList.Moved)
    def _row_moved(self, event: ResultsList.Moved) -> None:
        if self._main_screen_gone:        # a move that arrives while the app closes
            return
        total = self.results.total if self.results is not None else 0
        self.status.show_place(None if event.row is None or not total
                               else f"row {event.row + 1:,} of {total:,}")

    @on(ArticleView.MarkReached)
    def _mark_reached(self, event: ArticleView.MarkReached) -> None:
        if self._main_screen_gone:
            return
        self.status.show_place(f"{event.kind} {event.number}/{event.count}")

    @on(ResultsList.Opened)
    def _opened(self, event: ResultsList.Opened) -> None:
        self.open_article(event.article_id)

    def open_article(self, article_id: str) -> None:
        query = self._shown.text if self._shown else ""
        self.load_article(article_id, query)

    @work(thread=True, exclusive=True, group="article")
    def load_article(self, article_id: str, query: str) -> None:
        try:
            article = self.workspace.article(article_id)
            mentions = self.workspace.mentions(article.id)
            discovered = self.workspace.discovered_mentions(article.id, compute=False)
        except UserError as exc:
            self.post_message(m.DomainError(str(exc)))
            return
        try:
            hits = self.workspace.hit_spans(query, article.body)
            title_hits = self.workspace.hit_spans(query, article.title)
        except UserError:
            hits, title_hits = [], []
        self.post_message(m.ArticleLoaded(article, hits, title_hits, mentions, discovered))

    def on_article_loaded(self, message: m.ArticleLoaded) -> None:
        if self._main_screen_gone:
            return
        self.article_id = message.article.id
        view = self.article_view
        view.show_article(message.article, message.hits, message.title_hits, message.mentions,
                          message.discovered)
        self.quotes.article_shown(message.article)
        filters = self.search_bar.filters
        if not message.hits and filters:      # an entity search: light that entity up
            view.set_focus_entity(filters[-1])
        self.query_one("#panes").add_class("-article-open")
        view.focus()
        self._release_keys()                  # keys typed after enter go to the article
        self.load_sidebar()

    def close_article(self) -> None:
        self.article_id = None
        self.query_one("#panes").remove_class("-article-open")
        self.results_list.focus()
        self.load_sidebar()

    @on(ArticleView.Back)
    def _article_back(self) -> None:
        self.close_article()

    def action_next_mark(self, direction: int) -> None:
        if self.article_id is not None:
            self.article_view.action_next_mark(direction)

    # -- quotes (explorer.app.quote_actions) -------------------------------------------------
    @on(ArticleView.PassageKept)
    def _passage_kept(self, event: ArticleView.PassageKept) -> None:
        self.quotes.passage_kept(event.article_id, event.start, event.end, event.text)

    @on(ArticleView.SelectionChanged)
    def _selection_changed(self, event: ArticleView.SelectionChanged) -> None:
        self.status.show_selection(event.words)

    def action_quotations(self) -> None:
        self.quotes.show_quotations()

    def action_co_mentions(self) -> None:
        self.views.co_mentions()

    def action_timeline(self) -> None:
        self.views.timeline()

    @on(EntitySidebar.CoMentionsWanted)
    def _co_mentions_of(self, event: EntitySidebar.CoMentionsWanted) -> None:
        self.views.co_mentions(event.name)

    def action_kept_quotes(self) -> None:
        self.quotes.show_kept()

    def action_export_quotes(self) -> None:
        self.quotes.export_kept()

    def action_copy_quote(self) -> None:
        self.quotes.copy_under_cursor()

    def action_annotate_quote(self) -> None:
        self.quotes.annotate()

    # -- entities --------------------------------------------------------------------------
    def load_sidebar(self) -> None:
        if self._main_screen_gone:
            return
        if not self.ready or not self.sidebar_visible or self._shown is None:
            return                        # (the kept first page: once the index is open)
        scope = "article" if self.article_id else "results"
        key = (scope, self.article_id, self._shown, self.sidebar.unlinked_mode)
        if key == self._entities_key:
            return
        self._entities_key = key
        # The results' entities are those of the articles listed (counting every match of a
        # broad query on Reuters takes over a second, and would hold up the next keystroke).
        ids = [self.article_id] if self.article_id else [hit.id for hit in self.results.hits]
        self.run_entities(key, ids, self.sidebar.unlinked_mode)

    @work(thread=True, exclusive=True, group="entities")
    def run_entities(self, key, ids: list[str], unlinked: bool) -> None:
        if key != self._entities_key or key[2] != self._wanted:
            return                        # the user has typed on: new results are coming
        discovered = []
        if unlinked:
            rows = self.workspace.unlinked(ids)
        else:
            rows = self.workspace.entity_counts(ids)
            discovered = self.workspace.discovered(ids, compute=False)
        self.post_message(m.EntitiesLoaded(key, rows, unlinked, key[0], discovered))

    @work(thread=True, group="discovered")
    def prepare_discovered(self) -> None:
        """Work out the corpus's discovered names (once per index generation, a few seconds
        on Reuters, minutes at 300k articles) beside the searches: it reads with a searcher
        of its own, and gives up when the worker is cancelled (quitting does not wait)."""
        worker = get_current_worker()
        try:
            if self.workspace.discovered_table(compute=False) is not None:
                return                # at hand (kept beside the index): the sidebar has it
            if self.workspace.discovered_table(stop=lambda: worker.is_cancelled):
                self.post_message(m.DiscoveredReady())
        except UserError:
            pass

    def on_discovered_ready(self) -> None:
        if self._main_screen_gone:
            return
        if any(w.group == "entities" and w.is_running for w in self.workers):
            self._sidebar_again = True        # reload once that one is in, not cancel it
            return
        self._reload_sidebar()

    def _reload_sidebar(self) -> None:
        self._sidebar_again = False
        self._entities_key = None
        self.load_sidebar()
        if self.article_id is not None:
            self.reload_mentions(self.article_id)

    def on_entities_loaded(self, message: m.EntitiesLoaded) -> None:
        if self._main_screen_gone:
            return
        if self._sidebar_again:                   # the discovered names came meanwhile
            self.call_later(self._reload_sidebar)
        if message.key != self._entities_key:
            return
        label = "article"         # (short: the title fits at 110 columns)
        if message.scope == "results" and self.results is not None:
            shown, total = len(self.results.hits), self.results.total
            label = (f"{shown} result{'s' if shown != 1 else ''}" if shown >= total else
                     f"{shown} of {total:,}")
        if message.unlinked:
            self.sidebar.show_unlinked(message.rows, message.scope, label)
        else:
            self.sidebar.show_entities(message.rows, message.scope, self.search_bar.filters,
                                       label, message.discovered)

    @on(EntitySidebar.Chosen)
    def _entity_chosen(self, event: EntitySidebar.Chosen) -> None:
        if event.name in self.search_bar.filters:
            self.remove_filter(event.name)
        else:
            self.add_filter(event.name)

    @on(EntitySidebar.Highlighted)
    def _entity_highlighted(self, event: EntitySidebar.Highlighted) -> None:
        if self.article_id is not None:
            self.article_view.set_focus_entity(event.name)

    @on(EntitySidebar.ModeChanged)
    def _sidebar_mode(self) -> None:
        self._entities_key = None
        self.load_sidebar()

    def action_toggle_entities(self) -> None:
        panes = self.query_one("#panes")
        if not self.sidebar_visible:
            panes.remove_class("-sidebar-hidden")
            self.sidebar.focus()
            self.load_sidebar()
        elif not self.sidebar.has_focus:
            self.sidebar.focus()
        else:
            panes.add_class("-sidebar-hidden")
            self._focus_main()

    # -- aliases ---------------------------------------------------------------------------
    @on(ArticleView.AliasRequested)
    def _alias_from_article(self, event: ArticleView.AliasRequested) -> None:
        self.prepare_alias(event.text, event.candidates, article_id=event.article_id)

    @on(EntitySidebar.AliasRequested)
    def _alias_from_sidebar(self, event: EntitySidebar.AliasRequested) -> None:
        self.prepare_alias(event.text, kind=event.kind)

    @work(thread=True, exclusive=True, group="alias")
    def prepare_alias(self, text: str, candidates: tuple[str, ...] = (),
                      kind: str | None = None, article_id: str | None = None) -> None:
        """The alias dialog; `kind`, a discovered name's guessed type, makes "new entity" of
        that type the first choice (enter promotes it); `article_id`, an ambiguous mention's
        article, lets the choice be for that article only."""
        from explorer.app.screens.alias_dialog import AliasDialog
        from explorer.entities.gazetteer import TYPES    # not at start-up: entities are slow

        types = dict(self.workspace.entity_types())
        try:
            owner = self.workspace.alias_owner(text)
        except UserError:                           # a corrupt entities.yaml: no take-back
            owner = None
        dialog = AliasDialog(text, types, list(TYPES), candidates, new_type=kind,
                             removable=owner, in_article=article_id is not None)
        self._alias_article = article_id
        self.call_from_thread(self.push_screen, dialog, self._alias_chosen)

    def _alias_chosen(self, choice) -> None:
        from explorer.app.screens.alias_dialog import HERE, REMOVE

        if choice is not None and choice[2] == REMOVE:
            self.take_back_alias(choice[0], choice[1])
        elif choice is not None and choice[2] == HERE and self._alias_article is not None:
            self.settle_here(self._alias_article, choice[1], choice[0])
        elif choice is not None:
            self.save_alias(*choice)

    @work(thread=True, exclusive=True, group="alias")
    def take_back_alias(self, entity: str, alias: str) -> None:
        try:
            ids = self.workspace.remove_alias(entity, alias)
        except UserError as exc:
            self.post_message(m.DomainError(str(exc)))
            return
        self.post_message(m.AliasRemoved(entity, alias, list(ids)))

    @work(thread=True, exclusive=True, group="alias")
    def settle_here(self, article_id: str, text: str, entity: str) -> None:
        try:
            self.workspace.settle_mention(article_id, text, entity)
        except UserError as exc:
            self.post_message(m.DomainError(str(exc)))
            return
        self.post_message(m.MentionSettled(entity, text))

    def on_mention_settled(self, message: m.MentionSettled) -> None:
        if self._main_screen_gone:
            return
        self.status.show_notice(f"\"{message.text}\" is {message.entity} in this article "
                                "(no alias)")
        self._refresh_views()

    def on_alias_removed(self, message: m.AliasRemoved) -> None:
        if self._main_screen_gone:
            return
        count = len(message.article_ids)
        self.status.show_notice(f"\"{message.alias}\" is no longer an alias of "
                                f"{message.entity}; {count} article"
                                f"{'s' if count != 1 else ''} re-tagged")
        self._refresh_views()

    @work(thread=True, exclusive=True, group="alias")
    def save_alias(self, entity: str, alias: str, kind: str | None) -> None:
        try:
            ids = self.workspace.add_alias(entity, alias, type=kind)
        except UserError as exc:
            self.post_message(m.DomainError(str(exc)))
            return
        self.post_message(m.AliasSaved(entity, alias, list(ids)))

    def on_alias_saved(self, message: m.AliasSaved) -> None:
        if self._main_screen_gone:
            return
        self.prepare_discovered()          # the index changed: its names are worked out again
        count = len(message.article_ids)
        self.status.show_notice(f"\"{message.alias}\" is now an alias of {message.entity}; "
                                f"{count} article{'s' if count != 1 else ''} re-tagged")
        self.notify(f"Saved alias \"{message.alias}\" \u2192 {message.entity}", timeout=3)
        self._refresh_views()

    def _refresh_views(self) -> None:
        """Run the current search again and reload the open article's mentions (the index
        changed underneath them)."""
        wanted = self._wanted
        self._wanted = self._entities_key = None
        if wanted is not None:
            self._search(wanted.text, wanted.entities)
        if self.article_id is not None:
            self.reload_mentions(self.article_id)

    @work(thread=True, exclusive=True, group="article")
    def reload_mentions(self, article_id: str) -> None:
        mentions = self.workspace.mentions(article_id)
        discovered = self.workspace.discovered_mentions(article_id, compute=False)
        self.call_from_thread(self._set_mentions, article_id, mentions, discovered)

    def _set_mentions(self, article_id: str, mentions, discovered=()) -> None:
        if self._main_screen_gone:
            return
        if article_id == self.article_id:
            self.article_view.set_mentions(mentions, discovered)

    def on_domain_error(self, message: m.DomainError) -> None:
        self._release_keys()
        if self._main_screen_gone:
            return
        self.status.show_error(message.error)

    # -- keys typed faster than searches end -------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        """Every key is applied, in order, to the state it was typed for: after `enter` in the
        search box (or `down`), the next keys wait for the results and go to the list; after
        `enter` on a result, they wait for the article. Textual forwards a key to the widget
        focused when the key is read, and a focus change is itself queued behind the keys
        already typed, so without this a fast `enter enter` opened nothing."""
        if isinstance(event, events.Key) and not event.is_forwarded and \
                (self._key_hold or self._held_keys):
            self._held_keys.append(event)
            return
        if isinstance(event, events.Key) and not event.is_forwarded:
            await self._dispatch_key(event)
            return
        await super().on_event(event)

    async def _dispatch_key(self, event: events.Key) -> None:
        focused = self.focused
        main = self.screen is self.screen_stack[0]
        # Keys after which the next ones wait for a state: the results of the search (enter or
        # down in the box), the article (enter on a result).
        waits = main and (
            (isinstance(focused, QueryInput) and event.key in ("enter", "down") and self.ready)
            or (focused is self.results_list and event.key == "enter"
                and self.results_list.highlighted is not None))
        active = self.screen.active_bindings.get(event.key) if main else None
        if active is not None and active.enabled and not (
                isinstance(focused, Input) and event.is_printable):
            # A bound key (`/`, `e`, tab, ctrl+u in the box, j in the list...) runs now.
            # Textual runs a binding only once the key has bubbled back up to the app, after
            # the keys typed behind it were handed out: `ctrl+u x` left an empty box and `/x`
            # sent the x to the list. The next key waits for what it does (the focus it moves).
            self._hold_keys()
            await self.run_action(active.binding.action, active.node)
            if not waits:
                self.call_later(self._release_keys)
            return
        await super().on_event(event)
        if waits:
            self._hold_keys()

    def _hold_keys(self) -> None:
        self._key_hold = True
        if self._hold_timer is not None:
            self._hold_timer.stop()
        self._hold_timer = self.set_timer(KEY_HOLD_LIMIT, self._release_keys)

    def _release_keys(self) -> None:
        """The state the held keys were typed for is reached: replay them, once the focus
        change queued just before is done."""
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
        self._key_hold = False
        if self._held_keys:
            self.call_later(self._replay_key)

    async def _replay_key(self) -> None:
        if self._key_hold or not self._held_keys:
            return
        await self._dispatch_key(self._held_keys.pop(0))
        if self._held_keys and not self._key_hold:
            self.call_later(self._replay_key)

    # -- focus and navigation --------------------------------------------------------------
    def action_focus_search(self) -> None:
        self.search_bar.input.focus()

    def action_focus_results(self) -> None:
        if self.article_id is not None and self.query_one("#panes").has_class("-narrow"):
            self.close_article()
        self.results_list.focus()
        self._release_keys()

    def _focus_main(self) -> None:
        if self.article_id is not None:
            self.article_view.focus()
        else:
            self.results_list.focus()

    def action_back(self) -> None:
        focused = self.focused
        if focused is self.sidebar:
            self._focus_main()
        elif focused is self.article_view:
            self.close_article()
        elif focused is self.results_list:
            self.action_focus_search()
        else:
            self.results_list.focus()

    def action_open_url(self) -> None:
        self.sources.open_url()

    def action_pager(self) -> None:
        self.sources.read_in_pager()

    def action_refresh(self) -> None:
        self.sources.refresh()

    def action_save_search(self) -> None:
        self.saved.save()

    def action_saved_searches(self) -> None:
        self.saved.show()

    def action_next_new(self) -> None:
        self.saved.next_new()

    def action_help(self) -> None:
        from explorer.app.screens.help_screen import HelpScreen

        self.push_screen(HelpScreen())


def _terminal_alive() -> bool:
    """Whether our terminal is still there (a hung-up tty answers EIO, so isatty is False)."""
    stream = sys.__stdin__
    try:
        return stream is not None and os.isatty(stream.fileno())
    except (OSError, ValueError):
        return False
