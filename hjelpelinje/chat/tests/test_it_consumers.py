"""The WebSocket protocol end to end through channels' in-memory layer."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections

from hjelpelinje.accounts.models import User
from hjelpelinje.asgi import application
from hjelpelinje.chat.models import ChatSession
from hjelpelinje.chat.tests.communicator import WebsocketCommunicator, staff_socket
from hjelpelinje.chat.tests.proof import start_frame

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("chat_open", "quick_tidy"),
]


@pytest.fixture(autouse=True)
async def _close_connections_of_the_async_orm() -> AsyncIterator[None]:
    # The async ORM calls of a test (aget, sync_to_async) run in asgiref's shared thread;
    # a connection left open there would hold the test database at teardown.
    yield
    await sync_to_async(connections.close_all)()


@pytest.fixture
def quick_tidy(monkeypatch: pytest.MonkeyPatch) -> None:
    from hjelpelinje.chat.sockets import tidy

    monkeypatch.setattr(tidy, "TIDY_EVERY", 0.2)


async def visitor() -> WebsocketCommunicator:
    ws = WebsocketCommunicator(application, "/ws/chat/visitor/")
    connected, _ = await ws.connect()
    assert connected
    return ws


async def staff(user: User, verified: bool = True) -> WebsocketCommunicator:
    from conftest import verified_client

    if verified:
        client = await sync_to_async(verified_client)(user)
    else:
        from django.test import Client

        client = Client()
        await sync_to_async(client.force_login)(user)
    return staff_socket(client.cookies[settings.SESSION_COOKIE_NAME].value)


async def receive_until(ws: WebsocketCommunicator, kind: str) -> dict[str, Any]:
    for _ in range(30):
        frame = await ws.receive_json_from(timeout=30)  # a loaded machine
        if frame["type"] == kind:
            return frame  # type: ignore[no-any-return]
    raise AssertionError(f"no {kind} frame")


async def test_visitor_and_counsellor_hold_a_chat(counsellor: User) -> None:
    v = await visitor()
    await v.send_json_to(start_frame())
    started = await receive_until(v, "started")
    assert started["token"] and started["max_length"] == 2000
    assert (await receive_until(v, "queue"))["position"] == 1

    c = await staff(counsellor)
    assert (await c.connect())[0]
    state = await receive_until(c, "state")
    assert [i["session"] for i in state["queue"]] == [started["session"]]
    await c.send_json_to({"type": "take"})
    assigned = await receive_until(c, "assigned")
    assert assigned["chat"]["session"] == started["session"]
    assert (await receive_until(v, "joined"))["name"] == counsellor.first_name

    await c.send_json_to(
        {"type": "message", "session": started["session"], "text": "<b>Hei</b>", "client_id": "c1"}
    )
    assert (await receive_until(c, "ack"))["seq"] == 1
    got = await receive_until(v, "message")
    assert got == got | {"seq": 1, "from": "counsellor", "text": "<b>Hei</b>"}

    await v.send_json_to({"type": "typing", "active": True})
    assert (await receive_until(c, "typing"))["active"] is True
    await v.send_json_to({"type": "message", "text": "Jeg trenger hjelp", "client_id": "v1"})
    assert (await receive_until(v, "ack"))["seq"] == 2
    assert (await receive_until(c, "message"))["text"] == "Jeg trenger hjelp"

    await c.send_json_to({"type": "end", "session": started["session"]})
    ended = await receive_until(c, "ended")
    assert ended["register_url"] == f"/staff/inquiries/ny/?chat={started['session']}"
    assert (await receive_until(v, "ended"))["by"] == "counsellor"
    session = await ChatSession.objects.aget(pk=started["session"])
    assert session.status == "ended"
    await v.disconnect()
    await c.disconnect()


async def test_bad_frames_get_coded_errors_and_the_socket_lives_on() -> None:
    v = await visitor()
    await v.send_to(text_data="not json")
    assert (await v.receive_json_from())["code"] == "malformed"
    await v.send_to(text_data="[1, 2]")
    assert (await v.receive_json_from())["code"] == "malformed"
    await v.send_json_to({"type": "explode"})
    assert (await v.receive_json_from())["code"] == "unknown_type"
    await v.send_to(text_data=json.dumps({"type": "message", "text": "x" * 10000}))
    assert (await v.receive_json_from())["code"] == "frame_too_large"
    await v.send_to(bytes_data=b"\x00\x01")
    assert (await v.receive_json_from())["code"] == "binary_not_supported"
    await v.send_json_to({"type": "message", "text": "hei"})
    assert (await v.receive_json_from())["code"] == "not_started"
    await v.send_json_to({"type": "resume", "token": "nope", "last_seq": 0})
    assert (await v.receive_json_from())["code"] == "unknown_session"
    await v.send_json_to(start_frame())
    await receive_until(v, "started")
    await v.send_json_to({"type": "message", "text": "x" * 2001, "client_id": "m7"})
    refused = await receive_until(v, "error")
    # The error names the message it refuses, so a page can mark the right one.
    assert refused == refused | {"code": "message_too_long", "ref": "message", "client_id": "m7"}
    await v.send_json_to({"type": "ping"})
    assert (await receive_until(v, "pong"))["type"] == "pong"
    await v.disconnect()


async def test_a_flood_is_refused_then_closed() -> None:
    v = await visitor()
    codes = []
    for _ in range(120):
        await v.send_json_to({"type": "ping"})
    closed = False
    for _ in range(120):
        output = await v.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            closed = True
            assert output["code"] == 4429
            break
        codes.append(json.loads(output["text"]).get("code"))
    assert "rate_limited" in codes
    assert closed


async def test_resume_catches_up_on_what_was_missed(counsellor: User) -> None:
    v = await visitor()
    await v.send_json_to(start_frame())
    started = await receive_until(v, "started")
    c = await staff(counsellor)
    await c.connect()
    await c.send_json_to({"type": "take"})
    await receive_until(c, "assigned")
    await v.send_json_to({"type": "message", "text": "en", "client_id": "v1"})
    await receive_until(v, "ack")
    await v.disconnect()  # the tunnel
    await c.send_json_to({"type": "message", "session": started["session"], "text": "to"})
    await receive_until(c, "ack")
    await c.send_json_to({"type": "message", "session": started["session"], "text": "tre"})
    await receive_until(c, "ack")

    v2 = await visitor()
    await v2.send_json_to({"type": "resume", "token": started["token"], "last_seq": 1})
    assert (await receive_until(v2, "resumed"))["status"] == "active"
    first = await receive_until(v2, "message")
    second = await receive_until(v2, "message")
    assert [first["text"], second["text"]] == ["to", "tre"]
    assert [first["seq"], second["seq"]] == [2, 3]
    # A message re-sent after the drop (its ack lost) is stored once.
    await v2.send_json_to({"type": "message", "text": "en", "client_id": "v1"})
    assert (await receive_until(v2, "ack"))["seq"] == 1
    await v2.disconnect()
    await c.disconnect()


async def test_staff_socket_needs_second_factor_and_permission(
    counsellor: User, administrator: User
) -> None:
    unverified = await staff(counsellor, verified=False)
    assert await unverified.connect() == (False, 4403)
    admin = await staff(administrator)
    connected, _ = await admin.connect()
    assert not connected
    anonymous = WebsocketCommunicator(
        application, "/staff/ws/chat/", headers=[(b"origin", b"http://testserver")]
    )
    assert not (await anonymous.connect())[0]


async def test_staff_socket_refuses_a_foreign_origin(counsellor: User) -> None:
    from conftest import verified_client

    client = await sync_to_async(verified_client)(counsellor)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    ws = staff_socket(cookie, origin=b"https://evil.example")
    assert not (await ws.connect())[0]


async def test_urgent_reaches_every_manager_and_read_along_is_audited(
    counsellor: User, manager: User
) -> None:
    from hjelpelinje.audit.models import AuditEntry

    v = await visitor()
    await v.send_json_to(start_frame())
    started = await receive_until(v, "started")
    c = await staff(counsellor)
    await c.connect()
    m = await staff(manager)
    await m.connect()
    await receive_until(m, "state")
    await c.send_json_to({"type": "take"})
    await receive_until(c, "assigned")
    await c.send_json_to({"type": "urgent", "session": started["session"]})
    alert = await receive_until(m, "urgent")
    assert alert["session"] == started["session"]
    await m.send_json_to({"type": "watch", "session": started["session"]})
    await receive_until(m, "watching")
    await v.send_json_to({"type": "message", "text": "hjelp"})
    assert (await receive_until(m, "message"))["text"] == "hjelp"
    assert await AuditEntry.objects.filter(action="chat.read_along", actor_id=manager.pk).aexists()
    # Reading along is read-only.
    await m.send_json_to({"type": "typing", "session": started["session"], "active": True})
    assert (await receive_until(m, "error"))["code"] == "not_your_chat"
    await m.send_json_to({"type": "message", "session": started["session"], "text": "x"})
    assert (await receive_until(m, "error"))["code"] == "not_your_chat"
    # A counsellor cannot read along.
    await c.send_json_to({"type": "watch", "session": started["session"]})
    assert (await receive_until(c, "error"))["code"] == "forbidden"
    for ws in (v, c, m):
        await ws.disconnect()


async def test_closed_chat_says_when_it_opens(monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    from hjelpelinje.chat import selectors

    monkeypatch.setattr(
        selectors,
        "chat_hours_status",
        lambda at=None: selectors.ChatHours(
            is_open=False, closes_at=None, next_open=dt.datetime(2030, 1, 7, 8, tzinfo=dt.UTC)
        ),
    )
    v = await visitor()
    await v.send_json_to(start_frame())
    closed = await receive_until(v, "closed")
    assert closed["next_open"].startswith("2030-01-07")
    assert not await ChatSession.objects.aexists()
    await v.disconnect()


async def test_a_taken_chat_left_unanswered_goes_back_to_the_queue(counsellor: User) -> None:
    from hjelpelinje.chat.models import ChatSettings

    await ChatSettings.objects.aupdate_or_create(pk=1, defaults={"unanswered_seconds": 1})
    v = await visitor()
    await v.send_json_to(start_frame())
    started = await receive_until(v, "started")
    c = await staff(counsellor)
    await c.connect()
    await c.send_json_to({"type": "take"})
    await receive_until(c, "assigned")
    back = await receive_until(c, "unassigned")
    assert back == {"type": "unassigned", "session": started["session"], "reason": "timeout"}
    queue = await receive_until(c, "queue")
    assert [i["session"] for i in queue["items"]] == [started["session"]]
    assert (await receive_until(v, "queue"))["position"] == 1
    await v.disconnect()
    await c.disconnect()


async def test_a_chat_taken_by_a_console_that_closed_still_goes_back_to_the_queue(
    counsellor: User, other_counsellor: User
) -> None:
    from hjelpelinje.chat.models import ChatSettings

    await ChatSettings.objects.aupdate_or_create(pk=1, defaults={"unanswered_seconds": 1})
    v = await visitor()
    await v.send_json_to(start_frame())
    started = await receive_until(v, "started")
    c = await staff(counsellor)
    await c.connect()
    await c.send_json_to({"type": "take"})
    await receive_until(c, "assigned")
    await receive_until(v, "joined")
    await c.disconnect()  # the laptop lid closes before the counsellor wrote anything

    o = await staff(other_counsellor)
    await o.connect()
    queue: list[int] = []
    while not queue:  # the queue as it was, until the chat comes back into it
        queue = [i["session"] for i in (await receive_until(o, "queue"))["items"]]
    assert queue == [started["session"]]
    assert (await receive_until(v, "queue"))["position"] == 1
    await o.send_json_to({"type": "take"})
    assert (await receive_until(o, "assigned"))["chat"]["session"] == started["session"]
    await v.disconnect()
    await o.disconnect()


async def test_a_message_whose_live_frame_was_lost_still_reaches_both_sides(
    counsellor: User,
) -> None:
    """Redis away for a moment: a message is stored but its live frame never goes out.
    Within seconds both sides get it from the database, once."""
    from channels.db import database_sync_to_async

    from hjelpelinje.chat import services

    v = await visitor()
    await v.send_json_to(start_frame())
    sid = (await receive_until(v, "started"))["session"]
    c = await staff(counsellor)
    await c.connect()
    await c.send_json_to({"type": "take"})
    await receive_until(c, "assigned")
    await receive_until(v, "joined")

    # Stored, as the consumer stores it, but never published.
    await database_sync_to_async(services.chat_message_post)(
        session_id=sid, sender="counsellor", author=counsellor, text="Er du trygg nå?"
    )
    got = await receive_until(v, "message")
    assert got == got | {"seq": 1, "from": "counsellor", "text": "Er du trygg nå?"}
    assert (await receive_until(c, "message"))["text"] == "Er du trygg nå?"
    # Once: the next frames are the answers to pings, not the message again.
    await v.send_json_to({"type": "ping"})
    assert (await v.receive_json_from(timeout=5))["type"] == "pong"
    await asyncio.sleep(0.6)  # three more checks
    await v.send_json_to({"type": "ping"})
    assert (await v.receive_json_from(timeout=5))["type"] == "pong"
    await v.disconnect()
    await c.disconnect()


async def test_warm_transfer_reaches_the_colleague_with_the_note(
    counsellor: User, other_counsellor: User
) -> None:
    v = await visitor()
    await v.send_json_to(start_frame())
    started = await receive_until(v, "started")
    c = await staff(counsellor)
    await c.connect()
    o = await staff(other_counsellor)
    await o.connect()
    await receive_until(o, "state")
    await c.send_json_to({"type": "take"})
    await receive_until(c, "assigned")
    await c.send_json_to(
        {
            "type": "transfer",
            "session": started["session"],
            "to": other_counsellor.pk,
            "note": "Hun er redd",
        }
    )
    assert (await receive_until(c, "unassigned"))["reason"] == "transferred"
    assigned = await receive_until(o, "assigned")
    assert assigned["chat"]["transfer_note"] == "Hun er redd"
    await o.send_json_to(
        {"type": "message", "session": started["session"], "text": "Hei, jeg overtar"}
    )
    assert (await receive_until(v, "message"))["text"] == "Hei, jeg overtar"
    for ws in (v, c, o):
        await ws.disconnect()
