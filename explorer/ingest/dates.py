"""The dates articles carry, read into one form: ISO 8601 text, in UTC when an offset is known.

Accepted: ISO 8601 (a day, or a day and time, with or without an offset: `2025-06-19`,
`2025-06-19T23:30:00-05:00`, `...Z`), RFC 2822 as feeds write it (`Thu, 19 Jun 2025 10:00:00
GMT`), and epoch seconds or milliseconds (a number, or a string of 9 or more digits), plus the
date and datetime values YAML front matter gives. A date with an offset is converted to UTC and
kept with `+00:00` (so `2025-06-19T23:30:00-05:00` is the 20th, 04:30 UTC); a date without one
is kept as written (its zone is unknown). Anything else is a problem the caller reports: the
article is indexed undated, never silently.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from typing import Any

UTC = dt.timezone.utc
_DAY_AND_TIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?")
_EPOCH = re.compile(r"^-?\d{9,}(\.\d+)?$")
MILLISECONDS = 10 ** 11      # a larger epoch number is in milliseconds (10^11 s is year 5138)


def read_date(value: Any) -> tuple[str | None, str | None]:
    """(ISO text or None, a problem or None) for a date value as a corpus gives it."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    when, has_time = _when(value)
    if when is None:
        shown = str(value)
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        return None, f"unreadable date {shown!r}: indexed undated"
    if when.tzinfo is not None:
        return when.astimezone(UTC).isoformat(timespec="seconds"), None
    return (when.isoformat() if has_time else when.date().isoformat()), None


def iso_date(value: Any) -> str | None:
    """The ISO text of a date value, None when there is none or it cannot be read."""
    return read_date(value)[0]


def parse_date(value: Any) -> dt.datetime | None:
    """A date value as a naive datetime in UTC when its offset is known (as the index keeps
    days and times), else as written; None when there is none or it cannot be read."""
    when, _ = _when(value) if value not in (None, "") else (None, False)
    if when is not None and when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when


def _when(value: Any) -> tuple[dt.datetime | None, bool]:
    """(datetime, whether it has a time) of a value; aware when an offset is known."""
    if isinstance(value, bool):
        return None, False
    if isinstance(value, dt.datetime):
        return value, True
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day), False
    if isinstance(value, (int, float)):
        return _epoch(float(value)), True
    text = str(value).strip()
    if _EPOCH.match(text):
        return _epoch(float(text)), True
    try:
        when = dt.datetime.fromisoformat(text)
        return when, len(text) > 10
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
        return when, True
    except (TypeError, ValueError, IndexError):
        pass
    # ISO with something unreadable after the day and time (Reuters has a corrupt time or
    # two): the day and time that can be read.
    match = _DAY_AND_TIME.match(text)
    if match:
        parts = [int(p) if p else 0 for p in match.groups()]
        try:
            return dt.datetime(*parts), match.group(4) is not None
        except ValueError:
            return None, False
    return None, False


def _epoch(number: float) -> dt.datetime | None:
    if abs(number) >= MILLISECONDS:
        number /= 1000
    try:
        return dt.datetime.fromtimestamp(number, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def local_date(value: str | None) -> str | None:
    """An ISO date kept in UTC, shown in the local time zone (ISO, with the local offset);
    a date without an offset as it is."""
    if not value or len(value) <= 10:
        return value
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if when.tzinfo is None:
        return value
    return when.astimezone().isoformat(timespec="seconds")
