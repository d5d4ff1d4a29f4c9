"""`{% opening_hours %}`: the chat's and the phone's opening hours wherever the website
shows them (the footer, the About page), read from the hours app, never typed into a page.

It shows the ordinary week, with days of the same hours joined ("mandag–onsdag"), and the
days of the next two weeks that differ from it: an exception a manager has added (with its
note) or a public holiday. The output is part of cached pages; every change to the hours
bumps the page cache (site/hours_link.py), so a new exception shows at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import template
from django.utils.translation import gettext as _

from hjelpelinje.core.timeutil import local_now
from hjelpelinje.hours.models import Channel, HoursException, Weekday
from hjelpelinje.hours.selectors import Calendar, Interval, holiday_name

register = template.Library()

# How far ahead the days that differ from the ordinary week are shown.
UPCOMING_DAYS = 14


@dataclass(frozen=True)
class Row:
    """One line of the table. `spans` are the pieces that never break over two lines (one
    opening interval each, and a note); between them the line may wrap, so a day with
    two intervals fits a 320 px phone instead of widening the page. The note (why the day
    differs) wraps like any text."""

    days: str
    spans: tuple[str, ...]
    note: str = ""

    @property
    def hours(self) -> str:
        return ", ".join(self.spans) + (f" ({self.note})" if self.note else "")


@dataclass(frozen=True)
class ChannelHours:
    channel: str
    label: str
    week: list[Row]
    upcoming: list[Row]


def hours_spans(intervals: list[Interval]) -> tuple[str, ...]:
    if not intervals:
        return (_("stengt"),)
    return tuple(f"{opens:%H:%M}–{closes:%H:%M}" for opens, closes in intervals)


def _span(first: str, last: str) -> str:
    return first if first == last else f"{first}–{last}"


def week_rows(calendar: Calendar) -> list[Row]:
    """Monday to Sunday, consecutive days with the same hours on one row."""
    rows: list[Row] = []
    start = 0
    for weekday in range(1, 8):
        same = weekday < 7 and calendar.weekly.get(weekday, []) == calendar.weekly.get(start, [])
        if same:
            continue
        first, last = Weekday(start).label, Weekday(weekday - 1).label
        rows.append(
            Row(
                days=_span(str(first), str(last)),
                spans=hours_spans(calendar.weekly.get(start, [])),
            )
        )
        start = weekday
    return rows


def _covering(calendar: Calendar, day: dt.date) -> HoursException | None:
    # The same rule as the selectors' calendar: the newest exception covering the day wins.
    for exc in calendar.exceptions:
        if exc.start_date <= day <= exc.end_date and not (exc.weekdays_only and day.weekday() >= 5):
            return exc
    return None


def upcoming_rows(calendar: Calendar, today: dt.date) -> list[Row]:
    """The days from today that differ from the ordinary week, runs of the same joined."""
    runs: list[tuple[dt.date, dt.date, tuple[tuple[str, ...], str]]] = []
    for offset in range(UPCOMING_DAYS + 1):
        day = today + dt.timedelta(days=offset)
        intervals = calendar.intervals(day)
        if intervals == calendar.weekly.get(day.weekday(), []):
            continue
        exception = _covering(calendar, day)
        reason = (exception.note if exception else holiday_name(day)) or ""
        text = (hours_spans(intervals), reason)
        if runs and runs[-1][1] == day - dt.timedelta(days=1) and runs[-1][2] == text:
            runs[-1] = (runs[-1][0], day, text)
        else:
            runs.append((day, day, text))
    return [
        Row(days=_span(f"{first:%d.%m.%Y}", f"{last:%d.%m.%Y}"), spans=text[0], note=text[1])
        for first, last, text in runs
    ]


def channel_hours(channel: str, today: dt.date) -> ChannelHours:
    calendar = Calendar(channel, today, today + dt.timedelta(days=UPCOMING_DAYS))
    return ChannelHours(
        channel=channel,
        label=str(Channel(channel).label),
        week=week_rows(calendar),
        upcoming=upcoming_rows(calendar, today),
    )


@register.inclusion_tag("site/hours/opening_hours.html")
def opening_hours(level: int = 2) -> dict[str, Any]:
    """The chat's and the phone's hours; `level` is the heading level of each channel."""
    today = local_now().date()
    return {
        "channels": [channel_hours(Channel.CHAT, today), channel_hours(Channel.PHONE, today)],
        "level": max(2, min(6, int(level))),
    }
