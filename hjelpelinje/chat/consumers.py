"""WebSocket consumers: they parse frames, call services and relay events. Nothing more.

The protocol is documented in docs/chat-protocol.md. Every frame is a JSON object with a
`type`; anything else gets an `error` frame with a stable code, and a connection that
keeps flooding is closed. No consumer ever logs a frame's content.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import time
from functools import partial
from typing import Any

from channels.db import DatabaseSyncToAsync
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.db import connections

try:
    from uvicorn.protocols.utils import ClientDisconnected
except ImportError:  # pragma: no cover - another ASGI server

    class ClientDisconnected(Exception):  # type: ignore[no-redef]
        pass


from hjelpelinje.chat import selectors, services
from hjelpelinje.chat.models import ChatMessage, ChatSession, ChatSettings, CounsellorPresence
from hjelpelinje.chat.services import ChatError

MAX_FRAME = 8192
STAFF = "chat-staff"
SUPERVISORS = "chat-supervisors"
QUEUE = "chat-queue"
# Close codes in the 4000 range are ours (see docs/chat-protocol.md).
CLOSE_FORBIDDEN = 4403
CLOSE_FLOOD = 4429


def visitor_group(session_id: int) -> str:
    return f"chat-v-{session_id}"


def staff_group(session_id: int) -> str:
    return f"chat-c-{session_id}"


def user_group(user_id: int) -> str:
    return f"chat-u-{user_id}"


def db(func: Any) -> Any:
    """Run `func` in a worker thread with its own database connection.

    On PostgreSQL the calls of different chats run side by side in the thread pool; SQLite
    (development, tests) allows one writer at a time, so there they share one thread.
    """
    parallel = connections["default"].vendor != "sqlite"
    return DatabaseSyncToAsync(func, thread_sensitive=not parallel)


logger = logging.getLogger(__name__)


QUEUE_COALESCE = 0.2
_queue_broadcast: asyncio.Future[None] | None = None


def _running(task: asyncio.Future[None] | None) -> bool:
    """Whether `task` is still at work on this event loop."""
    return task is not None and not task.done() and task.get_loop() is asyncio.get_running_loop()


def broadcast_queue(layer: Any) -> None:
    """Tell consoles and waiting visitors that the queue changed.

    Changes within QUEUE_COALESCE seconds share one broadcast per process: a busy moment
    (many chats starting or being taken) then costs a few fan-outs, not one per change,
    and every position is still at most that much behind.
    """
    global _queue_broadcast
    if not _running(_queue_broadcast):
        _queue_broadcast = asyncio.ensure_future(_send_queue(layer))


async def _send_queue(layer: Any) -> None:
    await asyncio.sleep(QUEUE_COALESCE)
    try:
        items = await db(selectors.chat_queue)()
        per_position = await db(selectors.chat_wait_per_position)()
        await layer.group_send(STAFF, {"type": "relay", "frame": {"type": "queue", "items": items}})
        await layer.group_send(
            QUEUE,
            {
                "type": "queue.update",
                "ids": [i["session"] for i in items],
                "per_position": per_position,
            },
        )
    except Exception:
        logger.exception("queue broadcast failed")


# Chats taken but left unanswered go back to the queue, and chats whose visitor left long
# ago end, even when no console that took them is open: every server process with chat
# sockets looks every TIDY_EVERY seconds (the services make sure only one acts on each).
TIDY_EVERY = 5.0
_tidy: asyncio.Task[None] | None = None


def keep_tidy(layer: Any) -> None:
    global _tidy
    if not _running(_tidy):
        _tidy = asyncio.ensure_future(_tidy_forever(layer))


async def _tidy_forever(layer: Any) -> None:
    while True:
        await asyncio.sleep(TIDY_EVERY)
        # Each on its own: catching up needs no Redis, so it goes on while Redis is away.
        for step in (partial(_requeue_and_sweep, layer), _catch_up):
            try:
                await step()
            except Exception:
                logger.exception("chat tidy-up failed")


async def _requeue_and_sweep(layer: Any) -> None:
    requeued = await db(services.chat_requeue_overdue)()
    for session_id in requeued:
        frame = {"type": "unassigned", "session": session_id, "reason": "timeout"}
        await layer.group_send(staff_group(session_id), {"type": "relay", "frame": frame})
        await layer.group_send(visitor_group(session_id), {"type": "session.requeued"})
    ended = await db(services.chat_sweep)()
    for session_id in ended:
        url = await db(selectors.chat_inquiry_url_of)(session_id)
        frame = {"type": "ended", "session": session_id, "by": "system", "register_url": url}
        await layer.group_send(staff_group(session_id), {"type": "relay", "frame": frame})
    if requeued or ended:
        broadcast_queue(layer)


# The sockets of this process, so a lost live frame can be found and made good.
_sockets: set[JsonConsumer] = set()


async def _catch_up() -> None:
    """Give each socket the messages its chats have that it was never sent.

    Live delivery goes through the channel layer, which can lose a frame (Redis gone for a
    moment, a socket subscribed a moment too late). The database has every message, so
    every few seconds each chat's latest number is compared with what each socket of this
    process has been given, and a gap that lasts is filled from the database.
    """
    loop = asyncio.get_running_loop()
    sockets = [s for s in list(_sockets) if s.loop is loop and s.delivered]
    sessions = sorted({session for s in sockets for session in s.delivered})
    if not sessions:
        return
    latest = await db(selectors.chat_last_seqs)(sessions)
    for sock in sockets:
        await sock.catch_up(latest)


class Bucket:
    """A token bucket: `rate` frames a second on average, bursts up to `burst`."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate, self.burst = rate, float(burst)
        self.tokens = float(burst)
        self.stamp = time.monotonic()
        self.refusals = 0

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        self.refusals += 1
        return False


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
        _sockets.add(self)
        keep_tidy(self.channel_layer)
        await super().websocket_connect(message)

    async def websocket_disconnect(self, message: dict[str, Any]) -> None:
        _sockets.discard(self)
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
        broadcast_queue(self.channel_layer)

    async def to_session(self, session_id: int, frame: dict[str, Any], visitor_first: bool) -> None:
        """Send a frame to both sides of a chat, the other side's group first."""
        event = {"type": "relay", "frame": frame}
        groups = [visitor_group(session_id), staff_group(session_id)]
        for group in groups if visitor_first else reversed(groups):
            await self.channel_layer.group_send(group, event)


class VisitorConsumer(JsonConsumer):
    """The anonymous visitor's socket: no cookie, no session, no origin check needed."""

    rate = 3.0
    burst = 15
    handlers = {
        "start": "on_start",
        "resume": "on_resume",
        "message": "on_message",
        "typing": "on_typing",
        "end": "on_end",
        "ping": "on_ping",
    }

    async def connect(self) -> None:
        self.socket = secrets.token_hex(16)
        self.session_id: int | None = None
        self.position: int | None = None
        self.queued = False
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.session_id is not None:
            await self.leave_groups()
            gone = await db(services.chat_visitor_presence)(
                session_id=self.session_id, socket=self.socket, connected=False
            )
            if gone:
                await self.channel_layer.group_send(
                    staff_group(self.session_id),
                    {
                        "type": "relay",
                        "frame": {
                            "type": "visitor",
                            "session": self.session_id,
                            "connected": False,
                        },
                    },
                )

    async def leave_groups(self) -> None:
        assert self.session_id is not None
        self.unfollow(self.session_id)
        await self.channel_layer.group_discard(visitor_group(self.session_id), self.channel_name)
        await self.channel_layer.group_discard(QUEUE, self.channel_name)
        self.queued = False

    async def attach(self, session: ChatSession, seen: int = 0) -> None:
        self.session_id = session.pk
        self.follow(session.pk, seen)
        await self.channel_layer.group_add(visitor_group(session.pk), self.channel_name)
        if session.status == ChatSession.Status.QUEUED:
            await self.channel_layer.group_add(QUEUE, self.channel_name)
            self.queued = True

    async def on_start(self, frame: dict[str, Any]) -> None:
        if self.session_id is not None:
            raise ChatError("already_started")
        hours = await db(selectors.chat_hours_status)()
        if not hours.is_open:
            await self.send_json(
                {
                    "type": "closed",
                    "next_open": hours.next_open.isoformat() if hours.next_open else None,
                }
            )
            return
        session, token = await db(services.chat_session_start)(
            age_group=frame.get("age_group"), theme=frame.get("theme"), socket=self.socket
        )
        await self.attach(session)
        await self.send_json(
            {
                "type": "started",
                "session": session.pk,
                "token": token,
                "max_length": services.MAX_TEXT,
            }
        )
        await self.broadcast_queue()

    async def on_resume(self, frame: dict[str, Any]) -> None:
        if self.session_id is not None:
            raise ChatError("already_started")
        last_seq = frame.get("last_seq", 0)
        if not isinstance(last_seq, int) or last_seq < 0:
            raise ChatError("malformed", "last_seq")
        session = await db(services.chat_session_by_token)(token=frame.get("token"))
        if session.status == ChatSession.Status.ENDED:
            await self.send_json({"type": "ended", "session": session.pk, "by": session.ended_by})
            return
        # Join the groups before reading the backlog, so nothing falls between the two;
        # the client drops any seq it already has.
        await self.attach(session, seen=last_seq)
        await db(services.chat_visitor_presence)(
            session_id=session.pk, socket=self.socket, connected=True
        )
        await self.send_json({"type": "resumed", "session": session.pk, "status": session.status})
        for message in await db(selectors.chat_messages_after)(session.pk, last_seq):
            await self.send_json(message)
        await self.channel_layer.group_send(
            staff_group(session.pk),
            {
                "type": "relay",
                "frame": {"type": "visitor", "session": session.pk, "connected": True},
            },
        )
        if session.status == ChatSession.Status.QUEUED:
            await self.broadcast_queue()
        else:
            await self.send_json({"type": "joined", "session": session.pk, "name": ""})

    async def on_message(self, frame: dict[str, Any]) -> None:
        if self.session_id is None:
            raise ChatError("not_started")
        message, new = await db(services.chat_message_post)(
            session_id=self.session_id,
            sender=ChatMessage.Sender.VISITOR,
            text=frame.get("text"),
            client_id=frame.get("client_id", ""),
        )
        # Tell the others first: should this socket be gone already, the message still
        # reaches the counsellor, and the page re-sends it for its ack (stored once).
        if new:
            await self.to_session(
                self.session_id, selectors.message_payload(message), visitor_first=False
            )
        await self.send_json({"type": "ack", "client_id": message.client_id, "seq": message.seq})

    async def on_typing(self, frame: dict[str, Any]) -> None:
        if self.session_id is None:
            raise ChatError("not_started")
        await self.channel_layer.group_send(
            staff_group(self.session_id),
            {
                "type": "relay",
                "frame": {
                    "type": "typing",
                    "session": self.session_id,
                    "from": "visitor",
                    "active": bool(frame.get("active")),
                },
            },
        )

    async def on_end(self, frame: dict[str, Any]) -> None:
        if self.session_id is None:
            # Quick exit before a chat began: nothing to end.
            await self.close()
            return
        session_id = self.session_id
        session = await db(services.chat_end)(session_id=session_id, by=ChatSession.EndedBy.VISITOR)
        await self.leave_groups()
        self.session_id = None
        await self.send_json({"type": "ended", "session": session_id, "by": "visitor"})
        url = await db(selectors.chat_inquiry_url)(session)
        await self.channel_layer.group_send(
            staff_group(session_id),
            {
                "type": "relay",
                "frame": {
                    "type": "ended",
                    "session": session_id,
                    "by": "visitor",
                    "register_url": url,
                },
            },
        )
        await self.broadcast_queue()

    async def on_ping(self, frame: dict[str, Any]) -> None:
        await self.send_json({"type": "pong"})

    # Channel-layer events.
    async def queue_update(self, event: dict[str, Any]) -> None:
        if not self.queued or self.session_id not in event["ids"]:
            return
        position = event["ids"].index(self.session_id) + 1
        if position != self.position:
            self.position = position
            await self.send_json(
                {
                    "type": "queue",
                    "position": position,
                    "wait_seconds": position * event["per_position"],
                }
            )

    async def session_joined(self, event: dict[str, Any]) -> None:
        if self.queued:
            await self.channel_layer.group_discard(QUEUE, self.channel_name)
            self.queued = False
        self.position = None
        await self.send_json(event["frame"])

    async def session_requeued(self, event: dict[str, Any]) -> None:
        await self.channel_layer.group_add(QUEUE, self.channel_name)
        self.queued = True
        self.position = None

    async def session_ended(self, event: dict[str, Any]) -> None:
        await self.send_json(event["frame"])
        if self.session_id is not None:
            await self.leave_groups()
            self.session_id = None


class StaffConsumer(JsonConsumer):
    """The counsellor's console socket: session cookie plus a verified second factor."""

    rate = 20.0
    burst = 60
    handlers = {
        "presence": "on_presence",
        "take": "on_take",
        "message": "on_message",
        "typing": "on_typing",
        "sync": "on_sync",
        "note": "on_note",
        "transfer": "on_transfer",
        "urgent": "on_urgent",
        "end": "on_end",
        "watch": "on_watch",
        "live": "on_live",
        "ping": "on_ping",
    }

    async def connect(self) -> None:
        self.user = self.scope.get("user")
        # The chats this console is joined to (its own and any it reads along).
        self.sessions: set[int] = set()
        self.registered = False
        if not await db(_staff_allowed)(self.scope):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.accept()
        self.registered = True
        self.supervisor = self.user.can("chat.supervise")
        await self.channel_layer.group_add(STAFF, self.channel_name)
        await self.channel_layer.group_add(user_group(self.user.pk), self.channel_name)
        if self.supervisor:
            await self.channel_layer.group_add(SUPERVISORS, self.channel_name)
        await db(services.chat_presence_connect)(user=self.user, connected=True)
        state = await db(_console_state)(self.user, self.supervisor)
        for chat in state["chats"]:
            await self.join(chat["session"])
        await self.send_json(state)

    async def disconnect(self, code: int) -> None:
        if self.registered:
            await db(services.chat_presence_connect)(user=self.user, connected=False)
            await self.channel_layer.group_discard(STAFF, self.channel_name)
            await self.channel_layer.group_discard(SUPERVISORS, self.channel_name)
            await self.channel_layer.group_discard(user_group(self.user.pk), self.channel_name)

    def session_of(self, frame: dict[str, Any]) -> int:
        session_id = frame.get("session")
        if not isinstance(session_id, int):
            raise ChatError("malformed", "session")
        return session_id

    async def on_presence(self, frame: dict[str, Any]) -> None:
        presence = await db(services.chat_presence_set)(user=self.user, status=frame.get("status"))
        await self.send_json({"type": "presence", "status": presence.status})

    async def on_take(self, frame: dict[str, Any]) -> None:
        session = await db(services.chat_take_next)(counsellor=self.user)
        if session is None:
            await self.error("queue_empty", ref="take")
            return
        await self.assigned(session.pk)
        await self.channel_layer.group_send(
            visitor_group(session.pk),
            {
                "type": "session.joined",
                "frame": {"type": "joined", "session": session.pk, "name": self.user.first_name},
            },
        )
        await self.broadcast_queue()

    async def join(self, session_id: int) -> None:
        self.sessions.add(session_id)
        self.follow(session_id)
        await self.channel_layer.group_add(staff_group(session_id), self.channel_name)

    async def leave(self, session_id: int) -> None:
        self.sessions.discard(session_id)
        self.unfollow(session_id)
        await self.channel_layer.group_discard(staff_group(session_id), self.channel_name)

    async def leave_and_tell(self, session_id: int, frame: dict[str, Any]) -> None:
        """Leave a chat's staff group, then tell this console and the others in the group.

        A group message reaches the sockets in the group when it arrives, not when it was
        sent: leaving first and telling this console directly means it hears exactly once.
        """
        await self.leave(session_id)
        await self.send_json(frame)
        await self.channel_layer.group_send(
            staff_group(session_id), {"type": "relay", "frame": frame}
        )

    async def assigned(self, session_id: int) -> None:
        await self.join(session_id)
        chat = await db(_chat_detail)(session_id)
        await self.send_json({"type": "assigned", "chat": chat})

    async def on_message(self, frame: dict[str, Any]) -> None:
        session_id = self.session_of(frame)
        message, new = await db(services.chat_message_post)(
            session_id=session_id,
            sender=ChatMessage.Sender.COUNSELLOR,
            text=frame.get("text"),
            author=self.user,
            client_id=frame.get("client_id", ""),
        )
        if new:
            await self.to_session(
                session_id, selectors.message_payload(message), visitor_first=True
            )
        await self.send_json(
            {
                "type": "ack",
                "session": session_id,
                "client_id": message.client_id,
                "seq": message.seq,
            }
        )

    async def on_typing(self, frame: dict[str, Any]) -> None:
        session_id = self.session_of(frame)
        # Only the chat's own counsellor types to the visitor; a manager reading along never.
        if session_id not in self.sessions or not await db(_owns)(self.user, session_id):
            raise ChatError("not_your_chat")
        await self.channel_layer.group_send(
            visitor_group(session_id),
            {
                "type": "relay",
                "frame": {
                    "type": "typing",
                    "from": "counsellor",
                    "active": bool(frame.get("active")),
                },
            },
        )

    async def on_sync(self, frame: dict[str, Any]) -> None:
        session_id = self.session_of(frame)
        last_seq = frame.get("last_seq", 0)
        if not isinstance(last_seq, int) or last_seq < 0:
            raise ChatError("malformed", "last_seq")
        if not await db(_may_read)(self.user, session_id):
            raise ChatError("not_your_chat")
        for message in await db(selectors.chat_messages_after)(session_id, last_seq):
            await self.send_json(message)

    async def on_note(self, frame: dict[str, Any]) -> None:
        session_id = self.session_of(frame)
        await db(services.chat_note_save)(
            session_id=session_id, actor=self.user, text=frame.get("text")
        )
        await self.send_json({"type": "note_saved", "session": session_id})

    async def on_transfer(self, frame: dict[str, Any]) -> None:
        session_id = self.session_of(frame)
        session = await db(services.chat_transfer)(
            session_id=session_id, actor=self.user, to_id=frame.get("to"), note=frame.get("note")
        )
        await self.leave(session_id)
        await self.send_json({"type": "unassigned", "session": session_id, "reason": "transferred"})
        await self.channel_layer.group_send(
            user_group(session.counsellor_id), {"type": "transfer.in", "session": session_id}
        )
        await self.channel_layer.group_send(
            visitor_group(session_id),
            {"type": "relay", "frame": {"type": "joined", "session": session_id, "name": ""}},
        )

    async def transfer_in(self, event: dict[str, Any]) -> None:
        await self.assigned(event["session"])

    async def on_urgent(self, frame: dict[str, Any]) -> None:
        session_id = self.session_of(frame)
        await db(services.chat_flag_urgent)(session_id=session_id, actor=self.user)
        await self.channel_layer.group_send(
            SUPERVISORS,
            {
                "type": "relay",
                "frame": {"type": "urgent", "session": session_id, "by": self.user.display_name},
            },
        )
        await self.send_json({"type": "urgent_sent", "session": session_id})

    async def on_end(self, frame: dict[str, Any]) -> None:
        session_id = self.session_of(frame)
        session = await db(services.chat_end)(
            session_id=session_id, by=ChatSession.EndedBy.COUNSELLOR, actor=self.user
        )
        await self.channel_layer.group_send(
            visitor_group(session_id),
            {
                "type": "session.ended",
                "frame": {"type": "ended", "session": session_id, "by": "counsellor"},
            },
        )
        url = await db(selectors.chat_inquiry_url)(session)
        frame = {"type": "ended", "session": session_id, "by": "counsellor", "register_url": url}
        await self.leave_and_tell(session_id, frame)
        await self.broadcast_queue()

    async def on_watch(self, frame: dict[str, Any]) -> None:
        session_id = self.session_of(frame)
        await db(services.chat_read_along)(session_id=session_id, actor=self.user)
        await self.join(session_id)
        chat = await db(_chat_detail)(session_id)
        await self.send_json({"type": "watching", "chat": chat})

    async def on_ping(self, frame: dict[str, Any]) -> None:
        await self.send_json({"type": "pong"})

    async def on_live(self, frame: dict[str, Any]) -> None:
        if not self.supervisor:
            raise ChatError("forbidden")
        items = await db(selectors.chat_live_sessions)()
        await self.send_json({"type": "live", "items": items})

    async def relay(self, event: dict[str, Any]) -> None:
        frame = event["frame"]
        if frame.get("type") in ("ended", "unassigned") and isinstance(frame.get("session"), int):
            await self.leave(frame["session"])
        await self.send_json(frame)


def _staff_allowed(scope: dict[str, Any]) -> bool:
    """Signed in, allowed the console, and (when required) past the second factor."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.models import Device

    user = scope.get("user")
    if user is None or not user.is_authenticated or not user.can("chat.console"):
        return False
    if not settings.HJELPELINJE_REQUIRE_2FA:
        return True
    session = scope.get("session")
    device_id = session.get(DEVICE_ID_SESSION_KEY) if session is not None else None
    if not device_id:
        return False
    device = Device.from_persistent_id(device_id)
    return device is not None and device.user_id == user.pk


def _owns(user: Any, session_id: int) -> bool:
    return ChatSession.objects.filter(
        pk=session_id, counsellor=user, status=ChatSession.Status.ACTIVE
    ).exists()


def _may_read(user: Any, session_id: int) -> bool:
    return ChatSession.objects.filter(pk=session_id, counsellor=user).exists() or (
        user.can("chat.supervise") and ChatSession.objects.filter(pk=session_id).exists()
    )


def _chat_detail(session_id: int) -> dict[str, Any]:
    session = ChatSession.objects.select_related("age_group", "theme", "counsellor").get(
        pk=session_id
    )
    return selectors.chat_session_summary(session) | {
        "messages": selectors.chat_messages_after(session_id, 0)
    }


def _console_state(user: Any, supervisor: bool) -> dict[str, Any]:
    status = (
        CounsellorPresence.objects.filter(user=user).values_list("status", flat=True).first()
        or CounsellorPresence.Status.AWAY
    )
    return {
        "type": "state",
        "presence": status,
        "limit": ChatSettings.current().max_chats_per_counsellor,
        "queue": selectors.chat_queue(),
        "chats": [_chat_detail(s.pk) for s in selectors.chat_sessions_of(user)],
        "live": selectors.chat_live_sessions() if supervisor else [],
        "canned": selectors.chat_canned_responses(),
        "colleagues": selectors.chat_colleagues(user),
    }
