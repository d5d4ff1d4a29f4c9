"""What both sockets share: frame parsing, coded errors, rate limits, the bookkeeping
that lets the tidy-up make good a lost live frame, and the clean-up when a socket dies.

Every frame is a JSON object with a `type`, its fields read strictly (`frames.py`);
anything else gets an `error` frame with a stable code, and the socket goes on. Only a
connection that keeps flooding is closed for what it sent (the other closes, and what a
client does on each: docs/chat-protocol.md, "Close codes"). No socket ever logs a frame's
content.

However a socket ends (the client closes it, a TCP reset, an exception that escapes a
handler or a send, the server cancelling it), its `disconnect` runs once: see `__call__`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import traceback
from typing import Any

from channels.consumer import get_handler_name
from channels.db import aclose_old_connections
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from django.db import DatabaseError

try:
    from uvicorn.protocols.utils import ClientDisconnected
except ImportError:  # pragma: no cover - another ASGI server

    class ClientDisconnected(Exception):  # type: ignore[no-redef]
        pass


from hjelpelinje.chat import selectors
from hjelpelinje.chat.services import ChatError
from hjelpelinje.chat.sockets import tidy
from hjelpelinje.chat.sockets.db import db
from hjelpelinje.chat.sockets.frames import echoable_client_id, echoable_ref, parse
from hjelpelinje.chat.sockets.groups import (
    CLOSE_FLOOD,
    CLOSE_TRY_AGAIN,
    staff_group,
    visitor_group,
)
from hjelpelinje.chat.sockets.limits import Bucket

MAX_FRAME = 8192
# WebSocket's own code for "the server met an unexpected condition".
CLOSE_SERVER_ERROR = 1011

logger = logging.getLogger(__name__)


def disk_full(exc: BaseException) -> bool:
    """Whether a database error is a full disk: SQLite's SQLITE_FULL, PostgreSQL's
    disk_full (53100). Nothing was stored; only the administrator can help."""
    if not isinstance(exc, DatabaseError):
        return False
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) == "53100":
        return True
    return "database or disk is full" in str(exc)


def fault_code(exc: BaseException) -> str:
    """The coded error for the server's own trouble: a full disk says so."""
    return "disk_full" if disk_full(exc) else "internal_error"


def log_fault(what: str, exc: BaseException) -> None:
    """One short line for a database that is away or full (it says so for every frame
    meanwhile); a traceback for anything else. Never a frame's content."""
    if isinstance(exc, DatabaseError):
        logger.warning("%s: %s (%s)", what, fault_code(exc), type(exc).__name__)
    else:
        logger.error("%s", what, exc_info=exc)


async def answer_for_now(
    receive: Any, send: Any, state: dict[str, bool], frame: dict[str, Any]
) -> None:
    """Answer a handshake the server cannot serve now with a socket that says why.

    A failure before the handshake was answered (Redis away when the socket subscribes,
    the database away while the login is looked up) would otherwise be an HTTP 500 or, for
    a console, an HTTP 403, which the protocol says means "not allowed, stop retrying".
    Instead the socket is accepted, told `frame`, and closed with CLOSE_TRY_AGAIN.
    """
    with contextlib.suppress(Exception):
        if not state.get("connect_received"):
            await receive()  # the websocket.connect the server is waiting to have answered
        if not state.get("answered"):
            await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": json.dumps(frame, ensure_ascii=False)})
        await send({"type": "websocket.close", "code": CLOSE_TRY_AGAIN})


def tracked(receive: Any, send: Any) -> tuple[Any, Any, dict[str, bool]]:
    """`receive` and `send` that note how far the handshake went (answer_for_now)."""
    state = {"connect_received": False, "answered": False}

    async def tracked_receive() -> Any:
        message = await receive()
        if message.get("type") == "websocket.connect":
            state["connect_received"] = True
        return message

    async def tracked_send(message: dict[str, Any]) -> None:
        if message.get("type") in ("websocket.accept", "websocket.close"):
            state["answered"] = True
        await send(message)

    return tracked_receive, tracked_send, state


class JsonConsumer(AsyncWebsocketConsumer):  # type: ignore[misc]
    rate = 5.0
    burst = 20
    handlers: dict[str, str] = {}

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        # Channels runs `disconnect` only when the server reports the close. An exception
        # that escapes a handler or a send, or the server cancelling this task, ends the
        # consumer without that report; the visitor would then stay "connected" for ever
        # and the chat never be swept. So the disconnect side runs here too, once.
        self.connecting = True
        receive, send, handshake = tracked(receive, send)
        try:
            await super().__call__(scope, receive, send)
        except Exception as exc:
            # The kind and the place only: an exception's message may hold frame content.
            where = traceback.extract_tb(exc.__traceback__)[-1]
            logger.error(
                "chat socket failed: %s at %s:%s", type(exc).__name__, where.filename, where.lineno
            )
            if self.connecting:
                # The socket could not be set up (the channel layer or the database away,
                # the disk full): say so, and the client tries again in a moment.
                self.closing = True
                await answer_for_now(receive, send, handshake, self.unavailable(exc))
            else:
                # Tell the client the line is gone (it reconnects and resumes), if it can.
                with contextlib.suppress(Exception):
                    await self.close(code=CLOSE_SERVER_ERROR)
        finally:
            await self.gone(CLOSE_SERVER_ERROR)

    def unavailable(self, exc: BaseException) -> dict[str, Any]:
        """The frame that tells a client this socket cannot be served for a moment."""
        return {"type": "error", "code": "disk_full" if disk_full(exc) else "unavailable"}

    async def gone(self, code: int) -> None:
        """The disconnect side, at most once per socket, whatever ended it."""
        tidy.untrack(self)
        if not getattr(self, "connected_once", False) or getattr(self, "gone_done", False):
            return
        self.gone_done = True
        try:
            await self.disconnect(code)
        except Exception:
            # The tidy-up notices a visitor socket that no process holds any more.
            logger.exception("chat socket clean-up failed")

    async def dispatch(self, message: dict[str, Any]) -> None:
        # Channels' own dispatch first closes stale database connections through the one
        # thread that all of a process's sync_to_async calls share: a thread hop for every
        # frame and every relayed event of every socket, queued behind each other: a sixth
        # of the server's busy time with a thousand chats open (py-spy, chat bench). These
        # sockets reach the database only through `db()`, whose worker thread does that
        # cleaning itself, before and after each call, on the connection it uses.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"no handler for message type {message['type']}")
        await handler(message)

    async def websocket_connect(self, message: dict[str, Any]) -> None:
        self.connected_once = True
        self.gone_done = False
        self.closing = False
        self.bucket = Bucket(self.rate, self.burst)
        self.loop = asyncio.get_running_loop()
        # Per chat: the number up to which this socket has been given every message, the
        # numbers it was given past a gap, and the first number as it stood at the last
        # check if the chat was ahead of it then (see `saw` and `lagging`).
        self.delivered: dict[int, int] = {}
        self.ahead: dict[int, set[int]] = {}
        self.behind: dict[int, int] = {}
        tidy.track(self)
        tidy.keep_tidy(self.channel_layer)
        await super().websocket_connect(message)
        self.connecting = False

    async def websocket_disconnect(self, message: dict[str, Any]) -> None:
        self.closing = True
        await self.gone(message.get("code", 1005))
        await aclose_old_connections()
        raise StopConsumer

    async def close(self, code: int | bool | None = None, reason: str | None = None) -> None:
        self.closing = True
        await super().close(code=code, reason=reason)

    async def send_json(self, payload: dict[str, Any]) -> None:
        # A socket that has just gone away (or that this side is closing) simply misses
        # the frame; what matters (storing, telling the other side) must still happen, and
        # the page catches up on resume.
        if getattr(self, "closing", False):
            return
        text = json.dumps(payload, ensure_ascii=False)
        try:
            with contextlib.suppress(ClientDisconnected):
                await self.send(text_data=text)
        except UnicodeEncodeError:
            # A lone surrogate cannot go out as UTF-8: escaped, the frame is still JSON.
            # (What clients send is checked on the way in; this guards the rest.)
            with contextlib.suppress(ClientDisconnected):
                await self.send(text_data=json.dumps(payload))
        self.note_delivered(payload)

    def visitor_chat(self) -> tuple[int, str] | None:
        """The chat and socket name this socket is a visitor's page for, if it is one;
        the tidy-up vouches for these (services.chat_visitors_seen)."""
        return None

    def console_of(self) -> int | None:
        """The account this socket is an open console of, if it is one; the tidy-up
        vouches for these (services.chat_presence_seen)."""
        return None

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
        """Count message `seq` of a followed chat as given to this socket.

        `delivered` is the number up to which the socket has been given every message of
        the chat, without a gap; a later number given past a gap waits in `ahead` until
        the gap is filled. Only the highest number would hide a message lost below it
        for ever, once a later one came live. Nearly always `seq` is the next number,
        and this is one comparison.
        """
        mark = self.delivered.get(session)
        if mark is None or not isinstance(seq, int) or seq <= mark:
            return
        if seq != mark + 1:
            self.ahead.setdefault(session, set()).add(seq)
            return
        ahead = self.ahead.get(session)
        if ahead:
            while seq + 1 in ahead:
                seq += 1
                ahead.discard(seq)
            if not ahead:
                del self.ahead[session]
        self.delivered[session] = seq

    def caught_up(self, session: int, upto: int) -> None:
        """Every message of the chat up to `upto` has been given (or is gone for good)."""
        if session not in self.delivered:
            return
        mark = max(self.delivered[session], upto)
        ahead = {seq for seq in self.ahead.pop(session, set()) if seq > mark}
        while mark + 1 in ahead:
            mark += 1
            ahead.discard(mark)
        self.delivered[session] = mark
        if ahead:
            self.ahead[session] = ahead

    def follow(self, session_id: int, seen: int = 0) -> None:
        self.delivered.setdefault(session_id, 0)
        self.caught_up(session_id, seen)

    def unfollow(self, session_id: int) -> None:
        self.delivered.pop(session_id, None)
        self.ahead.pop(session_id, None)
        self.behind.pop(session_id, None)

    def lagging(self, latest: dict[int, int]) -> list[int]:
        """This socket's chats that were already as far behind `latest` at the last check.

        No await and no query: the tidy-up asks every socket of the process this on one
        pass of the event loop, so it must stay a few dictionary lookups. A gap seen for
        the first time is only noted, as its live frame may still be on the way.
        """
        lasting = []
        for session_id, seen in self.delivered.items():
            if latest.get(session_id, 0) <= seen:
                if self.behind:
                    self.behind.pop(session_id, None)
            elif self.behind.get(session_id) != seen:
                self.behind[session_id] = seen
            else:
                lasting.append(session_id)
        return lasting

    async def fill(self, session_id: int, latest: int) -> None:
        """Send what this socket misses of a chat, up to `latest`, from the database."""
        seen = self.delivered.get(session_id)
        if seen is not None and seen < latest:  # else unfollowed, or it came live meanwhile
            given = self.ahead.get(session_id, set())
            for message in await db(selectors.chat_messages_after)(session_id, seen):
                if message["seq"] not in given:
                    await self.send_json(message)
            self.caught_up(session_id, latest)  # even if the transcript is gone
        self.behind.pop(session_id, None)

    async def catch_up(self, latest: dict[int, int]) -> None:
        for session_id in self.lagging(latest):
            await self.fill(session_id, latest[session_id])

    async def error(
        self, code: str, detail: str = "", ref: Any = None, client_id: Any = None
    ) -> None:
        """Send a coded error. `ref` and `client_id` come from the client: they go back
        only when valid (short, sendable as UTF-8), never cut and never as they came."""
        frame: dict[str, Any] = {"type": "error", "code": code}
        if detail:
            frame["detail"] = detail
        if (ref := echoable_ref(ref)) is not None:
            frame["ref"] = ref
        if (client_id := echoable_client_id(client_id)) is not None:
            frame["client_id"] = client_id  # which message it was
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
            frame = parse(text_data)
        except ChatError as exc:
            await self.error(exc.code)
            return
        kind = frame["type"]
        handler = self.handlers.get(kind)
        if handler is None:
            # The client_id too, when valid: a client that sends its messages under a type
            # this socket does not know can still tell which message was refused.
            await self.error("unknown_type", ref=kind, client_id=frame.get("client_id"))
            return
        try:
            await getattr(self, handler)(frame)
        except ChatError as exc:
            await self.error(exc.code, exc.detail, ref=kind, client_id=frame.get("client_id"))
        except ClientDisconnected:
            return
        except Exception as exc:
            # Never let one frame take the connection down; log the kind, not the content.
            # Bad input never lands here (the handlers read frames strictly): this is the
            # server's own trouble, e.g. the database or Redis away, or the disk full.
            log_fault(f"chat frame {kind} failed", exc)
            await self.error(fault_code(exc), ref=kind, client_id=frame.get("client_id"))

    # Events from the channel layer: relay as they are.
    async def relay(self, event: dict[str, Any]) -> None:
        await self.send_json(event["frame"])

    async def broadcast_queue(self) -> None:
        tidy.broadcast_queue(self.channel_layer)

    async def to_session(self, session_id: int, frame: dict[str, Any], visitor_first: bool) -> None:
        """Send a frame to both sides of a chat, the other side's group first.

        For what is stored first (a message): should the channel layer be away, the frame
        is not sent live, and the tidy-up's catch-up (or the page's `sync`) brings it
        from the database. The sender is told it is stored all the same.
        """
        event = {"type": "relay", "frame": frame}
        groups = [visitor_group(session_id), staff_group(session_id)]
        for group in groups if visitor_first else reversed(groups):
            await self.layer_send(group, event)

    async def layer_send(self, group: str, event: dict[str, Any]) -> bool:
        """A group send whose failure costs only its live delivery (e.g. a typing notice,
        or a message the database has). Logged once per outage, not once per frame."""
        return await send_quietly(self.channel_layer, group, event)

    async def try_again(self, exc: BaseException) -> None:
        """The server could not finish what a frame asked for now (Redis or the database
        away): say so, and close with CLOSE_TRY_AGAIN. The page comes back on a new socket
        and carries on from what the database has (a `resume` with the token, or `start`
        once more if no chat was made); never `internal_error` for a write that was made."""
        log_fault("chat socket cannot go on", exc)
        await self.send_json(self.unavailable(exc))
        await self.close(code=CLOSE_TRY_AGAIN)

    async def heard_ended(self, frame: dict[str, Any]) -> None:
        """A chat this socket follows ended without the socket hearing it live (the tidy-up
        found it in the database): as if its `ended` had come from the channel layer."""


async def send_quietly(layer: Any, group: str, event: dict[str, Any]) -> bool:
    """A group send after what it tells is stored: should Redis be away, only the live
    delivery is lost (the tidy-up makes it good from the database). Logged once per
    outage, not once per frame."""
    try:
        await layer.group_send(group, event)
    except Exception as exc:
        layer_failed(exc)
        return False
    layer_ok()
    return True


async def discard_quietly(layer: Any, group: str, channel: str) -> None:
    """Out of a group, whatever Redis does: the layer forgets a membership in this process
    before it tells Redis, so with Redis away the socket is out all the same (and the
    outage is logged once). Leaving never fails what a person did."""
    try:
        await layer.group_discard(group, channel)
    except Exception as exc:
        layer_failed(exc)


# Whether this process's last send on the channel layer failed: an outage of Redis is
# logged when it starts and when it is over, not for every frame meanwhile.
_layer_down = False


def layer_failed(exc: BaseException) -> None:
    global _layer_down
    if not _layer_down:
        _layer_down = True
        logger.warning(
            "channel layer unreachable (%s): live delivery paused; stored messages are "
            "caught up from the database",
            type(exc).__name__,
        )


def layer_ok() -> None:
    global _layer_down
    if _layer_down:
        _layer_down = False
        logger.warning("channel layer reachable again")
