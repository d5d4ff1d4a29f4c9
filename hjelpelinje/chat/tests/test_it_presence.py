"""A counsellor's availability is the account's, kept on the server: it outlives a reload
and a second console, ends at logout or after the grace time without a console, and what
everyone sees (her consoles, her colleagues, the waiting visitors) follows it."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections
from django.test import Client
from django.utils import timezone

from hjelpelinje.accounts.models import User
from hjelpelinje.asgi import application
from hjelpelinje.chat import selectors, services
from hjelpelinje.chat.models import ChatSession, ChatSettings, CounsellorPresence
from hjelpelinje.chat.tests.communicator import WebsocketCommunicator, staff_socket
from hjelpelinje.chat.tests.proof import start_frame

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("chat_open")]


@pytest.fixture(autouse=True)
def quick_tidy(monkeypatch: pytest.MonkeyPatch) -> None:
    from hjelpelinje.chat.sockets import tidy

    monkeypatch.setattr(tidy, "TIDY_EVERY", 0.2)


@pytest.fixture(autouse=True)
async def _close_connections_of_the_async_orm() -> AsyncIterator[None]:
    yield
    await sync_to_async(connections.close_all)()


async def login(user: User) -> Client:
    from conftest import verified_client

    return await sync_to_async(verified_client)(user)


async def console(client: Client) -> tuple[WebsocketCommunicator, dict[str, Any]]:
    """A console of the login `client`, and the `state` it opened with."""
    ws = staff_socket(client.cookies[settings.SESSION_COOKIE_NAME].value)
    connected, _ = await ws.connect()
    assert connected
    state = await ws.receive_json_from(timeout=5)
    assert state["type"] == "state"
    return ws, state


async def visitor() -> WebsocketCommunicator:
    ws = WebsocketCommunicator(application, "/ws/chat/visitor/")
    assert (await ws.connect())[0]
    return ws


async def until(ws: WebsocketCommunicator, kind: str, **fields: Any) -> dict[str, Any]:
    """The next frame of `kind` that has `fields` (others on the way are skipped)."""
    for _ in range(40):
        frame: dict[str, Any] = await ws.receive_json_from(timeout=5)
        if frame["type"] == kind and frame == frame | fields:
            return frame
    raise AssertionError(f"no {kind} frame with {fields}")


async def go_available(ws: WebsocketCommunicator) -> None:
    await ws.send_json_to({"type": "presence", "status": "available"})
    await until(ws, "presence", status="available")


async def until_queue(ws: WebsocketCommunicator, items: list[tuple[int, bool]]) -> None:
    """The console's queue comes to show `items` as (chat, connected)."""
    for _ in range(40):
        frame = await until(ws, "queue")
        if [(i["session"], i["connected"]) for i in frame["items"]] == items:
            return
    raise AssertionError(f"the queue never showed {items}")


def names(frame: dict[str, Any]) -> list[int]:
    return [c["id"] for c in frame["items"]]


async def test_presence_survives_a_reload(counsellor: User) -> None:
    client = await login(counsellor)
    first, state = await console(client)
    assert state["presence"] == "away"
    await go_available(first)
    await first.disconnect()
    # The page reloads (or goes to the register form and back): still available.
    again, state = await console(client)
    assert state["presence"] == "available"
    assert await sync_to_async(selectors.chat_available_count)() == 1
    await again.disconnect()


async def test_every_console_of_a_counsellor_hears_every_change(
    counsellor: User, other_counsellor: User
) -> None:
    office, laptop = await console(await login(counsellor)), await console(await login(counsellor))
    at_office, on_laptop = office[0], laptop[0]
    colleague, _ = await console(await login(other_counsellor))
    await go_available(colleague)

    await go_available(at_office)
    assert (await until(on_laptop, "presence"))["status"] == "available"

    v = await visitor()
    await v.send_json_to(start_frame())
    session = (await until(v, "started"))["session"]
    await at_office.send_json_to({"type": "take"})
    assert (await until(at_office, "assigned"))["chat"]["session"] == session
    assert (await until(on_laptop, "assigned"))["chat"]["session"] == session
    # The second console has joined the chat: the visitor's words reach it too.
    await v.send_json_to({"type": "message", "text": "Hei", "client_id": "v1"})
    assert (await until(on_laptop, "message"))["text"] == "Hei"

    await on_laptop.send_json_to(
        {"type": "transfer", "session": session, "to": other_counsellor.pk, "note": ""}
    )
    for ws in (on_laptop, at_office):
        assert (await until(ws, "unassigned", session=session))["reason"] == "transferred"
    assert (await until(colleague, "assigned"))["chat"]["session"] == session
    for ws in (v, at_office, on_laptop, colleague):
        await ws.disconnect()


async def test_a_colleague_going_available_or_away_updates_the_transfer_list(
    counsellor: User, other_counsellor: User
) -> None:
    mine, state = await console(await login(counsellor))
    assert state["colleagues"] == []
    theirs, _ = await console(await login(other_counsellor))
    await go_available(theirs)
    assert names(await until(mine, "colleagues")) == [other_counsellor.pk]
    await theirs.send_json_to({"type": "presence", "status": "away"})
    assert names(await until(mine, "colleagues")) == []
    await mine.disconnect()
    await theirs.disconnect()


async def test_the_status_outlasts_the_last_console_for_the_grace_time_only(
    counsellor: User, other_counsellor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    colleague, _ = await console(await login(other_counsellor))
    client = await login(counsellor)
    mine, _ = await console(client)
    await go_available(mine)
    assert names(await until(colleague, "colleagues")) == [counsellor.pk]
    await mine.disconnect()
    # Within the grace time (two minutes) she still counts, and the tidy-up leaves her be.
    await asyncio.sleep(0.6)  # the tidy-up has looked a few times meanwhile
    presence = await CounsellorPresence.objects.aget(user=counsellor)
    assert (presence.status, presence.connections) == ("available", 0)
    assert await sync_to_async(selectors.chat_available_count)() == 1
    assert await sync_to_async(services.chat_presence_expire)() == []

    # Past it, the tidy-up makes her away, and her colleague's transfer list says so.
    monkeypatch.setattr(services, "PRESENCE_GRACE", dt.timedelta(0))
    monkeypatch.setattr(selectors, "PRESENCE_GRACE", dt.timedelta(0))
    assert names(await until(colleague, "colleagues")) == []
    _, state = await console(client)
    assert state["presence"] == "away"
    await colleague.disconnect()


def test_a_console_opening_after_the_grace_time_is_away_even_before_the_tidy_up(
    counsellor: User,
) -> None:
    services.chat_presence_connect(user=counsellor, connected=True)
    services.chat_presence_set(user=counsellor, status="available")
    left = timezone.now() - dt.timedelta(minutes=10)
    services.chat_presence_connect(user=counsellor, connected=False, at=left)
    assert selectors.chat_available_count() == 0
    assert services.chat_presence_connect(user=counsellor, connected=True).status == "away"


async def test_logout_makes_the_counsellor_away_on_every_console(
    counsellor: User, other_counsellor: User
) -> None:
    colleague, _ = await console(await login(other_counsellor))
    office, phone = await login(counsellor), await login(counsellor)
    at_office, _ = await console(office)
    on_phone, _ = await console(phone)
    await go_available(at_office)
    assert names(await until(colleague, "colleagues")) == [counsellor.pk]

    assert (await until(on_phone, "presence"))["status"] == "available"
    await sync_to_async(office.post)("/staff/accounts/logout/")
    assert (await until(on_phone, "presence"))["status"] == "away"
    assert names(await until(colleague, "colleagues")) == []
    assert await sync_to_async(selectors.chat_available_count)() == 0
    for ws in (on_phone, colleague):
        await ws.disconnect()


async def test_with_nobody_available_the_visitor_is_told_so_and_then_hears_someone_came(
    counsellor: User,
) -> None:
    v = await visitor()
    await v.send_json_to(start_frame())
    session = (await until(v, "started"))["session"]
    queue = await until(v, "queue")
    assert queue["position"] == 1 and queue["available"] == 0
    assert queue["phone"] == settings.HJELPELINJE_PHONE_NUMBER and "hours" in queue

    # She waits; a counsellor comes online later and finds her in the queue.
    mine, state = await console(await login(counsellor))
    assert [i["session"] for i in state["queue"]] == [session]
    await go_available(mine)
    queue = await until(v, "queue")
    assert queue["available"] == 1 and "phone" not in queue
    await v.disconnect()
    await mine.disconnect()


def test_the_queue_estimate_shares_the_wait_among_the_available_counsellors(
    counsellor: User, other_counsellor: User
) -> None:
    ChatSettings.objects.update_or_create(pk=1, defaults={"max_chats_per_counsellor": 2})
    now = timezone.now()
    for _ in range(3):
        session, _token = services.chat_session_start(age_group=None, theme=None)
        ChatSession.objects.filter(pk=session.pk).update(
            status="ended",
            assigned_at=now - dt.timedelta(minutes=40),
            ended_at=now - dt.timedelta(minutes=20),
        )
    # A chat takes 20 minutes; one counsellor holds two at once: 10 minutes a place.
    for user in (counsellor, other_counsellor):
        services.chat_presence_connect(user=user, connected=True)
    services.chat_presence_set(user=counsellor, status="available")
    assert selectors.chat_wait_per_position() == 600
    services.chat_presence_set(user=other_counsellor, status="available")
    assert selectors.chat_wait_per_position() == 300
    # Busy counts as not there.
    services.chat_presence_set(user=other_counsellor, status="busy")
    assert selectors.chat_available_count() == 1


async def test_a_waiting_visitors_line_dying_shows_in_the_consoles_queue(
    counsellor: User,
) -> None:
    mine, _ = await console(await login(counsellor))
    v = await visitor()
    await v.send_json_to(start_frame())
    session = (await until(v, "started"))["session"]
    frame = await until(mine, "queue")
    assert [(i["session"], i["connected"]) for i in frame["items"]] == [(session, True)]
    await v.disconnect()
    await until_queue(mine, [(session, False)])
    await mine.disconnect()


def test_consoles_lost_with_a_dead_process_do_not_keep_a_counsellor_available(
    counsellor: User,
) -> None:
    # Her console's process was killed: it never counted the console closed, and no
    # process has vouched for it since.
    long_ago = timezone.now() - dt.timedelta(minutes=10)
    services.chat_presence_connect(user=counsellor, connected=True, at=long_ago)
    services.chat_presence_set(user=counsellor, status="available")
    assert selectors.chat_available_count() == 0
    assert services.chat_presence_expire() == [counsellor.pk]
    presence = CounsellorPresence.objects.get(user=counsellor)
    assert (presence.status, presence.connections) == ("away", 0)


async def test_an_open_console_is_vouched_for_and_stays_counted(
    counsellor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hjelpelinje.chat.sockets import tidy

    monkeypatch.setattr(tidy, "PRESENCE_SEEN_EVERY", 0.0)
    mine, _ = await console(await login(counsellor))
    await go_available(mine)
    long_ago = timezone.now() - dt.timedelta(minutes=10)
    await CounsellorPresence.objects.filter(user=counsellor).aupdate(seen_at=long_ago)
    await asyncio.sleep(0.8)  # a few tidy-ups: the process vouches before it expires
    presence = await CounsellorPresence.objects.aget(user=counsellor)
    assert presence.status == "available"
    assert presence.seen_at is not None and presence.seen_at > long_ago
    assert await sync_to_async(selectors.chat_available_count)() == 1
    await mine.disconnect()


async def test_a_waiting_visitor_lost_with_her_process_shows_in_the_consoles_queue(
    counsellor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hjelpelinje.chat.sockets import tidy

    # Her socket's process stops vouching for it (as if it had been killed): after a while
    # the tidy-up takes her for gone, and the consoles' queue says so.
    monkeypatch.setattr(tidy, "VISITOR_SEEN_EVERY", 3600.0)
    monkeypatch.setattr(services, "VISITOR_UNSEEN_AFTER", dt.timedelta(seconds=0.5))
    mine, _ = await console(await login(counsellor))
    v = await visitor()
    await v.send_json_to(start_frame())
    session = (await until(v, "started"))["session"]
    frame = await until(mine, "queue")
    assert [(i["session"], i["connected"]) for i in frame["items"]] == [(session, True)]
    await until_queue(mine, [(session, False)])
    await v.disconnect()
    await mine.disconnect()
