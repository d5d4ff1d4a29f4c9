"""The queue under a flood: a script opening hundreds of sockets that start chats.

Each start must carry a solved proof of work, the queue has a cap, a socket and a client
may start only a few chats, and a real visitor arriving after the flood gets a true place
and is served. Nothing about a client is kept but a keyed hash, in the cache, for minutes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from asgiref.testing import ApplicationCommunicator
from django.core.cache import cache
from django.db import connections
from django.test import Client
from django.utils import timezone

from hjelpelinje.accounts.models import User
from hjelpelinje.asgi import application
from hjelpelinje.audit.models import AuditEntry
from hjelpelinje.chat import pow, selectors, services
from hjelpelinje.chat.models import ChatSession, ChatSettings, ClosedVisitDay
from hjelpelinje.chat.selectors import ChatHours
from hjelpelinje.chat.sockets import limits
from hjelpelinje.chat.tests.communicator import WebsocketCommunicator
from hjelpelinje.chat.tests.proof import solve, start_frame
from hjelpelinje.chat.tests.test_it_consumers import receive_until, staff
from hjelpelinje.hours.models import WeeklyHours
from hjelpelinje.reporting.blocks.chat import chat_block

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("chat_open")]

SCRIPT = "203.0.113.7"  # documentation addresses (RFC 5737)
REAL = "198.51.100.23"


@pytest.fixture(autouse=True)
async def _close_connections_of_the_async_orm() -> AsyncIterator[None]:
    yield
    await sync_to_async(connections.close_all)()


class Visitor(WebsocketCommunicator):
    """A visitor's socket seen from `address`, as the ASGI server reports the client."""

    def __init__(self, address: str | None = None) -> None:
        scope: dict[str, Any] = {
            "type": "websocket",
            "path": "/ws/chat/visitor/",
            "query_string": b"",
            "headers": [],
            "subprotocols": [],
        }
        if address:
            scope["client"] = [address, 40000]
        ApplicationCommunicator.__init__(self, application, scope)


async def connected(address: str | None = None) -> Visitor:
    ws = Visitor(address)
    assert (await ws.connect())[0]
    return ws


async def solved(ws: Visitor) -> dict[str, Any]:
    """Ask the socket for a challenge and solve it, as the page does."""
    await ws.send_json_to({"type": "challenge"})
    challenge = await receive_until(ws, "challenge")
    assert challenge["algorithm"] == "SHA-256" and challenge["signature"]
    return solve(challenge)


async def start(ws: Visitor, pow_: object = None, solve_first: bool = True) -> dict[str, Any]:
    """Send `start` and return the answer: started, busy or error."""
    frame: dict[str, Any] = {"type": "start"}
    if pow_ is not None:
        frame["pow"] = pow_
    elif solve_first:
        frame["pow"] = await solved(ws)
    await ws.send_json_to(frame)
    while True:
        answer: dict[str, Any] = await ws.receive_json_from(timeout=30)
        if answer["type"] in ("started", "busy", "error"):
            return answer


async def queued() -> int:
    return await ChatSession.objects.filter(status="queued").acount()


async def set_cap(cap: int) -> None:
    await sync_to_async(ChatSettings.current)()
    await ChatSettings.objects.filter(pk=1).aupdate(max_queue=cap)


async def test_without_solutions_a_flood_queues_nothing_and_counts_nothing() -> None:
    sockets = [await connected(SCRIPT) for _ in range(200)]
    forged = {
        "algorithm": "SHA-256",
        "challenge": "0" * 64,
        "number": 1,
        "salt": "00?expires=9999999999&",
        "signature": "0" * 64,
    }
    codes = []
    for i, ws in enumerate(sockets):
        answer = await start(ws, pow_=forged if i % 2 else None, solve_first=False)
        codes.append(answer.get("code"))
    assert set(codes) == {"pow_required", "pow_invalid"}
    assert await ChatSession.objects.acount() == 0
    # The statistics count chat starts: none of these is one.
    block = await sync_to_async(chat_block)(timezone.localdate().year)
    assert block["sessions"] == 0
    for ws in sockets:
        await ws.disconnect()


async def test_with_solutions_a_flood_fills_at_most_the_cap_and_its_ghosts_go(
    counsellor: User, settings: Any
) -> None:
    """No client address (a proxy that does not pass it): only the cap holds the flood."""
    settings.HJELPELINJE_PHONE_NUMBER = "800 12 345"
    await set_cap(5)
    sockets = [await connected() for _ in range(200)]
    answers = [(await start(ws))["type"] for ws in sockets]
    assert answers.count("started") == 5
    assert answers.count("busy") == 195
    assert await queued() == 5

    # A real visitor now is told the truth: no place, call instead.
    real = await connected()
    busy = await start(real)
    assert busy["type"] == "busy" and busy["phone"] == "800 12 345"

    # The script goes away; its chats are ghosts, and are gone within QUEUED_GONE_AFTER.
    for ws in sockets:
        await ws.disconnect()
    now = timezone.now()
    sweep = sync_to_async(services.chat_sweep)
    assert await sweep(at=now + services.QUEUED_GONE_AFTER - dt.timedelta(seconds=5)) == []
    assert len(await sweep(at=now + services.QUEUED_GONE_AFTER + dt.timedelta(seconds=1))) == 5
    assert await queued() == 0

    # The same real visitor (same socket) now gets a true place and is served.
    started = await start(real)
    assert started["type"] == "started"
    assert (await receive_until(real, "queue"))["position"] == 1
    c = await staff(counsellor)
    assert (await c.connect())[0]
    await c.send_json_to({"type": "take"})
    assert (await receive_until(c, "assigned"))["chat"]["session"] == started["session"]
    assert (await receive_until(real, "joined"))["type"] == "joined"
    await real.disconnect()
    await c.disconnect()


async def test_one_client_gets_three_places_and_a_real_visitor_a_true_one(
    counsellor: User,
) -> None:
    sockets = [await connected(SCRIPT) for _ in range(200)]
    answers = [(await start(ws))["type"] for ws in sockets]
    assert answers.count("started") == limits.STARTS_PER_CLIENT == 3
    assert await queued() == 3

    real = await connected(REAL)
    started = await start(real)
    assert started["type"] == "started"
    assert (await receive_until(real, "queue"))["position"] == 4

    # The counsellor works through the queue; the real visitor moves up and is served.
    c = await staff(counsellor)
    assert (await c.connect())[0]
    for _ in range(3):
        await c.send_json_to({"type": "take"})
        taken = (await receive_until(c, "assigned"))["chat"]["session"]
        assert taken != started["session"]
        await c.send_json_to({"type": "end", "session": taken})
        await receive_until(c, "ended")
    positions = []
    await c.send_json_to({"type": "take"})
    assert (await receive_until(c, "assigned"))["chat"]["session"] == started["session"]
    while True:
        frame = await real.receive_json_from(timeout=30)
        if frame["type"] == "joined":
            break
        if frame["type"] == "queue":
            positions.append(frame["position"])
    assert positions == sorted(positions, reverse=True) and all(p < 4 for p in positions)

    # Neither the address nor anything else about the client is stored, even in the cache.
    cached = repr(list(cache._cache.keys()))  # type: ignore[attr-defined]
    assert SCRIPT not in cached and REAL not in cached
    for ws in [*sockets, real]:
        await ws.disconnect()
    await c.disconnect()


async def test_a_solution_is_accepted_once() -> None:
    first = await connected()
    answer = await solved(first)
    assert (await start(first, pow_=answer))["type"] == "started"
    await first.send_json_to({"type": "end"})
    await receive_until(first, "ended")
    # The same socket, and another one, replaying it: refused.
    assert (await start(first, pow_=answer))["code"] == "pow_used"
    other = await connected()
    assert (await start(other, pow_=answer))["code"] == "pow_used"
    assert await ChatSession.objects.acount() == 1
    await first.disconnect()
    await other.disconnect()


async def test_an_expired_or_altered_challenge_is_refused() -> None:
    ws = await connected()
    old = solve(pow.challenge_create(at=timezone.now() - dt.timedelta(minutes=11)))
    assert (await start(ws, pow_=old))["code"] == "pow_expired"
    # Moving the expiry forward breaks the hash the signature covers.
    fresh = solve(pow.challenge_create())
    later = fresh | {"salt": fresh["salt"].replace("expires=", "expires=9")}
    assert (await start(ws, pow_=later))["code"] == "pow_invalid"
    wrong_number = fresh | {"number": fresh["number"] + 1}
    assert (await start(ws, pow_=wrong_number))["code"] == "pow_invalid"
    # A challenge signed with another key (another installation, or made up).
    other = solve(pow.challenge_create()) | {"signature": "ab" * 32}
    assert (await start(ws, pow_=other))["code"] == "pow_invalid"
    for bad in ["x", 1, [], {"number": True}, fresh | {"number": str(fresh["number"])}]:
        assert (await start(ws, pow_=bad))["code"] == "pow_invalid"
    assert await ChatSession.objects.acount() == 0
    assert (await start(ws, pow_=fresh))["type"] == "started"
    await ws.disconnect()


async def test_busy_gives_the_phone_number_and_its_hours(settings: Any) -> None:
    settings.HJELPELINJE_PHONE_NUMBER = "800 12 345"
    await WeeklyHours.objects.filter(channel="phone", weekday=0).adelete()
    await WeeklyHours.objects.acreate(
        channel="phone", weekday=0, opens=dt.time(9), closes=dt.time(15)
    )
    await set_cap(1)
    first = await connected()
    assert (await start(first))["type"] == "started"
    second = await connected()
    busy = await start(second)
    assert busy["type"] == "busy"
    assert busy["phone"] == "800 12 345"
    assert {"days": "mandag", "hours": "09:00–15:00"} in busy["hours"]
    assert await queued() == 1
    await first.disconnect()
    await second.disconnect()


async def test_one_socket_starts_at_most_three_chats() -> None:
    ws = await connected()
    for _ in range(limits.STARTS_PER_SOCKET):
        assert (await start(ws))["type"] == "started"
        await ws.send_json_to({"type": "end"})
        await receive_until(ws, "ended")
    refused = await start(ws)
    assert refused["code"] == "start_limit"
    assert await ChatSession.objects.acount() == limits.STARTS_PER_SOCKET
    # The socket itself goes on.
    await ws.send_json_to({"type": "ping"})
    assert (await receive_until(ws, "pong"))["type"] == "pong"
    await ws.disconnect()


async def test_the_start_frame_helper_solves_what_the_server_checks() -> None:
    ws = await connected()
    await ws.send_json_to(start_frame())
    assert (await receive_until(ws, "started"))["token"]
    await ws.disconnect()


def test_reloading_the_closed_page_is_not_counted_over_and_over(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Closed, over the module's chat_open.
    closed = ChatHours(is_open=False, closes_at=None, next_open=None)
    monkeypatch.setattr(selectors, "chat_hours_status", lambda at=None: closed)
    client = Client()
    for _ in range(50):
        client.get("/chat/", REMOTE_ADDR=SCRIPT)
    assert ClosedVisitDay.objects.get().count == 1
    # Many addresses (or none known) together: at most the cap a minute.
    for i in range(100):
        client.get("/chat/", REMOTE_ADDR=f"192.0.2.{i + 1}")
    assert ClosedVisitDay.objects.get().count == limits.CLOSED_VISITS_PER_MINUTE


def test_a_manager_sets_the_queue_cap_on_the_settings_page(
    client_for: Callable[[User], Client], manager: User
) -> None:
    client = client_for(manager)
    page = client.get("/staff/chat/settings/").content.decode()
    assert 'name="s-max_queue"' in page and 'value="30"' in page
    fields = {
        "save_settings": "1",
        "s-max_chats_per_counsellor": 3,
        "s-unanswered_seconds": 120,
        "s-retention_days": 0,
    }
    refused = client.post("/staff/chat/settings/", fields | {"s-max_queue": 0})
    assert refused.status_code == 200 and ChatSettings.current().max_queue == 30
    assert client.post("/staff/chat/settings/", fields | {"s-max_queue": 12}).status_code == 302
    assert ChatSettings.current().max_queue == 12
    entry = AuditEntry.objects.filter(action="chat.settings").latest("pk")
    assert "max_queue" in entry.fields
