"""Opening hours: is a channel open at a moment, when does it open next, which days open.

Everything is computed in Oslo time. A day's hours come from, in order: an exception
covering that day (the newest one wins), a Norwegian public holiday (closed), or the
ordinary week.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays

from hjelpelinje.core.timeutil import OSLO
from hjelpelinje.hours.models import ExceptionKind, HoursException, WeeklyHours

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
    return dt.datetime.combine(day, time, tzinfo=OSLO)


def hours_day(*, channel: str, day: dt.date) -> list[Interval]:
    return Calendar(channel, day, day).intervals(day)


def hours_status(*, channel: str, at: dt.datetime) -> HoursStatus:
    local = at.astimezone(OSLO)
    today = local.date()
    calendar = Calendar(channel, today, today + dt.timedelta(days=LOOKAHEAD_DAYS))
    for opens, closes in calendar.intervals(today):
        if _at(today, opens) <= local < _at(today, closes):
            return HoursStatus(is_open=True, closes_at=_at(today, closes), next_open=None)
    for offset in range(LOOKAHEAD_DAYS + 1):
        day = today + dt.timedelta(days=offset)
        for opens, _closes in calendar.intervals(day):
            start = _at(day, opens)
            if start > local:
                return HoursStatus(is_open=False, closes_at=None, next_open=start)
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
