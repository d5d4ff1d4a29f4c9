"""A WebSocket test communicator on asgiref's ApplicationCommunicator.

It does what `channels.testing.WebsocketCommunicator` does; importing that one pulls in
`channels.testing.live`, which needs daphne, a server this project does not use.
"""

from __future__ import annotations

import json
from typing import Any

from asgiref.testing import ApplicationCommunicator


class WebsocketCommunicator(ApplicationCommunicator):  # type: ignore[misc]
    def __init__(self, application: Any, path: str, headers: list[Any] | None = None) -> None:
        scope = {
            "type": "websocket",
            "path": path,
            "query_string": b"",
            "headers": headers or [],
            "subprotocols": [],
        }
        super().__init__(application, scope)

    async def connect(self, timeout: float = 3) -> tuple[bool, Any]:
        await self.send_input({"type": "websocket.connect"})
        response = await self.receive_output(timeout)
        if response["type"] == "websocket.close":
            return False, response.get("code", 1000)
        assert response["type"] == "websocket.accept"
        return True, response.get("subprotocol")

    async def send_to(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is not None:
            await self.send_input({"type": "websocket.receive", "text": text_data})
        else:
            await self.send_input({"type": "websocket.receive", "bytes": bytes_data})

    async def send_json_to(self, data: Any) -> None:
        await self.send_to(text_data=json.dumps(data))

    async def receive_json_from(self, timeout: float = 3) -> Any:
        response = await self.receive_output(timeout)
        assert response["type"] == "websocket.send", response
        return json.loads(response["text"])

    async def disconnect(self, code: int = 1000, timeout: float = 3) -> None:
        await self.send_input({"type": "websocket.disconnect", "code": code})
        await self.wait(timeout)


def staff_socket(session_key: str, origin: bytes = b"http://testserver") -> WebsocketCommunicator:
    """A console's socket as a browser opens it: the session cookie, the page's origin and
    the host it was served from (not yet connected)."""
    from django.conf import settings

    from hjelpelinje.asgi import application

    return WebsocketCommunicator(
        application,
        "/staff/ws/chat/",
        headers=[
            (b"cookie", f"{settings.SESSION_COOKIE_NAME}={session_key}".encode()),
            (b"origin", origin),
            (b"host", b"testserver"),
        ],
    )
