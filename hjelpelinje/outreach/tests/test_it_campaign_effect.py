"""The campaign effect on register rows and real opening hours, worked out by hand.

The hours app's seeded week is Monday-Friday for phone and chat, with Norwegian public
holidays closed, so the calendars below are the 2023 calendar with holidays struck out.
"""

from __future__ import annotations

import datetime as dt

import pytest

from hjelpelinje.hours.models import ExceptionKind, HoursException
from hjelpelinje.outreach.models import Talk
from hjelpelinje.outreach.selectors import campaign_effect, campaign_effects
from hjelpelinje.outreach.tests.helpers import campaign, inquiries, inquiry
from hjelpelinje.outreach.texts import effect_sentences

D = dt.date
AFTER = D(2024, 6, 1)  # "today" for campaigns that are over

pytestmark = pytest.mark.django_db


def test_holidays_weekends_and_the_register_rules():
    inquiry(D(2023, 1, 10))  # the register starts in 2023
    # Baseline: the eight open days before Monday 15 May are 3-5 and 8-12 May
    # (1 May is a holiday but is not reached).
    inquiries({D(2023, 5, 2): 5, D(2023, 5, 3): 1, D(2023, 5, 8): 2, D(2023, 5, 12): 1})
    # Campaign 15-26 May: 17 May (Constitution Day) and 18 May (Ascension Day) are closed.
    inquiries({D(2023, 5, 15): 2, D(2023, 5, 16): 1, D(2023, 5, 19): 3, D(2023, 5, 26): 2})
    inquiry(D(2023, 5, 17))  # an e-mail on a holiday: neither window
    inquiry(D(2023, 5, 20))  # a Saturday inside the campaign
    inquiry(D(2023, 5, 16), relevant=False)  # irrelevant: not counted
    inquiry(D(2023, 5, 16), deleted=True)  # deleted: not counted
    # 00:30 on Saturday 13 May in Oslo is still Friday 12 May in UTC; it is a Saturday
    # inquiry and must not land in the baseline.
    inquiry(D(2023, 5, 13), 0, 30)

    c = campaign("Mai", D(2023, 5, 15), D(2023, 5, 26))
    m = campaign_effect(c, today=AFTER).inquiries
    assert m is not None
    assert (m.baseline_days, m.baseline_count) == (8, 4)
    assert (m.campaign_days, m.campaign_count) == (8, 8)
    assert (m.baseline_start, m.baseline_end) == (D(2023, 5, 3), D(2023, 5, 12))
    assert m.ratio == 2.0
    text = effect_sentences(campaign_effect(c, today=AFTER))[0]
    assert text.startswith("Henvendelser per åpen dag steg fra 0,50 til 1,00 under kampanjen")
    assert "4 henvendelser på 8 åpne dager før, 8 på 8 åpne dager under" in text


def test_a_day_the_hours_closed_is_skipped_by_the_baseline():
    inquiry(D(2023, 1, 10))
    inquiries({D(2023, 5, 2): 3, D(2023, 5, 12): 1})
    # Both channels closed on Friday 12 May (a staff day): the baseline reaches back to 2 May.
    for channel in ("phone", "chat"):
        HoursException.objects.create(
            channel=channel,
            start_date=D(2023, 5, 12),
            end_date=D(2023, 5, 12),
            kind=ExceptionKind.CLOSED,
        )
    c = campaign("Mai", D(2023, 5, 15), D(2023, 5, 26))
    m = campaign_effect(c, today=AFTER).inquiries
    assert m is not None
    assert (m.baseline_start, m.baseline_end, m.baseline_days) == (D(2023, 5, 2), D(2023, 5, 11), 8)
    assert m.baseline_count == 3


def test_a_campaign_at_the_start_of_the_data_has_a_short_baseline():
    inquiries({D(2023, 1, 3): 2, D(2023, 1, 10): 5})
    c = campaign("Januar", D(2023, 1, 9), D(2023, 1, 20))
    effect = campaign_effect(c, today=AFTER)
    m = effect.inquiries
    assert m is not None
    # 1 January is a Sunday and a holiday; 2-6 January are all there is before the start.
    assert (m.campaign_days, m.baseline_days) == (10, 5)
    assert not m.baseline_complete
    assert m.as_dict()["baseline_complete"] is False
    assert m.baseline_per_day == 0.4 and m.campaign_per_day == 0.5
    sentences = effect_sentences(effect)
    assert any("bare på 5 åpne dager før kampanjen" in s for s in sentences)


def test_overlapping_campaigns_are_flagged_and_kept_out_of_each_others_baseline():
    inquiry(D(2023, 1, 10))
    inquiries({D(2023, 3, 7): 10, D(2023, 2, 22): 4})
    a = campaign("A", D(2023, 3, 6), D(2023, 3, 10))
    b = campaign("B", D(2023, 3, 8), D(2023, 3, 17))
    effects = campaign_effects([a, b], today=AFTER)
    assert [c.name for c in effects[a.pk].overlapping] == ["B"]
    assert [c.name for c in effects[b.pk].overlapping] == ["A"]
    m = effects[b.pk].inquiries
    assert m is not None
    # B's eight open days; 6 and 7 March belong to A and are skipped, so the baseline is
    # 22 February - 3 March, and A's ten inquiries on 7 March stay out of it.
    assert m.campaign_days == 8 and m.skipped_baseline_days == 2
    assert (m.baseline_start, m.baseline_end) == (D(2023, 2, 22), D(2023, 3, 3))
    assert m.baseline_count == 4
    # A's window still holds 7 March: the overlap is flagged, not hidden.
    a_measure = effects[a.pk].inquiries
    assert a_measure is not None and a_measure.campaign_count == 10
    sentences = effect_sentences(effects[b.pk])
    assert any("overlapper med «A»" in s for s in sentences)
    assert any("2 åpne dager før kampanjen er hoppet over" in s for s in sentences)


def test_the_weekend_rule_follows_the_campaign():
    inquiry(D(2023, 1, 10))
    # The helpline opened one Saturday (an exception). A campaign that ran at weekends
    # counts that Saturday; one that excluded weekends does not.
    for channel in ("phone", "chat"):
        HoursException.objects.create(
            channel=channel,
            start_date=D(2023, 9, 16),
            end_date=D(2023, 9, 16),
            kind=ExceptionKind.OPEN,
            opens=dt.time(10),
            closes=dt.time(14),
            weekdays_only=False,
        )
    inquiries({D(2023, 9, 16): 3})
    every_day = campaign("Hele uka", D(2023, 9, 11), D(2023, 9, 17), excludes_weekends=False)
    weekdays = campaign("Hverdager", D(2023, 9, 11), D(2023, 9, 17), excludes_weekends=True)
    effects = campaign_effects([every_day, weekdays], today=AFTER)
    every, weekday = effects[every_day.pk].inquiries, effects[weekdays.pk].inquiries
    assert every is not None and weekday is not None
    assert (every.campaign_days, every.campaign_count) == (6, 3)
    assert (weekday.campaign_days, weekday.campaign_count) == (5, 0)


def test_a_running_campaign_is_measured_up_to_yesterday_and_a_future_one_not_at_all():
    inquiry(D(2023, 1, 10))
    inquiries({D(2023, 10, 18): 2, D(2023, 10, 19): 7})
    running = campaign("Pågår", D(2023, 10, 16), D(2023, 11, 3))
    future = campaign("Senere", D(2023, 12, 1), D(2023, 12, 8))
    effects = campaign_effects([running, future], today=D(2023, 10, 19))
    m = effects[running.pk].inquiries
    assert m is not None and m.campaign_days == 3 and m.campaign_count == 2
    assert effects[running.pk].in_progress
    assert effects[future.pk].inquiries is None
    assert "ikke startet" in effect_sentences(effects[future.pk])[0]
    assert any("pågår" in s and "18.10.2023" in s for s in effect_sentences(effects[running.pk]))


def test_chat_sessions_are_left_out_until_the_chat_keeps_sessions(monkeypatch):
    def no_model(app_label, model_name):
        raise LookupError(model_name)

    monkeypatch.setattr("hjelpelinje.outreach.selectors.apps.get_model", no_model)
    inquiry(D(2023, 1, 10))
    c = campaign("Mai", D(2023, 5, 15), D(2023, 5, 19))
    effect = campaign_effect(c, today=AFTER)
    assert effect.chat_sessions is None
    assert effect.as_dict()["chat_sessions"] is None
    assert not any("Chatsamtaler" in s for s in effect_sentences(effect))


def test_chat_sessions_are_counted_on_chat_days_when_there_is_a_session_model(monkeypatch):
    # Any model with a `created_at` stands in for the chat's session model here.
    monkeypatch.setattr(
        "hjelpelinje.outreach.selectors.apps.get_model", lambda app_label, model_name: Talk
    )
    inquiry(D(2023, 1, 10))
    # Chat closed on Mondays (as in spring 2023): a closed day for chat only.
    for monday in (D(2023, 5, 8), D(2023, 5, 15)):
        HoursException.objects.create(
            channel="chat", start_date=monday, end_date=monday, kind=ExceptionKind.CLOSED
        )
    for day, n in {D(2023, 5, 9): 2, D(2023, 5, 16): 3, D(2023, 5, 15): 4}.items():
        for _ in range(n):
            t = Talk.objects.create(date=day, kind="course")
            Talk.objects.filter(pk=t.pk).update(
                created_at=dt.datetime.combine(day, dt.time(11), tzinfo=dt.UTC)
            )
    c = campaign("Mai", D(2023, 5, 15), D(2023, 5, 19))  # 17 and 18 May are holidays
    effect = campaign_effect(c, today=AFTER)
    chat = effect.chat_sessions
    assert chat is not None
    # Chat days in the campaign: 16 and 19 May (15 closed for chat). Baseline: 12 and 11 May.
    assert (chat.campaign_days, chat.campaign_count) == (2, 3)
    assert (chat.baseline_start, chat.baseline_end) == (D(2023, 5, 11), D(2023, 5, 12))
    assert chat.baseline_count == 0
    # Inquiries still count 15 May: the phone was open.
    assert effect.inquiries is not None and effect.inquiries.campaign_days == 3
    assert any(s.startswith("Chatsamtaler per åpen chatdag") for s in effect_sentences(effect))
