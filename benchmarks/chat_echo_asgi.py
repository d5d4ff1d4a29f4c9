"""Two WebSocket echoes on the chat's server stack (uvicorn + Channels), for comparison.

- `/ws/echo/`: bare. Everything the chat shares but the chat's own work: no database, no
  channel layer, no JSON parsing. This is the baseline the chat's targets are set against.
- `/ws/echo-layer/`: the same frame sent back through the channel layer (Redis pub/sub
  when `REDIS_URL` is set), as the chat delivers a message, still with no database. It
  shows how much of the chat's latency is the layer's and how much the chat's own.
- `/ws/store-relay/`: the honest reference. Each frame is stored in PostgreSQL with one
  INSERT (in the worker threads the chat's database calls use, on a connection kept open
  as the chat's is) and then relayed back through the channel layer: the work a chat
  message must do, with none of the product (no parsing, no checks, no bookkeeping).

`benchmarks/chat_bench.py` serves this beside the chat.
"""

from __future__ import annotations

import os
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hjelpelinje.settings")
django.setup()

from channels.consumer import get_handler_name  # noqa: E402
from channels.db import DatabaseSyncToAsync  # noqa: E402
from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import path  # noqa: E402

from benchmarks.loop_probe import probed  # noqa: E402
from hjelpelinje.asgi import tune_gc  # noqa: E402

# The reference's one table; the bench creates it before serving.
TABLE = "bench_store_relay"
CREATE_TABLE = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} "
    "(id bigserial PRIMARY KEY, sock text NOT NULL, body text NOT NULL, "
    "at timestamptz NOT NULL DEFAULT now())"
)


class Lean(AsyncWebsocketConsumer):  # type: ignore[misc]
    """Events dispatched as the chat's sockets dispatch them (`JsonConsumer.dispatch`):
    without Channels' hop to its one sync thread before each, which none of these needs
    (the reference's INSERT cleans its connection in its own worker thread)."""

    async def dispatch(self, message: dict[str, Any]) -> None:
        await getattr(self, get_handler_name(message))(message)


class Echo(Lean):
    # Bare: no channel layer, so nothing but uvicorn, ASGI and a Channels consumer.
    channel_layer_alias = None

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        await self.send(text_data=text_data)


class LayerEcho(Lean):
    """Each socket joins a group of its own and hears its frames back through it."""

    async def connect(self) -> None:
        self.group = f"echo-{self.channel_name.rsplit('.', 1)[-1]}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        await self.channel_layer.group_send(self.group, {"type": "echo", "text": text_data})

    async def echo(self, event: dict[str, Any]) -> None:
        await self.send(text_data=event["text"])


def _insert(sock: str, body: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} (sock, body) VALUES (%s, %s)", [sock, body])


# As the chat's `db()` does on PostgreSQL: calls of different sockets side by side.
_store = DatabaseSyncToAsync(_insert, thread_sensitive=False)


class StoreRelay(LayerEcho):
    """Store, then relay through the layer: what a chat message costs at the least."""

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        await _store(self.group, text_data or "")
        await self.channel_layer.group_send(self.group, {"type": "echo", "text": text_data})


application = ProtocolTypeRouter(
    {
        "websocket": URLRouter(
            [
                path("ws/echo/", Echo.as_asgi()),  # type: ignore[arg-type]
                path("ws/echo-layer/", LayerEcho.as_asgi()),  # type: ignore[arg-type]
                path("ws/store-relay/", StoreRelay.as_asgi()),  # type: ignore[arg-type]
            ]
        )
    }
)
# With the loop probe, so its stalls can be set beside the chat's; and with the chat's own
# garbage collector settings, so the reference does not pause where the chat no longer does.
probed_application = probed(application)
tune_gc()
