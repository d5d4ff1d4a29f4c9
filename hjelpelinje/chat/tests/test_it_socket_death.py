"""Whatever way a visitor's socket dies, the chat is cleaned up.

An exception that escapes a handler, a send that fails, the server cancelling the
socket, a close the database could not record, a TCP reset, a server process killed: in
each case the console of the chat hears `{"type": "visitor", "connected": false}` and the
sweep ends the chat on time (docs/chat-protocol.md, "When a socket dies"). The timings
are cut to about a second here (`quick`, and `quick_app` for real servers).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import signal
import socket
import struct
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.db import connections
from django.urls import reverse
from websockets.asyncio.client import connect

from hjelpelinje.accounts.models import User
from hjelpelinje.asgi import application
from hjelpelinje.chat import services
from hjelpelinje.chat.models import ChatSession
from hjelpelinje.chat.sockets import tidy
from hjelpelinje.chat.sockets.visitor import VisitorConsumer
from hjelpelinje.chat.tests import test_it_server as real
from hjelpelinje.chat.tests.communicator import WebsocketCommunicator
from hjelpelinje.chat.tests.proof import start_frame
from hjelpelinje.chat.tests.server import world
from hjelpelinje.chat.tests.test_it_consumers import receive_until, staff

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("chat_open", "quick"),
]

GONE_AFTER = 1.0  # seconds: a visitor gone this long has left (3 and 15 minutes for real)
QUICK_APP = "hjelpelinje.chat.tests.quick_app:application"


@pytest.fixture(autouse=True)
async def _close_connections_of_the_async_orm() -> AsyncIterator[None]:
    yield
    await sync_to_async(connections.close_all)()


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    # The first URL reversal in a process loads every view (a second or two); the tidy-up
    # reverses one for the `ended` it sends. Load them now, not while the clock runs.
    reverse("inquiries:create")
    monkeypatch.setattr(tidy, "TIDY_EVERY", 0.1)
    monkeypatch.setattr(tidy, "VISITOR_SEEN_EVERY", 0.2)
    monkeypatch.setattr(services, "VISITOR_UNSEEN_AFTER", dt.timedelta(seconds=GONE_AFTER))
    monkeypatch.setattr(services, "VISITOR_REVIVE_AFTER", dt.timedelta(seconds=0.3))
    monkeypatch.setattr(services, "QUEUED_GONE_AFTER", dt.timedelta(seconds=GONE_AFTER))
    monkeypatch.setattr(services, "ACTIVE_GONE_AFTER", dt.timedelta(seconds=GONE_AFTER))


async def chat_in_progress(
    counsellor: User, app: Any = application
) -> tuple[WebsocketCommunicator, WebsocketCommunicator, int]:
    """A visitor's socket on a chat a counsellor has taken: (visitor, console, chat id)."""
    session, token = await sync_to_async(services.chat_session_start)()
    v = WebsocketCommunicator(app, "/ws/chat/visitor/")
    assert (await v.connect())[0]
    await v.send_json_to({"type": "resume", "token": token, "last_seq": 0})
    await receive_until(v, "resumed")
    c = await staff(counsellor)
    assert (await c.connect())[0]
    await receive_until(c, "state")
    await c.send_json_to({"type": "take"})
    assert (await receive_until(c, "assigned"))["chat"]["session"] == session.pk
    await receive_until(v, "joined")
    return v, c, session.pk


async def console_hears_the_visitor_leave_and_the_chat_end(
    c: WebsocketCommunicator, session_id: int
) -> None:
    heard = await receive_until(c, "visitor")
    assert heard == {"type": "visitor", "session": session_id, "connected": False}
    gone_at = time.monotonic()
    ended = await receive_until(c, "ended")
    assert ended["session"] == session_id and ended["by"] == "system"
    # On time: the set time after the visitor left, and a few tidy-up rounds.
    assert time.monotonic() - gone_at < GONE_AFTER + 2
    session = await ChatSession.objects.aget(pk=session_id)
    assert session.status == ChatSession.Status.ENDED


async def test_an_exception_escaping_a_handler(
    counsellor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    v, c, session_id = await chat_in_progress(counsellor)

    async def broken(self: VisitorConsumer, event: dict[str, Any]) -> None:
        raise RuntimeError("a bug in a channel-layer handler")

    monkeypatch.setattr(VisitorConsumer, "relay", broken)
    await c.send_json_to({"type": "message", "session": session_id, "text": "Hei"})
    # The visitor's page is told the line is gone (and reconnects).
    assert (await v.receive_output(timeout=5)) == {"type": "websocket.close", "code": 1011}
    await console_hears_the_visitor_leave_and_the_chat_end(c, session_id)
    await c.disconnect()


async def test_a_send_that_fails(counsellor: User) -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        async def failing_send(message: dict[str, Any]) -> None:
            if message["type"] == "websocket.send" and "Hei" in message.get("text", ""):
                raise RuntimeError("the server cannot send any more")
            await send(message)

        await application(scope, receive, failing_send)

    v, c, session_id = await chat_in_progress(counsellor, app)
    await c.send_json_to({"type": "message", "session": session_id, "text": "Hei"})
    await console_hears_the_visitor_leave_and_the_chat_end(c, session_id)
    await c.disconnect()
    await v.wait(timeout=5)


async def test_the_server_cancelling_the_socket(counsellor: User) -> None:
    v, c, session_id = await chat_in_progress(counsellor)
    v.future.cancel()  # what a server does to an application it gives up on
    await console_hears_the_visitor_leave_and_the_chat_end(c, session_id)
    await c.disconnect()


async def test_a_close_the_database_could_not_record(
    counsellor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    v, c, session_id = await chat_in_progress(counsellor)
    presence = services.chat_visitor_presence

    def database_away_at_the_close(*, session_id: int, socket: str, connected: bool) -> bool:
        if not connected:
            raise ConnectionError("the database is away")
        return presence(session_id=session_id, socket=socket, connected=connected)

    monkeypatch.setattr(services, "chat_visitor_presence", database_away_at_the_close)
    await v.disconnect()
    # Nobody vouches for the socket any more: the tidy-up takes the visitor for gone.
    await console_hears_the_visitor_leave_and_the_chat_end(c, session_id)
    await c.disconnect()


async def test_a_visitor_taken_for_gone_while_connected_comes_back(
    counsellor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # This process cannot vouch for its sockets for a while (its database connection is
    # away): its visitors are taken for gone. They are not: when vouching works again,
    # they are back before the sweep could end their chats.
    monkeypatch.setattr(services, "ACTIVE_GONE_AFTER", dt.timedelta(seconds=5))
    v, c, session_id = await chat_in_progress(counsellor)
    seen = services.chat_visitors_seen
    away = True

    def vouching(*, chats: list[tuple[int, str]], at: dt.datetime | None = None) -> list[int]:
        if away:
            raise ConnectionError("the database is away")
        return seen(chats=chats, at=at)

    monkeypatch.setattr(services, "chat_visitors_seen", vouching)
    gone = await receive_until(c, "visitor")
    assert gone == {"type": "visitor", "session": session_id, "connected": False}
    away = False
    back = await receive_until(c, "visitor")
    assert back == {"type": "visitor", "session": session_id, "connected": True}
    await asyncio.sleep(GONE_AFTER)
    session = await ChatSession.objects.aget(pk=session_id)
    assert session.status == ChatSession.Status.ACTIVE and session.visitor_left_at is None
    # And the line works.
    await v.send_json_to({"type": "message", "text": "Er du der?", "client_id": "v1"})
    assert (await receive_until(c, "message"))["text"] == "Er du der?"
    await v.disconnect()
    await c.disconnect()


# On real uvicorn processes (timings cut short by quick_app).


async def started_and_taken(v: Any, c: Any) -> int:
    await real.until(c, "state")
    await v.send(json.dumps(start_frame()))
    session_id = int((await real.until(v, "started"))["session"])
    await c.send(json.dumps({"type": "take"}))
    assert (await real.until(c, "assigned"))["chat"]["session"] == session_id
    return session_id


async def real_console_hears_the_visitor_leave_and_the_chat_end(c: Any, session_id: int) -> None:
    heard = await real.until(c, "visitor", timeout=15)
    assert heard == {"type": "visitor", "session": session_id, "connected": False}
    gone_at = time.monotonic()
    ended = await real.until(c, "ended", timeout=15)
    assert ended["session"] == session_id and ended["by"] == "system"
    assert time.monotonic() - gone_at < 2 + 3  # quick_app: 2 s, and tidy-up rounds


async def test_a_tcp_reset_on_a_real_server() -> None:
    with world() as w:
        port = w.serve(QUICK_APP)
        async with real.staff(port, w.sessions[0]) as c:
            v = await connect(f"ws://127.0.0.1:{port}/ws/chat/visitor/")
            session_id = await started_and_taken(v, c)
            # Close with SO_LINGER 0: the kernel sends RST, not FIN; no close frame.
            raw = v.transport.get_extra_info("socket")
            raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            v.transport.abort()
            await real_console_hears_the_visitor_leave_and_the_chat_end(c, session_id)


async def test_a_server_process_killed_with_its_visitors() -> None:
    # Two processes on one database; the visitor's dies without a word (SIGKILL). The
    # console on the other hears the visitor leave once nobody vouches for the socket.
    with world() as w:
        port_a, port_b = w.serve(QUICK_APP), w.serve(QUICK_APP)
        v = await connect(f"ws://127.0.0.1:{port_a}/ws/chat/visitor/")
        async with real.staff(port_b, w.sessions[0]) as c:
            session_id = await started_and_taken(v, c)
            os.kill(w.pid(0), signal.SIGKILL)
            await real_console_hears_the_visitor_leave_and_the_chat_end(c, session_id)
        v.transport.abort()
