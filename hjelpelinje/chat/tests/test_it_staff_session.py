"""A console socket lives only as long as the login behind it.

Each way a login ends (logout, the idle timeout, deactivation, a new password, a reset
second factor) is tried twice where it can be: once with the accounts service's event
(the socket's own check slowed to an hour, so only the event can close it in time), and
once with the event lost (only the socket's own check can).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connections
from django.test import Client
from django.utils import timezone

from hjelpelinje.accounts.models import User
from hjelpelinje.asgi import application
from hjelpelinje.chat.models import ChatSession, CounsellorPresence
from hjelpelinje.chat.sockets import staff as staff_module
from hjelpelinje.chat.sockets.groups import CLOSE_FORBIDDEN, CLOSE_LOGIN_ENDED
from hjelpelinje.chat.tests.communicator import WebsocketCommunicator, staff_socket
from hjelpelinje.chat.tests.proof import start_frame

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("chat_open")]

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
async def _close_connections_of_the_async_orm() -> AsyncIterator[None]:
    yield
    await sync_to_async(connections.close_all)()


@pytest.fixture(params=["event", "own_check"])
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """How the news of an ended login reaches the socket."""
    if request.param == "event":
        monkeypatch.setattr(staff_module, "LOGIN_CHECK_EVERY", 3600.0)
    else:
        from hjelpelinje.accounts import services

        monkeypatch.setattr(services, "get_channel_layer", lambda: None)  # the event is lost
        monkeypatch.setattr(staff_module, "LOGIN_CHECK_EVERY", 0.2)
    return str(request.param)


async def login(user: User) -> Client:
    from conftest import verified_client

    return await sync_to_async(verified_client)(user)


def session_key(client: Client) -> str:
    return str(client.cookies[settings.SESSION_COOKIE_NAME].value)


async def console(client: Client) -> WebsocketCommunicator:
    ws = staff_socket(session_key(client))
    connected, _ = await ws.connect()
    assert connected
    assert (await ws.receive_json_from())["type"] == "state"
    return ws


async def closed_with(ws: WebsocketCommunicator, within: float = 2.0) -> int:
    """The close code the socket gets within `within` seconds (frames before it skipped)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        left = deadline - loop.time()
        assert left > 0, "the socket is still open"
        output = await ws.receive_output(timeout=left)
        if output["type"] == "websocket.close":
            return int(output.get("code", 1000))


async def still_open(ws: WebsocketCommunicator) -> bool:
    await ws.send_json_to({"type": "ping"})
    for _ in range(10):
        output = await ws.receive_output(timeout=2)
        if output["type"] == "websocket.close":
            return False
        if '"pong"' in output.get("text", ""):
            return True
    return False


async def post(client: Client, url: str, data: dict[str, Any] | None = None) -> Any:
    return await sync_to_async(client.post)(url, data or {})


async def test_logout_closes_the_console_of_that_login_only(counsellor: User, path: str) -> None:
    office, phone = await login(counsellor), await login(counsellor)
    at_office, on_phone = await console(office), await console(phone)
    await post(office, "/staff/accounts/logout/")
    assert await closed_with(at_office) == CLOSE_LOGIN_ENDED
    # Logging out on one device is not logging out on the other (docs/chat-protocol.md).
    assert await still_open(on_phone)
    await on_phone.disconnect()


async def test_a_closed_console_takes_no_chat(counsellor: User, path: str) -> None:
    visitor = WebsocketCommunicator(application, "/ws/chat/visitor/")
    assert (await visitor.connect())[0]
    await visitor.send_json_to(start_frame())
    while (await visitor.receive_json_from())["type"] != "started":
        pass
    client = await login(counsellor)
    ws = await console(client)
    await post(client, "/staff/accounts/logout/")
    assert await closed_with(ws) == CLOSE_LOGIN_ENDED
    await ws.send_json_to({"type": "take"})
    await asyncio.sleep(0.3)
    assert await ChatSession.objects.filter(status=ChatSession.Status.QUEUED).acount() == 1
    assert not await ChatSession.objects.filter(counsellor=counsellor).aexists()
    await visitor.disconnect()


async def test_deactivation_closes_every_console_of_the_account(
    counsellor: User, administrator: User, path: str
) -> None:
    office, phone = await console(await login(counsellor)), await console(await login(counsellor))
    await office.send_json_to({"type": "presence", "status": "available"})
    while (await office.receive_json_from(timeout=5))["type"] != "presence":
        pass
    admin = await login(administrator)
    response = await post(
        admin,
        f"/staff/accounts/staff/{counsellor.pk}/",
        {"first_name": "Kari", "role": "counsellor"},  # "Aktiv" unticked
    )
    assert response.status_code == 302
    assert await closed_with(office) == CLOSE_LOGIN_ENDED
    assert await closed_with(phone) == CLOSE_LOGIN_ENDED
    # Nor is she counted as available for the grace time a closed console gets.
    presence = CounsellorPresence.objects.filter(user=counsellor).values_list("status", flat=True)
    assert await presence.afirst() == CounsellorPresence.Status.AWAY


async def test_a_new_password_from_an_administrator_closes_the_console(
    counsellor: User, administrator: User, path: str
) -> None:
    ws = await console(await login(counsellor))
    response = await post(
        await login(administrator), f"/staff/accounts/staff/{counsellor.pk}/reset-password/"
    )
    assert response.status_code == 200
    assert await closed_with(ws) == CLOSE_LOGIN_ENDED


async def test_changing_ones_own_password_closes_the_consoles(counsellor: User, path: str) -> None:
    office, phone = await login(counsellor), await login(counsellor)
    at_office, on_phone = await console(office), await console(phone)
    new = "a-new-password-of-her-own"
    response = await post(
        phone,
        "/staff/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert await closed_with(at_office) == CLOSE_LOGIN_ENDED
    assert await closed_with(on_phone) == CLOSE_LOGIN_ENDED
    # The login that changed the password goes on, and opens a console again.
    again = await console(phone)
    assert await still_open(again)
    await again.disconnect()


async def test_a_reset_second_factor_closes_the_console(
    counsellor: User, administrator: User, path: str
) -> None:
    ws = await console(await login(counsellor))
    admin = await login(administrator)
    response = await post(admin, f"/staff/accounts/staff/{counsellor.pk}/reset-two-factor/")
    assert response.status_code == 302
    assert await closed_with(ws) == CLOSE_LOGIN_ENDED


async def test_an_idle_login_closes_its_console(
    counsellor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(staff_module, "LOGIN_CHECK_EVERY", 0.2)
    client = await login(counsellor)
    ws = await console(client)
    # Thirty minutes pass without a request or any work on the console.
    await Session.objects.filter(session_key=session_key(client)).aupdate(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    assert await closed_with(ws) == CLOSE_LOGIN_ENDED


async def test_work_on_the_console_keeps_the_login_alive_and_a_heartbeat_does_not(
    counsellor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(staff_module, "LOGIN_CHECK_EVERY", 0.2)
    monkeypatch.setattr(staff_module, "ACTIVITY_EXTENDS_EVERY", 0.0)
    typing, idle = await login(counsellor), await login(counsellor)
    typing_ws, idle_ws = await console(typing), await console(idle)
    # Both logins are a moment from their idle timeout, with no page request since.
    soon = timezone.now() + dt.timedelta(seconds=1.5)
    await Session.objects.filter(session_key__in=[session_key(typing), session_key(idle)]).aupdate(
        expire_date=soon
    )

    await typing_ws.send_json_to({"type": "presence", "status": "available"})
    assert (await typing_ws.receive_json_from())["type"] == "presence"
    await idle_ws.send_json_to({"type": "ping"})  # what the page sends by itself
    assert (await idle_ws.receive_json_from())["type"] == "pong"
    await asyncio.sleep(2)

    # The one at work is still signed in, on the console and in the browser.
    assert await still_open(typing_ws)
    expiry = (await Session.objects.aget(session_key=session_key(typing))).expire_date
    assert expiry > timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    response = await sync_to_async(typing.get)("/staff/chat/console/")
    assert response.status_code == 200
    # The idle one is not.
    assert await closed_with(idle_ws) == CLOSE_LOGIN_ENDED
    response = await sync_to_async(idle.get)("/staff/chat/console/")
    assert response.status_code == 302 and "/staff/accounts/login/" in response["Location"]
    await typing_ws.disconnect()


async def test_an_account_that_must_change_its_password_gets_no_console(
    counsellor: User,
) -> None:
    counsellor.must_change_password = True
    await counsellor.asave(update_fields=["must_change_password"])
    client = await login(counsellor)
    ws = staff_socket(session_key(client))
    assert await ws.connect() == (False, CLOSE_FORBIDDEN)


async def test_a_console_coming_back_after_its_login_ended_is_told_so(counsellor: User) -> None:
    client = await login(counsellor)
    key = session_key(client)
    await post(client, "/staff/accounts/logout/")  # say, while the console's line was down
    ws = staff_socket(key)
    # Told, not refused: a refused handshake looks like a dropped line to a browser.
    assert (await ws.connect())[0]
    assert await closed_with(ws) == CLOSE_LOGIN_ENDED


async def test_a_new_role_closes_the_console_opened_under_the_old_one(
    manager: User, administrator: User, path: str
) -> None:
    # A manager's console hears every urgent flag and reads along; a counsellor's may not.
    ws = await console(await login(manager))
    response = await post(
        await login(administrator),
        f"/staff/accounts/staff/{manager.pk}/",
        {"first_name": "Mona", "role": "counsellor", "is_active": "on"},
    )
    assert response.status_code == 302
    assert await closed_with(ws) == CLOSE_LOGIN_ENDED
