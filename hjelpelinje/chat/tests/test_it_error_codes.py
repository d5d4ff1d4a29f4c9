"""Every error code docs/chat-protocol.md lists, provoked on a real uvicorn server.

The codes are read from the document's "Error codes" table (with the parser the hostile
frames test uses), and each one has a scenario below that does what a client would do to
earn it and asserts that the server answers with exactly that code. A code added to the
document without a scenario here fails `test_every_documented_code_has_a_scenario`.

One code cannot be earned from outside: `internal_error` is the server's own trouble (its
database or Redis away), never a bad frame. It is provoked in process instead, with the
database call of a message made to fail (`test_internal_error_when_the_database_fails`).

Beside the codes, the behaviour the document promises around them, each found by a client
written from the document alone: a refused staff handshake is an HTTP 403; `unknown_type`
names the refused message's `client_id`; a message after `ended` gets `chat_ended`; `end`
on a socket without a chat answers with a code and keeps the socket; and a `resume` on a
new socket closes the old one with 4409.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.db import OperationalError, connections
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from hjelpelinje.asgi import application
from hjelpelinje.chat import pow, services
from hjelpelinje.chat.sockets.groups import CLOSE_SUPERSEDED
from hjelpelinje.chat.tests.communicator import WebsocketCommunicator
from hjelpelinje.chat.tests.proof import solve, start_frame
from hjelpelinje.chat.tests.server import World, world
from hjelpelinje.chat.tests.test_it_hostile_frames import DOCUMENTED
from hjelpelinje.chat.tests.test_it_server import REDIS_URL, doc_client, staff, until, visitor

# Codes no client can provoke from outside; each has an in-process test of its own here.
IN_PROCESS = {"internal_error"}
# Codes a real fault provokes (Redis stopped, a full disk): test_it_chat_faults.py.
FAULTS = {"unavailable", "disk_full"}


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[World, int]]:
    # Two counsellors: one to hold a chat, one to be refused it.
    with world(counsellors=2) as w:
        yield w, w.serve()


Scenario = Callable[[World, int], Awaitable[dict[str, Any]]]
SCENARIOS: dict[str, Scenario] = {}


def scenario(code: str) -> Callable[[Scenario], Scenario]:
    def register(fn: Scenario) -> Scenario:
        SCENARIOS[code] = fn
        return fn

    return register


async def send(ws: ClientConnection, frame: dict[str, Any]) -> None:
    await ws.send(json.dumps(frame))


async def error(ws: ClientConnection) -> dict[str, Any]:
    """The next error frame, past any other frame (queue updates, pongs)."""
    return await until(ws, "error")


@asynccontextmanager
async def chat(port: int) -> AsyncIterator[tuple[ClientConnection, dict[str, Any]]]:
    """A visitor with a chat in the queue; the chat is ended on the way out, so that the
    queue is empty again for the next scenario."""
    async with visitor(port) as v:
        await send(v, start_frame())
        started = await until(v, "started")
        try:
            yield v, started
        finally:
            if v.state.name == "OPEN":
                await send(v, {"type": "end"})
                await asyncio.sleep(0.1)


@asynccontextmanager
async def console(w: World, port: int, index: int = 0) -> AsyncIterator[ClientConnection]:
    async with staff(port, w.sessions[index]) as c:
        await until(c, "state")
        yield c


# The visitor socket.


@scenario("malformed")
async def _malformed(w: World, port: int) -> dict[str, Any]:
    async with visitor(port) as v:
        await v.send("hei")
        return await error(v)


@scenario("unknown_type")
async def _unknown_type(w: World, port: int) -> dict[str, Any]:
    async with visitor(port) as v:
        await send(v, {"type": "mesage", "text": "hei", "client_id": "m-1"})
        answer = await error(v)
        # Which message it was, so a client can match the refusal to what it sent.
        assert answer.get("ref") == "mesage" and answer.get("client_id") == "m-1", answer
        return answer


@scenario("frame_too_large")
async def _frame_too_large(w: World, port: int) -> dict[str, Any]:
    async with visitor(port) as v:
        await send(v, {"type": "message", "text": "x" * 9000})
        return await error(v)


@scenario("binary_not_supported")
async def _binary(w: World, port: int) -> dict[str, Any]:
    async with visitor(port) as v:
        await v.send(b"\x00\x01")
        return await error(v)


@scenario("rate_limited")
async def _rate_limited(w: World, port: int) -> dict[str, Any]:
    async with visitor(port) as v:
        for _ in range(20):  # a burst of 15 is allowed
            await send(v, {"type": "ping"})
        return await error(v)


@scenario("already_started")
async def _already_started(w: World, port: int) -> dict[str, Any]:
    async with chat(port) as (v, _started):
        await send(v, start_frame())
        return await error(v)


@scenario("not_started")
async def _not_started(w: World, port: int) -> dict[str, Any]:
    async with visitor(port) as v:
        await send(v, {"type": "message", "text": "hei", "client_id": "m-1"})
        return await error(v)


@scenario("unknown_session")
async def _unknown_session(w: World, port: int) -> dict[str, Any]:
    async with visitor(port) as v:
        await send(v, {"type": "resume", "token": "no-such-token", "last_seq": 0})
        return await error(v)


@scenario("chat_ended")
async def _chat_ended(w: World, port: int) -> dict[str, Any]:
    # The counsellor ends the chat; the visitor, who has not read `ended` yet, writes.
    async with chat(port) as (v, started), console(w, port) as c:
        await send(c, {"type": "take"})
        await until(c, "assigned")
        await send(c, {"type": "end", "session": started["session"]})
        await until(v, "ended")
        await send(v, {"type": "message", "text": "hallo?", "client_id": "m-2"})
        answer = await error(v)
        assert answer.get("client_id") == "m-2", answer
        return answer


@scenario("empty_message")
async def _empty_message(w: World, port: int) -> dict[str, Any]:
    async with chat(port) as (v, _started):
        await send(v, {"type": "message", "text": "   ", "client_id": "m-1"})
        return await error(v)


@scenario("message_too_long")
async def _message_too_long(w: World, port: int) -> dict[str, Any]:
    async with chat(port) as (v, started):
        text = "x" * (started["max_length"] + 1)
        await send(v, {"type": "message", "text": text, "client_id": "m-1"})
        return await error(v)


@scenario("pow_required")
async def _pow_required(w: World, port: int) -> dict[str, Any]:
    async with visitor(port) as v:
        await send(v, {"type": "start"})
        return await error(v)


@scenario("pow_invalid")
async def _pow_invalid(w: World, port: int) -> dict[str, Any]:
    async with visitor(port) as v:
        frame = start_frame()
        frame["pow"]["signature"] = "0" * 64
        await send(v, frame)
        return await error(v)


@scenario("pow_expired")
async def _pow_expired(w: World, port: int) -> dict[str, Any]:
    async with visitor(port) as v:
        old = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
        await send(v, {"type": "start", "pow": solve(pow.challenge_create(at=old))})
        return await error(v)


@scenario("pow_used")
async def _pow_used(w: World, port: int) -> dict[str, Any]:
    frame = start_frame()
    async with chat(port) as _first, visitor(port) as v:
        await send(v, frame)  # the solution `chat` used is a different one
        await until(v, "started")
        await send(v, {"type": "end"})
        await until(v, "ended")
        await send(v, frame)
        return await error(v)


@scenario("start_limit")
async def _start_limit(w: World, port: int) -> dict[str, Any]:
    async with visitor(port) as v:
        for _ in range(3):
            await send(v, start_frame())
            await until(v, "started")
            await send(v, {"type": "end"})
            await until(v, "ended")
        await send(v, start_frame())
        return await error(v)


# The staff socket.


@scenario("not_your_chat")
async def _not_your_chat(w: World, port: int) -> dict[str, Any]:
    async with chat(port) as (_v, started), console(w, port) as c, console(w, port, 1) as other:
        await send(c, {"type": "take"})
        await until(c, "assigned")
        sid = started["session"]
        await send(other, {"type": "message", "session": sid, "text": "hei", "client_id": "c"})
        return await error(other)


@scenario("forbidden")
async def _forbidden(w: World, port: int) -> dict[str, Any]:
    async with console(w, port) as c:  # a counsellor, not a manager
        await send(c, {"type": "live"})
        return await error(c)


@scenario("queue_empty")
async def _queue_empty(w: World, port: int) -> dict[str, Any]:
    async with console(w, port) as c:
        # Whatever an earlier scenario left waiting is taken and ended first.
        for _ in range(50):
            await send(c, {"type": "take"})
            frame = await until_any(c, {"assigned", "error"})
            if frame["type"] == "error":
                return frame
            await send(c, {"type": "end", "session": frame["chat"]["session"]})
            await until(c, "ended")
    raise AssertionError("the queue never emptied")


@scenario("limit_reached")
async def _limit_reached(w: World, port: int) -> dict[str, Any]:
    async with console(w, port) as c:
        limit = await state_limit(w, port)
        async with visitors_waiting(port, limit + 1):
            taken = []
            for _ in range(limit):
                await send(c, {"type": "take"})
                taken.append((await until(c, "assigned"))["chat"]["session"])
            await send(c, {"type": "take"})
            answer = await error(c)
            for sid in taken:
                await send(c, {"type": "end", "session": sid})
            return answer


@scenario("bad_presence")
async def _bad_presence(w: World, port: int) -> dict[str, Any]:
    async with console(w, port) as c:
        await send(c, {"type": "presence", "status": "asleep"})
        return await error(c)


@scenario("bad_colleague")
async def _bad_colleague(w: World, port: int) -> dict[str, Any]:
    async with chat(port) as (_v, started), console(w, port) as c:
        await send(c, {"type": "take"})
        await until(c, "assigned")
        # To an account that does not exist: nobody to hand the chat to.
        await send(c, {"type": "transfer", "session": started["session"], "to": 2**31, "note": ""})
        answer = await error(c)
        await send(c, {"type": "end", "session": started["session"]})
        return answer


async def until_any(ws: ClientConnection, kinds: set[str], timeout: float = 10) -> dict[str, Any]:
    async with asyncio.timeout(timeout):
        while True:
            frame: dict[str, Any] = json.loads(await ws.recv())
            if frame["type"] in kinds:
                return frame


async def state_of(w: World, port: int) -> dict[str, Any]:
    """The `state` a console of the first counsellor gets."""
    async with staff(port, w.sessions[0]) as c:
        return await until(c, "state")


async def state_limit(w: World, port: int) -> int:
    return int((await state_of(w, port))["limit"])


@asynccontextmanager
async def visitors_waiting(port: int, count: int) -> AsyncIterator[None]:
    async with AsyncExitStack() as stack:
        for _ in range(count):
            await stack.enter_async_context(chat(port))
        yield


def test_every_documented_code_has_a_scenario() -> None:
    # A code the document lists that no scenario provokes is a promise nobody checks.
    assert DOCUMENTED.codes == set(SCENARIOS) | IN_PROCESS | FAULTS


@pytest.mark.parametrize("code", sorted(DOCUMENTED.codes - IN_PROCESS - FAULTS))
async def test_the_server_sends_each_documented_code(server: tuple[World, int], code: str) -> None:
    w, port = server
    answer = await SCENARIOS[code](w, port)
    assert answer["type"] == "error" and answer["code"] == code, answer


# The in-process one: the server's own trouble, which no frame can cause.


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("chat_open")
async def test_internal_error_when_the_database_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "internal_error" in DOCUMENTED.codes
    ws = WebsocketCommunicator(application, "/ws/chat/visitor/")
    assert (await ws.connect())[0]
    await ws.send_json_to(start_frame())
    while (await ws.receive_json_from())["type"] != "started":
        pass

    def away(**kwargs: Any) -> Any:
        raise OperationalError("the database went away")

    monkeypatch.setattr(services, "chat_message_post", away)
    await ws.send_json_to({"type": "message", "text": "hei", "client_id": "m-1"})
    answer = await ws.receive_json_from()
    while answer["type"] != "error":
        answer = await ws.receive_json_from()
    assert answer == {
        "type": "error",
        "code": "internal_error",
        "ref": "message",
        "client_id": "m-1",
    }
    # The socket goes on.
    await ws.send_json_to({"type": "ping"})
    while (await ws.receive_json_from())["type"] != "pong":
        pass
    await ws.disconnect()
    await sync_to_async(connections.close_all)()


# What the document promises around the codes.


async def test_a_refused_staff_handshake_is_an_http_403(server: tuple[World, int]) -> None:
    # Not a close code: no WebSocket is opened, so there is no frame and no 4403.
    w, port = server
    url = f"ws://127.0.0.1:{port}/staff/ws/chat/"
    cookie = {"Cookie": f"sessionid={w.sessions[0]}"}
    for refused_socket in [
        connect(url, origin=f"http://127.0.0.1:{port}"),  # type: ignore[arg-type]  # no cookie
        connect(url, origin="https://evil.example", additional_headers=cookie),  # type: ignore[arg-type]
    ]:
        with pytest.raises(InvalidStatus) as refused:
            async with refused_socket:
                pass
        assert refused.value.response.status_code == 403


async def test_end_without_a_chat_answers_and_keeps_the_socket(
    server: tuple[World, int],
) -> None:
    _w, port = server
    async with visitor(port) as v:
        await send(v, {"type": "end"})
        assert await error(v) == {"type": "error", "code": "not_started", "ref": "end"}
        await send(v, {"type": "ping"})
        await until(v, "pong")
        # And after a chat ended on it: chat_ended, the socket still open.
        await send(v, start_frame())
        await until(v, "started")
        await send(v, {"type": "end"})
        await until(v, "ended")
        await send(v, {"type": "end"})
        assert (await error(v))["code"] == "chat_ended"
        await send(v, {"type": "typing", "active": True})
        assert (await error(v))["code"] == "chat_ended"
        await send(v, {"type": "ping"})
        await until(v, "pong")


async def test_a_resume_on_a_new_socket_closes_the_old_one(server: tuple[World, int]) -> None:
    w, port = server
    await old_socket_superseded(w, port, port)


@pytest.mark.redis
async def test_a_resume_on_another_process_closes_the_old_socket() -> None:
    # The old socket on one server process, the new one (and the console) on another.
    with world(redis_url=REDIS_URL) as w:
        await old_socket_superseded(w, w.serve(), w.serve())


async def old_socket_superseded(w: World, port: int, new_port: int) -> None:
    async with chat(port) as (old, started), console(w, new_port) as c:
        sid = started["session"]
        await send(c, {"type": "take"})
        await until(c, "assigned")
        await until(old, "joined")
        # The page came back on a new socket before the server noticed the old one die.
        async with visitor(new_port) as new:
            await send(new, {"type": "resume", "token": started["token"], "last_seq": 0})
            await until(new, "resumed")
            # The old socket is closed with "superseded", having heard nothing more.
            heard = []
            with pytest.raises(ConnectionClosed):
                async with asyncio.timeout(5):
                    while True:
                        heard.append(json.loads(await old.recv())["type"])
            assert old.close_code == CLOSE_SUPERSEDED
            await send(c, {"type": "message", "session": sid, "text": "Hei", "client_id": "c1"})
            assert (await until(new, "message"))["text"] == "Hei"
            assert "message" not in heard
            # Its close is not the visitor leaving: the console hears nothing of it.
            await send(c, {"type": "ping"})
            while (frame := json.loads(await c.recv()))["type"] != "pong":
                assert frame != {"type": "visitor", "session": sid, "connected": False}
            await send(new, {"type": "end"})
            await until(new, "ended")


async def test_the_example_client_lets_a_superseded_chat_go(server: tuple[World, int]) -> None:
    # docs/examples/chat_client.py, written from the document: on 4409 it stops, and does
    # not resume (which would take the chat back, and each socket close the other).
    _w, port = server
    module = doc_client()
    client = module.VisitorClient(f"ws://127.0.0.1:{port}/ws/chat/visitor/")
    await client.start()
    async with visitor(port) as other:
        await send(other, {"type": "resume", "token": client._token, "last_seq": 0})
        await until(other, "resumed")
        with pytest.raises(module.ChatSupersededError):
            await client.wait_joined(timeout=10)
        await asyncio.sleep(1)  # long enough for a first reconnect, were it to try
        assert client.reconnects == 0
        await send(other, {"type": "ping"})
        await until(other, "pong")
        await send(other, {"type": "end"})
        await until(other, "ended")
    await client.end()
