from __future__ import annotations

import datetime as dt

import pytest

from hjelpelinje.hours.models import HoursException, WeeklyHours


@pytest.mark.django_db
def test_manager_sees_week_status_and_preview(manager, client_for) -> None:
    page = client_for(manager).get("/staff/hours/").content.decode()
    assert "Ordinær uke" in page and "De neste 14 dagene" in page
    assert 'value="09:00"' in page and 'value="18:00"' in page


@pytest.mark.django_db
def test_manager_changes_the_week(manager, client_for) -> None:
    data = {}
    for day in range(7):
        data[f"chat-opens_{day}"] = "10:00" if day < 5 else ""
        data[f"chat-closes_{day}"] = "20:00" if day < 5 else ""
    response = client_for(manager).post("/staff/hours/week/chat/", data)
    assert response.status_code == 302
    slots = WeeklyHours.objects.filter(channel="chat")
    assert slots.count() == 5
    assert {(s.opens, s.closes) for s in slots} == {(dt.time(10), dt.time(20))}
    # The phone keeps its own hours.
    assert WeeklyHours.objects.filter(channel="phone", weekday=3, closes=dt.time(18)).exists()


@pytest.mark.django_db
def test_half_filled_day_is_explained_and_nothing_changes(manager, client_for) -> None:
    data = {f"phone-opens_{d}": "09:00" for d in range(7)}
    data.update({f"phone-closes_{d}": "16:00" for d in range(6)})
    response = client_for(manager).post("/staff/hours/week/phone/", data)
    assert response.status_code == 200
    assert "Fyll inn både åpner og stenger" in response.content.decode()
    assert WeeklyHours.objects.filter(channel="phone").count() == 5


@pytest.mark.django_db
def test_exception_needs_hours_when_open(manager, client_for) -> None:
    client = client_for(manager)
    response = client.post(
        "/staff/hours/exceptions/new/",
        {
            "exc-channel": "chat",
            "exc-start_date": "2023-06-09",
            "exc-end_date": "2023-06-30",
            "exc-kind": "open",
            "exc-weekdays_only": "on",
        },
    )
    assert response.status_code == 200
    assert "Oppgi når kanalen åpner" in response.content.decode()
    response = client.post(
        "/staff/hours/exceptions/new/",
        {
            "exc-channel": "chat",
            "exc-start_date": "2023-06-09",
            "exc-end_date": "2023-06-30",
            "exc-kind": "open",
            "exc-opens": "09:00",
            "exc-closes": "18:00",
            "exc-weekdays_only": "on",
            "exc-note": "Etterlatt i utlandet",
        },
    )
    assert response.status_code == 302
    exception = HoursException.objects.get()
    assert exception.closes == dt.time(18)
    client.post(f"/staff/hours/exceptions/{exception.pk}/delete/")
    assert not HoursException.objects.exists()


@pytest.mark.django_db
def test_exception_past_midnight_and_whole_day_from_the_form(manager, client_for) -> None:
    client = client_for(manager)
    # Ahead of today, so the hours page lists them as coming.
    day = dt.date.today() + dt.timedelta(days=10)
    next_day = day + dt.timedelta(days=1)
    base = {
        "exc-channel": "chat",
        "exc-start_date": day.isoformat(),
        "exc-end_date": day.isoformat(),
        "exc-kind": "open",
    }
    # An evening to 02:00 is saved, not refused as closing before it opens.
    response = client.post(
        "/staff/hours/exceptions/new/", {**base, "exc-opens": "20:00", "exc-closes": "02:00"}
    )
    assert response.status_code == 302
    evening = HoursException.objects.get()
    assert (evening.opens, evening.closes) == (dt.time(20), dt.time(2))
    page = client.get("/staff/hours/").content.decode()
    assert "20:00–02:00 (til neste dag)" in page
    # "Hele døgnet" needs no times.
    response = client.post(
        "/staff/hours/exceptions/new/",
        {
            **base,
            "exc-start_date": next_day.isoformat(),
            "exc-end_date": next_day.isoformat(),
            "exc-whole_day": "on",
        },
    )
    assert response.status_code == 302
    whole = HoursException.objects.get(start_date=next_day)
    assert (whole.opens, whole.closes) == (dt.time(0), dt.time(0))
    assert "hele døgnet" in client.get("/staff/hours/").content.decode()


@pytest.mark.django_db
def test_weekdays_only_over_a_weekend_is_refused_rather_than_saved_to_no_effect(
    manager, client_for
) -> None:
    today = dt.date.today()
    saturday = today + dt.timedelta(days=(5 - today.weekday()) % 7 or 7)
    response = client_for(manager).post(
        "/staff/hours/exceptions/new/",
        {
            "exc-channel": "chat",
            "exc-start_date": saturday.isoformat(),
            "exc-end_date": (saturday + dt.timedelta(days=1)).isoformat(),
            "exc-kind": "open",
            "exc-whole_day": "on",
            "exc-weekdays_only": "on",
        },
    )
    assert response.status_code == 200
    assert "Perioden er bare lørdag og søndag" in response.content.decode()
    assert not HoursException.objects.exists()
