"""`date:` clauses of a query, read into exact ranges of days before Whoosh parses the query.

Every date form stands for a span of whole days (a day, a month, a year, a week, "last 7
days"); a comparison takes the span's edge: `>D` is after D's last day, `>=D` from its first,
`<D` before its first, `<=D` up to its last. Whoosh's own date plugin turned `>D` into "from the
start of D" (so `date:>1987-10-19` held the 735 stories of that day) and read no `since` or `N
days ago`. Each clause becomes `day:[first TO last]` over the index's `day` column (days since
year 1; undated articles, day 0, are never in a range). docs/search.md states every form.
"""

from __future__ import annotations

import datetime as dt
import re

from explorer.errors import QueryError
from explorer.text import printable

# A date clause's value: a quoted text, a range in brackets, a comparison, or one word.
_CLAUSE = re.compile(r'\bdate:(?P<value>"[^"]*"|[\[{][^\]}]*[\]}]|[<>]=?(?:"[^"]*"|[^\s()]+)'
                     r'|[^\s()]+)')
_ISO_DAY = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_ISO_MONTH = re.compile(r"^(\d{4})[-/](\d{1,2})$")
_YEAR = re.compile(r"^\d{4}$")
_RELATIVE = re.compile(r"^(this|last|past)\s+(week|month|year)$")
_LAST_DAYS = re.compile(r"^(?:last|past)\s+(\d+)\s+days?$")
_AGO = re.compile(r"^(\d+)\s+(day|week|month|year)s?\s+ago$")
_WORDED = re.compile(r"^(since|from|after|before|until|till)\s+(.+)$")
_RANGE = re.compile(r"^(?P<open>[\[{])\s*(?P<low>.*?)\s*\bto\b\s*(?P<high>.*?)\s*(?P<close>[\]}])$",
                    re.I)

FIRST_DAY = 1          # day 0 is "undated": a range never reaches it
LAST_DAY = dt.date.max.toordinal()     # an open end (Whoosh reads no open numeric range)


def rewrite_dates(text: str, now: dt.datetime | None = None, shown: str | None = None) -> str:
    """The query with each `date:VALUE` clause replaced by `day:[first TO last]` (days since
    year 1, both included). QueryError names an unreadable date (and the query as `shown`)."""
    today = (now or dt.datetime.now()).date()

    def rewrite(match: re.Match) -> str:
        first, last = clause_days(match.group("value"), today, shown or text)
        if first is not None and last is not None and first > last:
            return f"day:[{FIRST_DAY} TO 0]"         # an empty span: nothing
        low = max(first or FIRST_DAY, FIRST_DAY)
        return f"day:[{low} TO {LAST_DAY if last is None else min(last, LAST_DAY)}]"
    return _CLAUSE.sub(rewrite, text)


def clause_days(value: str, today: dt.date, query: str = "") -> tuple[int | None, int | None]:
    """(first day, last day) a date clause's value covers, None for an open end."""
    raw = value
    if value[:1] in "<>":
        operator = value[:2] if value[1:2] == "=" else value[:1]
        first, last = span(_unquote(value[len(operator):]), today, query)
        return {">": (last + 1, None), ">=": (first, None),
                "<": (None, first - 1), "<=": (None, last)}[operator]
    range_ = _RANGE.match(value)
    if range_:
        low, high = range_.group("low"), range_.group("high")
        first = last = None
        if low:
            low_span = span(_unquote(low), today, query)
            first = low_span[1] + 1 if range_.group("open") == "{" else low_span[0]
        if high:
            high_span = span(_unquote(high), today, query)
            last = high_span[0] - 1 if range_.group("close") == "}" else high_span[1]
        return first, last
    if value[:1] in "[{":
        raise QueryError(f"query '{query}': cannot read the date range {_shown(raw)}: "
                         f"write [FROM to UNTIL]")
    text = _unquote(value)
    worded = _WORDED.match(text.lower())
    if worded:
        word, rest = worded.groups()
        first, last = span(rest, today, query)
        if word in ("since", "from"):
            return first, None
        if word == "after":
            return last + 1, None
        if word == "before":
            return None, first - 1
        return None, last                          # until, till
    return span(text, today, query)


def span(text: str, today: dt.date, query: str = "") -> tuple[int, int]:
    """(first day, last day) of one date: a day, month, year, a relative span or a date in
    words ("june 2025", "19 june 2025", "yesterday")."""
    text = " ".join(text.lower().split())
    try:
        days = _days(text, today)
    except (ValueError, OverflowError):     # before year 1 or after 9999: "99999 days ago"
        days = None
    if days is None:
        raise QueryError(f"query '{query}': cannot read the date '{_shown(text)}'")
    first, last = days
    return first.toordinal(), last.toordinal()


def _days(text: str, today: dt.date) -> tuple[dt.date, dt.date] | None:
    try:
        match = _ISO_DAY.match(text)
        if match:
            day = dt.date(int(match[1]), int(match[2]), int(match[3]))
            return day, day
        match = _ISO_MONTH.match(text)
        if match:
            return _month(int(match[1]), int(match[2]))
        if _YEAR.match(text):
            return dt.date(int(text), 1, 1), dt.date(int(text), 12, 31)
    except ValueError:
        return None
    if text == "today":
        return today, today
    if text == "yesterday":
        day = today - dt.timedelta(days=1)
        return day, day
    match = _LAST_DAYS.match(text)
    if match:           # "last 7 days": today and the 6 days before it
        count = int(match[1])
        if count < 1:
            return None
        return today - dt.timedelta(days=count - 1), today
    match = _AGO.match(text)
    if match:
        return _ago(int(match[1]), match[2], today)
    match = _RELATIVE.match(text)
    if match:
        return _relative(match[1], match[2], today)
    return _in_words(text, today)


def _month(year: int, month: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def _ago(count: int, unit: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """'3 days ago' is that one day; '2 weeks ago' that Monday-to-Sunday week; '1 month ago'
    that calendar month; '1 year ago' that calendar year."""
    if unit == "day":
        day = today - dt.timedelta(days=count)
        return day, day
    if unit == "week":
        start = today - dt.timedelta(days=today.weekday() + 7 * count)
        return start, start + dt.timedelta(days=6)
    if unit == "month":
        months = today.year * 12 + today.month - 1 - count
        return _month(months // 12, months % 12 + 1)
    return dt.date(today.year - count, 1, 1), dt.date(today.year - count, 12, 31)


def _relative(which: str, unit: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """'this week' is Monday to today; 'last week' the Monday-to-Sunday week before it; the
    same for months and years."""
    if which == "this":
        if unit == "week":
            return today - dt.timedelta(days=today.weekday()), today
        if unit == "month":
            return today.replace(day=1), today
        return today.replace(month=1, day=1), today
    return _ago(1, unit, today)


def _in_words(text: str, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """Whoosh's English date reader ('june 2025', '19 june 2025', 'last tuesday')."""
    from whoosh.qparser.dateparse import English

    try:
        found = English().date_from(text, dt.datetime.combine(today, dt.time(12)))
    except Exception:           # Whoosh raises assorted errors on odd input
        return None
    if found is None:
        return None
    start = getattr(found, "start", found)
    end = getattr(found, "end", found)
    start = start.floor() if hasattr(start, "floor") else start
    end = end.ceil() if hasattr(end, "ceil") else end
    if start is None or end is None:
        return None
    return start.date(), end.date()


def _shown(text: str, limit: int = 40) -> str:
    text = printable(text)
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return value.strip()
