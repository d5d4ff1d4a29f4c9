"""What both sockets share: frame parsing, coded errors, rate limits, and the bookkeeping
that lets the tidy-up make good a lost live frame.

Every frame is a JSON object with a `type`; anything else gets an `error` frame with a
stable code, and a connection that keeps flooding is closed. No socket ever logs a frame's
content.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from channels.generic.websocket import AsyncWebsocketConsumer

try:
    from uvicorn.protocols.utils import ClientDisconnected
except ImportError:  # pragma: no cover - another ASGI server

    class ClientDisconnected(Exception):  # type: ignore[no-redef]
        pass


from hjelpelinje.chat import selectors
from hjelpelinje.chat.services import ChatError
from hjelpelinje.chat.sockets import tidy
from hjelpelinje.chat.sockets.db import db
from hjelpelinje.chat.sockets.groups import CLOSE_FLOOD, staff_group, visitor_group
from hjelpelinje.chat.sockets.limits import Bucket

MAX_FRAME = 8192

logger = logging.getLogger(__name__)


class JsonConsumer(AsyncWebsocketConsumer):  # type: ignore[misc]
    rate = 5.0
    burst = 20
    handlers: dict[str, str] = {}

    async def websocket_connect(self, message: dict[str, Any]) -> None:
        self.bucket = Bucket(self.rate, self.burst)
        self.loop = asyncio.get_running_loop()
        # Per chat: the highest message number this socket has been given, and that number
        # as it stood at the last check if the chat was ahead of it then.
        self.delivered: dict[int, int] = {}
        self.behind: dict[int, int] = {}
        tidy._sockets.add(self)
        tidy.keep_tidy(self.channel_layer)
        await super().websocket_connect(message)

    async def websocket_disconnect(self, message: dict[str, Any]) -> None:
        tidy._sockets.discard(self)
        await super().websocket_disconnect(message)

    async def send_json(self, payload: dict[str, Any]) -> None:
        # A socket that has just gone away simply misses the frame; what matters (storing,
        # telling the other side) must still happen, and the page catches up on resume.
        with contextlib.suppress(ClientDisconnected):
            await self.send(text_data=json.dumps(payload, ensure_ascii=False))
        self.note_delivered(payload)

    def note_delivered(self, payload: dict[str, Any]) -> None:
        kind = payload.get("type")
        if kind in ("message", "ack"):
            session = payload.get("session", getattr(self, "session_id", None))
            self.saw(session, payload.get("seq"))
        for chat in [payload.get("chat"), *payload.get("chats", [])]:
            if isinstance(chat, dict):
                for message in chat.get("messages", []):
                    self.saw(chat.get("session"), message.get("seq"))

    def saw(self, session: Any, seq: Any) -> None:
        if session in self.delivered and isinstance(seq, int):
            self.delivered[session] = max(self.delivered[session], seq)

    def follow(self, session_id: int, seen: int = 0) -> None:
        self.delivered[session_id] = max(self.delivered.get(session_id, 0), seen)

    def unfollow(self, session_id: int) -> None:
        self.delivered.pop(session_id, None)
        self.behind.pop(session_id, None)

    async def catch_up(self, latest: dict[int, int]) -> None:
        for session_id, seen in list(self.delivered.items()):
            if latest.get(session_id, 0) <= seen:
                self.behind.pop(session_id, None)
            elif self.behind.get(session_id) != seen:
                self.behind[session_id] = seen  # it may still be on its way
            else:
                for message in await db(selectors.chat_messages_after)(session_id, seen):
                    await self.send_json(message)
                self.saw(session_id, latest[session_id])  # even if the transcript is gone
                self.behind.pop(session_id, None)

    async def error(
        self, code: str, detail: str = "", ref: Any = None, client_id: Any = None
    ) -> None:
        frame: dict[str, Any] = {"type": "error", "code": code}
        if detail:
            frame["detail"] = detail
        if ref is not None:
            frame["ref"] = ref
        if isinstance(client_id, str) and client_id:
            frame["client_id"] = client_id[:40]  # which message it was
        await self.send_json(frame)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if not self.bucket.take():
            if self.bucket.refusals > 50:
                await self.close(code=CLOSE_FLOOD)
                return
            await self.error("rate_limited")
            return
        if text_data is None:
            await self.error("binary_not_supported")
            return
        if len(text_data) > MAX_FRAME:
            await self.error("frame_too_large", f"max {MAX_FRAME}")
            return
        try:
            frame = json.loads(text_data)
        except ValueError:
            await self.error("malformed")
            return
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            await self.error("malformed")
            return
        handler = self.handlers.get(frame["type"])
        if handler is None:
            await self.error("unknown_type", ref=frame["type"][:40])
            return
        try:
            await getattr(self, handler)(frame)
        except ChatError as exc:
            await self.error(
                exc.code, exc.detail, ref=frame["type"], client_id=frame.get("client_id")
            )
        except ClientDisconnected:
            return
        except Exception:
            # Never let one bad frame take the connection down; log the kind, not the content.
            logger.exception("chat frame %s failed", frame["type"])
            await self.error("internal_error", ref=frame["type"], client_id=frame.get("client_id"))

    # Events from the channel layer: relay as they are.
    async def relay(self, event: dict[str, Any]) -> None:
        await self.send_json(event["frame"])

    async def broadcast_queue(self) -> None:
        tidy.broadcast_queue(self.channel_layer)

    async def to_session(self, session_id: int, frame: dict[str, Any], visitor_first: bool) -> None:
        """Send a frame to both sides of a chat, the other side's group first."""
        event = {"type": "relay", "frame": frame}
        groups = [visitor_group(session_id), staff_group(session_id)]
        for group in groups if visitor_first else reversed(groups):
            await self.channel_layer.group_send(group, event)
