"""Writes for the chat: the queue, assignment, messages and the end of a chat.

Every function is synchronous and atomic; the consumers call them through
`database_sync_to_async` and send live events only after they return (after commit),
so a message is always stored before anyone is told about it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import secrets
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any, ParamSpec, TypeVar

from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from hjelpelinje.accounts.models import User
from hjelpelinje.audit.services import audit_record
from hjelpelinje.chat import selectors
from hjelpelinje.chat.models import (
    CannedResponse,
    ChatMessage,
    ChatSession,
    ChatSettings,
    ClosedVisitDay,
    CounsellorPresence,
)
from hjelpelinje.core.timeutil import OSLO
from hjelpelinje.inquiries.models import Inquiry
from hjelpelinje.inquiries.services import InquiryData, inquiry_create
from hjelpelinje.taxonomy.models import Code

logger = logging.getLogger(__name__)

MAX_TEXT = 2000
# A message's `client_id` (the column's length): a longer one is refused, never cut.
MAX_CLIENT_ID = 40
# A queued visitor whose page has been gone this long has left; an answered one, longer.
QUEUED_GONE_AFTER = dt.timedelta(minutes=3)
ACTIVE_GONE_AFTER = dt.timedelta(minutes=15)
# Every server process vouches for its open visitor sockets every VISITOR_SEEN_EVERY
# seconds (sockets/tidy.py); a visitor no process has vouched for in this long is gone,
# even though no process saw the socket close (it died with its process).
VISITOR_UNSEEN_AFTER = dt.timedelta(seconds=90)
VISITOR_REVIVE_AFTER = dt.timedelta(seconds=10)


class ChatError(Exception):
    """A refusal with a stable code the consumer sends back as an `error` frame."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.detail = detail


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _code(list_name: str, value: object) -> Code | None:
    if not isinstance(value, str) or not value:
        return None
    return Code.objects.filter(list=list_name, code=value, active=True).first()


def chat_session_start(
    *,
    age_group: object = None,
    theme: object = None,
    socket: str = "",
    at: dt.datetime | None = None,
) -> tuple[ChatSession, str]:
    """Open a session in the queue; returns it and the resume token (never stored).

    Raises `queue_full` when as many chats wait as managers allow (ChatSettings.max_queue).
    """
    at = at or timezone.now()
    token = secrets.token_urlsafe(32)
    session = ChatSession(
        token_hash=_hash(token),
        visitor_socket=socket,
        visitor_seen_at=at,
        age_group=_code("age_group", age_group),
        theme=_code("theme", theme),
        created_at=at,
        queued_at=at,
    )
    session.full_clean()
    ChatSettings.current()
    with transaction.atomic():
        # The settings row is the lock that lines up concurrent starts, so two of them
        # cannot both take the last place. Starts are rare next to messages.
        cap = ChatSettings.objects.select_for_update().get(pk=1).max_queue
        if ChatSession.objects.filter(status=ChatSession.Status.QUEUED).count() >= cap:
            raise ChatError("queue_full")
        session.save()
    return session, token


def chat_session_by_token(*, token: object) -> ChatSession:
    if not isinstance(token, str) or not token or len(token) > 100:
        raise ChatError("unknown_session")
    session = ChatSession.objects.filter(token_hash=_hash(token)).first()
    if session is None:
        raise ChatError("unknown_session")
    return session


def chat_visitor_presence(*, session_id: int, socket: str, connected: bool) -> bool:
    """A visitor's socket attached to its chat or went away; returns whether that counts.

    The socket attached last is the visitor's: when the page has come back on a new socket
    before the server noticed the old one die (a tunnel), the old one closing later must
    not mark the visitor as gone, nor tell the counsellor so.
    """
    sessions = ChatSession.objects.filter(pk=session_id).exclude(status=ChatSession.Status.ENDED)
    if connected:
        return bool(
            sessions.update(
                visitor_socket=socket, visitor_left_at=None, visitor_seen_at=timezone.now()
            )
        )
    return bool(sessions.filter(visitor_socket=socket).update(visitor_left_at=timezone.now()))


def chat_message_post(
    *,
    session_id: int,
    sender: str,
    text: object,
    author: User | None = None,
    client_id: object = "",
) -> tuple[ChatMessage, bool]:
    """Store one message; returns it and whether it is new (a re-send is stored once).

    The message takes the session's next `seq`, so both sides see one gap-free order. This
    is the chat's hot path (every message of every chat passes here), so on PostgreSQL it
    is a single statement, one round trip to the database; elsewhere a short transaction.
    """
    if not isinstance(text, str) or not text.strip():
        raise ChatError("empty_message")
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise ChatError("message_too_long", f"max {MAX_TEXT}")
    if not isinstance(client_id, str) or len(client_id) > MAX_CLIENT_ID:
        # Never cut it: two ids that share a prefix are two messages.
        raise ChatError("malformed", "client_id")
    message = ChatMessage(
        session_id=session_id,
        sender=sender,
        author=author,
        client_id=client_id,
        body=text,
        created_at=timezone.now(),
    )
    store = _store_in_one_statement if connection.vendor == "postgresql" else _store_locked
    for _attempt in range(2):
        try:
            # A savepoint only when inside a caller's transaction: on its own the single
            # statement is atomic, and a savepoint would cost two more round trips.
            with transaction.atomic() if connection.in_atomic_block else nullcontext():
                if store(message):
                    return message, True
        except IntegrityError:
            pass  # the same re-send stored a moment ago by another connection
        # Nothing stored: say why, or hand back the copy stored earlier.
        session = ChatSession.objects.filter(pk=session_id).first()
        if session is None or session.status == ChatSession.Status.ENDED:
            raise ChatError("chat_ended")
        if sender == ChatMessage.Sender.COUNSELLOR and (
            author is None or session.counsellor_id != author.pk
        ):
            raise ChatError("not_your_chat")
        if message.client_id:
            existing = ChatMessage.objects.filter(
                session_id=session_id, sender=sender, client_id=message.client_id
            ).first()
            if existing is not None:
                return existing, False
    raise ChatError("chat_ended")  # pragma: no cover - the session changed under us twice


def _store_in_one_statement(message: ChatMessage) -> bool:
    """PostgreSQL: take the next seq and insert the message in one statement.

    The UPDATE locks the session row, so concurrent messages of one chat get consecutive
    numbers; it matches nothing when the chat has ended, belongs to another counsellor or
    already holds this re-send, and then nothing is inserted either.
    """
    session_table = ChatSession._meta.db_table
    message_table = ChatMessage._meta.db_table
    counsellor = message.sender == ChatMessage.Sender.COUNSELLOR
    body = ChatMessage._meta.get_field("body").get_db_prep_save(message.body, connection)
    # Table names come from the models; every value is a parameter.
    sql = f"""
        WITH s AS (
            UPDATE {session_table}
               SET last_seq = last_seq + 1,
                   answered_at = CASE WHEN %(counsellor)s
                                      THEN COALESCE(answered_at, %(now)s)
                                      ELSE answered_at END
             WHERE id = %(session)s
               AND status <> %(ended)s
               AND (NOT %(counsellor)s OR counsellor_id = %(author)s)
               AND NOT EXISTS (
                   SELECT 1 FROM {message_table}
                    WHERE session_id = %(session)s AND sender = %(sender)s
                      AND client_id = %(client_id)s AND %(client_id)s <> '')
         RETURNING id, last_seq
        )
        INSERT INTO {message_table}
               (session_id, seq, sender, author_id, client_id, body, created_at)
        SELECT id, last_seq, %(sender)s, %(author)s, %(client_id)s, %(body)s, %(now)s FROM s
        RETURNING id, seq
    """
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "session": message.session_id,
                "ended": ChatSession.Status.ENDED,
                "counsellor": counsellor,
                "author": message.author_id,
                "sender": message.sender,
                "client_id": message.client_id,
                "body": body,
                "now": message.created_at,
            },
        )
        row = cursor.fetchone()
    if row is None:
        return False
    message.pk, message.seq = row
    return True


def _store_locked(message: ChatMessage) -> bool:
    """Any other database (SQLite in development): the same, as a locked transaction."""
    with transaction.atomic():
        session = ChatSession.objects.select_for_update().filter(pk=message.session_id).first()
        if session is None or session.status == ChatSession.Status.ENDED:
            return False
        counsellor = message.sender == ChatMessage.Sender.COUNSELLOR
        if counsellor and session.counsellor_id != message.author_id:
            return False
        if (
            message.client_id
            and ChatMessage.objects.filter(
                session=session, sender=message.sender, client_id=message.client_id
            ).exists()
        ):
            return False
        message.seq = session.last_seq + 1
        message.save()
        updates: dict[str, object] = {"last_seq": message.seq}
        if counsellor and session.answered_at is None:
            updates["answered_at"] = message.created_at
        ChatSession.objects.filter(pk=session.pk).update(**updates)
    return True


# How long a counsellor's status outlives her last console (selectors.PRESENCE_GRACE).
PRESENCE_GRACE = selectors.PRESENCE_GRACE


def chat_presence_set(*, user: User, status: str) -> CounsellorPresence:
    """Set the account's status: every console of the account shows it (not one tab's)."""
    if status not in CounsellorPresence.Status.values:
        raise ChatError("bad_presence")
    presence, _created = CounsellorPresence.objects.get_or_create(user=user)
    presence.status = status
    presence.save(update_fields=["status", "updated_at"])
    return presence


def chat_presence_connect(
    *, user: User, connected: bool, at: dt.datetime | None = None
) -> CounsellorPresence:
    """Count a console of `user` opening or closing; returns the account's presence.

    Closing the last console does not make the counsellor away: a reload, the jump to the
    register form or a second console coming in a moment later must not drop her out of
    the queue's count. The status stands for PRESENCE_GRACE without a console (the
    tidy-up ends it then, chat_presence_expire) and until she logs out.
    """
    at = at or timezone.now()
    with transaction.atomic():
        presence, _created = CounsellorPresence.objects.select_for_update().get_or_create(user=user)
        if connected:
            if presence.connections == 0 and _expired(presence, at):
                presence.status = CounsellorPresence.Status.AWAY
            presence.connections += 1
            presence.left_at = None
            presence.seen_at = at
        elif presence.connections > 0:
            presence.connections -= 1
            if presence.connections == 0:
                presence.left_at = at
        presence.save(update_fields=["status", "connections", "left_at", "seen_at", "updated_at"])
    return presence


def _expired(presence: CounsellorPresence, at: dt.datetime) -> bool:
    return presence.left_at is not None and presence.left_at < at - PRESENCE_GRACE


def chat_presence_expire(*, at: dt.datetime | None = None) -> list[int]:
    """Make away every counsellor whose last console closed more than PRESENCE_GRACE ago;
    returns their user ids. Every server process's tidy-up calls this; each account is
    changed (and reported) by one only."""
    at = at or timezone.now()
    # Consoles that died with their process: nobody vouches for them, so none is open.
    CounsellorPresence.objects.filter(
        Q(seen_at__lt=at - selectors.PRESENCE_UNSEEN_AFTER) | Q(seen_at__isnull=True),
        connections__gt=0,
    ).update(connections=0, left_at=Coalesce(F("seen_at"), Value(at - PRESENCE_GRACE)))
    stale = CounsellorPresence.objects.filter(
        connections=0, left_at__lt=at - PRESENCE_GRACE
    ).exclude(status=CounsellorPresence.Status.AWAY)
    return [
        user_id
        for pk, user_id in stale.values_list("pk", "user_id")
        if stale.filter(pk=pk).update(status=CounsellorPresence.Status.AWAY)
    ]


def chat_presence_seen(*, user_ids: list[int], at: dt.datetime | None = None) -> None:
    """Vouch that consoles of these accounts are open in this server process."""
    if user_ids:
        CounsellorPresence.objects.filter(user_id__in=user_ids).update(seen_at=at or timezone.now())


def chat_presence_logout(*, user: User) -> None:
    """Logging out ends the counsellor's availability at once, on every console of hers;
    her colleagues' consoles and the waiting visitors hear it after commit."""
    changed = (
        CounsellorPresence.objects.filter(user=user)
        .exclude(status=CounsellorPresence.Status.AWAY)
        .update(status=CounsellorPresence.Status.AWAY)
    )
    if not changed:
        return
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    from hjelpelinje.chat.sockets.groups import STAFF, user_group

    def send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        try:
            frame = {"type": "presence", "status": CounsellorPresence.Status.AWAY}
            async_to_sync(layer.group_send)(user_group(user.pk), {"type": "relay", "frame": frame})
            colleagues = selectors.chat_available_colleagues()
            event = {"type": "presence.changed", "colleagues": colleagues}
            async_to_sync(layer.group_send)(STAFF, event)
        except Exception:
            # The logout stands; the colleagues' lists catch up at the next change.
            logger.exception("could not tell the consoles that a counsellor logged out")

    transaction.on_commit(send)


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _retry_deadlock(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run `func` again (twice at most) when PostgreSQL broke a deadlock by aborting it.

    Row locks taken in different orders by statements that run side by side (counsellors
    taking chats while the tidy-up vouches for hundreds of visitors) can meet in a cycle;
    PostgreSQL then aborts one of them, and doing that work again is the documented remedy.
    """

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        for attempt in range(3):
            try:
                return func(*args, **kwargs)
            except OperationalError as exc:
                if attempt == 2 or getattr(exc.__cause__, "sqlstate", None) != "40P01":
                    raise
        raise AssertionError("unreachable")

    return wrapper


@_retry_deadlock
def chat_take_next(*, counsellor: User) -> ChatSession | None:
    """Assign the longest-waiting chat to `counsellor`, within their limit."""
    chat_sweep()
    limit = ChatSettings.current().max_chats_per_counsellor
    with transaction.atomic():
        mine = ChatSession.objects.filter(
            counsellor=counsellor, status=ChatSession.Status.ACTIVE
        ).count()
        if mine >= limit:
            raise ChatError("limit_reached", str(limit))
        queued = ChatSession.objects.filter(status=ChatSession.Status.QUEUED).order_by(
            "queued_at", "pk"
        )
        # A chat another counsellor is taking this instant is passed over rather than
        # waited for: waiting on a row lock while holding one is how takes deadlock. Only
        # when every waiting chat is locked does this wait for the first.
        session = (
            queued.select_for_update(skip_locked=True).first() or queued.select_for_update().first()
        )
        if session is None:
            return None
        session.status = ChatSession.Status.ACTIVE
        session.counsellor = counsellor
        session.assigned_at = timezone.now()
        session.save(update_fields=["status", "counsellor", "assigned_at"])
    return session


def chat_requeue_if_unanswered(
    *, session_id: int, assigned_at: dt.datetime | None
) -> ChatSession | None:
    """Put a taken chat back in the queue if its counsellor has not answered in time.

    `assigned_at` pins the assignment the timer was set for, so a chat that has since been
    transferred is left alone.
    """
    with transaction.atomic():
        session = (
            ChatSession.objects.select_for_update()
            .filter(
                pk=session_id,
                status=ChatSession.Status.ACTIVE,
                assigned_at=assigned_at,
                answered_at__isnull=True,
            )
            .first()
        )
        if session is None:
            return None
        previous = session.counsellor
        session.status = ChatSession.Status.QUEUED
        session.counsellor = None
        session.assigned_at = None
        session.save(update_fields=["status", "counsellor", "assigned_at"])
    session.counsellor = previous  # for the caller to tell them
    return session


def chat_end(*, session_id: int, by: str, actor: User | None = None) -> ChatSession:
    """End a chat: the transcript goes now, or after the retention period managers set."""
    with transaction.atomic():
        session = ChatSession.objects.select_for_update().filter(pk=session_id).first()
        if session is None:
            raise ChatError("unknown_session")
        if session.status == ChatSession.Status.ENDED:
            return session
        if by == ChatSession.EndedBy.COUNSELLOR and (
            actor is None or session.counsellor_id != actor.pk
        ):
            raise ChatError("not_your_chat")
        now = timezone.now()
        retention = ChatSettings.current().retention_days
        session.status = ChatSession.Status.ENDED
        session.ended_at = now
        session.ended_by = by
        session.visitor_left_at = None
        if retention:
            session.purge_after = now + dt.timedelta(days=retention)
        else:
            _wipe(session)
        session.save()
    return session


def chat_end_by_token(*, token: object) -> ChatSession | None:
    """The visitor's page ends its chat by the token alone (the quick exit's beacon, see
    views.visitor_end). Returns the chat if this call ended it, None if there was nothing
    to end: an unknown token and a chat already ended look the same."""
    try:
        session = chat_session_by_token(token=token)
    except ChatError:
        return None
    return _visitor_end_if_open(ChatSession.objects.filter(pk=session.pk))


def chat_end_as_page_left(*, session_id: int, socket: str) -> ChatSession | None:
    """The browser closed the visitor's socket because its page went away (close code
    1001: the quick exit, a closed tab, another address typed), so the chat, which lived
    only in that page's memory, cannot come back: it ends now, not after the sweep's wait.
    Only while `socket` is still the chat's visitor socket: an older socket of a chat that
    was resumed elsewhere ends nothing. Returns the chat if this call ended it."""
    return _visitor_end_if_open(ChatSession.objects.filter(pk=session_id, visitor_socket=socket))


def _visitor_end_if_open(sessions: Any) -> ChatSession | None:
    """End the one chat of `sessions` for its visitor, unless it has ended already (the
    beacon and the socket can both arrive: only one of them reports the end)."""
    with transaction.atomic():
        open_ = sessions.select_for_update().exclude(status=ChatSession.Status.ENDED)
        session = open_.first()
        if session is None:
            return None
        return chat_end(session_id=session.pk, by=ChatSession.EndedBy.VISITOR)


def _wipe(session: ChatSession) -> None:
    session.messages.all().delete()
    session.note = ""
    session.transfer_note = ""
    session.purge_after = None


def chat_transfer(*, session_id: int, actor: User, to_id: object, note: object) -> ChatSession:
    """Warm transfer: hand the chat, with a note, to a colleague who is online."""
    if not isinstance(to_id, int):
        raise ChatError("bad_colleague")
    colleague = User.objects.filter(pk=to_id, is_active=True).first()
    if colleague is None or colleague.pk == actor.pk or not colleague.can("chat.console"):
        raise ChatError("bad_colleague")
    note = note.strip()[:MAX_TEXT] if isinstance(note, str) else ""
    with transaction.atomic():
        session = ChatSession.objects.select_for_update().filter(pk=session_id).first()
        if session is None or session.status != ChatSession.Status.ACTIVE:
            raise ChatError("chat_ended")
        if session.counsellor_id != actor.pk:
            raise ChatError("not_your_chat")
        session.counsellor = colleague
        session.transfer_note = note
        session.assigned_at = timezone.now()
        session.save(update_fields=["counsellor", "transfer_note", "assigned_at"])
    audit_record(
        actor=actor, action="chat.transfer", target_type="chat_session", target_id=session.pk
    )
    return session


def chat_flag_urgent(*, session_id: int, actor: User) -> ChatSession:
    with transaction.atomic():
        session = ChatSession.objects.select_for_update().filter(pk=session_id).first()
        if session is None or session.status == ChatSession.Status.ENDED:
            raise ChatError("chat_ended")
        if session.counsellor_id != actor.pk and not actor.can("chat.supervise"):
            raise ChatError("not_your_chat")
        session.urgent = True
        session.urgent_at = timezone.now()
        session.save(update_fields=["urgent", "urgent_at"])
    audit_record(
        actor=actor,
        action="chat.urgent",
        target_type="chat_session",
        target_id=session.pk,
        flagged=True,
    )
    return session


def chat_note_save(*, session_id: int, actor: User, text: object) -> None:
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        raise ChatError("message_too_long", f"max {MAX_TEXT}")
    session = ChatSession.objects.filter(
        pk=session_id, counsellor=actor, status=ChatSession.Status.ACTIVE
    ).first()
    if session is None:
        raise ChatError("not_your_chat")
    session.note = text
    session.save(update_fields=["note"])


def chat_read_along(*, session_id: int, actor: User) -> dict[str, Any]:
    """A manager opens a live chat to read along: the chat and its messages so far, read
    (and audited) through `chat_transcript_read`. What follows arrives live, as part of
    this one audited read."""
    if not actor.can("chat.supervise"):
        raise ChatError("forbidden")
    session = (
        ChatSession.objects.exclude(status=ChatSession.Status.ENDED)
        .select_related("age_group", "theme", "counsellor")
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        raise ChatError("unknown_session")
    messages = chat_transcript_read(actor=actor, session_id=session.pk, purpose="read_along")
    return selectors.chat_session_summary(session) | {"messages": messages}


# Why a member of staff reads a chat's messages, and the audit action the read is logged as.
TRANSCRIPT_READS = {
    "read_along": "chat.read_along",  # a manager reads along with a live chat
    "sync": "chat.transcript.view",  # a console asks for a chat's messages (`sync`)
}


@transaction.atomic
def chat_transcript_read(
    *, actor: User, session_id: int, purpose: str, after_seq: int = 0
) -> list[dict[str, Any]]:
    """The one way staff read a chat's messages other than their own live conversation.

    A counsellor reading her own active chat reads her own conversation: nothing is
    logged (the console's state and a chat just taken or handed over come through
    `selectors.chat_own_detail`, which reads nothing else). Every other read is allowed
    to the chat's counsellor and to managers only, and writes one audit entry naming the
    reader, the chat and `purpose`, never the text. That includes one's own chat after it
    ended and is kept for a retention period, and a chat whose transcript is already gone
    (the attempt is logged all the same). Anyone else gets `not_your_chat`, whether or not
    the chat exists.
    """
    action = TRANSCRIPT_READS[purpose]
    session = ChatSession.objects.filter(pk=session_id).only("pk", "status", "counsellor").first()
    if session is None:
        raise ChatError("not_your_chat")
    own = session.counsellor_id == actor.pk
    if not (own and session.status == ChatSession.Status.ACTIVE):
        if not own and not actor.can("chat.supervise"):
            raise ChatError("not_your_chat")
        audit_record(
            actor=actor,
            action=action,
            target_type="chat_session",
            target_id=session.pk,
            fields=["messages"],
        )
    return selectors.chat_messages_after(session.pk, after_seq)


@transaction.atomic
def chat_session_link_inquiry(*, session: ChatSession, inquiry: Inquiry, actor: User) -> None:
    """Tie the inquiry registered after a chat to its session, both ways: the chat knows
    its inquiry and the inquiry its chat (one column, `ChatSession.inquiry`)."""
    session.inquiry = inquiry
    session.save(update_fields=["inquiry"])
    audit_record(
        actor=actor,
        action="chat.link_inquiry",
        target_type="chat_session",
        target_id=session.pk,
        fields=["inquiry"],
    )


@transaction.atomic
def chat_inquiry_register(*, session_id: int, actor: User, data: InquiryData) -> Inquiry:
    """Record the inquiry a chat was and link the two, in one transaction.

    Raises `unknown_session` when the chat is not one `actor` may register (see
    selectors.chat_for_register), and `already_registered` when an inquiry that still
    exists was registered from it: a second tab or a second press must not count one
    chat twice. The chat's row is locked, so two saves at once make one inquiry.
    """
    if selectors.chat_for_register(actor, session_id) is None:
        raise ChatError("unknown_session")
    session = ChatSession.objects.select_for_update().get(pk=session_id)
    if selectors.chat_registered_inquiry(session) is not None:
        raise ChatError("already_registered")
    inquiry = inquiry_create(actor=actor, data=data)
    chat_session_link_inquiry(session=session, inquiry=inquiry, actor=actor)
    return inquiry


def chat_closed_visit(*, at: dt.datetime | None = None) -> None:
    """Count one visit while closed: the day and a number, nothing about who."""
    day = (at or timezone.now()).astimezone(OSLO).date()
    try:
        with transaction.atomic():
            ClosedVisitDay.objects.get_or_create(day=day)
    except IntegrityError:
        pass
    ClosedVisitDay.objects.filter(day=day).update(count=F("count") + 1)


@_retry_deadlock
def chat_visitors_seen(*, chats: list[tuple[int, str]], at: dt.datetime | None = None) -> list[int]:
    """Vouch that these visitor sockets, (chat id, socket name), are open in this process.

    Returns the chats whose visitor had been taken for gone although their socket was
    open all along (this process could not vouch in time, e.g. its database connection
    was away): they are back. A visitor marked gone in the last few seconds is left
    alone, since their socket may have closed while this list was being made.
    A few statements however many chats, each locking its rows only for a moment.
    """
    at = at or timezone.now()
    revived: list[int] = []
    for start in range(0, len(chats), 200):
        batch = chats[start : start + 200]
        sockets = ChatSession.objects.filter(
            pk__in=[pk for pk, _socket in batch],
            visitor_socket__in=[socket for _pk, socket in batch],
        ).exclude(status=ChatSession.Status.ENDED)
        long_gone = sockets.filter(visitor_left_at__lt=at - VISITOR_REVIVE_AFTER)
        revived += long_gone.values_list("pk", flat=True)
        long_gone.update(visitor_seen_at=at, visitor_left_at=None)
        sockets.filter(visitor_left_at__isnull=True).update(visitor_seen_at=at)
    return revived


def chat_visitors_unseen(*, at: dt.datetime | None = None) -> list[int]:
    """Mark as gone every visitor no process has vouched for lately; returns their chats.

    Their sockets died with a process, or their process could not record the close (the
    database away at that moment). From now on they count as gone like any other visitor
    (the sweep ends the chat if they do not come back); each is marked by one process only.
    """
    at = at or timezone.now()
    cutoff = at - VISITOR_UNSEEN_AFTER
    unseen = ChatSession.objects.filter(
        Q(visitor_seen_at__lt=cutoff) | Q(visitor_seen_at__isnull=True, created_at__lt=cutoff),
        status__in=[ChatSession.Status.QUEUED, ChatSession.Status.ACTIVE],
        visitor_left_at__isnull=True,
    )
    return [
        pk
        for pk in unseen.values_list("pk", flat=True)
        if unseen.filter(pk=pk).update(visitor_left_at=at)
    ]


def chat_sweep(*, at: dt.datetime | None = None) -> list[int]:
    """End chats whose visitor went away long ago and never came back; returns their ids.

    Every server process sweeps now and then: a chat is ended (and reported) by one only.
    """
    at = at or timezone.now()
    gone = ChatSession.objects.filter(
        Q(status=ChatSession.Status.QUEUED, visitor_left_at__lt=at - QUEUED_GONE_AFTER)
        | Q(status=ChatSession.Status.ACTIVE, visitor_left_at__lt=at - ACTIVE_GONE_AFTER)
    )
    ended = []
    for pk in gone.values_list("pk", flat=True):
        with transaction.atomic():
            if gone.select_for_update().filter(pk=pk).exists():
                chat_end(session_id=pk, by=ChatSession.EndedBy.SYSTEM)
                ended.append(pk)
    return ended


def chat_requeue_overdue(*, at: dt.datetime | None = None) -> list[int]:
    """Put back in the queue every chat taken but not answered in time; returns their ids.

    The console that took a chat may be long closed, so every server process runs this
    now and then; each chat is put back (and reported) by one only.
    """
    at = at or timezone.now()
    limit = dt.timedelta(seconds=ChatSettings.current().unanswered_seconds)
    overdue = ChatSession.objects.filter(
        status=ChatSession.Status.ACTIVE, answered_at__isnull=True, assigned_at__lt=at - limit
    ).values_list("pk", "assigned_at")
    requeued = []
    for pk, assigned_at in overdue:
        session = chat_requeue_if_unanswered(session_id=pk, assigned_at=assigned_at)
        if session is not None:
            requeued.append(pk)
    return requeued


def chat_purge(*, at: dt.datetime | None = None) -> int:
    """Delete transcripts whose retention period has run out; returns how many chats."""
    at = at or timezone.now()
    chat_sweep(at=at)
    count = 0
    for session in ChatSession.objects.filter(purge_after__lte=at):
        with transaction.atomic():
            _wipe(session)
            session.save(update_fields=["note", "transfer_note", "purge_after"])
        count += 1
    return count


def chat_settings_update(
    *,
    actor: User,
    max_chats_per_counsellor: int,
    unanswered_seconds: int,
    retention_days: int,
    max_queue: int | None = None,
) -> ChatSettings:
    obj = ChatSettings.current()
    obj.max_chats_per_counsellor = max_chats_per_counsellor
    obj.unanswered_seconds = unanswered_seconds
    obj.retention_days = retention_days
    if max_queue is not None:
        obj.max_queue = max_queue
    obj.full_clean()
    obj.save()
    audit_record(
        actor=actor,
        action="chat.settings",
        target_type="chat_settings",
        target_id=obj.pk,
        fields=["max_chats_per_counsellor", "unanswered_seconds", "retention_days", "max_queue"],
    )
    return obj


def canned_response_save(
    *, actor: User, title: str, body: str, position: int = 0, pk: int | None = None
) -> CannedResponse:
    obj = CannedResponse.objects.get(pk=pk) if pk else CannedResponse()
    obj.title, obj.body, obj.position = title, body, position
    obj.full_clean()
    obj.save()
    audit_record(actor=actor, action="chat.canned_save", target_type="canned", target_id=obj.pk)
    return obj


def canned_response_delete(*, actor: User, pk: int) -> None:
    CannedResponse.objects.filter(pk=pk).delete()
    audit_record(actor=actor, action="chat.canned_delete", target_type="canned", target_id=pk)
