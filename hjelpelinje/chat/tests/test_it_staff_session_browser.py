"""In Chromium: a console whose login ends goes to the login page and stays off the line."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hjelpelinje.chat.tests.server import World, world

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[World, str]]:
    with world(counsellors=1, static=True) as w:
        yield w, f"http://127.0.0.1:{w.serve()}"


def login(page: Any, base: str, w: World, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "x-" * 10)
    page.click("main button[type=submit]")
    page.wait_for_url("**/two-factor/**")
    page.fill("input[name=token]", w.totp_token(username))
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def test_logging_out_in_another_tab_sends_the_console_to_the_login_page(
    browser: Any, server: tuple[World, str]
) -> None:
    w, base = server
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    console = context.new_page()
    sockets: list[Any] = []
    console.on("websocket", lambda ws: sockets.append(ws))
    login(console, base, w, "radgiver0")
    console.goto(f"{base}/chat/console/")
    console.locator("#queue-count").wait_for()
    console.wait_for_function("document.getElementById('conn').textContent === ''")

    other_tab = context.new_page()
    other_tab.goto(f"{base}/")
    with other_tab.expect_navigation():
        other_tab.locator("form.logout button").click()

    console.wait_for_url("**/accounts/login/?next=/chat/console/", timeout=10_000)
    # It went there once and tried no new socket: a new one would only be refused.
    console.wait_for_timeout(1500)
    assert len(sockets) == 1
    assert console.locator("input[name=username]").is_visible()
    context.close()
