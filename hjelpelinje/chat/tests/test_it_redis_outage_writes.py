"""A visitor starts or ends a chat while Redis is away.

The database has the chat; only live delivery is missing. So the visitor is told what
was done (`started` with the token, `ended`), never `internal_error` for a write that
took effect (a page told so would start a second chat, or think the first still runs);
what Redis could not carry reaches the other side once it is back: the counsellor's
console hears that the chat ended, the new chat joins the queue, and there is one chat.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from hjelpelinje.chat.sockets.groups import CLOSE_TRY_AGAIN
from hjelpelinje.chat.tests.proof import start_frame
from hjelpelinje.chat.tests.server import World, world
from hjelpelinje.chat.tests.test_it_server import staff, until, visitor
from hjelpelinje.core.tests.private_services import own_redis

pytestmark = pytest.mark.redis

PHONE = "800 12 345"
# The tidy-up looks every five seconds; a chat ended that long ago is told again.
HEALED_WITHIN = 20.0


async def frames_until_closed(ws: ClientConnection, timeout: float = 30) -> list[dict[str, Any]]:
    got: list[dict[str, Any]] = []
    async with asyncio.timeout(timeout):
        try:
            while True:
                got.append(json.loads(await ws.recv()))
        except ConnectionClosed:
            return got


def chats_in(w: World) -> list[tuple[int, str]]:
    db = sqlite3.connect(w.sqlite_file)
    try:
        return list(db.execute("SELECT id, status FROM chat_chatsession ORDER BY id"))
    finally:
        db.close()


async def test_a_chat_ended_while_redis_is_down_is_ended_for_both_sides() -> None:
    with own_redis() as server, world(redis_url=server.url) as w:
        port = w.serve()
        async with visitor(port) as v, staff(port, w.sessions[0]) as c:
            await until(c, "state")
            await v.send(json.dumps(start_frame()))
            sid = (await until(v, "started"))["session"]
            await c.send(json.dumps({"type": "take"}))
            await until(c, "assigned")
            await until(v, "joined")

            server.stop()
            await asyncio.sleep(0.5)
            await v.send(json.dumps({"type": "end"}))
            answer = json.loads(await asyncio.wait_for(v.recv(), 30))
            assert answer == {"type": "ended", "session": sid, "by": "visitor"}
            assert chats_in(w) == [(sid, "ended")]

            server.start()
            # The console's line stayed up; what Redis could not carry reaches it.
            ended = await until(c, "ended", timeout=HEALED_WITHIN)
            assert ended["session"] == sid
            assert ended["by"] == "visitor"
            assert ended["register_url"]


async def test_a_chat_started_while_redis_is_down_is_kept_and_resumed_once_it_is_back() -> None:
    with (
        own_redis() as server,
        world(redis_url=server.url, HJELPELINJE_PHONE_NUMBER=PHONE) as w,
    ):
        port = w.serve()
        async with visitor(port) as v:
            await v.send(json.dumps({"type": "ping"}))
            await until(v, "pong")
            server.stop()
            await asyncio.sleep(0.5)
            await v.send(json.dumps(start_frame()))
            told = await frames_until_closed(v)
            codes = [f.get("code") for f in told if f["type"] == "error"]
            assert "internal_error" not in codes
            assert v.close_code == CLOSE_TRY_AGAIN
            started = [f for f in told if f["type"] == "started"]
            # Either the chat was made (and the page holds its token), or nothing was.
            assert len(chats_in(w)) == len(started) <= 1
            assert told[-1] == {"type": "error", "code": "unavailable", "phone": PHONE}

        server.start()
        async with staff(port, w.sessions[0]) as c:
            await until(c, "state")
            async with visitor(port) as v:
                if started:
                    token = started[0]["token"]
                    await v.send(json.dumps({"type": "resume", "token": token, "last_seq": 0}))
                    assert (await until(v, "resumed"))["status"] == "queued"
                else:
                    await v.send(json.dumps(start_frame()))
                    await until(v, "started")
                await until(v, "queue")
                (sid, status), *more = chats_in(w)
                assert (status, more) == ("queued", [])
                # The counsellor can take it and both sides talk.
                await c.send(json.dumps({"type": "take"}))
                assert (await until(c, "assigned"))["chat"]["session"] == sid
                await until(v, "joined")
