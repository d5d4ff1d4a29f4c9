"""From a chat to the register: the form filled from the chat on the server, the two linked."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from hjelpelinje.accounts.models import User
from hjelpelinje.audit.models import AuditEntry
from hjelpelinje.chat import services as chat_services
from hjelpelinje.chat.models import ChatSession
from hjelpelinje.chat.selectors import chat_inquiry_url
from hjelpelinje.core.timeutil import OSLO
from hjelpelinje.inquiries.models import Inquiry
from hjelpelinje.inquiries.services import inquiry_delete
from hjelpelinje.inquiries.tests.factories import code
from hjelpelinje.reporting.blocks.chat import chat_block

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]


def _ended_chat(counsellor: User, *, age: str = "0-18", theme: str = "forced_marriage") -> int:
    session, _token = chat_services.chat_session_start(age_group=age, theme=theme)
    chat_services.chat_take_next(counsellor=counsellor)
    chat_services.chat_message_post(
        session_id=session.pk, sender="counsellor", text="Hei", author=counsellor
    )
    chat_services.chat_end(session_id=session.pk, by="counsellor", actor=counsellor)
    return session.pk


def _checked(html: str, name: str) -> list[str]:
    """The values of the checked radio buttons or checkboxes called `name`."""
    inputs = re.findall(rf'<input[^>]*name="{name}"[^>]*>', html)
    return [re.search(r'value="([^"]*)"', i).group(1) for i in inputs if " checked" in i]  # type: ignore[union-attr]


def _value(html: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert tag is not None
    found = re.search(r'value="([^"]*)"', tag.group(0))
    return found.group(1) if found else ""


def _as_posted(html: str) -> dict[str, Any]:
    """What pressing "Lagre" on the form as shown sends."""
    post: dict[str, Any] = {}
    for name in ("channel", "relevant", "age_group", "gender", "region", "caller"):
        post[name] = _checked(html, name)[0]
    for name in ("follow_up", "duty_to_avert"):
        post[name] = _checked(html, name)[0]
    post["themes"] = _checked(html, "themes")
    post["occurred_at"] = _value(html, "occurred_at")
    post["country_background"] = ""
    post["duty_to_avert_at"] = ""
    post["summary"] = ""
    return post


def test_the_form_opens_filled_from_the_chat(counsellor: User, client_for: ClientFor) -> None:
    chat = _ended_chat(counsellor)
    url = chat_inquiry_url(ChatSession.objects.get(pk=chat))
    # The address names the chat and nothing the visitor said.
    assert url == f"/staff/inquiries/ny/?chat={chat}"

    page = client_for(counsellor).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert _checked(html, "channel") == [str(code("channel", "chat").pk)]
    assert _checked(html, "age_group") == [str(code("age_group", "0-18").pk)]
    assert _checked(html, "themes") == [str(code("theme", "forced_marriage").pk)]
    started = ChatSession.objects.get(pk=chat).created_at.astimezone(OSLO)
    assert _value(html, "occurred_at") == started.strftime("%Y-%m-%dT%H:%M")
    assert f"Fra chat #{chat}" in html


def test_values_in_the_address_are_not_taken(counsellor: User, client_for: ClientFor) -> None:
    chat = _ended_chat(counsellor, age="18-25", theme="fgm")
    html = (
        client_for(counsellor)
        .get(f"/staff/inquiries/ny/?chat={chat}&channel=phone&age_group=35%2B&theme=left_abroad")
        .content.decode()
    )
    assert _checked(html, "channel") == [str(code("channel", "chat").pk)]
    assert _checked(html, "age_group") == [str(code("age_group", "18-25").pk)]
    assert _checked(html, "themes") == [str(code("theme", "fgm").pk)]


def test_saving_links_the_chat_and_the_inquiry(counsellor: User, client_for: ClientFor) -> None:
    chat = _ended_chat(counsellor)
    client = client_for(counsellor)
    url = f"/staff/inquiries/ny/?chat={chat}"
    saved = client.post(url, _as_posted(client.get(url).content.decode()), follow=True)

    inquiry = Inquiry.objects.get()
    assert saved.redirect_chain[-1][0] == f"/staff/inquiries/{inquiry.pk}/"
    assert inquiry.channel.code == "chat" and inquiry.age_group.code == "0-18"
    assert [t.code for t in inquiry.themes.all()] == ["forced_marriage"]
    assert ChatSession.objects.get(pk=chat).inquiry_id == inquiry.pk
    html = saved.content.decode()
    assert f"Fra chat #{chat}" in html
    assert "Du kan lukke denne fanen" in html
    linked = AuditEntry.objects.filter(action="chat.link_inquiry", target_id=str(chat))
    assert linked.count() == 1 and linked.get().actor_id == counsellor.pk


def test_a_chat_registered_once_offers_its_inquiry(counsellor: User, client_for: ClientFor) -> None:
    chat = _ended_chat(counsellor)
    client = client_for(counsellor)
    url = f"/staff/inquiries/ny/?chat={chat}"
    form = _as_posted(client.get(url).content.decode())
    client.post(url, form)
    inquiry = Inquiry.objects.get()

    again = client.get(url).content.decode()
    assert 'name="channel"' not in again
    assert re.search(rf'href="/staff/inquiries/{inquiry.pk}/"[^>]*>Åpne henvendelsen<', again)
    # A second press in a tab still showing the form records nothing more.
    second = client.post(url, form).content.decode()
    assert Inquiry.objects.count() == 1
    assert "Åpne henvendelsen" in second

    # Deleted by a manager (say, registered by mistake): the chat may be registered again.
    from conftest import make_staff

    inquiry_delete(inquiry=inquiry, actor=make_staff("leder", "manager"), reason="feil")
    assert 'name="channel"' in client.get(url).content.decode()


def test_only_the_counsellor_who_had_the_chat_or_a_manager(
    counsellor: User, other_counsellor: User, manager: User, client_for: ClientFor
) -> None:
    chat = _ended_chat(counsellor)
    url = f"/staff/inquiries/ny/?chat={chat}"
    colleague = client_for(other_counsellor)
    assert colleague.get(url).status_code == 404
    assert colleague.get("/staff/inquiries/ny/?chat=999999").status_code == 404
    post = _as_posted(client_for(counsellor).get(url).content.decode())
    assert colleague.post(url, post).status_code == 404
    assert Inquiry.objects.count() == 0 and ChatSession.objects.get(pk=chat).inquiry is None

    page = client_for(manager).get(url).content.decode()
    assert _checked(page, "channel") == [str(code("channel", "chat").pk)]


def test_the_chat_block_counts_registered_and_not(counsellor: User, client_for: ClientFor) -> None:
    client = client_for(counsellor)
    registered, unregistered = _ended_chat(counsellor), _ended_chat(counsellor)
    url = f"/staff/inquiries/ny/?chat={registered}"
    client.post(url, _as_posted(client.get(url).content.decode()))
    chat_services.chat_session_start()  # still waiting: neither
    year = ChatSession.objects.get(pk=unregistered).created_at.astimezone(OSLO).year

    block = chat_block(year)
    assert (block["registered"], block["not_registered"]) == (1, 1)


def test_the_register_lists_own_chats_not_yet_registered(
    counsellor: User, other_counsellor: User, client_for: ClientFor
) -> None:
    """A console that reloads forgets its ended chats; the register form still offers them."""
    mine, registered = _ended_chat(counsellor), _ended_chat(counsellor)
    colleagues = _ended_chat(other_counsellor)
    client = client_for(counsellor)
    url = f"/staff/inquiries/ny/?chat={registered}"
    client.post(url, _as_posted(client.get(url).content.decode()))

    html = client.get("/staff/inquiries/ny/").content.decode()
    offered = re.findall(r'href="/staff/inquiries/ny/\?chat=(\d+)"', html)
    assert offered == [str(mine)]
    assert str(colleagues) not in offered
