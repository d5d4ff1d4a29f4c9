"""The queue broadcast tells every waiting visitor her place, however the changes fall.

Changes close together share one broadcast (sockets/tidy.py). A visitor who starts while a
broadcast is already on its way (it has read the queue and is sending it, a Redis round
trip on a real server) is not in what it read: she must still hear her place.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import connections

from hjelpelinje.chat.sockets.groups import STAFF
from hjelpelinje.chat.tests.proof import start_frame
from hjelpelinje.chat.tests.test_it_consumers import receive_until, visitor

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("chat_open")]


@pytest.fixture(autouse=True)
async def _close_connections_of_the_async_orm() -> AsyncIterator[None]:
    yield
    await sync_to_async(connections.close_all)()


async def test_a_visitor_who_starts_while_the_queue_is_being_sent_hears_her_place(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    layer = get_channel_layer()
    send = layer.group_send
    sending = asyncio.Event()
    go_on = asyncio.Event()

    async def group_send(group: str, event: dict[str, Any]) -> None:
        # The first broadcast is held after it has read the queue, while it sends it.
        if group == STAFF and event["frame"]["type"] == "queue" and not go_on.is_set():
            sending.set()
            await go_on.wait()
        await send(group, event)

    monkeypatch.setattr(layer, "group_send", group_send)

    first = await visitor()
    await first.send_json_to(start_frame())
    await receive_until(first, "started")
    await asyncio.wait_for(sending.wait(), timeout=30)

    # She starts now: the broadcast on its way read a queue without her.
    second = await visitor()
    await second.send_json_to(start_frame())
    await receive_until(second, "started")
    go_on.set()

    assert (await receive_until(first, "queue"))["position"] == 1
    told = await receive_until(second, "queue")
    assert told["position"] == 2
    await first.disconnect()
    await second.disconnect()
