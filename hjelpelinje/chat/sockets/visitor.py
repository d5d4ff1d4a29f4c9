"""The anonymous visitor's socket: what happens when a visitor starts, resumes, writes,
ends, and when the socket dies."""

from __future__ import annotations

import logging
import secrets
from typing import Any

from django.conf import settings

from hjelpelinje.chat import pow, selectors, services
from hjelpelinje.chat.models import ChatMessage, ChatSession
from hjelpelinje.chat.services import ChatError
from hjelpelinje.chat.sockets import tidy
from hjelpelinje.chat.sockets.base import JsonConsumer, discard_quietly, send_quietly
from hjelpelinje.chat.sockets.db import db
from hjelpelinje.chat.sockets.frames import frame_bool, frame_client_id, frame_int, frame_str
from hjelpelinje.chat.sockets.groups import (
    CLOSE_GOING_AWAY,
    CLOSE_SUPERSEDED,
    QUEUE,
    staff_group,
    visitor_group,
)
from hjelpelinje.chat.sockets.limits import STARTS_PER_SOCKET, client_key, client_may_start

logger = logging.getLogger(__name__)


async def tell_ended_by_visitor(layer: Any, session: ChatSession) -> None:
    """The visitor ended `session` (by the end button, the quick exit's beacon, or by
    leaving the page): the counsellor's console, any other socket of the visitor's page,
    and the queue hear it. The chat is ended in the database already: with Redis away,
    the consoles hear it from the tidy-up instead (tidy._heal_ended)."""
    url = await db(selectors.chat_inquiry_url)(session)
    frame = {"type": "ended", "session": session.pk, "by": "visitor", "register_url": url}
    await send_quietly(layer, staff_group(session.pk), {"type": "relay", "frame": frame})
    await send_quietly(
        layer,
        visitor_group(session.pk),
        {
            "type": "session.ended",
            "frame": {"type": "ended", "session": session.pk, "by": "visitor"},
        },
    )
    tidy.broadcast_queue(layer)


class VisitorConsumer(JsonConsumer):
    """The anonymous visitor's socket: no cookie, no session, no origin check needed."""

    rate = 3.0
    burst = 15
    handlers = {
        "challenge": "on_challenge",
        "start": "on_start",
        "resume": "on_resume",
        "message": "on_message",
        "typing": "on_typing",
        "sync": "on_sync",
        "end": "on_end",
        "ping": "on_ping",
    }

    async def connect(self) -> None:
        self.socket = secrets.token_hex(16)
        self.session_id: int | None = None
        # The chat this socket last carried, once it has ended: a `message`, `typing` or
        # `end` after `ended` is told `chat_ended`, not `not_started` (a client that missed
        # the `ended` frame learns what happened). A new `start` forgets it.
        self.ended_session: int | None = None
        # A `resume` on another socket took this socket's chat over (session_superseded).
        self.superseded = False
        self.position: int | None = None
        self.queued = False
        self.starts = 0
        client = self.scope.get("client")
        # Only a keyed hash of the address is kept, in memory, for the per-client limit.
        self.client = client_key(client[0] if client else None)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        """The socket is gone, however it went (JsonConsumer.gone runs this once).

        Marking the visitor gone comes first and each step stands alone, so a failing
        step (the database or Redis away for a moment) does not skip the others. Should
        marking fail, this process stops vouching for the socket and the tidy-up marks
        the visitor gone a little later (services.chat_visitors_unseen).
        """
        session_id = self.session_id
        if session_id is None:
            return
        queued = self.queued
        if code == CLOSE_GOING_AWAY and await self.end_as_page_left(session_id):
            return
        gone = False
        try:
            gone = await db(services.chat_visitor_presence)(
                session_id=session_id, socket=self.socket, connected=False
            )
        except Exception:
            logger.exception("marking a visitor gone failed")
        if gone:
            frame = {"type": "visitor", "session": session_id, "connected": False}
            try:
                await self.channel_layer.group_send(
                    staff_group(session_id), {"type": "relay", "frame": frame}
                )
            except Exception:
                logger.exception("telling the consoles a visitor left failed")
            if queued:
                # The consoles' queue shows who is still there.
                await self.broadcast_queue()
        try:
            await self.leave_groups()
        except Exception:
            logger.exception("leaving a chat's groups failed")

    async def end_as_page_left(self, session_id: int) -> bool:
        """The page went away (see services.chat_end_as_page_left): in Firefox the quick
        exit's `end` frame never leaves the page, but this close does. Returns whether the
        chat is taken care of; if not (the database away), it counts as a visitor gone."""
        try:
            session = await db(services.chat_end_as_page_left)(
                session_id=session_id, socket=self.socket
            )
        except Exception:
            logger.exception("ending the chat of a page that went away failed")
            return False
        if session is None:
            return False
        try:
            await self.leave_groups()
            self.session_id = None
            await tell_ended_by_visitor(self.channel_layer, session)
        except Exception:
            logger.exception("telling the consoles a visitor left failed")
        return True

    def unavailable(self, exc: BaseException) -> dict[str, Any]:
        # A visitor who cannot chat now can still call.
        return super().unavailable(exc) | {"phone": settings.HJELPELINJE_PHONE_NUMBER}

    def visitor_chat(self) -> tuple[int, str] | None:
        return None if self.session_id is None else (self.session_id, self.socket)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.superseded:
            return  # closing: what the client sent after the takeover is not handled
        await super().receive(text_data=text_data, bytes_data=bytes_data)

    def chat_of(self) -> int:
        """The chat a `message`, `typing` or `end` is for, or the coded reason there is none."""
        if self.session_id is not None:
            return self.session_id
        raise ChatError("chat_ended" if self.ended_session is not None else "not_started")

    async def leave_groups(self) -> None:
        """Out of the chat's groups; never fails, Redis away or not (discard_quietly)."""
        assert self.session_id is not None
        self.unfollow(self.session_id)
        self.queued = False
        for group in (visitor_group(self.session_id), QUEUE):
            await discard_quietly(self.channel_layer, group, self.channel_name)

    async def attach(self, session: ChatSession, seen: int = 0) -> None:
        self.session_id = session.pk
        self.follow(session.pk, seen)
        await self.channel_layer.group_add(visitor_group(session.pk), self.channel_name)
        if session.status == ChatSession.Status.QUEUED:
            await self.channel_layer.group_add(QUEUE, self.channel_name)
            self.queued = True

    async def on_challenge(self, frame: dict[str, Any]) -> None:
        await self.send_json({"type": "challenge", **pow.challenge_create()})

    async def on_start(self, frame: dict[str, Any]) -> None:
        if self.session_id is not None:
            raise ChatError("already_started")
        if self.starts >= STARTS_PER_SOCKET:
            raise ChatError("start_limit", f"max {STARTS_PER_SOCKET}")
        # Read before the proof of work is spent on a frame that is then refused.
        age_group, theme = frame_str(frame, "age_group"), frame_str(frame, "theme")
        try:
            session, token = await self.make_chat(frame, age_group, theme)
        except ChatError:
            raise
        except Exception as exc:
            # Nothing was made (the database or Redis away): the page starts again on a
            # new socket, which it opens by itself with a growing delay.
            await self.try_again(exc)
            return
        if session is None:
            return  # told `closed` or `busy`
        self.starts += 1
        self.ended_session = None
        started = {
            "type": "started",
            "session": session.pk,
            "token": token,
            "max_length": services.MAX_TEXT,
        }
        try:
            await self.attach(session)
        except Exception as exc:
            # The chat is made, but this socket is not in its groups: the page gets its
            # token, and its `resume` on the next socket joins them.
            await self.send_json(started)
            await self.try_again(exc)
            return
        await self.send_json(started)
        await self.broadcast_queue()

    async def make_chat(
        self, frame: dict[str, Any], age_group: str, theme: str
    ) -> tuple[ChatSession | None, str]:
        """A new chat for a `start`, or None once the visitor was told why not."""
        hours = await db(selectors.chat_hours_status)()
        if not hours.is_open:
            await self.send_json(
                {
                    "type": "closed",
                    "next_open": hours.next_open.isoformat() if hours.next_open else None,
                }
            )
            return None, ""
        # Only a start that has done its work goes further, and so into the statistics.
        await db(pow.solution_check)(frame.get("pow"))
        if not client_may_start(self.client):
            await self.busy()
            return None, ""
        try:
            return await db(services.chat_session_start)(  # type: ignore[no-any-return]
                age_group=age_group, theme=theme, socket=self.socket
            )
        except ChatError as exc:
            if exc.code != "queue_full":
                raise
            await self.busy()
            return None, ""

    async def busy(self) -> None:
        """No place in the queue now: the phone number and its hours instead of a wait."""
        week = await db(selectors.chat_phone_hours)()
        await self.send_json(
            {
                "type": "busy",
                "phone": settings.HJELPELINJE_PHONE_NUMBER,
                "hours": [{"days": str(days), "hours": str(spans)} for days, spans in week],
            }
        )

    async def on_resume(self, frame: dict[str, Any]) -> None:
        if self.session_id is not None:
            raise ChatError("already_started")
        last_seq = frame_int(frame, "last_seq", default=0)
        session = await db(services.chat_session_by_token)(token=frame_str(frame, "token"))
        if session.status == ChatSession.Status.ENDED:
            self.ended_session = session.pk
            await self.send_json({"type": "ended", "session": session.pk, "by": session.ended_by})
            return
        # Join the groups before reading the backlog, so nothing falls between the two;
        # the client drops any seq it already has.
        await self.attach(session, seen=last_seq)
        await db(services.chat_visitor_presence)(
            session_id=session.pk, socket=self.socket, connected=True
        )
        # The chat is this socket's now. An older socket of it (a page that came back
        # before the server noticed its old line die, or a second holder of the token)
        # is closed with CLOSE_SUPERSEDED and hears nothing more of the chat; after this
        # socket joined the group, so that no frame of the chat falls between the two.
        await self.channel_layer.group_send(
            visitor_group(session.pk),
            {"type": "session.superseded", "session": session.pk, "socket": self.socket},
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
        session_id = self.chat_of()
        message, new = await db(services.chat_message_post)(
            session_id=session_id,
            sender=ChatMessage.Sender.VISITOR,
            text=frame_str(frame, "text"),
            client_id=frame_client_id(frame),
        )
        # Tell the others first: should this socket be gone already, the message still
        # reaches the counsellor, and the page re-sends it for its ack (stored once).
        if new:
            payload = selectors.message_payload(message)
            await self.to_session(session_id, payload, visitor_first=False)
        await self.send_json({"type": "ack", "client_id": message.client_id, "seq": message.seq})

    async def on_sync(self, frame: dict[str, Any]) -> None:
        """The page saw a gap in the numbers: every stored message after `last_seq`."""
        session_id = self.chat_of()
        last_seq = frame_int(frame, "last_seq", default=0)
        for message in await db(selectors.chat_messages_after)(session_id, last_seq):
            await self.send_json(message)

    async def on_typing(self, frame: dict[str, Any]) -> None:
        session_id = self.chat_of()
        # Not stored: a notice the channel layer cannot carry now is simply lost.
        await self.layer_send(
            staff_group(session_id),
            {
                "type": "relay",
                "frame": {
                    "type": "typing",
                    "session": session_id,
                    "from": "visitor",
                    "active": frame_bool(frame, "active"),
                },
            },
        )

    async def on_end(self, frame: dict[str, Any]) -> None:
        # Nothing to end (the quick exit before a chat began, or a second `end`) gets a
        # coded answer, `not_started` or `chat_ended` as a `message` would, and the socket
        # stays open: the client (the visitor page on its way out) closes it.
        session_id = self.chat_of()
        session = await db(services.chat_end)(session_id=session_id, by=ChatSession.EndedBy.VISITOR)
        # Ended in the database: from here on nothing Redis does makes it an error.
        await self.leave_groups()
        self.session_id = None
        self.ended_session = session_id
        await self.send_json({"type": "ended", "session": session_id, "by": "visitor"})
        await tell_ended_by_visitor(self.channel_layer, session)

    async def heard_ended(self, frame: dict[str, Any]) -> None:
        if frame.get("session") == self.session_id:
            await self.session_ended({"frame": {k: frame[k] for k in ("type", "session", "by")}})

    async def on_ping(self, frame: dict[str, Any]) -> None:
        await self.send_json({"type": "pong"})

    # Channel-layer events.
    async def queue_update(self, event: dict[str, Any]) -> None:
        if not self.queued or self.session_id not in event["ids"]:
            return
        position = event["ids"].index(self.session_id) + 1
        # Told again when nobody is left to answer, or someone is back (see tidy.py).
        available = event.get("available", 1)
        nobody = not available
        if position != self.position or nobody != getattr(self, "nobody", None):
            self.position = position
            self.nobody = nobody
            frame = {
                "type": "queue",
                "position": position,
                "wait_seconds": position * event["per_position"],
                "available": available,
            }
            if nobody:
                frame |= {"phone": event.get("phone", ""), "hours": event.get("hours", [])}
            await self.send_json(frame)

    async def session_joined(self, event: dict[str, Any]) -> None:
        if self.queued:
            await self.channel_layer.group_discard(QUEUE, self.channel_name)
            self.queued = False
        self.position = None
        await self.send_json(event["frame"])

    async def session_requeued(self, event: dict[str, Any]) -> None:
        if self.superseded:
            return  # sent before this socket left the chat's group
        await self.channel_layer.group_add(QUEUE, self.channel_name)
        self.queued = True
        self.position = None

    async def session_ended(self, event: dict[str, Any]) -> None:
        await self.send_json(event["frame"])
        if self.session_id is not None:
            await self.leave_groups()
            self.ended_session = self.session_id
            self.session_id = None

    async def session_superseded(self, event: dict[str, Any]) -> None:
        """A `resume` on another socket took this socket's chat over (see on_resume)."""
        if event["socket"] == self.socket or event["session"] != self.session_id:
            return
        self.superseded = True
        # Out of the chat's groups first: nothing more of it reaches this socket, and its
        # close does not mark the visitor gone (the chat has a live socket).
        await self.leave_groups()
        self.session_id = None
        await self.close(code=CLOSE_SUPERSEDED)
