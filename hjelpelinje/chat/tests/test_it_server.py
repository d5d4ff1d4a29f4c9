"""The chat on real uvicorn processes, spoken to with the `websockets` client."""

from __future__ import annotations

import asyncio
import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from websockets.asyncio.client import ClientConnection, connect

from hjelpelinje.chat.tests.proof import start_frame
from hjelpelinje.chat.tests.server import World, world
from hjelpelinje.core.tests.private_services import own_redis

REDIS_URL = "redis://127.0.0.1:6379/5"


async def until(ws: ClientConnection, kind: str, timeout: float = 10) -> dict[str, Any]:
    async with asyncio.timeout(timeout):
        while True:
            frame = json.loads(await ws.recv())
            if frame["type"] == kind:
                return frame  # type: ignore[no-any-return]


async def say(ws: ClientConnection, text: str, cid: str, session: int | None = None) -> int:
    frame: dict[str, Any] = {"type": "message", "text": text, "client_id": cid}
    if session is not None:
        frame["session"] = session
    await ws.send(json.dumps(frame))
    async with asyncio.timeout(10):
        while True:
            got = json.loads(await ws.recv())
            if got["type"] == "ack" and got["client_id"] == cid:
                return int(got["seq"])


def staff(port: int, session_key: str) -> Any:
    return connect(
        f"ws://127.0.0.1:{port}/staff/ws/chat/",
        origin=f"http://127.0.0.1:{port}",  # type: ignore[arg-type]
        additional_headers={"Cookie": f"sessionid={session_key}"},
    )


def visitor(port: int) -> Any:
    # No cookie, no origin: a client written from docs/chat-protocol.md alone.
    return connect(f"ws://127.0.0.1:{port}/ws/chat/visitor/")


@pytest.fixture(scope="module")
def single() -> Iterator[tuple[World, int]]:
    with world() as w:
        yield w, w.serve()


async def test_a_dropped_connection_loses_nothing_in_either_direction(
    single: tuple[World, int],
) -> None:
    w, port = single
    async with visitor(port) as v, staff(port, w.sessions[0]) as c:
        await until(c, "state")
        await v.send(json.dumps(start_frame()))
        started = await until(v, "started")
        sid = started["session"]
        await c.send(json.dumps({"type": "take"}))
        await until(c, "assigned")
        await until(v, "joined")
        await say(c, "Hei, jeg er her", "c0", sid)
        seen = (await until(v, "message"))["seq"]
        # The tunnel: the visitor's message goes out and the line dies before any answer.
        await v.send(json.dumps({"type": "message", "text": "er du der?", "client_id": "m1"}))
        v.transport.abort()
        await say(c, "Ja", "c1", sid)
        await say(c, "Jeg venter på deg", "c2", sid)

    async with visitor(port) as v2, staff(port, w.sessions[0]) as c2:
        await until(c2, "state")
        await v2.send(json.dumps({"type": "resume", "token": started["token"], "last_seq": seen}))
        assert (await until(v2, "resumed"))["status"] == "active"
        # The visitor's page re-sends what it never saw acknowledged.
        await v2.send(json.dumps({"type": "message", "text": "er du der?", "client_id": "m1"}))
        got: list[str] = []
        while True:
            frame = json.loads(await asyncio.wait_for(v2.recv(), 10))
            if frame["type"] == "message" and frame["from"] == "counsellor":
                got.append(frame["text"])
            if frame["type"] == "ack":
                break
        assert "Ja" in got and "Jeg venter på deg" in got
        await c2.send(json.dumps({"type": "sync", "session": sid, "last_seq": 0}))
        texts = []
        for _ in range(4):
            texts.append((await until(c2, "message"))["text"])
        assert texts.count("er du der?") == 1
        assert sorted(texts) == sorted(["Hei, jeg er her", "er du der?", "Ja", "Jeg venter på deg"])


async def test_garbage_does_not_take_the_server_down(single: tuple[World, int]) -> None:
    _w, port = single
    async with visitor(port) as v:
        await v.send("{" * 5000)
        assert json.loads(await v.recv())["code"] == "malformed"
        await v.send(b"\xff" * 100)
        assert json.loads(await v.recv())["code"] == "binary_not_supported"
    async with visitor(port) as v:
        await v.send(json.dumps({"type": "ping"}))
        assert json.loads(await v.recv())["type"] == "pong"


async def test_staff_socket_without_a_session_is_refused(single: tuple[World, int]) -> None:
    _w, port = single
    with pytest.raises(Exception):  # noqa: B017 - any handshake refusal will do
        async with staff(port, "not-a-session") as c:
            await c.recv()


@pytest.mark.redis
async def test_visitor_and_counsellor_on_two_processes_through_redis() -> None:
    redis.Redis.from_url(REDIS_URL).flushdb()
    with world(redis_url=REDIS_URL) as w:
        port_a, port_b = w.serve(), w.serve()
        async with visitor(port_a) as v, staff(port_b, w.sessions[0]) as c:
            await until(c, "state")
            await v.send(json.dumps(start_frame()))
            sid = (await until(v, "started"))["session"]
            assert (await until(v, "queue"))["position"] == 1
            assert [i["session"] for i in (await until(c, "queue"))["items"]] == [sid]
            await c.send(json.dumps({"type": "take"}))
            await until(c, "assigned")
            await until(v, "joined")
            await c.send(json.dumps({"type": "message", "session": sid, "text": "Hei fra B"}))
            assert (await until(v, "message"))["text"] == "Hei fra B"
            await v.send(json.dumps({"type": "typing", "active": True}))
            assert (await until(c, "typing"))["active"] is True
            await v.send(json.dumps({"type": "message", "text": "Hei fra A"}))
            # The console's echo of its own message may come after the typing frame.
            assert await from_visitor(c) == "Hei fra A"
            await v.send(json.dumps({"type": "end"}))
            assert (await until(c, "ended"))["by"] == "visitor"


@pytest.mark.redis
async def test_the_chat_carries_on_after_redis_restarts() -> None:
    with own_redis() as server, world(redis_url=server.url) as w:
        port_a, port_b = w.serve(), w.serve()
        async with visitor(port_a) as v, staff(port_b, w.sessions[0]) as c:
            await until(c, "state")
            await v.send(json.dumps(start_frame()))
            sid = (await until(v, "started"))["session"]
            await c.send(json.dumps({"type": "take"}))
            await until(c, "assigned")
            await until(v, "joined")
            await say(c, "Før", "c1", sid)
            assert (await until(v, "message"))["text"] == "Før"

            server.stop()
            await asyncio.sleep(1)
            server.start()
            # The layer reconnects and subscribes again by itself, in both processes.
            for attempt in range(20):
                await say(c, f"Etter {attempt}", f"c-after-{attempt}", sid)
                try:
                    got = await until(v, "message", timeout=1)
                except TimeoutError:
                    continue
                assert got["text"].startswith("Etter")
                break
            else:
                raise AssertionError("no message got through after Redis came back")
            await v.send(json.dumps({"type": "message", "text": "Jeg er her"}))
            assert await from_visitor(c) == "Jeg er her"


def doc_client() -> Any:
    """docs/examples/chat_client.py: a visitor client written from docs/chat-protocol.md
    alone, by someone who never read the server's code."""
    path = Path(__file__).resolve().parents[3] / "docs" / "examples" / "chat_client.py"
    spec = importlib.util.spec_from_file_location("doc_chat_client", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def from_visitor(ws: ClientConnection) -> str:
    while True:
        frame = await until(ws, "message")
        if frame["from"] == "visitor":
            return str(frame["text"])


async def test_a_client_written_from_the_protocol_doc_holds_a_chat(
    single: tuple[World, int],
) -> None:
    w, port = single
    client = doc_client().VisitorClient(f"ws://127.0.0.1:{port}/ws/chat/visitor/")
    async with staff(port, w.sessions[0]) as c:
        await until(c, "state")
        sid = await client.start(age_group="0-18")
        await c.send(json.dumps({"type": "take"}))
        assert (await until(c, "assigned"))["chat"]["session"] == sid
        assert await client.wait_joined() == "Kari0"
        await say(c, "Hei, du snakker med Kari", "c1", sid)
        assert (await client.wait_message())["text"] == "Hei, du snakker med Kari"
        seq = await client.send("Jeg skal giftes bort i sommer")
        assert await from_visitor(c) == "Jeg skal giftes bort i sommer"

        # The line drops; the counsellor writes meanwhile; the client comes back by itself.
        await client.drop()
        await say(c, "Er du der?", "c2", sid)
        assert (await client.wait_message())["text"] == "Er du der?"
        assert await client.send("Ja, nå er jeg her igjen") == seq + 2
        assert await from_visitor(c) == "Ja, nå er jeg her igjen"

        await client.end()
        assert (await until(c, "ended"))["by"] == "visitor"
    assert [m["text"] for m in client.received] == ["Hei, du snakker med Kari", "Er du der?"]
