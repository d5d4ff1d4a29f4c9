"""Every read of a chat's messages other than one's own live conversation is logged, once,
through one service (chat_transcript_read), and the log never holds the text."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections
from django.utils.html import escape

from hjelpelinje.accounts.models import User
from hjelpelinje.audit.labels import action_label
from hjelpelinje.audit.models import AuditEntry
from hjelpelinje.chat import services
from hjelpelinje.chat.models import ChatSession, ChatSettings
from hjelpelinje.chat.tests.communicator import WebsocketCommunicator, staff_socket

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("chat_open")]

SECRET = "Jeg heter Sara og bor i Storgata 5"
READS = ("chat.transcript.view", "chat.read_along")


@pytest.fixture(autouse=True)
async def _close_connections_of_the_async_orm() -> AsyncIterator[None]:
    yield
    await sync_to_async(connections.close_all)()


def a_chat_with(counsellor: User) -> ChatSession:
    """A chat the counsellor has taken, where the visitor has said who she is."""
    session, _ = services.chat_session_start()
    services.chat_take_next(counsellor=counsellor)
    services.chat_message_post(session_id=session.pk, sender="visitor", text=SECRET)
    services.chat_message_post(
        session_id=session.pk, sender="counsellor", text="Takk, Sara.", author=counsellor
    )
    return session


async def console(user: User) -> WebsocketCommunicator:
    from conftest import verified_client

    client = await sync_to_async(verified_client)(user)
    ws = staff_socket(client.cookies[settings.SESSION_COOKIE_NAME].value)
    assert (await ws.connect())[0]
    return ws


async def answer(ws: WebsocketCommunicator, frame: dict[str, Any]) -> list[dict[str, Any]]:
    """What the console gets for `frame`: every frame up to the pong of a ping after it."""
    await ws.send_json_to(frame)
    await ws.send_json_to({"type": "ping"})
    got = []
    while (reply := await ws.receive_json_from())["type"] != "pong":
        got.append(reply)
    return got


def texts(frames: list[dict[str, Any]]) -> list[str]:
    return [f["text"] for f in frames if f["type"] == "message"]


async def reads() -> list[AuditEntry]:
    return [e async for e in AuditEntry.objects.filter(action__in=READS).order_by("pk")]


async def test_a_managers_sync_of_anothers_chat_is_logged_once_and_shown_in_the_log(
    counsellor: User, manager: User, client_for: Any
) -> None:
    chat = await sync_to_async(a_chat_with)(counsellor)
    ws = await console(manager)
    got = await answer(ws, {"type": "sync", "session": chat.pk, "last_seq": 0})
    assert texts(got) == [SECRET, "Takk, Sara."]

    [entry] = await reads()
    assert (entry.action, entry.actor_id, entry.target_type, entry.target_id) == (
        "chat.transcript.view",
        manager.pk,
        "chat_session",
        str(chat.pk),
    )
    everything = str([e async for e in AuditEntry.objects.values()])
    assert "Sara" not in everything and "Storgata" not in everything
    # The log page shows the read to whoever reads the log.
    reader = await sync_to_async(client_for)(manager)
    page = await sync_to_async(reader.get)(
        f"/staff/audit/?target_type=chat_session&target_id={chat.pk}"
    )
    html = page.content.decode()
    row = html[html.index(f'data-testid="audit-{entry.pk}"') :].split("</tr>")[0]
    assert escape(action_label("chat.transcript.view")) in row and f"#{chat.pk}" in row
    await ws.disconnect()


async def test_the_counsellors_sync_of_her_own_live_chat_is_not_logged(
    counsellor: User,
) -> None:
    chat = await sync_to_async(a_chat_with)(counsellor)
    ws = await console(counsellor)
    got = await answer(ws, {"type": "sync", "session": chat.pk, "last_seq": 1})
    assert texts(got) == ["Takk, Sara."]
    assert await reads() == []
    await ws.disconnect()


async def test_an_ended_chat_kept_for_a_retention_period_is_a_logged_read(
    counsellor: User, other_counsellor: User
) -> None:
    await ChatSettings.objects.aupdate_or_create(pk=1, defaults={"retention_days": 30})
    chat = await sync_to_async(a_chat_with)(counsellor)
    await sync_to_async(services.chat_end)(session_id=chat.pk, by="counsellor", actor=counsellor)

    own = await console(counsellor)
    assert texts(await answer(own, {"type": "sync", "session": chat.pk})) == [
        SECRET,
        "Takk, Sara.",
    ]
    [entry] = await reads()
    assert (entry.actor_id, entry.target_id) == (counsellor.pk, str(chat.pk))

    # A colleague may not read it at all, and her attempt reads nothing.
    other = await console(other_counsellor)
    got = await answer(other, {"type": "sync", "session": chat.pk})
    assert texts(got) == [] and got[-1]["code"] == "not_your_chat"
    assert len(await reads()) == 1
    await own.disconnect()
    await other.disconnect()


async def test_reading_along_is_one_logged_read(counsellor: User, manager: User) -> None:
    chat = await sync_to_async(a_chat_with)(counsellor)
    ws = await console(manager)
    got = await answer(ws, {"type": "watch", "session": chat.pk})
    [watching] = [f for f in got if f["type"] == "watching"]
    assert [m["text"] for m in watching["chat"]["messages"]] == [SECRET, "Takk, Sara."]
    [entry] = await reads()
    assert (entry.action, entry.actor_id) == ("chat.read_along", manager.pk)
    await ws.disconnect()
