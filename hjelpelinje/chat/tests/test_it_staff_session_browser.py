"""In Chromium: a console whose login ends goes to the login page and stays off the line."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hjelpelinje.chat.tests.server import World, world
from hjelpelinje.chat.tests.test_it_browser import login

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[World, str]]:
    with world(counsellors=2, static=True) as w:
        yield w, f"http://127.0.0.1:{w.serve()}"


def test_logging_out_in_another_tab_sends_the_console_to_the_login_page(
    browser: Any, server: tuple[World, str]
) -> None:
    w, base = server
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    console = context.new_page()
    sockets: list[Any] = []
    console.on("websocket", lambda ws: sockets.append(ws))
    login(console, base, w, "radgiver0")
    console.goto(f"{base}/staff/chat/console/")
    console.locator("#queue-count").wait_for()
    console.wait_for_function("document.getElementById('conn').textContent === ''")

    other_tab = context.new_page()
    other_tab.goto(f"{base}/staff/")
    with other_tab.expect_navigation():
        other_tab.locator("form.logout button").click()

    console.wait_for_url("**/accounts/login/?next=/staff/chat/console/", timeout=10_000)
    # It went there once and tried no new socket: a new one would only be refused.
    console.wait_for_timeout(1500)
    assert len(sockets) == 1
    assert console.locator("input[name=username]").is_visible()
    context.close()


def test_a_console_offline_while_its_login_ended_goes_to_the_login_page_when_back(
    browser: Any, server: tuple[World, str]
) -> None:
    w, base = server
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    console = context.new_page()
    line: dict[str, Any] = {"up": True, "open": []}

    def network(ws: Any) -> None:
        if not line["up"]:
            ws.close()  # no network: this attempt fails
            return
        server_side = ws.connect_to_server()
        ws.on_message(lambda m: server_side.send(m))
        server_side.on_message(lambda m: ws.send(m))
        server_side.on_close(lambda code, reason: ws.close(code=code, reason=reason))
        line["open"].append((ws, server_side))

    console.route_web_socket(lambda url: url.endswith("/staff/ws/chat/"), network)
    # Another counsellor: a one-time code is good for one login only.
    login(console, base, w, "radgiver1")
    console.goto(f"{base}/staff/chat/console/")
    console.wait_for_function("document.getElementById('conn').textContent === ''")

    # The network goes: the open socket drops, and the console's retries fail.
    line["up"] = False
    for page_side, server_side in line["open"]:
        server_side.close()
        page_side.close()
    console.get_by_text("Frakoblet").wait_for()
    # The login ends on the server while the console is offline, so no notice reaches
    # it, and the browser keeps its cookie (as after the idle timeout or a deactivation;
    # here: logged out elsewhere, the cookie put back).
    cookie = [c for c in context.cookies() if c["name"] == "sessionid"]
    other_tab = context.new_page()
    other_tab.goto(f"{base}/staff/")
    with other_tab.expect_navigation():
        other_tab.locator("form.logout button").click()
    context.add_cookies(cookie)
    line["up"] = True
    console.evaluate("window.dispatchEvent(new Event('online'))")
    console.wait_for_url("**/accounts/login/?next=/staff/chat/console/", timeout=15_000)
    context.close()
