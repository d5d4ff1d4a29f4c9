"""Opening hours: is a channel open at a moment, when does it open next, which days open.

Everything is computed in Oslo time. A day's hours come from, in order: an exception
covering that day (the newest one wins), a Norwegian public holiday (closed), or the
ordinary week. On top of the days lie the overrides ("open now until 18:00", "close now"),
exact instants that win over the day's hours while they last. Whether the channel is open
is decided on a timeline of UTC instants, so an evening past midnight and the nights the
clocks change come out right.

Nothing here is cached: the chat page and the chat socket ask on every visit and start,
so an opening or closing takes effect at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays

from hjelpelinje.core.timeutil import OSLO
from hjelpelinje.hours.models import ExceptionKind, HoursException, HoursOverride, WeeklyHours

Interval = tuple[dt.time, dt.time]

# How far ahead "opens next" looks; a helpline closed for longer than this says so.
LOOKAHEAD_DAYS = 60


@dataclass(frozen=True)
class HoursStatus:
    is_open: bool
    closes_at: dt.datetime | None
    next_open: dt.datetime | None


@lru_cache(maxsize=32)
def _norwegian_holidays(year: int) -> dict[dt.date, str]:
    return dict(holidays.country_holidays("NO", years=year, language="no"))


def holiday_name(day: dt.date) -> str | None:
    return _norwegian_holidays(day.year).get(day)


class Calendar:
    """The hours of one channel over a date range, read from the database once."""

    def __init__(self, channel: str, start: dt.date, end: dt.date) -> None:
        self.channel = channel
        self.weekly: dict[int, list[Interval]] = {}
        for slot in WeeklyHours.objects.filter(channel=channel).order_by("opens"):
            self.weekly.setdefault(slot.weekday, []).append((slot.opens, slot.closes))
        self.exceptions = list(
            HoursException.objects.filter(
                channel=channel, start_date__lte=end, end_date__gte=start
            ).order_by("-created_at", "-id")
        )

    def _exception(self, day: dt.date) -> HoursException | None:
        for exc in self.exceptions:
            if exc.start_date <= day <= exc.end_date and not (
                exc.weekdays_only and day.weekday() >= 5
            ):
                return exc
        return None

    def intervals(self, day: dt.date) -> list[Interval]:
        exc = self._exception(day)
        if exc is not None:
            if exc.kind == ExceptionKind.CLOSED or exc.opens is None or exc.closes is None:
                return []
            return [(exc.opens, exc.closes)]
        if holiday_name(day):
            return []
        return list(self.weekly.get(day.weekday(), []))


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    """The instant a wall-clock time on a day in Oslo happens, as UTC.

    In the hour skipped in spring (02:00-03:00) this is the instant the clock jumps, for
    02:00; in the hour repeated in autumn it is the first pass, as a clock on the wall
    would first show it.
    """
    return dt.datetime.combine(day, time, tzinfo=OSLO).astimezone(dt.UTC)


Span = tuple[dt.datetime, dt.datetime]


def _day_spans(calendar: Calendar, day: dt.date) -> list[Span]:
    """The day's hours as instants; a closing time not after the opening is the next day's."""
    spans = []
    for opens, closes in calendar.intervals(day):
        end_day = day + dt.timedelta(days=1) if closes <= opens else day
        spans.append((_at(day, opens), _at(end_day, closes)))
    return spans


def _merge(spans: list[Span]) -> list[Span]:
    """Sorted, with overlapping and touching spans joined: whole days in a row are one span."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _subtract(spans: list[Span], start: dt.datetime, end: dt.datetime) -> list[Span]:
    result: list[Span] = []
    for s, e in spans:
        if e <= start or s >= end:
            result.append((s, e))
            continue
        if s < start:
            result.append((s, start))
        if e > end:
            result.append((end, e))
    return result


def hours_timeline(*, channel: str, start: dt.date, end: dt.date) -> list[Span]:
    """Every open span (UTC instants) that starts on a day from `start` to `end`, with the
    open-now and close-now overrides laid over them, joined where they touch.

    Overrides are applied oldest first, so the newest decides where they overlap.
    """
    calendar = Calendar(channel, start, end)
    spans: list[Span] = []
    day = start
    while day <= end:
        spans.extend(_day_spans(calendar, day))
        day += dt.timedelta(days=1)
    window_start, window_end = _at(start, dt.time(0)), _at(end + dt.timedelta(days=2), dt.time(0))
    overrides = HoursOverride.objects.filter(
        channel=channel, ends_at__gt=window_start, starts_at__lt=window_end
    ).order_by("created_at", "id")
    for override in overrides:
        if override.kind == ExceptionKind.OPEN:
            spans.append((override.starts_at, override.ends_at))
            spans = _merge(spans)
        else:
            spans = _subtract(spans, override.starts_at, override.ends_at)
    return _merge(spans)


def hours_day(*, channel: str, day: dt.date) -> list[Interval]:
    return Calendar(channel, day, day).intervals(day)


def hours_status(*, channel: str, at: dt.datetime) -> HoursStatus:
    """Open or closed at `at`, until when, or from when; right across midnight and DST.

    The timeline starts the day before, since yesterday's evening may run past midnight.
    """
    moment = at.astimezone(dt.UTC)
    today = at.astimezone(OSLO).date()
    spans = hours_timeline(
        channel=channel,
        start=today - dt.timedelta(days=1),
        end=today + dt.timedelta(days=LOOKAHEAD_DAYS),
    )
    for start, end in spans:
        if start <= moment < end:
            return HoursStatus(is_open=True, closes_at=end.astimezone(OSLO), next_open=None)
        if start > moment:
            return HoursStatus(is_open=False, closes_at=None, next_open=start.astimezone(OSLO))
    return HoursStatus(is_open=False, closes_at=None, next_open=None)


def hours_open_days(*, channel: str, start: dt.date, end: dt.date) -> list[dt.date]:
    """Days from start to end (inclusive) on which the channel opens at all."""
    calendar = Calendar(channel, start, end)
    days = []
    day = start
    while day <= end:
        if calendar.intervals(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def hours_week_summary(channel: str) -> list[tuple[str, list[Interval]]]:
    """The ordinary week: (weekday label, intervals) for each day, Monday first."""
    from hjelpelinje.hours.models import Weekday

    weekly: dict[int, list[Interval]] = {}
    for slot in WeeklyHours.objects.filter(channel=channel).order_by("opens"):
        weekly.setdefault(slot.weekday, []).append((slot.opens, slot.closes))
    return [(str(Weekday(d).label), weekly.get(d, [])) for d in range(7)]


def hours_exceptions_upcoming(*, channel: str, today: dt.date) -> list[HoursException]:
    return list(
        HoursException.objects.filter(channel=channel, end_date__gte=today).order_by("start_date")[
            :20
        ]
    )


def hours_overrides_current(*, channel: str, at: dt.datetime) -> list[HoursOverride]:
    """Overrides not yet over, for the hours page."""
    return list(
        HoursOverride.objects.filter(channel=channel, ends_at__gt=at)
        .select_related("created_by")
        .order_by("starts_at")[:20]
    )
