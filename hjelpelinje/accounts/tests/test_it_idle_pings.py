"""Only a person's actions keep a staff login alive (issue 16, item 10).

Found: Wagtail's editor pings its editing session every 10 s while a page is open in a
tab, and each ping renewed the staff session, so the 30-minute idle logout never came for
a forgotten tab. Here a manager opens a page in the editor and walks away: the session is
left a few seconds to live, the editor's pings (the very address the page was given) go on,
and when the time is up the next page asks her to log in again. A page she opens herself
still counts as activity.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import time
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from conftest import verified_client
from hjelpelinje.accounts.models import User
from hjelpelinje.site.tests.editing_tree import build_tree

pytestmark = pytest.mark.django_db

LEFT = 3.0  # seconds the session has left to live when she walks away


def _editor_ping_url(client: Client, page: Any) -> str:
    edit = client.get(f"/staff/cms/pages/{page.pk}/edit/")
    assert edit.status_code == 200
    found = re.search(
        r'data-w-swap-src-value="([^"]+/editing-sessions/ping/[^"]+)"', edit.content.decode()
    )
    assert found, "the editor no longer pings its editing session"
    return html.unescape(found.group(1))


def _session(client: Client) -> Session:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def _walk_away(client: Client, seconds: float) -> None:
    """As if she had been away for all but `seconds` of the idle timeout."""
    session = _session(client)
    session.expire_date = timezone.now() + dt.timedelta(seconds=seconds)
    session.save()


def test_the_editors_pings_do_not_keep_a_login_alive(manager: User) -> None:
    page = build_tree()["theme"]
    client = verified_client(manager)
    ping = _editor_ping_url(client, page)
    _walk_away(client, LEFT)
    # The editor answers the first pings as usual (she is still signed in).
    assert client.post(ping).status_code == 200
    deadline = time.monotonic() + LEFT + 1.5
    while time.monotonic() < deadline:
        client.post(ping)
        time.sleep(0.5)
    # Her session ran out: the next page sends her to the login.
    response = client.get("/staff/inquiries/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/accounts/login/")


def test_a_page_she_opens_still_counts(manager: User) -> None:
    client = verified_client(manager)
    _walk_away(client, LEFT)
    assert client.get("/staff/inquiries/").status_code == 200
    assert _session(client).expire_date > timezone.now() + dt.timedelta(minutes=29)
