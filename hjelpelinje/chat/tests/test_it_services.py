from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from hjelpelinje.accounts.models import User
from hjelpelinje.audit.models import AuditEntry
from hjelpelinje.chat import services
from hjelpelinje.chat.models import (
    ChatMessage,
    ChatSession,
    ChatSettings,
    ClosedVisitDay,
)
from hjelpelinje.chat.selectors import chat_inquiry_url, chat_queue
from hjelpelinje.chat.services import ChatError

pytestmark = pytest.mark.django_db


def test_queue_is_first_come_first_served_and_take_respects_the_limit(counsellor: User) -> None:
    t0 = timezone.now()
    first, _ = services.chat_session_start(at=t0 - dt.timedelta(minutes=5))
    second, _ = services.chat_session_start(at=t0 - dt.timedelta(minutes=1))
    assert [i["session"] for i in chat_queue()] == [first.pk, second.pk]
    ChatSettings.objects.update_or_create(pk=1, defaults={"max_chats_per_counsellor": 1})
    taken = services.chat_take_next(counsellor=counsellor)
    assert taken is not None and taken.pk == first.pk
    with pytest.raises(ChatError) as refused:
        services.chat_take_next(counsellor=counsellor)
    assert refused.value.code == "limit_reached"
    assert [i["session"] for i in chat_queue()] == [second.pk]


def test_messages_are_numbered_and_a_resend_is_stored_once(counsellor: User) -> None:
    session, _ = services.chat_session_start()
    m1, new1 = services.chat_message_post(
        session_id=session.pk, sender="visitor", text="hei", client_id="a1"
    )
    again, new2 = services.chat_message_post(
        session_id=session.pk, sender="visitor", text="hei", client_id="a1"
    )
    assert (m1.seq, new1, again.seq, new2) == (1, True, 1, False)
    with pytest.raises(ChatError) as not_theirs:
        services.chat_message_post(
            session_id=session.pk, sender="counsellor", text="x", author=counsellor
        )
    assert not_theirs.value.code == "not_your_chat"
    services.chat_take_next(counsellor=counsellor)
    m2, _ = services.chat_message_post(
        session_id=session.pk, sender="counsellor", text="Hei, jeg heter Kari", author=counsellor
    )
    assert m2.seq == 2
    session.refresh_from_db()
    assert session.answered_at is not None
    with pytest.raises(ChatError) as too_long:
        services.chat_message_post(session_id=session.pk, sender="visitor", text="x" * 2001)
    assert too_long.value.code == "message_too_long"


def test_transcript_is_deleted_at_the_end_by_default(counsellor: User) -> None:
    session, _ = services.chat_session_start()
    services.chat_take_next(counsellor=counsellor)
    services.chat_message_post(session_id=session.pk, sender="visitor", text="hemmelig")
    services.chat_note_save(session_id=session.pk, actor=counsellor, text="notat")
    services.chat_end(session_id=session.pk, by="counsellor", actor=counsellor)
    session.refresh_from_db()
    assert not ChatMessage.objects.filter(session=session).exists()
    assert session.note == "" and session.status == "ended" and session.ended_at is not None


def test_retention_keeps_transcript_encrypted_until_purge(counsellor: User) -> None:
    ChatSettings.objects.update_or_create(pk=1, defaults={"retention_days": 30})
    session, _ = services.chat_session_start()
    services.chat_take_next(counsellor=counsellor)
    services.chat_message_post(session_id=session.pk, sender="visitor", text="hemmelig")
    services.chat_end(session_id=session.pk, by="visitor")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM chat_chatmessage")
        (raw,) = cursor.fetchone()
    assert "hemmelig" not in raw
    assert services.chat_purge(at=timezone.now() + dt.timedelta(days=29)) == 0
    assert ChatMessage.objects.filter(session=session).count() == 1
    assert services.chat_purge(at=timezone.now() + dt.timedelta(days=31)) == 1
    assert not ChatMessage.objects.filter(session=session).exists()
    assert ChatSession.objects.filter(pk=session.pk, status="ended").exists()


def test_unanswered_chat_goes_back_to_the_queue(counsellor: User) -> None:
    session, _ = services.chat_session_start()
    answered, _ = services.chat_session_start()
    assert services.chat_take_next(counsellor=counsellor) is not None
    assert services.chat_take_next(counsellor=counsellor) is not None
    services.chat_message_post(
        session_id=answered.pk, sender="counsellor", text="Hei", author=counsellor
    )
    later = timezone.now() + dt.timedelta(seconds=ChatSettings.current().unanswered_seconds + 1)
    assert services.chat_requeue_overdue(at=timezone.now()) == []
    assert services.chat_requeue_overdue(at=later) == [session.pk]
    assert services.chat_requeue_overdue(at=later) == []  # once, whoever looks next
    assert [i["session"] for i in chat_queue()] == [session.pk]
    # It keeps its place: first in, first out.
    taken = services.chat_take_next(counsellor=counsellor)
    assert taken is not None and taken.pk == session.pk
    back = services.chat_requeue_if_unanswered(session_id=session.pk, assigned_at=taken.assigned_at)
    assert back is not None
    assert [i["session"] for i in chat_queue()] == [session.pk]
    # An answered chat stays with its counsellor.
    again = services.chat_take_next(counsellor=counsellor)
    assert again is not None
    services.chat_message_post(
        session_id=session.pk, sender="counsellor", text="Hei", author=counsellor
    )
    assert (
        services.chat_requeue_if_unanswered(session_id=session.pk, assigned_at=again.assigned_at)
        is None
    )


def test_transfer_urgent_and_read_along_are_audited(
    counsellor: User, other_counsellor: User, manager: User
) -> None:
    session, _ = services.chat_session_start()
    services.chat_take_next(counsellor=counsellor)
    services.chat_flag_urgent(session_id=session.pk, actor=counsellor)
    services.chat_transfer(
        session_id=session.pk, actor=counsellor, to_id=other_counsellor.pk, note="Overtar"
    )
    session.refresh_from_db()
    assert session.counsellor == other_counsellor and session.urgent
    services.chat_read_along(session_id=session.pk, actor=manager)
    with pytest.raises(ChatError):
        services.chat_read_along(session_id=session.pk, actor=counsellor)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"chat.urgent", "chat.transfer", "chat.read_along"} <= actions


def test_closed_visits_are_a_bare_daily_count() -> None:
    services.chat_closed_visit()
    services.chat_closed_visit()
    row = ClosedVisitDay.objects.get()
    assert row.count == 2
    assert [f.name for f in ClosedVisitDay._meta.get_fields()] == ["day", "count"]


def test_visitor_gone_from_the_queue_is_ended_as_abandoned() -> None:
    session, _ = services.chat_session_start(socket="s1")
    assert services.chat_visitor_presence(session_id=session.pk, socket="s1", connected=False)
    ended = services.chat_sweep(at=timezone.now() + dt.timedelta(minutes=5))
    session.refresh_from_db()
    assert ended == [session.pk] and session.abandoned


def test_an_old_socket_closing_after_the_page_came_back_does_not_count(
    counsellor: User,
) -> None:
    """A tunnel: the page resumes on a new socket before the server has noticed the old
    one die; when the old one finally closes, the visitor is still there."""
    session, _ = services.chat_session_start(socket="old")
    services.chat_take_next(counsellor=counsellor)
    assert services.chat_visitor_presence(session_id=session.pk, socket="new", connected=True)
    assert not services.chat_visitor_presence(session_id=session.pk, socket="old", connected=False)
    assert services.chat_sweep(at=timezone.now() + dt.timedelta(hours=1)) == []
    assert chat_queue() == [] and ChatSession.objects.get(pk=session.pk).visitor_left_at is None


def test_inquiry_link_is_prefilled_without_personal_data(counsellor: User) -> None:
    from hjelpelinje.taxonomy.models import Code

    age = Code.objects.filter(list="age_group").first()
    theme = Code.objects.filter(list="theme").first()
    assert age and theme
    session, _ = services.chat_session_start(age_group=age.code, theme=theme.code)
    services.chat_take_next(counsellor=counsellor)
    session.refresh_from_db()
    # The form reads the rest from the chat on the server (inquiries/tests/test_it_from_chat).
    assert chat_inquiry_url(session) == f"/staff/inquiries/ny/?chat={session.pk}"


def test_purge_command_deletes_expired_transcripts(counsellor: User) -> None:
    from io import StringIO

    from django.core.management import call_command

    ChatSettings.objects.update_or_create(pk=1, defaults={"retention_days": 1})
    session, _ = services.chat_session_start()
    services.chat_message_post(session_id=session.pk, sender="visitor", text="hei")
    services.chat_end(session_id=session.pk, by="visitor")
    ChatSession.objects.filter(pk=session.pk).update(
        purge_after=timezone.now() - dt.timedelta(minutes=1)
    )
    out = StringIO()
    call_command("purge", stdout=out)
    assert "1 transcript" in out.getvalue()
    assert not ChatMessage.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one connection write at a time; production runs PostgreSQL",
)
def test_messages_sent_at_once_keep_one_gap_free_order_and_racing_resends_store_once(
    counsellor: User,
) -> None:
    """Eight connections post into one chat at the same moment; every two of them post the
    same messages (a page re-sending what the server already has, racing itself)."""
    session, _ = services.chat_session_start()
    services.chat_take_next(counsellor=counsellor)
    start = threading.Barrier(8)
    results: list[tuple[ChatMessage, bool]] = []

    def post(worker: int) -> None:
        counsellor_side = worker >= 4
        try:
            start.wait()
            for k in range(5):
                results.append(
                    services.chat_message_post(
                        session_id=session.pk,
                        sender="counsellor" if counsellor_side else "visitor",
                        author=counsellor if counsellor_side else None,
                        text=f"melding {k}",
                        client_id=f"w{worker // 2}-{k}",
                    )
                )
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(results) == 40, "a post failed instead of answering"
    stored = list(ChatMessage.objects.filter(session=session).order_by("seq"))
    assert [m.seq for m in stored] == list(range(1, 21))
    assert len({(m.sender, m.client_id) for m in stored}) == 20
    assert sum(new for _message, new in results) == 20
    seqs_per_message: dict[str, set[int]] = {}
    for message, _new in results:
        seqs_per_message.setdefault(message.client_id, set()).add(message.seq)
    assert all(len(seqs) == 1 for seqs in seqs_per_message.values())
    session.refresh_from_db()
    assert session.last_seq == 20 and session.answered_at is not None


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one connection write at a time; production runs PostgreSQL",
)
def test_counsellors_taking_while_the_tidy_up_vouches_never_fail(counsellor: User) -> None:
    """Six counsellors empty a queue of 200 at once while two processes vouch for every
    visitor over and over (as the tidy-up does): no take fails (the benchmark met a
    deadlock here), and every chat is taken exactly once."""
    from hjelpelinje.chat.models import ChatSettings

    ChatSettings.current()
    ChatSettings.objects.update(max_queue=1000, max_chats_per_counsellor=1000)
    chats = []
    for i in range(200):
        session, _ = services.chat_session_start(socket=f"s{i}")
        chats.append((session.pk, f"s{i}"))
    counsellors = [counsellor] + [
        User.objects.create_user(username=f"r{i}", password="x" * 12, role="counsellor")
        for i in range(5)
    ]
    start = threading.Barrier(len(counsellors) + 2)
    taken: list[int] = []
    failures: list[BaseException] = []
    done = threading.Event()

    def take(user: User) -> None:
        try:
            start.wait()
            while (session := services.chat_take_next(counsellor=user)) is not None:
                taken.append(session.pk)
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    def vouch(order: int) -> None:
        try:
            start.wait()
            while not done.is_set():
                services.chat_visitors_seen(chats=chats[::order])
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    takers = [threading.Thread(target=take, args=(u,)) for u in counsellors]
    vouchers = [threading.Thread(target=vouch, args=(o,)) for o in (1, -1)]
    for thread in takers + vouchers:
        thread.start()
    for thread in takers:
        thread.join()
    done.set()
    for thread in vouchers:
        thread.join()

    assert failures == []
    assert sorted(taken) == sorted(pk for pk, _ in chats)
