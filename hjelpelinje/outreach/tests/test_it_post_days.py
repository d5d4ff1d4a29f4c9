"""Post days against other open days, on counters made here and the seeded week (phone and
chat open Monday to Friday, closed on Norwegian public holidays)."""

from __future__ import annotations

import datetime as dt

import pytest

from hjelpelinje.hours.models import ExceptionKind, HoursException
from hjelpelinje.outreach.models import SocialPost
from hjelpelinje.outreach.postdays import MIN_OTHER_DAYS, post_day_ratio
from hjelpelinje.outreach.selectors import post_day_ratios
from hjelpelinje.site.visits.models import PageDay

D = dt.date
pytestmark = pytest.mark.django_db
START, END = D(2023, 9, 1), D(2023, 11, 30)
AFTER = D(2024, 1, 10)


def _weekdays(start: dt.date, end: dt.date) -> list[dt.date]:
    days = []
    day = start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _count(day: dt.date, visits: int) -> None:
    PageDay.objects.create(day=day, path="/", views=visits * 2, visits=visits)


def _post(day: dt.date, platform: str = "tiktok") -> None:
    SocialPost.objects.create(platform=platform, date=day)


def test_post_days_with_three_times_the_visits_give_three_and_an_interval_around_it():
    days = _weekdays(START, END)
    post_days = set(days[::6])  # eleven TikTok days spread over the autumn
    for i, day in enumerate(days):
        wobble = (i % 5) - 2  # a little day-to-day noise, the same on both sides
        _count(day, 300 + 9 * wobble if day in post_days else 100 + 3 * wobble)
    for day in post_days:
        _post(day)

    ratio = post_day_ratios(START, END, today=AFTER)["tiktok"]

    assert ratio.reason is None
    assert ratio.post_days == len(post_days)
    assert ratio.other_days == len(days) - len(post_days)
    assert ratio.ratio == pytest.approx(3.0, abs=0.05)
    assert ratio.low is not None and ratio.high is not None
    assert ratio.low < 3.0 < ratio.high
    # Tight, because the days hardly vary.
    assert ratio.high - ratio.low < 0.5


def test_too_few_post_days_are_not_compared_and_say_why():
    days = _weekdays(START, END)
    for day in days:
        _count(day, 100)
    _post(days[3], "instagram")
    _post(days[9], "instagram")

    ratio = post_day_ratios(START, END, today=AFTER)["instagram"]

    assert ratio.ratio is None and ratio.low is None
    assert ratio.reason == "too_few_post_days"
    assert ratio.post_days == 2


def test_too_few_other_days_are_not_compared_either():
    days = _weekdays(D(2023, 9, 4), D(2023, 9, 22))  # three weeks
    result = post_day_ratio(
        platform="tiktok",
        visits=dict.fromkeys(days, 100),
        open_days=set(days),
        platform_days=set(days[:8]),
        any_post_days=set(days[:8]),
    )
    assert result.other_days == len(days) - 8 < MIN_OTHER_DAYS
    assert result.reason == "too_few_other_days" and result.ratio is None


def test_weekends_holidays_closed_days_and_other_platforms_posts_are_not_other_open_days():
    days = _weekdays(D(2023, 5, 1), D(2023, 6, 30))
    for day in days:
        _count(day, 100)
    # Crowded days that are not ordinary open days: were they counted as "other days" the
    # mean of the other days would rise above 100.
    _count(D(2023, 5, 6), 5000)  # a Saturday
    for holiday in (D(2023, 5, 1), D(2023, 5, 17), D(2023, 5, 18), D(2023, 5, 29)):
        PageDay.objects.filter(day=holiday).update(visits=5000)
    closed = D(2023, 6, 2)
    PageDay.objects.filter(day=closed).update(visits=5000)
    for channel in ("phone", "chat"):
        HoursException.objects.create(
            channel=channel, start_date=closed, end_date=closed, kind=ExceptionKind.CLOSED
        )
    snap_day = D(2023, 6, 14)
    PageDay.objects.filter(day=snap_day).update(visits=5000)
    _post(snap_day, "snapchat")
    tiktok_days = [D(2023, 5, 10), D(2023, 5, 24), D(2023, 6, 7), D(2023, 6, 21)]
    for day in tiktok_days:
        PageDay.objects.filter(day=day).update(visits=200)
        _post(day)

    ratio = post_day_ratios(D(2023, 5, 1), D(2023, 6, 30), today=AFTER)["tiktok"]

    open_weekdays = len(days) - 4 - 1  # four holidays on weekdays, one closed day
    assert ratio.other_days == open_weekdays - len(tiktok_days) - 1  # less the Snapchat day
    assert ratio.mean_other == 100
    assert ratio.ratio == pytest.approx(2.0)
    assert ratio.low == pytest.approx(2.0) and ratio.high == pytest.approx(2.0)


def test_the_weeks_before_the_site_counted_and_today_are_left_out():
    days = _weekdays(D(2023, 10, 2), D(2023, 11, 30))
    for day in days:
        _count(day, 300 if day.day in (3, 10, 17, 24) else 100)
    for day in days:
        if day.day in (3, 10, 17, 24):
            _post(day)
    # A post in September, before the first counted day: not a post day with no visits.
    _post(D(2023, 9, 12))
    today = D(2023, 11, 24)  # a post day that is not over yet

    ratio = post_day_ratios(START, END, today=today)["tiktok"]

    assert ratio.post_days == len([d for d in days if d < today and d.day in (3, 10, 17, 24)])
    assert ratio.ratio == pytest.approx(3.0)
