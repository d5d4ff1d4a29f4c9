"""The opening-hours calendar as the campaign effect sees it.

Open days come from the `hours` app (weekly schedule, exceptions, public holidays), so
the effect measures the days the helpline actually answered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from hjelpelinje.hours.selectors import holiday_name, hours_open_days


def is_holiday(day: dt.date) -> bool:
    return holiday_name(day) is not None


def open_days(channels: Iterable[str], start: dt.date, end: dt.date) -> set[dt.date]:
    """Days from start to end on which any of the channels opens at all."""
    result: set[dt.date] = set()
    for channel in channels:
        result.update(hours_open_days(channel=channel, start=start, end=end))
    return result
