"""The chat launcher's live state at /chat/state/, as the button on every page shows it:
closed with the next opening, open, busy with how many wait, full, and the phone hours; an
hours change a manager makes shows at once although the state is cached; and the request
leaves no trace: no cookie, the session never touched, cached for seconds only.

The clock stands still at hours a visitor meets, as in the hours tests: mostly the chat is
closed (evenings, the weekend).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from hjelpelinje.accounts.models import User
from hjelpelinje.chat import services as chat_services
from hjelpelinje.chat.models import ChatSettings
from hjelpelinje.core.timeutil import OSLO
from hjelpelinje.hours import services as hours_services
from hjelpelinje.hours.models import ExceptionKind
from hjelpelinje.hours.tests.test_it_now import Clock

pytestmark = pytest.mark.django_db

# The ordinary week (hours/seed.py): both channels Monday-Friday 09:00-16:00, Thursday to
# 18:00. December 2026: Tuesday the 1st ... Saturday the 5th, Monday the 7th.
SATURDAY_17 = dt.datetime(2026, 12, 5, 17, 0, tzinfo=OSLO)
SUNDAY_12 = dt.datetime(2026, 12, 6, 12, 0, tzinfo=OSLO)
MONDAY_0730 = dt.datetime(2026, 12, 7, 7, 30, tzinfo=OSLO)
TUESDAY_10 = dt.datetime(2026, 12, 8, 10, 0, tzinfo=OSLO)
FRIDAY_BEFORE_CHRISTMAS_17 = dt.datetime(2026, 12, 18, 17, 0, tzinfo=OSLO)


def state(lang: str = "nb") -> dict[str, Any]:
    response = Client().get(f"/chat/state/?lang={lang}")
    assert response.status_code == 200
    data: dict[str, Any] = response.json()
    return data


def queue_visitors(count: int) -> None:
    for _ in range(count):
        chat_services.chat_session_start()


@pytest.mark.parametrize(
    ("at", "label", "chat_text", "detail"),
    [
        (
            SATURDAY_17,
            "Chatten åpner mandag kl. 09:00",
            "Åpner mandag kl. 09:00",
            "Telefonen åpner mandag kl. 09:00",
        ),
        (
            SUNDAY_12,
            "Chatten åpner i morgen kl. 09:00",
            "Åpner i morgen kl. 09:00",
            "Telefonen åpner i morgen kl. 09:00",
        ),
        (
            MONDAY_0730,
            "Chatten åpner i dag kl. 09:00",
            "Åpner i dag kl. 09:00",
            "Telefonen åpner i dag kl. 09:00",
        ),
    ],
)
def test_closed_chat_says_when_it_opens(
    monkeypatch: pytest.MonkeyPatch, at: dt.datetime, label: str, chat_text: str, detail: str
) -> None:
    Clock(monkeypatch, at)
    data = state()
    assert data["chat"]["open"] is False
    assert data["chat"]["text"] == chat_text
    assert dt.datetime.fromisoformat(data["chat"]["next_open"]).astimezone(OSLO).hour == 9
    assert data["label"] == label
    assert data["phone"]["open"] is False
    assert data["detail"] == detail
    assert data["waiting"] is None and data["busy"] is False


def test_christmas_closes_for_more_than_a_week_and_the_date_is_given(
    monkeypatch: pytest.MonkeyPatch, manager: User
) -> None:
    # Closed from Monday 21 December to Friday 1 January; opens Monday 4 January 2027.
    Clock(monkeypatch, FRIDAY_BEFORE_CHRISTMAS_17)
    hours_services.hours_exception_create(
        actor=manager,
        channel="chat",
        start_date=dt.date(2026, 12, 21),
        end_date=dt.date(2027, 1, 1),
        kind=ExceptionKind.CLOSED,
        note="Juleferie",
    )
    assert state()["label"] == "Chatten åpner 04.01.2027 kl. 09:00"


def test_open_chat_and_phone(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    settings.HJELPELINJE_PHONE_NUMBER = "815 00 000"
    Clock(monkeypatch, TUESDAY_10)
    data = state()
    assert data["chat"] == {
        "open": True,
        "closes_at": "2026-12-08T16:00:00+01:00",
        "next_open": None,
        "text": "Åpen nå, til kl. 16:00",
    }
    assert data["label"] == "Chat: åpen nå"
    assert data["phone"]["open"] is True
    assert data["phone"]["number"] == "815 00 000"
    assert data["detail"] == "Ring 815 00 000: åpen nå"
    # Two waiting is an ordinary short wait: no number.
    assert data["busy"] is False and data["waiting"] is None


def test_busy_chat_shows_how_many_wait_and_a_full_one_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    Clock(monkeypatch, TUESDAY_10)
    queue_visitors(2)
    data = state()
    assert data["label"] == "Chat: åpen nå" and data["waiting"] is None

    queue_visitors(1)
    Client().get("/chat/state/")  # The state is cached; the next test asks again.
    from django.core.cache import cache

    cache.clear()
    data = state()
    assert data["busy"] is True and data["waiting"] == 3
    assert data["label"] == "Chat: åpen nå · 3 venter"

    ChatSettings.current()
    ChatSettings.objects.update(max_queue=3)
    cache.clear()
    data = state()
    assert data["full"] is True and data["label"] == "Chatten er full nå"


def test_the_state_is_computed_once_for_many_pages(
    monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: Any
) -> None:
    Clock(monkeypatch, TUESDAY_10)
    first = state()
    # Every other page asking within the next seconds gets the same answer, and the
    # database is not asked at all.
    queue_visitors(3)
    with django_assert_num_queries(0):
        for _ in range(20):
            assert state() == first


def test_close_now_and_an_exception_show_at_once_despite_the_cache(
    monkeypatch: pytest.MonkeyPatch, manager: User
) -> None:
    clock = Clock(monkeypatch, TUESDAY_10)
    assert state()["label"] == "Chat: åpen nå"

    hours_services.hours_close_now(actor=manager, channel="chat", now=clock.now)
    data = state()
    assert data["chat"]["open"] is False
    assert data["label"] == "Chatten åpner i morgen kl. 09:00"

    # Wednesday closed for a staff day: now it opens Thursday.
    hours_services.hours_exception_create(
        actor=manager,
        channel="chat",
        start_date=dt.date(2026, 12, 9),
        end_date=dt.date(2026, 12, 9),
        kind=ExceptionKind.CLOSED,
        note="Fagdag",
    )
    assert state()["label"] == "Chatten åpner torsdag kl. 09:00"

    # The manager opens it again until 18:00.
    hours_services.hours_open_now(actor=manager, channel="chat", until=dt.time(18), now=clock.now)
    data = state()
    assert data["label"] == "Chat: åpen nå"
    assert data["chat"]["text"] == "Åpen nå, til kl. 18:00"


def test_no_cookie_no_session_and_cached_for_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    Clock(monkeypatch, SATURDAY_17)
    client = Client()
    response = client.get("/chat/state/?lang=nb")
    assert response["Cache-Control"] == "public, max-age=5"
    assert response["Content-Type"] == "application/json"
    assert not response.cookies and "Set-Cookie" not in response.headers
    assert response.wsgi_request.session.accessed is False
    assert response.wsgi_request.session.modified is False
    # Nothing about the visitor is in the answer, so anyone may be given the same.
    assert "Vary" not in response.headers or "Cookie" not in response["Vary"]


def test_language_from_the_query_only(monkeypatch: pytest.MonkeyPatch) -> None:
    Clock(monkeypatch, SATURDAY_17)
    english = state("en")
    assert english["lang"] == "en"
    assert "Monday" in english["label"] and "09:00" in english["label"]
    norwegian = state("nb")
    assert norwegian["lang"] == "nb" and "mandag" in norwegian["label"]
    # An unknown language is the site's own, not an error.
    assert state("xx")["lang"] == "nb"
