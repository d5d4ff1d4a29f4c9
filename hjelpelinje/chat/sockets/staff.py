"""The counsellor's console socket."""

from __future__ import annotations

from typing import Any

from hjelpelinje.chat import access, selectors, services
from hjelpelinje.chat.models import ChatMessage, ChatSession
from hjelpelinje.chat.services import ChatError
from hjelpelinje.chat.sockets.base import JsonConsumer
from hjelpelinje.chat.sockets.db import db
from hjelpelinje.chat.sockets.groups import (
    CLOSE_FORBIDDEN,
    STAFF,
    SUPERVISORS,
    staff_group,
    user_group,
    visitor_group,
)


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
        if not await db(access.staff_allowed)(self.scope):
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
        state = await db(selectors.chat_console_state)(self.user, self.supervisor)
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
        chat = await db(selectors.chat_detail)(session_id)
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
        if session_id not in self.sessions or not await db(access.owns)(self.user, session_id):
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
        if not await db(access.may_read)(self.user, session_id):
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
        chat = await db(selectors.chat_detail)(session_id)
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
