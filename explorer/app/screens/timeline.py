"""The timeline (`T`): how many of the current results (or an entity's articles) appeared each
day, week or month, as a sparkline and a bar a period, the busiest labelled. `enter` on a period
narrows the search to it; `d`, `w`, `m` change the period."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from explorer.app.screens.view_screen import ViewScreen
from explorer.errors import UserError
from explorer.text import printable

BAR = 60          # characters of the longest bar at the most (fewer on a narrow screen)


class TimelineScreen(ViewScreen):
    """Dismissed with the Period chosen (to narrow the search to it), or None."""

    LIST_ID = "timeline-list"

    BINDINGS = [
        Binding("escape,T", "dismiss(None)", "Close", id="timeline.close", tooltip="Back"),
        Binding("d", "by('day')", "Days", id="timeline.days", tooltip="A bar a day"),
        Binding("w", "by('week')", "Weeks", id="timeline.weeks", tooltip="A bar a week"),
        Binding("m", "by('month')", "Months", id="timeline.months", tooltip="A bar a month"),
    ]

    def __init__(self, workspace, entity: str | None = None, request=None,
                 by: str = "month") -> None:
        super().__init__(workspace, entity, request)
        self.by = by
        self.line = None

    def compose(self) -> ComposeResult:
        with Vertical(id="timeline-box", classes="view-box"):
            yield Static(Content.styled("Timeline", "bold"), id="timeline-title",
                         classes="view-title")
            yield Static("counting\u2026", id="timeline-message", classes="view-message")
            yield Sparkline([], id="timeline-sparkline")
            yield OptionList(id="timeline-list")
            yield Static("enter narrow the search to it \u00b7 d/w/m by day, week, month "
                         "\u00b7 esc close", classes="view-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.load(self.by)

    @work(thread=True, exclusive=True, group="timeline")
    def load(self, by: str) -> None:
        try:
            line = self.workspace.timeline(self.entity, self.request, by)
        except UserError as exc:
            self.post_message(self.Loaded(None, str(exc)))
            return
        self.post_message(self.Loaded(line))

    def on_view_screen_loaded(self, event: ViewScreen.Loaded) -> None:
        message = self.query_one("#timeline-message", Static)
        if event.error:
            message.update(Content.styled(event.error, "bold $text-error"))
            return
        line = self.line = event.found
        self.query_one("#timeline-title", Static).update(Content.assemble(
            Content.styled("Timeline of ", "bold"),
            Content.styled(printable(line.subject), "bold $text-accent"),
            Content.styled(f" \u00b7 by {line.by}", "bold")))
        busiest = ", ".join(f"{p.label} ({p.count:,})" for p in line.busiest)
        text = f"{line.dated:,} dated \u00b7 {line.undated:,} undated (not drawn)"
        if busiest:
            text += f" \u00b7 busiest: {busiest}"
        message.update(Content.styled(text, "$text-muted"))
        self.query_one(Sparkline).data = [p.count for p in line.periods]
        top = max((p.count for p in line.periods), default=0) or 1
        room = max(8, min(BAR, self.option_list.size.width - 33))   # date, count, "busiest"
        marked = {p.start for p in line.busiest}
        options = []
        for number, period in enumerate(line.periods):
            bar = "\u2588" * round(period.count * room / top)
            options.append(Option(Content.assemble(
                f"{period.label}  {period.count:>6,}  ",
                Content.styled(bar, "$text-accent"),
                Content.styled("  busiest" if period.start in marked else "", "$text-warning"),
            ), id=f"p{number}", disabled=not period.count))
        if not options:
            options.append(Option(Content.styled("no dated articles", "$text-muted"),
                                  disabled=True))
        self.set_rows(options)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.line is not None and (event.option.id or "").startswith("p"):
            self.dismiss(self.line.periods[int(event.option.id[1:])])

    def action_by(self, by: str) -> None:
        if by != self.by:
            self.by = by
            self.query_one("#timeline-message", Static).update("counting\u2026")
            self.load(by)

