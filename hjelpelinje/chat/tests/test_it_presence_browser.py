"""Presence in Chromium: a visitor waiting with nobody online is told so, with the phone;
a counsellor who comes online later sees her, and her status outlives a reload."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hjelpelinje.chat.tests.server import World, world
from hjelpelinje.chat.tests.test_it_browser import PHONE, login

pytestmark = pytest.mark.browser

PHONE_NUMBER = "22 33 44 55"


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[World, str]]:
    with world(counsellors=1, static=True, HJELPELINJE_PHONE_NUMBER=PHONE_NUMBER) as w:
        yield w, f"http://127.0.0.1:{w.serve()}"


def test_nobody_online_is_said_plainly_and_presence_outlives_a_reload(
    browser: Any, server: tuple[World, str]
) -> None:
    w, base = server
    page = browser.new_context(viewport=PHONE, is_mobile=True).new_page()
    page.goto(f"{base}/chat/")
    page.get_by_role("button", name="Jeg forstår – gå videre").click()
    page.get_by_role("button", name="Start chat").click()
    page.get_by_text("Du er nummer 1 i køen.").wait_for()
    nobody = page.get_by_text("Ingen rådgivere er pålogget akkurat nå.")
    nobody.wait_for()
    assert page.locator("#queue-nobody").get_by_text(PHONE_NUMBER).is_visible()
    assert not page.get_by_text("Det tar snart din tur.").is_visible()

    counsellor = browser.new_context(viewport={"width": 1100, "height": 900}).new_page()
    login(counsellor, base, w, "radgiver0")
    counsellor.goto(f"{base}/staff/chat/console/")
    counsellor.get_by_text("Kø (1)").wait_for()
    assert counsellor.locator("#presence").input_value() == "away"
    counsellor.select_option("#presence", "available")
    nobody.wait_for(state="hidden")
    assert page.locator("#queue-wait").inner_text() != ""

    # A reload (or a moment on another page) keeps her available: the visitor is not
    # told that nobody is there, and the console opens as it was left.
    counsellor.reload()
    counsellor.get_by_text("Kø (1)").wait_for()
    assert counsellor.locator("#presence").input_value() == "available"
    page.wait_for_timeout(1000)
    assert not nobody.is_visible()
