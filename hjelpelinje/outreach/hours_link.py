"""The opening-hours calendar as the campaign effect sees it.

Open days come from the `hours` app (weekly schedule, exceptions, public holidays), so
the effect measures the days the helpline actually answered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import holidays


def is_holiday(day: dt.date) -> bool:
    return day in holidays.country_holidays("NO", years=day.year)


def open_days(channels: Iterable[str], start: dt.date, end: dt.date) -> set[dt.date]:
    """Days from start to end on which any of the channels opens."""
    try:
        from hjelpelinje.hours.selectors import hours_open_days  # type: ignore[import-not-found]
    except ImportError:
        # Until the hours app lands: Monday to Friday except public holidays.
        days: set[dt.date] = set()
        day = start
        while day <= end:
            if day.weekday() < 5 and not is_holiday(day):
                days.add(day)
            day += dt.timedelta(days=1)
        return days
    result: set[dt.date] = set()
    for channel in channels:
        result.update(hours_open_days(channel=channel, start=start, end=end))
    return result
