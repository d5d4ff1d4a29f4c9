"""`{% opening_hours %}`: the website's opening hours come from the hours app. The ordinary
week with like days joined, the next two weeks' changes (a manager's exception with its
note, a public holiday), and every change to the hours makes cached public pages stale at
once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template import Context, Template

from hjelpelinje.accounts.models import User
from hjelpelinje.core.timeutil import OSLO
from hjelpelinje.hours import services as hours_services
from hjelpelinje.hours.models import ExceptionKind
from hjelpelinje.hours.tests.test_it_now import Clock
from hjelpelinje.site.cache import public_version

pytestmark = pytest.mark.django_db

# Thursday 10 December 2026: Christmas Day (Friday 25th) is more than 14 days away.
THURSDAY_10 = dt.datetime(2026, 12, 10, 12, 0, tzinfo=OSLO)
# Saturday 19 December: Christmas Day falls within the next two weeks.
SATURDAY_19 = dt.datetime(2026, 12, 19, 12, 0, tzinfo=OSLO)


def rendered() -> str:
    html = Template("{% load site_hours %}{% opening_hours level=3 %}").render(Context({}))
    # One line per row, as a reader sees it.
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def channel(html: str, name: str) -> str:
    start = html.index(name)
    other = "Telefon" if name == "Chat" else None
    return html[start : html.index(other) if other and other in html[start:] else None]


def test_the_ordinary_week_of_both_channels(monkeypatch: pytest.MonkeyPatch) -> None:
    Clock(monkeypatch, THURSDAY_10)
    text = rendered()
    expected = (
        "Mandag–onsdag 09:00–16:00 Torsdag 09:00–18:00 Fredag 09:00–16:00 Lørdag–søndag stengt"
    )
    assert f"Chat {expected}" in text
    assert f"Telefon {expected}" in text
    assert "Endrede åpningstider" not in text
    html = Template("{% load site_hours %}{% opening_hours level=3 %}").render(Context({}))
    assert "<h3>Chat</h3>" in html


def test_a_managers_week_shows(monkeypatch: pytest.MonkeyPatch, manager: User) -> None:
    Clock(monkeypatch, THURSDAY_10)
    hours_services.hours_week_set(
        actor=manager,
        channel="chat",
        week={d: (dt.time(12), dt.time(20)) if d < 5 else None for d in range(7)},
    )
    assert "Chat Mandag–fredag 12:00–20:00 Lørdag–søndag stengt" in rendered()


def test_an_exception_and_a_holiday_in_the_next_two_weeks(
    monkeypatch: pytest.MonkeyPatch, manager: User
) -> None:
    clock = Clock(monkeypatch, THURSDAY_10)
    hours_services.hours_exception_create(
        actor=manager,
        channel="chat",
        start_date=dt.date(2026, 12, 14),
        end_date=dt.date(2026, 12, 16),
        kind=ExceptionKind.OPEN,
        opens=dt.time(9),
        closes=dt.time(21),
        note="Kampanjeuke",
    )
    text = rendered()
    chat = channel(text, "Chat")
    assert "Endrede åpningstider de neste to ukene:" in chat
    assert "14.12.2026–16.12.2026 : 09:00–21:00 (Kampanjeuke)" in chat
    # Christmas Day is three weeks away: not shown yet. The phone is not changed.
    assert "25.12.2026" not in text
    assert "Kampanjeuke" not in channel(text, "Telefon")

    clock.now = SATURDAY_19
    text = rendered()
    assert "Kampanjeuke" not in text
    assert "25.12.2026 : stengt (Første juledag)" in channel(text, "Chat")
    assert "25.12.2026 : stengt (Første juledag)" in channel(text, "Telefon")


def test_every_hours_change_makes_cached_pages_stale(
    monkeypatch: pytest.MonkeyPatch, manager: User
) -> None:
    clock = Clock(monkeypatch, THURSDAY_10)
    seen = [public_version()]

    def bumped() -> bool:
        seen.append(public_version())
        return seen[-1] > seen[-2]

    exception = hours_services.hours_exception_create(
        actor=manager,
        channel="phone",
        start_date=dt.date(2026, 12, 14),
        end_date=dt.date(2026, 12, 14),
        kind=ExceptionKind.CLOSED,
    )
    assert bumped()
    hours_services.hours_exception_delete(actor=manager, exception=exception)
    assert bumped()
    override = hours_services.hours_open_now(
        actor=manager, channel="chat", until=dt.time(18), now=clock.now
    )
    assert bumped()
    hours_services.hours_override_delete(actor=manager, override=override)
    assert bumped()
    hours_services.hours_week_set(
        actor=manager, channel="phone", week={0: (dt.time(9), dt.time(15))}
    )
    assert bumped()
    # Reading the hours changes nothing.
    rendered()
    assert not bumped()
