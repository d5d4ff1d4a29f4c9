"""Reads for the chat: queue, transcripts, open-or-closed, and who may see what."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from hjelpelinje.accounts.models import User
from hjelpelinje.chat.models import (
    CannedResponse,
    ChatMessage,
    ChatSession,
    ChatSettings,
    CounsellorPresence,
)
from hjelpelinje.core.timeutil import OSLO
from hjelpelinje.hours.selectors import hours_status, hours_week_summary
from hjelpelinje.inquiries.models import Inquiry

# How long a chat takes, for the queue's estimate, when there is no recent history.
DEFAULT_CHAT_SECONDS = 15 * 60
# A counsellor's status outlives her last console this long (a reload, the register form
# in the same tab, a dropped line); then the tidy-up makes her away (docs/chat-protocol.md).
PRESENCE_GRACE = dt.timedelta(minutes=2)
# Every server process vouches for its open consoles every minute (sockets/tidy.py); an
# account with consoles nobody has vouched for in this long lost them with a process.
PRESENCE_UNSEEN_AFTER = dt.timedelta(minutes=3)


@dataclass(frozen=True)
class ChatHours:
    is_open: bool
    closes_at: dt.datetime | None
    next_open: dt.datetime | None


def chat_hours_status(at: dt.datetime | None = None) -> ChatHours:
    """Is the chat open at `at`? The one place the chat asks the `hours` app.

    Tests that need an open or closed chat monkeypatch this function.
    """
    status = hours_status(channel="chat", at=at or timezone.now())
    return ChatHours(
        is_open=bool(status.is_open), closes_at=status.closes_at, next_open=status.next_open
    )


def chat_phone_hours() -> list[tuple[str, str]]:
    """(weekday, "09:00–16:00") for each day the phone is open, shown when the chat is closed."""
    rows = []
    for label, intervals in hours_week_summary("phone"):
        if intervals:
            spans = ", ".join(f"{o:%H:%M}–{c:%H:%M}" for o, c in intervals)
            rows.append((label, spans))
    return rows


def chat_queue() -> list[dict[str, Any]]:
    """Waiting chats, longest-waiting first, as the console shows them."""
    rows = (
        ChatSession.objects.filter(status=ChatSession.Status.QUEUED)
        .select_related("age_group", "theme")
        .order_by("queued_at", "pk")
    )
    return [
        {
            "session": s.pk,
            "queued_at": s.queued_at.isoformat(),
            "age_group": s.age_group.label if s.age_group else "",
            "theme": s.theme.label if s.theme else "",
            "connected": s.visitor_left_at is None,
        }
        for s in rows
    ]


def chat_wait_per_position(now: dt.datetime | None = None, available: int | None = None) -> int:
    """Seconds of waiting per place in the queue: how long a chat takes (the median of
    the last day's ended chats), shared among the chats the available counsellors can
    hold at once. With nobody available there is no honest estimate: the visitor is told
    that instead (see chat_available_count), and this counts as if one were."""
    now = now or timezone.now()
    if available is None:
        available = chat_available_count(now)
    recent = (
        ChatSession.objects.filter(
            ended_at__gte=now - dt.timedelta(days=1), assigned_at__isnull=False
        )
        .order_by("-ended_at")
        .values_list("assigned_at", "ended_at")[:20]
    )
    lengths = [(end - start).total_seconds() for start, end in recent if start and end]
    chat_seconds = statistics.median(lengths) if lengths else DEFAULT_CHAT_SECONDS
    slots = max(1, available) * ChatSettings.current().max_chats_per_counsellor
    return int(min(900, max(30, chat_seconds / slots)))


def message_payload(message: ChatMessage) -> dict[str, Any]:
    return {
        "type": "message",
        "session": message.session_id,
        "seq": message.seq,
        "from": message.sender,
        "text": message.body,
        "at": message.created_at.isoformat(),
    }


def chat_messages_after(session_id: int, seq: int) -> list[dict[str, Any]]:
    return [
        message_payload(m)
        for m in ChatMessage.objects.filter(session_id=session_id, seq__gt=seq).order_by("seq")
    ]


def chat_session_summary(session: ChatSession) -> dict[str, Any]:
    return {
        "session": session.pk,
        "status": session.status,
        "queued_at": session.queued_at.isoformat(),
        "age_group": session.age_group.label if session.age_group else "",
        "theme": session.theme.label if session.theme else "",
        "urgent": session.urgent,
        "note": session.note,
        "transfer_note": session.transfer_note,
        "counsellor": session.counsellor.display_name if session.counsellor else "",
        "connected": session.visitor_left_at is None,
    }


def chat_sessions_of(user: User) -> QuerySet[ChatSession]:
    return ChatSession.objects.filter(
        counsellor=user, status=ChatSession.Status.ACTIVE
    ).select_related("age_group", "theme", "counsellor")


def chat_live_sessions() -> list[dict[str, Any]]:
    """Every chat not yet ended, for the managers' overview."""
    rows = (
        ChatSession.objects.exclude(status=ChatSession.Status.ENDED)
        .select_related("age_group", "theme", "counsellor")
        .order_by("queued_at")
    )
    return [chat_session_summary(s) | {"note": "", "transfer_note": ""} for s in rows]


def _available(now: dt.datetime | None = None) -> QuerySet[CounsellorPresence]:
    """Counsellors who can take a chat: available, with a console open or closed less than
    PRESENCE_GRACE ago (a reload or a moment in the register form keeps her counted)."""
    now = now or timezone.now()
    return CounsellorPresence.objects.filter(
        Q(connections__gt=0, seen_at__gte=now - PRESENCE_UNSEEN_AFTER)
        | Q(left_at__gte=now - PRESENCE_GRACE),
        status=CounsellorPresence.Status.AVAILABLE,
    )


def chat_available_colleagues() -> list[dict[str, Any]]:
    """Every available counsellor as `{id, name}`; each console leaves out its own."""
    rows = _available().select_related("user").order_by("user__first_name", "user_id")
    return [{"id": p.user_id, "name": p.user.display_name} for p in rows]


def chat_colleagues(user: User) -> list[dict[str, Any]]:
    """Counsellors who are online and available, to hand a chat over to."""
    return [c for c in chat_available_colleagues() if c["id"] != user.pk]


def chat_canned_responses() -> list[dict[str, str]]:
    return [{"title": c.title, "body": c.body} for c in CannedResponse.objects.all()]


def chat_available_count(now: dt.datetime | None = None) -> int:
    return _available(now).count()


def _among(session_ids: list[int]) -> Q | RawSQL:
    """A filter for "one of these chats", for the tidy-up's queries over every chat open in
    a server process, every few seconds. On PostgreSQL the ids go as one array parameter:
    the ORM's `pk__in` prepares each of a thousand ids in Python, milliseconds of a worker
    thread holding the GIL, and so holding up the event loop, every time."""
    if connection.vendor != "postgresql":
        return Q(pk__in=session_ids)
    meta, quote = ChatSession._meta, connection.ops.quote_name
    return RawSQL(  # noqa: S611 (names from the model, the ids a parameter)
        f"{quote(meta.db_table)}.{quote(meta.pk.column)} = ANY(%s)",
        [list(session_ids)],
        output_field=BooleanField(),
    )


def chat_last_seqs(session_ids: list[int]) -> dict[int, int]:
    """The latest message number of each chat (the tidy-up's catch-up)."""
    return dict(ChatSession.objects.filter(_among(session_ids)).values_list("pk", "last_seq"))


def chat_ended_before(session_ids: list[int], *, seconds: float) -> dict[int, str]:
    """Of these chats, those that ended more than `seconds` ago, with who ended them."""
    cutoff = timezone.now() - dt.timedelta(seconds=seconds)
    return dict(
        ChatSession.objects.filter(
            _among(session_ids), status=ChatSession.Status.ENDED, ended_at__lt=cutoff
        ).values_list("pk", "ended_by")
    )


def chat_inquiry_url_of(session_id: int) -> str:
    return chat_inquiry_url(ChatSession.objects.get(pk=session_id))


def chat_inquiry_url(session: ChatSession) -> str:
    """The register's inquiry form for this chat.

    The address carries the chat's number and nothing else: the form reads the age group,
    theme and time from the chat on the server, for a counsellor allowed to see it
    (chat_for_register), so nothing about the visitor is in a URL and nothing the form
    shows can be forged by editing one.
    """
    from django.urls import reverse

    return f"{reverse('inquiries:create')}?{urlencode({'chat': session.pk})}"


def chat_for_register(user: User, session_id: object) -> ChatSession | None:
    """The chat `user` may register an inquiry from, or None (no such chat, or not hers).

    The counsellor who had the chat may, and so may a manager (who supervises every
    chat); a colleague may not, so a chat number typed into the address reveals nothing.
    """
    try:
        pk = int(str(session_id))
    except ValueError:
        return None
    session = (
        ChatSession.objects.filter(pk=pk).select_related("age_group", "theme", "inquiry").first()
    )
    if session is None or session.assigned_at is None:
        return None
    if session.counsellor_id == user.pk or user.can("chat.supervise"):
        return session
    return None


def chat_registered_inquiry(session: ChatSession) -> Inquiry | None:
    """The inquiry already registered from this chat (a deleted one does not count)."""
    inquiry = session.inquiry
    return inquiry if inquiry is not None and inquiry.deleted_at is None else None


def chat_register_initial(session: ChatSession) -> dict[str, Any]:
    """What the visitor told before the chat, as the inquiry form's initial values.

    The time is when she started the chat (she reached out then, as a phone call's time
    is when it rang), so inquiries and chats count the same hours.
    """
    from hjelpelinje.taxonomy.models import Code

    initial: dict[str, Any] = {
        "occurred_at": session.created_at.astimezone(OSLO).strftime("%Y-%m-%dT%H:%M"),
    }
    channel = Code.objects.filter(list="channel", code="chat").first()
    if channel is not None:
        initial["channel"] = channel.pk
    if session.age_group_id is not None:
        initial["age_group"] = session.age_group_id
    if session.theme_id is not None:
        initial["themes"] = [session.theme_id]
    return initial


def chat_of_inquiry(inquiry_id: int) -> ChatSession | None:
    """The chat an inquiry was registered from, if any."""
    return ChatSession.objects.filter(inquiry_id=inquiry_id).first()


def chat_unregistered_of(user: User, *, days: int = 7, limit: int = 20) -> list[ChatSession]:
    """The counsellor's answered chats of the last `days` that ended with no inquiry yet,
    newest first: the console forgets an ended chat when it reloads, the register does not."""
    since = timezone.now() - dt.timedelta(days=days)
    rows = (
        ChatSession.objects.filter(
            counsellor=user,
            status=ChatSession.Status.ENDED,
            answered_at__isnull=False,
            created_at__gte=since,
        )
        .filter(Q(inquiry__isnull=True) | Q(inquiry__deleted_at__isnull=False))
        .order_by("-created_at")
    )
    return list(rows[:limit])


def chat_detail(session_id: int) -> dict[str, Any]:
    """A chat with its whole transcript, unaudited: only for a counsellor's own active
    chat (see chat_own_detail); every other read goes through
    services.chat_transcript_read, which logs it."""
    session = ChatSession.objects.select_related("age_group", "theme", "counsellor").get(
        pk=session_id
    )
    return chat_session_summary(session) | {"messages": chat_messages_after(session_id, 0)}


def chat_own_detail(user: Any, session_id: int) -> dict[str, Any] | None:
    """The counsellor's own active chat with its transcript, or None if it is not (or no
    longer) hers: reading one's own conversation needs no audit entry."""
    own = ChatSession.objects.filter(
        pk=session_id, counsellor=user, status=ChatSession.Status.ACTIVE
    ).exists()
    return chat_detail(session_id) if own else None


def chat_console_state(user: Any, supervisor: bool) -> dict[str, Any]:
    status = (
        CounsellorPresence.objects.filter(user=user).values_list("status", flat=True).first()
        or CounsellorPresence.Status.AWAY
    )
    return {
        "type": "state",
        "presence": status,
        "limit": ChatSettings.current().max_chats_per_counsellor,
        "queue": chat_queue(),
        "chats": [chat_detail(s.pk) for s in chat_sessions_of(user)],
        "live": chat_live_sessions() if supervisor else [],
        "canned": chat_canned_responses(),
        "colleagues": chat_colleagues(user),
    }
