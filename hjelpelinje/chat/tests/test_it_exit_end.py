"""The quick exit ends the chat on the server however the page goes (issue 16, item 0).

Two ways beside the socket's `end` frame, which a page going away may never send (Firefox
drops it): the beacon to /chat/end/ with the chat's token, and the socket's close with
1001 as the browser unloads the page. What the counsellor's console hears is checked, and
that the beacon can end only its own chat, sets no cookie, needs no CSRF token and is
cheap to refuse. End to end in real browsers: test_it_exit_firefox.py (Firefox ESR) and
test_it_exit_browser.py (Chromium, with each of the three ways taken away in turn).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from asgiref.sync import sync_to_async
from django.core.cache import cache
from django.db import connections
from django.test import AsyncClient, Client

from hjelpelinje.accounts.models import User
from hjelpelinje.chat import services
from hjelpelinje.chat.models import ChatSession
from hjelpelinje.chat.sockets.limits import ENDS_PER_CLIENT_MINUTE
from hjelpelinje.chat.tests.communicator import WebsocketCommunicator
from hjelpelinje.chat.tests.test_it_consumers import receive_until, staff
from hjelpelinje.chat.tests.test_it_socket_death import chat_in_progress

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("chat_open")]

END = "/chat/end/"


@pytest.fixture(autouse=True)
async def _close_connections_of_the_async_orm() -> AsyncIterator[None]:
    yield
    await sync_to_async(connections.close_all)()
    await sync_to_async(cache.clear)()


async def status_of(session_id: int) -> str:
    return (await ChatSession.objects.aget(pk=session_id)).status


async def console_hears_the_visitor_end(c: WebsocketCommunicator, session_id: int) -> None:
    ended = await receive_until(c, "ended")
    assert ended["session"] == session_id and ended["by"] == "visitor"
    assert await status_of(session_id) == ChatSession.Status.ENDED


async def test_a_page_going_away_ends_its_chat_at_once(counsellor: User) -> None:
    """The browser closes the socket with 1001 as the page unloads: without waiting for
    the sweep (15 minutes for an answered chat), the chat ends and the counsellor is free."""
    v, c, session_id = await chat_in_progress(counsellor)
    # The harness cancels a consumer still busy after its timeout; a loaded machine needs more.
    await v.disconnect(code=1001, timeout=30)
    await console_hears_the_visitor_end(c, session_id)
    # At her limit she can take the next one (the limit is what kept visitors waiting).
    await sync_to_async(services.chat_session_start)()
    await c.send_json_to({"type": "take"})
    await receive_until(c, "assigned")
    await c.disconnect()


@pytest.mark.parametrize("code", [1006, 1005, 1011, 1012])
async def test_a_dropped_line_or_a_server_restart_ends_nothing(counsellor: User, code: int) -> None:
    """A line that drops (1006), a close without a code, a server error or a server
    restarting (1012) is not the page going away: the visitor may come back and resume."""
    v, c, session_id = await chat_in_progress(counsellor)
    await v.disconnect(code=code, timeout=30)
    heard = await receive_until(c, "visitor")
    assert heard == {"type": "visitor", "session": session_id, "connected": False}
    assert await status_of(session_id) == ChatSession.Status.ACTIVE
    await c.disconnect()


async def test_the_beacon_ends_the_chat_of_its_token(counsellor: User) -> None:
    session, token = await sync_to_async(services.chat_session_start)()
    other, _other_token = await sync_to_async(services.chat_session_start)()
    c = await staff(counsellor)
    assert (await c.connect())[0]
    await receive_until(c, "state")
    await c.send_json_to({"type": "take"})
    assert (await receive_until(c, "assigned"))["chat"]["session"] == session.pk
    # As navigator.sendBeacon sends a string: text/plain, no CSRF token, no cookie.
    client = AsyncClient(enforce_csrf_checks=True)
    response = await client.post(END, data=token, content_type="text/plain;charset=UTF-8")
    assert response.status_code == 204
    assert "Set-Cookie" not in response.headers
    await console_hears_the_visitor_end(c, session.pk)
    # Only that chat: the other visitor still waits.
    assert await status_of(other.pk) == ChatSession.Status.QUEUED
    # A second beacon (or the socket's `end` after it) finds nothing more to end.
    again = await client.post(END, data=token, content_type="text/plain")
    assert again.status_code == 204
    await c.disconnect()


async def test_the_beacon_refuses_what_is_not_a_token_cheaply() -> None:
    session, _token = await sync_to_async(services.chat_session_start)()
    client = AsyncClient()
    # Only POST.
    assert (await client.get(END)).status_code == 405
    # Not a token: refused before any lookup.
    assert (await client.post(END, data="x", content_type="text/plain")).status_code == 400
    sent = "a" * 1000
    assert (await client.post(END, data=sent, content_type="text/plain")).status_code == 413
    # A well-formed token of no chat: the same answer as one that ended a chat.
    unknown = "A" * 43
    assert (await client.post(END, data=unknown, content_type="text/plain")).status_code == 204
    assert await status_of(session.pk) == ChatSession.Status.QUEUED


def test_the_beacon_is_rate_limited_per_client() -> None:
    """Someone trying tokens from one address is stopped; nothing is ended by guessing."""
    session, _token = services.chat_session_start()
    client = Client(REMOTE_ADDR="203.0.113.9")
    answers = [
        client.post(END, data=f"{i:043d}", content_type="text/plain").status_code
        for i in range(ENDS_PER_CLIENT_MINUTE + 3)
    ]
    assert answers[:ENDS_PER_CLIENT_MINUTE] == [204] * ENDS_PER_CLIENT_MINUTE
    assert answers[ENDS_PER_CLIENT_MINUTE:] == [429] * 3
    # Another address is not held up by it.
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert other.post(END, data="B" * 43, content_type="text/plain").status_code == 204
    session.refresh_from_db()
    assert session.status == ChatSession.Status.QUEUED
