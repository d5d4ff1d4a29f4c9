"""The visitor page in Chromium: its proof of work, and what it shows when the queue is full."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from hjelpelinje.chat.tests.server import ROOT, World, world

PHONE = {"width": 360, "height": 740}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[World, str]]:
    with world(static=True, HJELPELINJE_PHONE_NUMBER="800 12 345") as w:
        subprocess.run(
            [sys.executable, "-m", "hjelpelinje", "shell", "-c", CAP_ONE],
            env=w.env,
            cwd=ROOT,
            check=True,
        )
        yield w, f"http://127.0.0.1:{w.serve()}"


CAP_ONE = """
from hjelpelinje.chat.models import ChatSettings
ChatSettings.objects.update_or_create(pk=1, defaults={"max_queue": 1})
"""


def start_chat(browser: Any, base: str, use_up_the_page_challenge: bool = False) -> Any:
    ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    page.goto(f"{base}/chat/")
    page.get_by_role("button", name="Jeg forstår – gå videre").click()
    if use_up_the_page_challenge:
        # As if the page's own answer were already spent: the page asks the socket.
        page.evaluate("window.chatPow.take()")
    page.get_by_role("button", name="Hopp over og start").click()
    return page


def test_the_page_earns_its_start_and_a_full_queue_gives_the_phone_number(
    browser: Any, server: tuple[World, str]
) -> None:
    _w, base = server
    first = start_chat(browser, base, use_up_the_page_challenge=True)
    first.get_by_text("Du er nummer 1 i køen.").wait_for()

    second = start_chat(browser, base)
    second.get_by_role("heading", name="Mange venter akkurat nå").wait_for()
    busy = second.locator("#s-busy")
    assert busy.get_by_role("link", name="800 12 345").get_attribute("href") == "tel:800 12 345"
    assert busy.get_by_text("mandag").count() == 1
    assert busy.get_by_text("112").count() >= 1 and busy.get_by_text("116 111").count() >= 1
    # No wait is promised, and no chat is going on.
    assert second.locator("#s-queue").is_hidden() and second.locator("#endbar").is_hidden()
    assert second.context.cookies() == []
    first.context.close()
    second.context.close()
