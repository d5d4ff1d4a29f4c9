"""The manager's one-step "open the chat now until 18:00" and "close it now"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from hjelpelinje.audit.models import AuditEntry
from hjelpelinje.core.timeutil import OSLO
from hjelpelinje.hours.models import HoursOverride

# Saturday 5 December 2026: the ordinary week has the chat closed all weekend.
SATURDAY_17 = dt.datetime(2026, 12, 5, 17, 0, tzinfo=OSLO)


class Clock:
    """Stands in for Django's clock, as the hours tests pass their own `at`."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, start: dt.datetime) -> None:
        self.now = start
        monkeypatch.setattr(timezone, "now", lambda: self.now.astimezone(dt.UTC))

    def set(self, *, day: int, hour: int, minute: int = 0) -> None:
        self.now = dt.datetime(2026, 12, day, hour, minute, tzinfo=OSLO)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch, SATURDAY_17)


def chat_page() -> str:
    # A visitor in another browser: no session, no cookies.
    return Client().get("/chat/").content.decode()


def is_start_page(page: str) -> bool:
    return 'id="start"' in page and "Vi åpner igjen" not in page


@pytest.mark.django_db
def test_manager_opens_the_chat_from_the_console_on_saturday_and_closes_it_again(
    manager, client_for: Callable[..., Client], clock: Clock
) -> None:
    assert not is_start_page(chat_page())
    client = client_for(manager)
    console = client.get("/staff/chat/console/").content.decode()
    assert "Åpne chatten nå" in console and "Chatten er stengt" in console

    response = client.post(
        "/staff/hours/now/open/", {"until": "18:00", "back": "console"}, follow=True
    )
    assert response.redirect_chain == [("/staff/chat/console/", 302)]
    page = response.content.decode()
    assert "Chatten er åpen nå, til lørdag 05.12.2026 kl. 18:00." in page
    assert "Steng chatten nå" in page

    # A visitor now gets the chat's start page, not the closed page.
    assert is_start_page(chat_page())
    entry = AuditEntry.objects.get(action="hours.open_now")
    assert entry.actor_id == manager.pk

    # At 17:20 the manager closes it from the hours page; the visitor sees it closed.
    # (Within the staff session's 30 idle minutes.)
    clock.set(day=5, hour=17, minute=20)
    response = client.post("/staff/hours/now/close/", {"back": "hours"}, follow=True)
    assert response.redirect_chain == [("/staff/hours/", 302)]
    assert "Chatten er stengt nå. Den åpner mandag 07.12.2026 kl. 09:00." in (
        response.content.decode()
    )
    assert not is_start_page(chat_page())
    assert AuditEntry.objects.filter(action="hours.close_now", actor_id=manager.pk).exists()


@pytest.mark.django_db
def test_the_chat_closes_by_itself_at_the_chosen_time(
    manager, client_for: Callable[..., Client], clock: Clock
) -> None:
    client_for(manager).post("/staff/hours/now/open/", {"until": "18:00", "back": "hours"})
    clock.set(day=5, hour=17, minute=59)
    assert is_start_page(chat_page())
    clock.set(day=5, hour=18)
    assert not is_start_page(chat_page())


@pytest.mark.django_db
def test_opening_until_a_time_already_passed_runs_past_midnight(
    manager, client_for: Callable[..., Client], clock: Clock
) -> None:
    clock.set(day=5, hour=23)
    response = client_for(manager).post("/staff/hours/now/open/", {"until": "02:00"}, follow=True)
    assert "Chatten er åpen nå, til søndag 06.12.2026 kl. 02:00." in response.content.decode()
    clock.set(day=6, hour=1, minute=30)
    assert is_start_page(chat_page())
    clock.set(day=6, hour=2)
    assert not is_start_page(chat_page())


@pytest.mark.django_db
def test_no_time_is_an_error_and_opens_nothing(
    manager, client_for: Callable[..., Client], clock: Clock
) -> None:
    response = client_for(manager).post("/staff/hours/now/open/", {"back": "console"}, follow=True)
    assert response.redirect_chain == [("/staff/chat/console/", 302)]
    assert "Velg klokkeslettet chatten skal være åpen til." in response.content.decode()
    assert not HoursOverride.objects.exists()
    assert not is_start_page(chat_page())


@pytest.mark.django_db
def test_counsellor_neither_sees_nor_may_use_the_control(
    counsellor, client_for: Callable[..., Client], clock: Clock
) -> None:
    client = client_for(counsellor)
    console = client.get("/staff/chat/console/")
    assert console.status_code == 200
    assert "Åpne chatten nå" not in console.content.decode()
    assert client.post("/staff/hours/now/open/", {"until": "18:00"}).status_code == 403
    assert client.post("/staff/hours/now/close/").status_code == 403
    assert not HoursOverride.objects.exists()
    assert not is_start_page(chat_page())


@pytest.mark.django_db
def test_the_hours_page_lists_an_opening_and_can_undo_it(
    manager, client_for: Callable[..., Client], clock: Clock
) -> None:
    client = client_for(manager)
    client.post("/staff/hours/now/open/", {"until": "18:00"})
    page = client.get("/staff/hours/").content.decode()
    assert "Åpnet eller stengt nå" in page and "05.12.2026 17:00–05.12.2026 18:00" in page
    override = HoursOverride.objects.get()
    client.post(f"/staff/hours/now/{override.pk}/delete/")
    assert not HoursOverride.objects.exists()
    assert not is_start_page(chat_page())
    assert AuditEntry.objects.filter(action="hours.override_delete").exists()
