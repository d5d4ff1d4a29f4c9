"""PostgreSQL stops for fifteen seconds while chats flow across two server processes.

Each side re-sends what was not acknowledged, with the same `client_id` (as the pages
do, docs/chat-protocol.md): once the database is back, every message is stored exactly
once, none lost and none doubled, and both sides are shown all of them.
"""

from __future__ import annotations

import asyncio
import contextlib

import psycopg
import pytest

from hjelpelinje.chat.tests.flow import missing, open_chats, stored, talk
from hjelpelinje.chat.tests.server import World
from hjelpelinje.chat.tests.test_it_redis_outage import CATCH_UP, SETUP
from hjelpelinje.core.tests.private_services import own_postgres, own_redis

pytestmark = [pytest.mark.redis, pytest.mark.postgres]

CHATS = 8
DOWN = 15.0


async def test_no_message_is_lost_or_doubled_while_the_database_is_down() -> None:
    with own_redis() as server, own_postgres() as pg:
        w = World(
            counsellors=2, redis_url=server.url, database_url=pg.url, migrated=True, setup=SETUP
        )
        try:
            ports = [w.serve(), w.serve()]
            async with contextlib.AsyncExitStack() as stack:
                chats = await open_chats(w, ports, CHATS, stack)

                async def outage() -> None:
                    await asyncio.sleep(2)
                    await asyncio.to_thread(pg.stop)
                    await asyncio.sleep(DOWN)
                    await asyncio.to_thread(pg.start)

                await asyncio.gather(talk(chats, seconds=DOWN + 4), outage())
                sent = {cid for c in chats for side in (c.visitor, c.console) for cid in side.sent}
                url_ = pg.url.replace("postgres://", "postgresql://")
                with psycopg.connect(url_) as conn:
                    rows = conn.execute(
                        "SELECT client_id FROM chat_chatmessage WHERE session_id = ANY(%s)",
                        [[c.session for c in chats]],
                    ).fetchall()
                kept = [row[0] for row in rows]
                assert len(kept) == len(set(kept)), "a message was stored twice"
                assert set(kept) == sent, "a message was lost"
                latest = stored(pg.url, chats)
                loop = asyncio.get_running_loop()
                deadline = loop.time() + CATCH_UP
                while loop.time() < deadline and any(missing(chats, latest).values()):
                    await asyncio.sleep(0.5)
                assert missing(chats, latest) == {"visitor": 0, "console": 0}
        finally:
            w.close()
