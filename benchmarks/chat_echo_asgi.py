"""Two WebSocket echoes on the chat's server stack (uvicorn + Channels), for comparison.

- `/ws/echo/`: bare. Everything the chat shares but the chat's own work: no database, no
  channel layer, no JSON parsing. This is the baseline the chat's targets are set against.
- `/ws/echo-layer/`: the same frame sent back through the channel layer (Redis pub/sub
  when `REDIS_URL` is set), as the chat delivers a message, still with no database. It
  shows how much of the chat's latency is the layer's and how much the chat's own.

`benchmarks/chat_bench.py` serves this beside the chat.
"""

from __future__ import annotations

import os
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hjelpelinje.settings")
django.setup()

from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402


class Echo(AsyncWebsocketConsumer):  # type: ignore[misc]
    # Bare: no channel layer, so nothing but uvicorn, ASGI and a Channels consumer.
    channel_layer_alias = None

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        await self.send(text_data=text_data)


class LayerEcho(AsyncWebsocketConsumer):  # type: ignore[misc]
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


application = ProtocolTypeRouter(
    {
        "websocket": URLRouter(
            [
                path("ws/echo/", Echo.as_asgi()),  # type: ignore[arg-type]
                path("ws/echo-layer/", LayerEcho.as_asgi()),  # type: ignore[arg-type]
            ]
        )
    }
)
