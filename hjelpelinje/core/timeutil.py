"""Time helpers: every datetime in Hjelpelinje is aware and shown in Europe/Oslo."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

OSLO = ZoneInfo("Europe/Oslo")


def now() -> dt.datetime:
    return timezone.now()


def local_now() -> dt.datetime:
    return timezone.now().astimezone(OSLO)


def oslo_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=OSLO)


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The first instant of the year and of the next, in Oslo time."""
    return oslo_midnight(dt.date(year, 1, 1)), oslo_midnight(dt.date(year + 1, 1, 1))


def format_date(day: dt.date | dt.datetime) -> str:
    if isinstance(day, dt.datetime):
        day = day.astimezone(OSLO).date()
    return day.strftime("%d.%m.%Y")


def parse_date(text: str) -> dt.date:
    """Parse `2023-04-27` or `27.04.2023`; raise ValueError otherwise."""
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"not a date: {text!r}")
