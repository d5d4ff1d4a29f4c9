"""A bare WebSocket echo on the chat's server stack (uvicorn + Channels), for comparison.

It shares everything with the chat but the chat's own work: no database, no channel
layer, no JSON parsing. `benchmarks/chat_bench.py` serves it beside the chat.
"""

from __future__ import annotations

import os

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


application = ProtocolTypeRouter(
    {"websocket": URLRouter([path("ws/echo/", Echo.as_asgi())])}  # type: ignore[arg-type]
)
