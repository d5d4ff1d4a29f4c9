"""In Chromium: on a Saturday evening the manager opens the chat from the console, a
visitor in another browser gets the chat, and the manager closes it again."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from hjelpelinje.accounts.models import User
from hjelpelinje.accounts.tests.browser import browser_login
from hjelpelinje.hours.tests.test_it_now import SATURDAY_17, Clock


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_manager_opens_and_closes_the_chat_for_a_visitor_in_another_browser(
    live_server: Any, browser: Any, manager: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The live server runs in this process, so it reads the same stand-in clock.
    Clock(monkeypatch, SATURDAY_17)
    visitor = browser.new_context().new_page()
    visitor.goto(live_server.url + "/chat/")
    expect(visitor.get_by_role("heading", name="Chatten er stengt nå")).to_be_visible()

    staff = browser.new_context().new_page()
    browser_login(staff, live_server.url, manager)
    staff.goto(live_server.url + "/staff/chat/console/")
    staff.get_by_label("til kl.").fill("18:00")
    with staff.expect_navigation():
        staff.get_by_role("button", name="Åpne chatten nå").click()
    assert staff.url == live_server.url + "/staff/chat/console/"
    expect(
        staff.get_by_text("Chatten er åpen nå, til lørdag 05.12.2026 kl. 18:00.")
    ).to_be_visible()

    visitor.reload()
    expect(visitor.get_by_role("heading", name="Chat med oss – anonymt")).to_be_visible()
    expect(visitor.get_by_role("heading", name="Chatten er stengt nå")).to_be_hidden()

    with staff.expect_navigation():
        staff.get_by_role("button", name="Steng chatten nå").click()
    expect(staff.get_by_text("Chatten er stengt nå. Den åpner mandag 07.12.2026")).to_be_visible()
    visitor.reload()
    expect(visitor.get_by_role("heading", name="Chatten er stengt nå")).to_be_visible()
