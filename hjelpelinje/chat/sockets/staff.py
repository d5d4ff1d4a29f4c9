"""The counsellor's console socket.

A console lives only as long as the login it was opened under. When a login ends
(logout, the idle timeout, deactivation, a new password, a reset second factor, a new
role) the socket closes with CLOSE_LOGIN_ENDED: at once when the accounts service's
`login.ended` event arrives, and in any case within LOGIN_CHECK_EVERY seconds, since the
socket checks its login that often by itself. Work on the console counts as activity for
the idle timeout, as a page request does.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import time
from typing import Any

from hjelpelinje.accounts.services import login_ref
from hjelpelinje.chat import access, selectors, services
from hjelpelinje.chat.models import ChatMessage, ChatSession
from hjelpelinje.chat.services import ChatError
from hjelpelinje.chat.sockets import tidy
from hjelpelinje.chat.sockets.base import MAX_FRAME, JsonConsumer, discard_quietly
from hjelpelinje.chat.sockets.db import db
from hjelpelinje.chat.sockets.frames import frame_bool, frame_client_id, frame_int, frame_str
from hjelpelinje.chat.sockets.groups import (
    CLOSE_FORBIDDEN,
    CLOSE_LOGIN_ENDED,
    STAFF,
    SUPERVISORS,
    staff_group,
    user_group,
    visitor_group,
)

logger = logging.getLogger(__name__)

# How often a console checks that its login still stands, by itself and before a frame.
LOGIN_CHECK_EVERY = 5.0
# Work on the console moves the session's idle expiry on at most this often (one write).
ACTIVITY_EXTENDS_EVERY = 60.0
# Frames a console sends by itself, not its person: they never count as activity.
NOT_ACTIVITY = frozenset({"ping", "live"})


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
        self.login_over = False
        self.login: access.StaffLogin | None = None
        if await db(access.staff_allowed)(self.scope):
            self.login = access.staff_login(self.scope)
        if self.login is None:
            if await db(access.staff_login_gone)(self.scope):
                # A console coming back after its login ended (say, the line was down while
                # it idled out) is told so, as an open one would be: a refused handshake
                # looks like a dropped line to a browser, which would keep retrying.
                await self.accept()
                await self.close(code=CLOSE_LOGIN_ENDED)
                return
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.login_ref = login_ref(self.login.session_key)
        self.login_checked = self.login_extended = time.monotonic()
        await self.accept()
        self.registered = True
        self.login_watch = asyncio.ensure_future(self.watch_login())
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
        watch = getattr(self, "login_watch", None)
        if watch is not None and watch is not asyncio.current_task():
            watch.cancel()
        await self.unregister()

    def console_of(self) -> int | None:
        return self.user.pk if getattr(self, "registered", False) else None

    async def unregister(self) -> None:
        if not self.registered:
            return
        self.registered = False
        await self.channel_layer.group_discard(STAFF, self.channel_name)
        await self.channel_layer.group_discard(SUPERVISORS, self.channel_name)
        await self.channel_layer.group_discard(user_group(self.user.pk), self.channel_name)
        for session_id in list(self.sessions):
            await self.leave(session_id)
        await db(services.chat_presence_connect)(user=self.user, connected=False)

    # The login behind the socket.

    async def watch_login(self) -> None:
        """Check the login every LOGIN_CHECK_EVERY seconds, so that a login that ended
        without an event (the idle timeout, or an event lost on the way) ends the socket.

        Each console starts at a random point of the period: consoles that connected
        together (a server restart) would otherwise all ask the database at the same
        instant, and the messages of every chat would queue behind that burst."""
        self.login_checked -= random.uniform(0, LOGIN_CHECK_EVERY)
        while not self.login_over:
            # Until the next check is due (a frame may have checked meanwhile).
            due = self.login_checked + LOGIN_CHECK_EVERY - time.monotonic()
            await asyncio.sleep(max(due, 0.05))
            if time.monotonic() - self.login_checked >= LOGIN_CHECK_EVERY:
                try:
                    await self.check_login(activity=False)
                except Exception:
                    # This watch must outlive any one failure, or the socket would
                    # outlive its login.
                    logger.exception("console login watch failed")

    async def check_login(self, activity: bool) -> bool:
        """Whether the login still stands; if not, the socket is closed."""
        if self.login_over or self.login is None:
            return False
        now = time.monotonic()
        extend = activity and now - self.login_extended >= ACTIVITY_EXTENDS_EVERY
        self.login_checked = now
        try:
            holds = await db(access.staff_login_holds)(self.login, extend=extend)
        except Exception:
            # The database is away: nothing the console asks for can be done now either.
            # Keep the socket; the next check decides.
            logger.exception("console login check failed")
            return True
        if not holds:
            await self.end_login()
            return False
        if extend:
            self.login_extended = now
        return True

    async def end_login(self) -> None:
        if self.login_over:
            return
        self.login_over = True
        # Out of every group first, so the closed console takes no chat and hears nothing;
        # closed in any case (and frames after this are not handled, see `receive`).
        try:
            await self.unregister()
        except Exception:
            logger.exception("console clean-up at the end of its login failed")
        await self.close(code=CLOSE_LOGIN_ENDED)

    async def login_ended(self, event: dict[str, Any]) -> None:
        """From the accounts service: a login of this account ended ("" = all of them)."""
        if event.get("login") in ("", self.login_ref):
            await self.end_login()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.login_over:
            return
        # A frame is handled only under a login checked within the last few seconds; the
        # frame is looked at (parsed once more) only when a check or an extension is due.
        now = time.monotonic()
        due_check = now - self.login_checked >= LOGIN_CHECK_EVERY
        due_extend = now - self.login_extended >= ACTIVITY_EXTENDS_EVERY
        if due_check or due_extend:
            activity = _is_activity(text_data)
            if (due_check or activity) and not await self.check_login(activity=activity):
                return
        await super().receive(text_data=text_data, bytes_data=bytes_data)

    async def send_json(self, payload: dict[str, Any]) -> None:
        if self.login_over:
            return  # the socket is closing: nothing more goes out on it
        await super().send_json(payload)

    def session_of(self, frame: dict[str, Any]) -> int:
        return frame_int(frame, "session", minimum=1)

    async def on_presence(self, frame: dict[str, Any]) -> None:
        presence = await db(services.chat_presence_set)(
            user=self.user, status=frame_str(frame, "status")
        )
        # The status is the account's: every console of hers shows it, and her colleagues'
        # consoles and the waiting visitors hear who is available now.
        await self.to_account({"type": "presence", "status": presence.status})
        await tidy.broadcast_presence(self.channel_layer)

    async def on_take(self, frame: dict[str, Any]) -> None:
        session = await db(services.chat_take_next)(counsellor=self.user)
        if session is None:
            await self.error("queue_empty", ref="take")
            return
        await self.assigned(session.pk)
        # Her other consoles open the chat too (assigned() joins them to its group).
        await self.channel_layer.group_send(
            user_group(self.user.pk),
            {"type": "chat.assigned", "session": session.pk, "skip": self.channel_name},
        )
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
        """Out of a chat's group; never fails, Redis away or not (discard_quietly)."""
        self.sessions.discard(session_id)
        self.unfollow(session_id)
        await discard_quietly(self.channel_layer, staff_group(session_id), self.channel_name)

    async def leave_and_tell(self, session_id: int, frame: dict[str, Any]) -> None:
        """Leave a chat's staff group, then tell this console and the others in the group.

        A group message reaches the sockets in the group when it arrives, not when it was
        sent: leaving first and telling this console directly means it hears exactly once.
        """
        await self.leave(session_id)
        await self.send_json(frame)
        await self.layer_send(staff_group(session_id), {"type": "relay", "frame": frame})

    async def assigned(self, session_id: int) -> None:
        await self.join(session_id)
        chat = await db(selectors.chat_own_detail)(self.user, session_id)
        if chat is None:  # handed on again, or ended, before it got here
            await self.leave(session_id)
            return
        await self.send_json({"type": "assigned", "chat": chat})

    async def on_message(self, frame: dict[str, Any]) -> None:
        session_id = self.session_of(frame)
        message, new = await db(services.chat_message_post)(
            session_id=session_id,
            sender=ChatMessage.Sender.COUNSELLOR,
            text=frame_str(frame, "text"),
            author=self.user,
            client_id=frame_client_id(frame),
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
        active = frame_bool(frame, "active")
        # Only the chat's own counsellor types to the visitor; a manager reading along never.
        if session_id not in self.sessions or not await db(access.owns)(self.user, session_id):
            raise ChatError("not_your_chat")
        await self.layer_send(
            visitor_group(session_id),
            {
                "type": "relay",
                "frame": {
                    "type": "typing",
                    "from": "counsellor",
                    "active": active,
                },
            },
        )

    async def on_sync(self, frame: dict[str, Any]) -> None:
        session_id = self.session_of(frame)
        last_seq = frame_int(frame, "last_seq", default=0)
        # Anything but one's own live chat is a read that is logged (chat_transcript_read).
        messages = await db(services.chat_transcript_read)(
            actor=self.user, session_id=session_id, purpose="sync", after_seq=last_seq
        )
        for message in messages:
            await self.send_json(message)

    async def on_note(self, frame: dict[str, Any]) -> None:
        session_id = self.session_of(frame)
        await db(services.chat_note_save)(
            session_id=session_id, actor=self.user, text=frame_str(frame, "text")
        )
        await self.send_json({"type": "note_saved", "session": session_id})

    async def on_transfer(self, frame: dict[str, Any]) -> None:
        session_id = self.session_of(frame)
        session = await db(services.chat_transfer)(
            session_id=session_id,
            actor=self.user,
            to_id=frame_int(frame, "to", minimum=1),
            note=frame_str(frame, "note"),
        )
        await self.leave(session_id)
        await self.to_account(
            {"type": "unassigned", "session": session_id, "reason": "transferred"}
        )
        await self.channel_layer.group_send(
            user_group(session.counsellor_id), {"type": "transfer.in", "session": session_id}
        )
        await self.channel_layer.group_send(
            visitor_group(session_id),
            {"type": "relay", "frame": {"type": "joined", "session": session_id, "name": ""}},
        )

    async def transfer_in(self, event: dict[str, Any]) -> None:
        await self.assigned(event["session"])

    async def chat_assigned(self, event: dict[str, Any]) -> None:
        """Another console of this account took a chat: this one opens it as well."""
        if event.get("skip") != self.channel_name:
            await self.assigned(event["session"])

    async def to_account(self, frame: dict[str, Any]) -> None:
        """Send a frame to every console of this account: this one at once, the others
        through the account's group (`relay` below passes over the one that sent it)."""
        await self.relay({"frame": frame})
        await self.channel_layer.group_send(
            user_group(self.user.pk), {"type": "relay", "frame": frame, "skip": self.channel_name}
        )

    async def presence_changed(self, event: dict[str, Any]) -> None:
        """Someone's availability changed: the transfer list, and the waiting visitors'
        estimate (or the word that nobody is there), are brought up to date."""
        items = [c for c in event["colleagues"] if c["id"] != self.user.pk]
        await self.send_json({"type": "colleagues", "items": items})
        await self.broadcast_queue()

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
        # Ended in the database: with Redis away the visitor's page hears it from the
        # tidy-up (tidy._heal_ended), and this console is told all the same.
        await self.layer_send(
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
        # Checked, logged and read first; a message posted before the console joins the
        # chat's group reaches it through the tidy-up's catch-up, within seconds.
        chat = await db(services.chat_read_along)(session_id=session_id, actor=self.user)
        await self.join(session_id)
        await self.send_json({"type": "watching", "chat": chat})

    async def on_ping(self, frame: dict[str, Any]) -> None:
        await self.send_json({"type": "pong"})

    async def on_live(self, frame: dict[str, Any]) -> None:
        if not self.supervisor:
            raise ChatError("forbidden")
        items = await db(selectors.chat_live_sessions)()
        await self.send_json({"type": "live", "items": items})

    async def heard_ended(self, frame: dict[str, Any]) -> None:
        if frame.get("session") in self.sessions:
            await self.relay({"frame": frame})

    async def relay(self, event: dict[str, Any]) -> None:
        if event.get("skip") is not None and event.get("skip") == self.channel_name:
            return  # sent to its account's consoles by this one, which has it already
        frame = event["frame"]
        if frame.get("type") in ("ended", "unassigned") and isinstance(frame.get("session"), int):
            await self.leave(frame["session"])
        await self.send_json(frame)


def _is_activity(text_data: str | None) -> bool:
    """Whether a frame is the person at work (not a heartbeat or an automatic refresh)."""
    if text_data is None or len(text_data) > MAX_FRAME:
        return False
    with contextlib.suppress(ValueError, RecursionError):
        frame = json.loads(text_data)
        kind = frame.get("type") if isinstance(frame, dict) else None
        # A `type` may be any JSON value; a list in a set test would raise.
        return isinstance(kind, str) and kind not in NOT_ACTIVITY
    return False
