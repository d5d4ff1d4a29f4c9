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


def utc(y: int, m: int, d: int, h: int, mi: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi, tzinfo=dt.UTC)


def evening(day: dt.date, opens: dt.time, closes: dt.time, end_date: dt.date | None = None) -> None:
    HoursException.objects.create(
        channel="chat",
        start_date=day,
        end_date=end_date or day,
        kind="open",
        opens=opens,
        closes=closes,
        weekdays_only=False,
    )


@pytest.mark.django_db
def test_exception_crossing_midnight_is_open_before_and_after_midnight_and_then_closes() -> None:
    # Friday 3 March 2023, 20:00 to 02:00 Saturday morning.
    evening(dt.date(2023, 3, 3), dt.time(20), dt.time(2))
    # The evening replaces Friday's ordinary 09-16: closed at 17:00, opening at 20:00.
    assert hours_status(channel="chat", at=at(2023, 3, 3, 17)).next_open == at(2023, 3, 3, 20)
    for moment in (at(2023, 3, 3, 23, 30), at(2023, 3, 4, 1, 30)):
        status = hours_status(channel="chat", at=moment)
        assert status.is_open, moment
        assert status.closes_at == at(2023, 3, 4, 2)
    after = hours_status(channel="chat", at=at(2023, 3, 4, 2))
    assert not after.is_open
    assert after.next_open == at(2023, 3, 6, 9)


@pytest.mark.django_db
def test_whole_day_exception_and_whole_days_in_a_row() -> None:
    # Saturday 4 March 2023 all day: open from midnight to midnight.
    evening(dt.date(2023, 3, 4), dt.time(0), dt.time(0))
    assert not hours_status(channel="chat", at=at(2023, 3, 3, 23, 59)).is_open
    assert hours_status(channel="chat", at=at(2023, 3, 3, 23, 59)).next_open == at(2023, 3, 4, 0)
    for moment in (at(2023, 3, 4, 0), at(2023, 3, 4, 12), at(2023, 3, 4, 23, 59)):
        status = hours_status(channel="chat", at=moment)
        assert status.is_open and status.closes_at == at(2023, 3, 5, 0)
    status = hours_status(channel="chat", at=at(2023, 3, 5, 12))
    assert not status.is_open and status.next_open == at(2023, 3, 6, 9)
    # Saturday and Sunday of the next week: one span, closing at Monday midnight.
    evening(dt.date(2023, 3, 11), dt.time(0), dt.time(0), end_date=dt.date(2023, 3, 12))
    assert hours_status(channel="chat", at=at(2023, 3, 11, 12)).closes_at == at(2023, 3, 13, 0)


@pytest.mark.django_db
def test_crossing_midnight_on_the_nights_the_clocks_change() -> None:
    # Autumn: on 29 October 2023 the clock goes from 03:00 back to 02:00. An evening to
    # 02:00 ends the first time the clock shows 02:00 (00:00 UTC), six hours after 20:00.
    evening(dt.date(2023, 10, 28), dt.time(20), dt.time(2))
    # (Compared in UTC: Python never finds a time in the repeated hour equal to another zone's.)
    status = hours_status(channel="chat", at=utc(2023, 10, 28, 23, 30))  # 01:30 summer time
    assert status.is_open and status.closes_at is not None
    assert status.closes_at.astimezone(dt.UTC) == utc(2023, 10, 29, 0)
    assert status.closes_at.strftime("%H:%M") == "02:00"
    # 02:30 in winter time (01:30 UTC), the second pass of that hour: closed.
    assert not hours_status(channel="chat", at=utc(2023, 10, 29, 1, 30)).is_open
    # Spring: on 26 March 2023 the clock jumps from 02:00 to 03:00; the evening ends then.
    evening(dt.date(2023, 3, 25), dt.time(20), dt.time(2))
    assert hours_status(channel="chat", at=utc(2023, 3, 26, 0, 59)).is_open
    assert not hours_status(channel="chat", at=utc(2023, 3, 26, 1, 0)).is_open
    # That Sunday has 23 hours; open all day, it closes at midnight, 22:00 UTC.
    evening(dt.date(2023, 3, 26), dt.time(0), dt.time(0))
    status = hours_status(channel="chat", at=utc(2023, 3, 26, 12))
    assert status.is_open and status.closes_at == utc(2023, 3, 26, 22)


@pytest.mark.django_db
def test_open_now_leaves_the_rest_of_the_day_alone(manager) -> None:
    from hjelpelinje.hours.services import hours_close_now, hours_open_now

    # Wednesday 1 March 2023 at 07:00: open until 08:00, and the ordinary 09-16 still holds.
    hours_open_now(actor=manager, channel="chat", until=dt.time(8), now=at(2023, 3, 1, 7))
    assert hours_status(channel="chat", at=at(2023, 3, 1, 7, 30)).closes_at == at(2023, 3, 1, 8)
    assert hours_status(channel="chat", at=at(2023, 3, 1, 8)).next_open == at(2023, 3, 1, 9)
    # At 10:00, "until 12:00" does not shorten the day: it stays open to 16:00.
    hours_open_now(actor=manager, channel="chat", until=dt.time(12), now=at(2023, 3, 1, 10))
    assert hours_status(channel="chat", at=at(2023, 3, 1, 12)).closes_at == at(2023, 3, 1, 16)
    # At 23:00, "until 02:00" means tomorrow night.
    hours_open_now(actor=manager, channel="chat", until=dt.time(2), now=at(2023, 3, 1, 23))
    status = hours_status(channel="chat", at=at(2023, 3, 2, 1, 30))
    assert status.is_open and status.closes_at == at(2023, 3, 2, 2)
    # Closing now, at 01:30, closes until the next ordinary opening, Thursday 09:00.
    assert hours_close_now(actor=manager, channel="chat", now=at(2023, 3, 2, 1, 30))
    status = hours_status(channel="chat", at=at(2023, 3, 2, 1, 31))
    assert not status.is_open and status.next_open == at(2023, 3, 2, 9)
    # Closing when closed changes nothing.
    assert hours_close_now(actor=manager, channel="chat", now=at(2023, 3, 2, 3)) is None
