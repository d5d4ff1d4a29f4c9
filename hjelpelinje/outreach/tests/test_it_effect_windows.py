"""The campaign-effect computation on hand-made calendars, answers worked out by hand."""

from __future__ import annotations

import datetime as dt

from hjelpelinje.outreach.effect import effect_windows, measure

D = dt.date


def weekdays_except(*closed: dt.date):
    def counts(day: dt.date) -> bool:
        return day.weekday() < 5 and day not in closed

    return counts


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    out = []
    while first <= last:
        out.append(first)
        first += dt.timedelta(days=1)
    return out


def test_weekends_and_holidays_inside_the_window_are_not_days():
    # 15-26 May 2023: two working weeks, with 17 May (Constitution Day) and 18 May
    # (Ascension Day) closed. Eight open days; the baseline is the eight open days
    # before 15 May: 3, 4, 5, 8, 9, 10, 11, 12 May.
    counts = weekdays_except(D(2023, 5, 17), D(2023, 5, 18), D(2023, 5, 1))
    w = effect_windows(
        start=D(2023, 5, 15), end=D(2023, 5, 26), counts=counts, busy=set(), earliest=D(2023, 1, 1)
    )
    assert w.campaign_days == (
        D(2023, 5, 15),
        D(2023, 5, 16),
        D(2023, 5, 19),
        D(2023, 5, 22),
        D(2023, 5, 23),
        D(2023, 5, 24),
        D(2023, 5, 25),
        D(2023, 5, 26),
    )
    assert w.baseline_days == (
        D(2023, 5, 3),
        D(2023, 5, 4),
        D(2023, 5, 5),
        D(2023, 5, 8),
        D(2023, 5, 9),
        D(2023, 5, 10),
        D(2023, 5, 11),
        D(2023, 5, 12),
    )
    assert w.baseline_complete and w.skipped_days == ()

    per_day = {
        D(2023, 5, 2): 5,  # just before the baseline: must not count
        D(2023, 5, 3): 1,
        D(2023, 5, 8): 2,
        D(2023, 5, 12): 1,
        D(2023, 5, 13): 3,  # a Saturday (an e-mail): in neither window
        D(2023, 5, 15): 2,
        D(2023, 5, 16): 1,
        D(2023, 5, 17): 4,  # a holiday inside the campaign: not a campaign day
        D(2023, 5, 19): 3,
        D(2023, 5, 20): 1,  # a Saturday inside the campaign
        D(2023, 5, 26): 2,
    }
    m = measure(w, per_day)
    assert (m.baseline_count, m.baseline_days) == (4, 8)
    assert (m.campaign_count, m.campaign_days) == (8, 8)
    assert m.baseline_per_day == 0.5 and m.campaign_per_day == 1.0 and m.ratio == 2.0
    assert m.as_dict()["baseline_start"] == "2023-05-03"
    assert m.as_dict()["baseline_end"] == "2023-05-12"


def test_campaign_at_the_start_of_the_data_has_a_short_baseline():
    # Data begins 1 January 2023 (a Sunday and a holiday). A campaign 9-20 January has
    # ten open days, but only 2-6 January lie before it.
    counts = weekdays_except(D(2023, 1, 1))
    w = effect_windows(
        start=D(2023, 1, 9), end=D(2023, 1, 20), counts=counts, busy=(), earliest=D(2023, 1, 1)
    )
    assert len(w.campaign_days) == 10
    assert w.baseline_days == tuple(days(D(2023, 1, 2), D(2023, 1, 6)))
    assert not w.baseline_complete
    m = measure(w, {D(2023, 1, 3): 2, D(2023, 1, 10): 5, D(2022, 12, 30): 9})
    assert (m.baseline_days, m.campaign_days) == (5, 10)
    assert m.as_dict()["baseline_complete"] is False
    assert m.baseline_per_day == 0.4 and m.campaign_per_day == 0.5
    assert m.ratio == 0.5 / 0.4


def test_a_baseline_day_inside_another_campaign_is_skipped():
    # Campaign A runs 6-10 March 2023; B runs 8-17 March, overlapping it. B has eight
    # open days (8, 9, 10, 13-17). Walking back from 7 March: 7 and 6 March belong to A
    # and are skipped, then 3, 2, 1 March and 28, 27, 24, 23, 22 February.
    a_days = set(days(D(2023, 3, 6), D(2023, 3, 10)))
    w = effect_windows(
        start=D(2023, 3, 8),
        end=D(2023, 3, 17),
        counts=weekdays_except(),
        busy=a_days,
        earliest=D(2023, 1, 1),
    )
    assert len(w.campaign_days) == 8
    assert w.skipped_days == (D(2023, 3, 6), D(2023, 3, 7))
    assert w.baseline_days == (
        D(2023, 2, 22),
        D(2023, 2, 23),
        D(2023, 2, 24),
        D(2023, 2, 27),
        D(2023, 2, 28),
        D(2023, 3, 1),
        D(2023, 3, 2),
        D(2023, 3, 3),
    )
    m = measure(w, {D(2023, 3, 7): 10, D(2023, 2, 22): 4})
    # The ten inquiries on 7 March belong to campaign A and are left out of B's baseline.
    assert m.baseline_count == 4 and m.skipped_baseline_days == 2


def test_no_baseline_at_all_gives_no_ratio():
    w = effect_windows(
        start=D(2023, 1, 2),
        end=D(2023, 1, 6),
        counts=weekdays_except(),
        busy=set(),
        earliest=D(2023, 1, 2),
    )
    m = measure(w, {D(2023, 1, 2): 3})
    assert m.baseline_days == 0 and m.baseline_per_day is None and m.ratio is None
    assert m.campaign_per_day == 3 / 5
    assert not m.baseline_complete


def test_zero_inquiries_before_gives_no_ratio_but_the_counts():
    w = effect_windows(
        start=D(2023, 2, 6),
        end=D(2023, 2, 10),
        counts=weekdays_except(),
        busy=set(),
        earliest=D(2023, 1, 1),
    )
    m = measure(w, {D(2023, 2, 7): 2})
    assert m.baseline_per_day == 0 and m.ratio is None
    assert m.as_dict()["campaign_count"] == 2


def test_a_calendar_with_a_closed_thursday_and_open_saturday():
    # The helpline tried opening one Saturday and closed one Thursday: the hours say so,
    # and the windows follow the hours, not the weekday.
    open_saturday, closed_thursday = D(2023, 9, 16), D(2023, 9, 14)

    def counts(day: dt.date) -> bool:
        if day == open_saturday:
            return True
        return day.weekday() < 5 and day != closed_thursday

    w = effect_windows(
        start=D(2023, 9, 11), end=D(2023, 9, 17), counts=counts, busy=set(), earliest=D(2023, 1, 1)
    )
    assert w.campaign_days == (
        D(2023, 9, 11),
        D(2023, 9, 12),
        D(2023, 9, 13),
        D(2023, 9, 15),
        D(2023, 9, 16),
    )
    assert w.baseline_days == tuple(days(D(2023, 9, 4), D(2023, 9, 8)))
