from __future__ import annotations

import datetime as dt

import pytest

from hjelpelinje.core.timeutil import OSLO
from hjelpelinje.hours.models import HoursException
from hjelpelinje.hours.selectors import hours_open_days, hours_status


def at(y: int, m: int, d: int, h: int, mi: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi, tzinfo=OSLO)


@pytest.mark.django_db
def test_seeded_week_open_and_closed() -> None:
    # Wednesday 15:59 open, closes at 16:00.
    status = hours_status(channel="chat", at=at(2023, 3, 1, 15, 59))
    assert status.is_open and status.closes_at == at(2023, 3, 1, 16)
    # Wednesday 16:00 closed; opens Thursday 09:00.
    status = hours_status(channel="chat", at=at(2023, 3, 1, 16))
    assert not status.is_open and status.next_open == at(2023, 3, 2, 9)
    # Thursday open until 18:00.
    assert hours_status(channel="phone", at=at(2023, 3, 2, 17, 30)).is_open
    # Friday evening: next opening is Monday morning.
    assert hours_status(channel="chat", at=at(2023, 3, 3, 20)).next_open == at(2023, 3, 6, 9)


@pytest.mark.django_db
def test_public_holiday_is_closed_and_skipped() -> None:
    # 17 May 2023 (Wednesday) and Ascension Day 18 May are holidays.
    status = hours_status(channel="chat", at=at(2023, 5, 16, 20))
    assert status.next_open == at(2023, 5, 19, 9)
    assert not hours_status(channel="chat", at=at(2023, 5, 17, 10)).is_open


@pytest.mark.django_db
def test_campaign_extends_weekdays_and_can_open_a_holiday() -> None:
    HoursException.objects.create(
        channel="chat",
        start_date=dt.date(2023, 4, 24),
        end_date=dt.date(2023, 5, 5),
        kind="open",
        opens=dt.time(9),
        closes=dt.time(20),
    )
    assert hours_status(channel="chat", at=at(2023, 4, 25, 19, 30)).is_open
    # The exception opens 1 May (Labour Day) too, since it is newer than the holiday rule.
    assert hours_status(channel="chat", at=at(2023, 5, 1, 10)).is_open
    # Weekends stay closed, and the phone keeps ordinary hours.
    assert not hours_status(channel="chat", at=at(2023, 4, 29, 12)).is_open
    assert not hours_status(channel="phone", at=at(2023, 4, 25, 19, 30)).is_open


@pytest.mark.django_db
def test_closed_day_and_open_days() -> None:
    HoursException.objects.create(
        channel="phone",
        start_date=dt.date(2023, 3, 8),
        end_date=dt.date(2023, 3, 8),
        kind="closed",
    )
    days = hours_open_days(channel="phone", start=dt.date(2023, 3, 6), end=dt.date(2023, 3, 12))
    assert days == [
        dt.date(2023, 3, 6),
        dt.date(2023, 3, 7),
        dt.date(2023, 3, 9),
        dt.date(2023, 3, 10),
    ]
