"""From a chat to the register in Chromium: the form opens beside the console, filled in.

A visitor chats, the counsellor ends the chat and presses "Registrer henvendelsen": the form
opens in a new tab with the chat's channel, age group, theme and start time; the console
stays open and still hears the queue; saving links the inquiry and the chat, and both say so.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest

from hjelpelinje.chat.tests.server import World, world
from hjelpelinje.chat.tests.test_it_browser import PHONE, login
from hjelpelinje.core.timeutil import OSLO

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[World, str]]:
    with world(counsellors=1, static=True) as w:
        yield w, f"http://127.0.0.1:{w.serve()}"


def _visitor(browser: Any, base: str, *, age: str = "", theme: str = "") -> Any:
    ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    page.goto(f"{base}/chat/")
    page.get_by_role("button", name="Jeg forstår – gå videre").click()
    if age:
        page.locator(f"input[name=age_group][value='{age}']").check()
    if theme:
        page.select_option("#theme", theme)
    page.get_by_role("button", name="Start chat").click()
    page.get_by_text("i køen").first.wait_for()
    return page


def _chat_started(w: World, chat: int) -> str:
    """The chat's start as the form shows it (Oslo time, to the minute)."""
    db = sqlite3.connect(w.dir / "hjelpelinje.sqlite3")
    (stored,) = db.execute(
        "SELECT created_at FROM chat_chatsession WHERE id = ?", (chat,)
    ).fetchone()
    db.close()
    when = dt.datetime.fromisoformat(stored).replace(tzinfo=dt.UTC)
    return when.astimezone(OSLO).strftime("%Y-%m-%dT%H:%M")


def _checked_label(form: Any, name: str) -> list[str]:
    return [
        label.strip()
        for label in form.locator(
            f"label.inq-opt:has(input[name={name}]:checked)"
        ).all_inner_texts()
    ]


def test_a_chat_is_registered_beside_the_console(browser: Any, server: tuple[World, str]) -> None:
    w, base = server
    staff = browser.new_context(viewport={"width": 1366, "height": 900})
    console = staff.new_page()
    login(console, base, w, "radgiver0")
    console.goto(f"{base}/staff/chat/console/")
    console.select_option("#presence", "available")
    console.on("dialog", lambda dialog: dialog.accept())

    visitor = _visitor(browser, base, age="0-18", theme="forced_marriage")
    console.get_by_text("Kø (1)").wait_for()
    console.get_by_role("button", name="Ta neste chat").click()
    visitor.get_by_text("En rådgiver er her").wait_for()
    card = console.locator("article.chat")
    card.locator("textarea").first.fill("Hei, du snakker med en rådgiver.")
    card.get_by_role("button", name="Send").click()
    visitor.get_by_text("Hei, du snakker med en rådgiver.").wait_for()
    visitor.fill("#text", "Jeg skal giftes i sommer")
    visitor.get_by_role("button", name="Send").click()
    card.get_by_text("Jeg skal giftes i sommer").wait_for()
    chat = int(card.locator("h3").inner_text().split("#")[1].split()[0])

    card.get_by_role("button", name="Avslutt chat").click()
    card.get_by_text("Chatten er avsluttet.").wait_for()
    register = card.get_by_role("link", name="Registrer henvendelsen")
    assert register.get_attribute("href") == f"/staff/inquiries/ny/?chat={chat}"
    with staff.expect_page() as opened:
        register.click()
    form = opened.value
    form.wait_for_load_state()
    form.locator("#inquiry-form").wait_for()

    # The form beside the console is filled from the chat.
    assert _checked_label(form, "channel")[0].endswith("Chat")
    assert _checked_label(form, "age_group")[0].endswith("0-18")
    assert [t.split()[-1] for t in _checked_label(form, "themes")] == ["Tvangsekteskap"]
    assert form.locator("input[name=occurred_at]").input_value() == _chat_started(w, chat)

    # The console never left its page and still hears the queue.
    assert console.url == f"{base}/staff/chat/console/"
    newcomer = _visitor(browser, base)
    console.get_by_text("Kø (1)").wait_for()

    form.get_by_role("button", name="Lagre").click()
    form.wait_for_url("**/inquiries/*/")
    inquiry = form.url.rstrip("/").rsplit("/", 1)[-1]
    form.get_by_text(f"Fra chat #{chat}").wait_for()
    form.get_by_text("Du kan lukke denne fanen").wait_for()
    assert "Chat" in form.locator("dl.facts").inner_text()

    # The chat's card in the console now opens the inquiry instead of a second register.
    opens = card.get_by_role("link", name="Åpne henvendelsen")
    opens.wait_for()
    assert opens.get_attribute("href") == f"/staff/inquiries/{inquiry}/"
    assert card.get_by_role("link", name="Registrer henvendelsen").count() == 0

    # Opening the register address again offers the inquiry, not a second form.
    form.goto(f"{base}/staff/inquiries/ny/?chat={chat}")
    form.get_by_role("link", name="Åpne henvendelsen").wait_for()
    assert form.locator("#inquiry-form").count() == 0
    newcomer.context.close()
    visitor.context.close()
    staff.close()
