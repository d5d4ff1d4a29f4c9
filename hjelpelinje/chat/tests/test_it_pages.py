from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from hjelpelinje.accounts.models import User
from hjelpelinje.chat.models import CannedResponse, ClosedVisitDay

pytestmark = pytest.mark.django_db


def test_visitor_page_sets_no_cookie_and_is_never_cached(chat_open: None) -> None:
    response = Client().get("/chat/")
    assert response.status_code == 200
    assert not response.cookies
    assert "Set-Cookie" not in response.headers
    assert response["Cache-Control"] == "no-store"
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "connect-src 'self' wss://testserver ws://testserver" in csp
    assert "frame-ancestors 'self';" in csp
    assert "X-Frame-Options" not in response.headers
    body = response.content.decode()
    assert "Gå ut raskt" in body and "csrfmiddlewaretoken" not in body
    assert "avvergeplikt" in body


def test_frame_ancestors_follow_the_setting(chat_open: None, settings: object) -> None:
    settings.HJELPELINJE_CHAT_FRAME_ANCESTORS = "https://www.example.org"  # type: ignore[attr-defined]
    response = Client().get("/chat/")
    assert "frame-ancestors 'self' https://www.example.org;" in response["Content-Security-Policy"]


def test_closed_page_gives_numbers_and_counts_the_visit(chat_closed: None) -> None:
    response = Client().get("/chat/")
    body = response.content.decode()
    assert "Chatten er stengt" in body
    assert "112" in body and "116 111" in body
    assert "Start chat" not in body
    assert not response.cookies
    assert ClosedVisitDay.objects.get().count == 1


def test_console_needs_the_permission(
    client_for: Callable[[User], Client], counsellor: User, administrator: User
) -> None:
    assert client_for(counsellor).get("/staff/chat/console/").status_code == 200
    assert client_for(administrator).get("/staff/chat/console/").status_code == 403


def test_manager_edits_canned_responses_and_counsellor_cannot(
    client_for: Callable[[User], Client], manager: User, counsellor: User
) -> None:
    client = client_for(manager)
    response = client.post(
        "/staff/chat/settings/",
        {"add_canned": "1", "c-title": "Hilsen", "c-body": "Hei, du snakker med", "c-position": 0},
    )
    assert response.status_code == 302
    canned = CannedResponse.objects.get()
    assert "Hilsen" in client.get("/staff/chat/settings/").content.decode()
    assert client_for(counsellor).get("/staff/chat/settings/").status_code == 403
    client.post(f"/staff/chat/settings/canned/{canned.pk}/delete/")
    assert not CannedResponse.objects.exists()
