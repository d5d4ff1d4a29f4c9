"""Redis stops for a few seconds while twenty chats flow across two server processes.

Live delivery pauses while Redis is away; every message is still stored. The README
promises that what a side missed arrives within ten seconds, whatever came after it:
both sides are shown every stored message, with clients that do nothing but re-send
their own unacknowledged messages (docs/chat-protocol.md).
"""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from hjelpelinje.chat.tests.flow import missing, open_chats, stored, talk
from hjelpelinje.chat.tests.server import World
from hjelpelinje.core.tests.private_services import own_postgres, own_redis

pytestmark = [pytest.mark.redis, pytest.mark.postgres]

CHATS = 20
# Four counsellors with five chats each.
SETUP = "\nfrom hjelpelinje.chat.models import ChatSettings\n" + (
    "ChatSettings.objects.update_or_create(pk=1, defaults={'max_chats_per_counsellor': 5})\n"
)
# The README's promise, and a margin for a loaded test machine (one tidy-up round).
CATCH_UP = 10.0 + 5.0


@pytest.mark.parametrize("down", [2.5, 5.0])
async def test_every_stored_message_reaches_both_sides_after_redis_was_down(down: float) -> None:
    with own_redis() as server, own_postgres() as pg:
        w = World(
            counsellors=4, redis_url=server.url, database_url=pg.url, migrated=True, setup=SETUP
        )
        try:
            ports = [w.serve(), w.serve()]
            async with contextlib.AsyncExitStack() as stack:
                chats = await open_chats(w, ports, CHATS, stack)

                async def outage() -> None:
                    await asyncio.sleep(2)
                    await asyncio.to_thread(server.stop)
                    await asyncio.sleep(down)
                    await asyncio.to_thread(server.start)

                await asyncio.gather(talk(chats, seconds=down + 6), outage())
                latest = stored(pg.url, chats)
                assert sum(latest.values()) > CHATS * 2 * (down + 4)  # they did talk
                loop = asyncio.get_running_loop()
                deadline = loop.time() + CATCH_UP
                while loop.time() < deadline and any(missing(chats, latest).values()):
                    await asyncio.sleep(0.5)
                assert missing(chats, latest) == {"visitor": 0, "console": 0}
        finally:
            w.close()
