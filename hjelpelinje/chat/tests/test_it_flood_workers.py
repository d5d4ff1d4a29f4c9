"""The flood limits across two server processes sharing Redis, behind a reverse proxy.

A used solution and a client's count live in the shared cache, so a script gains nothing
by spreading its sockets over the workers; the client is the address the proxy passes in
X-Forwarded-For (uvicorn trusts it from 127.0.0.1), kept only as a keyed hash.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import redis
from websockets.asyncio.client import ClientConnection, connect

from hjelpelinje.chat.tests.proof import solve
from hjelpelinje.chat.tests.server import world

REDIS_URL = "redis://127.0.0.1:6379/0"  # the world's own REDIS_PREFIX keeps it apart

pytestmark = pytest.mark.redis


async def answer(ws: ClientConnection) -> dict[str, Any]:
    while True:
        frame: dict[str, Any] = json.loads(await ws.recv())
        if frame["type"] in ("challenge", "started", "busy", "error"):
            return frame


async def challenge(ws: ClientConnection) -> dict[str, Any]:
    await ws.send(json.dumps({"type": "challenge"}))
    return solve(await answer(ws))


async def start(ws: ClientConnection, pow_: dict[str, Any]) -> dict[str, Any]:
    await ws.send(json.dumps({"type": "start", "pow": pow_}))
    return await answer(ws)


async def test_limits_hold_across_workers() -> None:
    with world(redis_url=REDIS_URL, HJELPELINJE_TEST_SHARED_CACHE="1") as w:
        ports = [w.serve(), w.serve()]
        url = "ws://127.0.0.1:{}/ws/chat/visitor/"
        script = {"X-Forwarded-For": "203.0.113.7"}
        sockets = [
            await connect(url.format(ports[i % 2]), additional_headers=script) for i in range(4)
        ]
        try:
            # A solution used on one worker is refused on the other.
            solution = await challenge(sockets[0])
            assert (await start(sockets[0], solution))["type"] == "started"
            assert (await start(sockets[1], solution))["code"] == "pow_used"
            # One client's share (3 chats in 10 minutes) counts on both workers together.
            answers = [(await start(ws, await challenge(ws)))["type"] for ws in sockets[1:]]
            assert answers == ["started", "started", "busy"]
            # Another client, on either worker, still gets a place.
            async with connect(
                url.format(ports[1]), additional_headers={"X-Forwarded-For": "198.51.100.23"}
            ) as real:
                assert (await start(real, await challenge(real)))["type"] == "started"
            # Redis holds hashes, never the address.
            keys = redis.Redis.from_url(REDIS_URL).keys(w.env["REDIS_PREFIX"] + "*")
            assert keys and not [k for k in keys if b"203.0.113.7" in k or b"198.51" in k]
        finally:
            for ws in sockets:
                await ws.close()
            store = redis.Redis.from_url(REDIS_URL)
            for key in store.keys(w.env["REDIS_PREFIX"] + "*"):
                store.delete(key)
