"""The chat when what it stands on fails for real: Redis stopped, PostgreSQL restarted,
the disk full. A socket is told what happened with a coded frame (docs/chat-protocol.md,
`unavailable`, `disk_full`, close 1013) and the client tries again; never an HTTP 500,
never a refusal that tells a valid counsellor to stop retrying, and nothing lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import subprocess
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from hjelpelinje.chat.sockets.groups import CLOSE_TRY_AGAIN
from hjelpelinje.chat.tests.proof import start_frame
from hjelpelinje.chat.tests.server import World, world
from hjelpelinje.chat.tests.test_it_server import staff, until, visitor
from hjelpelinje.core.tests.private_services import own_postgres, own_redis

PHONE = "800 12 345"


async def told_and_closed(ws: ClientConnection) -> dict[str, Any]:
    """The one frame a socket that cannot be served gets, then its close (1013)."""
    frame: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), 30))
    with pytest.raises(ConnectionClosed):
        await asyncio.wait_for(ws.recv(), 30)
    assert ws.close_code == CLOSE_TRY_AGAIN
    return frame


@pytest.mark.redis
async def test_a_visitor_opening_the_chat_while_redis_is_down_is_given_the_phone() -> None:
    with own_redis() as server, world(redis_url=server.url, HJELPELINJE_PHONE_NUMBER=PHONE) as w:
        port = w.serve()
        server.stop()
        async with visitor(port) as v:
            assert await told_and_closed(v) == {
                "type": "error",
                "code": "unavailable",
                "phone": PHONE,
            }
        server.start()
        # Redis back: the page's next try gets a chat.
        for _attempt in range(20):
            async with visitor(port) as v:
                await v.send(json.dumps(start_frame()))
                frame = json.loads(await asyncio.wait_for(v.recv(), 30))
                if frame["type"] == "started":
                    break
            await asyncio.sleep(0.5)
        else:
            raise AssertionError("no chat after Redis came back")


@pytest.mark.postgres
async def test_a_console_after_a_database_restart_opens_and_is_never_refused() -> None:
    with own_postgres() as pg:
        # Connections kept for a minute, as in production.
        w = World(database_url=pg.url, migrated=True, DATABASE_CONN_MAX_AGE="60")
        try:
            port = w.serve()
            for _ in range(4):  # a kept connection in each worker thread
                async with staff(port, w.sessions[0]) as c:
                    await until(c, "state")
            pg.stop()
            # While it is down: "try again", never a 403 or a 500.
            async with staff(port, w.sessions[0]) as c:
                assert (await told_and_closed(c))["code"] == "unavailable"
            pg.start()
            # Back: the very first console opens, and the next ones too.
            for _ in range(4):
                async with staff(port, w.sessions[0]) as c:
                    await until(c, "state", timeout=30)
        finally:
            w.close()


@contextlib.contextmanager
def small_disk(w: World) -> Any:
    """The world's SQLite file moved onto a tmpfs of its own with little room to spare."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root")
    disk = w.dir / "disk"
    disk.mkdir()
    size = (w.dir / "hjelpelinje.sqlite3").stat().st_size
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size + 2 * 1024 * 1024}", "tmpfs", str(disk)],
        check=True,
    )
    try:
        shutil.copy(w.dir / "hjelpelinje.sqlite3", disk / "hjelpelinje.sqlite3")
        w.env["DATABASE_URL"] = f"sqlite:///{disk / 'hjelpelinje.sqlite3'}"
        yield disk
    finally:
        for proc in w.procs:
            proc.terminate()
            proc.wait(timeout=10)
        subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk: Any) -> Any:
    """Fill the disk to the last byte."""
    filler = disk / "filler"
    with open(filler, "wb", buffering=0) as out, contextlib.suppress(OSError):
        while True:
            out.write(b"\0" * 65536)
    with open(filler, "ab", buffering=0) as out, contextlib.suppress(OSError):
        while True:
            out.write(b"\0")
    return filler


async def test_a_full_disk_is_said_on_both_sides_and_nothing_is_lost() -> None:
    w = World(counsellors=1)
    try:
        with small_disk(w) as disk:
            port = w.serve()
            async with visitor(port) as v, staff(port, w.sessions[0]) as c:
                await until(c, "state")
                await v.send(json.dumps(start_frame()))
                sid = (await until(v, "started"))["session"]
                await c.send(json.dumps({"type": "take"}))
                await until(c, "assigned")
                await until(v, "joined")
                filler = fill(disk)
                visitor_message = {"type": "message", "text": "hei", "client_id": "v1"}
                await v.send(json.dumps(visitor_message))
                refused = await until(v, "error")
                assert (refused["code"], refused["client_id"]) == ("disk_full", "v1")
                counsellor_message = {
                    "type": "message",
                    "session": sid,
                    "text": "Hei, jeg er her",
                    "client_id": "c1",
                }
                await c.send(json.dumps(counsellor_message))
                refused = await until(c, "error")
                assert (refused["code"], refused["client_id"]) == ("disk_full", "c1")
                # The sockets stay; the administrator frees room; the re-sends go through.
                filler.unlink()
                await v.send(json.dumps(visitor_message))
                assert (await until(v, "ack"))["client_id"] == "v1"
                await c.send(json.dumps(counsellor_message))
                assert (await until(c, "ack"))["client_id"] == "c1"
                await c.send(json.dumps({"type": "sync", "session": sid, "last_seq": 0}))
                texts = [(await until(c, "message"))["text"] for _ in range(2)]
                assert sorted(texts) == ["Hei, jeg er her", "hei"]
    finally:
        w.close()
