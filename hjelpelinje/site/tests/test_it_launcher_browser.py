"""The chat launcher in Chromium, on a page of the demo website, as a visitor meets it.

On a phone (360 x 740) on a Saturday evening the button says when the chat opens, a tap
opens the chat's closed page in the site's own page without a new window or a new history
entry, "Skjul" hides it and a second tap brings back the same chat. When a manager has
opened the chat and three wait, the button says so; the chat opens in the page, and its
quick exit inside the frame sends the whole tab to the exit host, with no way Back to the
site. The live state is fetched without the site's cookies.

The exit host is a small local site on 127.0.0.1 (the live server is on localhost), as in
the chat's quick-exit tests.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from conftest import Outside, launched_chromium, local_site
from hjelpelinje.accounts.models import User
from hjelpelinje.chat import services as chat_services
from hjelpelinje.core.timeutil import OSLO
from hjelpelinje.hours import services as hours_services
from hjelpelinje.hours.tests.test_it_now import Clock

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
LAPTOP = {"viewport": {"width": 1366, "height": 768}}
SHOTS = Path("/tmp/shots/launcher")
WAIT_MS = 15_000
# The ordinary week has both channels closed from Friday 16:00 to Monday 09:00.
SATURDAY_17 = dt.datetime(2026, 12, 5, 17, 0, tzinfo=OSLO)
TUESDAY_10 = dt.datetime(2026, 12, 8, 10, 0, tzinfo=OSLO)


@pytest.fixture(scope="module")
def outside() -> Iterator[Outside]:
    site = Outside()

    def respond(path: str, headers: Message) -> bytes:
        site.asked.append(path)
        if path.startswith("/embed"):
            # Another site trying to show the helpline's chat in its own page.
            body = f'<!doctype html><title>Fremmed</title><iframe src="{site.site}/chat/"></iframe>'
        elif path.startswith("/search"):
            body = f'<!doctype html><title>Søk</title><a id="hit" href="{site.site}/">Hjelp</a>'
        else:
            body = "<!doctype html><title>Været</title><p>Sol</p>"
        return body.encode()

    with local_site(respond) as port:
        site.origin = f"http://127.0.0.1:{port}"
        yield site


@pytest.fixture(scope="module")
def chromium(chromium_path: str) -> Iterator[Any]:
    # Playwright's event loop runs in this thread while the tests use the ORM, as in the
    # `browser` fixture (conftest.py).
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with launched_chromium(chromium_path) as instance:
        yield instance


@pytest.fixture
def site(
    outside: Outside, live_server: Any, settings: Any, demo_site: dict[str, Any]
) -> Iterator[str]:
    settings.HJELPELINJE_EXIT_URL = outside.exit_url
    outside.site = live_server.url
    assert urlsplit(live_server.url).hostname != urlsplit(outside.origin).hostname
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield str(live_server.url)
    # The test's database connection was used from Playwright's thread too.
    from django.db import connections

    connections.close_all()


def box(page: Any, selector: str) -> dict[str, float]:
    found: dict[str, float] = page.locator(selector).first.bounding_box()
    return found


def below(lower: dict[str, float], upper: dict[str, float]) -> bool:
    return lower["y"] >= upper["y"] + upper["height"] - 0.5


def test_on_a_phone_the_closed_chat_opens_in_the_page_and_hides_again(
    chromium: Any, site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    Clock(monkeypatch, SATURDAY_17)
    context = chromium.new_context(**PHONE)
    # A cookie of the site's own: the live state must be asked for without it.
    context.add_cookies([{"name": "probe", "value": "1", "url": site}])
    state_requests: list[dict[str, str]] = []
    context.on(
        "request",
        lambda r: state_requests.append(r.headers) if "/chat/state/" in r.url else None,
    )
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    response = page.goto(site + "/")
    # The page (cached up to a minute) never claims the chat's state itself.
    html = response.text()
    assert "Chat med oss" in html and "Chatten åpner" not in html

    label = page.locator("#launcher-label")
    expect(label).to_have_text("Chatten åpner mandag kl. 09:00")
    expect(page.locator("#launcher-detail")).to_have_text("Telefonen åpner mandag kl. 09:00")
    assert state_requests and all("cookie" not in h for h in state_requests), state_requests

    # A big target at the bottom, clear of the quick exit at the top.
    button = box(page, "#launcher-button")
    exit_bar = box(page, "body > .quick-exit")
    assert button["height"] >= 48 and button["width"] >= 300
    assert below(button, exit_bar)
    assert button["y"] + button["height"] <= 740
    page.screenshot(path=str(SHOTS / "phone-closed.png"))

    history = page.evaluate("history.length")
    page.locator("#launcher-button").tap()
    panel = page.locator("#launcher-panel")
    expect(panel).to_be_visible()
    frame = page.frame_locator("#launcher-frame iframe")
    expect(frame.get_by_role("heading", name="Chatten er stengt nå")).to_be_visible()
    expect(frame.get_by_text("Vi åpner igjen")).to_be_visible()
    assert page.evaluate("history.length") == history
    assert urlsplit(page.url).path == "/"
    assert len(context.pages) == 1
    # The panel leaves the site's quick exit in sight and tappable.
    assert below(box(page, "#launcher-panel"), exit_bar)
    expect(page.locator("body > .quick-exit a[data-quick-exit]")).to_be_visible()
    page.screenshot(path=str(SHOTS / "phone-panel-closed-chat.png"))

    # Hide it; the button is back. Open again: the same frame, not a new load.
    chat_frame = page.frames[-1]
    chat_frame.evaluate("window.stillHere = 'yes'")
    page.get_by_role("button", name="Skjul chatten").tap()
    expect(panel).to_be_hidden()
    expect(page.locator("#launcher-button")).to_be_visible()
    page.locator("#launcher-button").tap()
    expect(panel).to_be_visible()
    assert page.locator("iframe").count() == 1
    assert page.frames[-1].evaluate("window.stillHere") == "yes"
    assert page.evaluate("history.length") == history
    context.close()


def test_busy_chat_opens_in_the_page_and_its_quick_exit_leaves_the_whole_tab(
    chromium: Any, site: str, outside: Outside, monkeypatch: pytest.MonkeyPatch, manager: User
) -> None:
    clock = Clock(monkeypatch, SATURDAY_17)
    hours_services.hours_open_now(actor=manager, channel="chat", until=dt.time(18), now=clock.now)
    for _ in range(3):
        chat_services.chat_session_start()
    context = chromium.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(outside.origin + "/search?q=hjelp")
    with page.expect_navigation():
        page.locator("#hit").tap()
    arrived = page.evaluate("history.length")
    expect(page.locator("#launcher-label")).to_have_text("Chat: åpen nå · 3 venter")
    page.screenshot(path=str(SHOTS / "phone-busy.png"))

    page.locator("#launcher-button").tap()
    frame = page.frame_locator("#launcher-frame iframe")
    expect(frame.get_by_role("heading", name="Chat med oss – anonymt")).to_be_visible()
    assert page.evaluate("history.length") == arrived
    page.screenshot(path=str(SHOTS / "phone-panel-open-chat.png"))

    with page.expect_navigation(url=outside.exit_url):
        frame.locator("a[data-quick-exit]").tap()
    assert page.title() == "Været"
    assert page.evaluate("history.length") == arrived
    page.go_back(wait_until="load")
    assert not page.url.startswith(site), page.url
    assert page.url.startswith(outside.origin + "/search"), page.url
    assert not context.cookies()
    context.close()


def test_on_a_laptop_the_state_follows_a_close_now_while_the_page_is_open(
    chromium: Any, site: str, monkeypatch: pytest.MonkeyPatch, manager: User
) -> None:
    clock = Clock(monkeypatch, TUESDAY_10)
    context = chromium.new_context(**LAPTOP)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(site + "/")
    label = page.locator("#launcher-label")
    expect(label).to_have_text("Chat: åpen nå")
    page.locator("#launcher-button").click()
    frame = page.frame_locator("#launcher-frame iframe")
    expect(frame.get_by_role("heading", name="Chat med oss – anonymt")).to_be_visible()
    assert below(box(page, "#launcher-panel"), box(page, "body > .quick-exit"))
    page.screenshot(path=str(SHOTS / "laptop-panel-open.png"))
    # Escape hides it too, from the site's page (inside the frame the keys are the chat's).
    page.get_by_role("button", name="Skjul chatten").focus()
    page.keyboard.press("Escape")
    expect(page.locator("#launcher-panel")).to_be_hidden()
    assert page.evaluate("document.activeElement.id") == "launcher-button"

    # The manager closes the chat. The page asks again when it is shown (and every half
    # minute); the browser may keep the last answer for its five seconds.
    hours_services.hours_close_now(actor=manager, channel="chat", now=clock.now)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
        if label.text_content() == "Chatten åpner i morgen kl. 09:00":
            break
        page.wait_for_timeout(500)
    expect(label).to_have_text("Chatten åpner i morgen kl. 09:00")
    page.screenshot(path=str(SHOTS / "laptop-closed.png"))
    context.close()


def test_without_javascript_the_launcher_is_a_link_to_the_chat(
    chromium: Any, site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    Clock(monkeypatch, SATURDAY_17)
    context = chromium.new_context(java_script_enabled=False, **PHONE)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(site + "/")
    expect(page.locator("#launcher-label")).to_have_text("Chat med oss")
    page.locator("#launcher-button").tap()
    page.wait_for_url(site + "/chat/")
    expect(page.get_by_role("heading", name="Chatten er stengt nå")).to_be_visible()
    context.close()


def test_another_site_may_not_show_the_chat_in_a_frame(
    chromium: Any, outside: Outside, live_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    Clock(monkeypatch, SATURDAY_17)
    outside.site = live_server.url
    context = chromium.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    with page.expect_response(lambda r: r.url.startswith(live_server.url + "/chat/")) as chat:
        page.goto(outside.origin + "/embed")
    assert "frame-ancestors 'self';" in chat.value.headers["content-security-policy"]
    page.wait_for_timeout(500)
    framed = page.frames[-1]
    # The browser refused to show it: the frame holds its own error page, not the chat.
    assert not framed.url.startswith(live_server.url), framed.url
    assert page.frame_locator("iframe").get_by_text("Chatten er stengt").count() == 0
    context.close()


def test_the_chat_opened_from_an_english_page_speaks_english(
    chromium: Any, site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch, TUESDAY_10)
    context = chromium.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(site + "/en/")
    expect(page.locator("#launcher-label")).to_have_text("Chat: open now")
    page.locator("#launcher-button").tap()
    frame = page.frame_locator("#launcher-frame iframe")
    expect(frame.get_by_role("heading", name="Chat with us – anonymously")).to_be_visible()
    expect(frame.locator("a[data-quick-exit]")).to_have_text("Quick exit")
    expect(frame.locator("html")).to_have_attribute("lang", "en")
    assert frame.get_by_text("Chat med oss").count() == 0
    assert frame.get_by_text("Gå ut raskt").count() == 0
    page.screenshot(path=str(SHOTS / "phone-english-chat.png"))
    context.close()

    # Closed, and without JavaScript: the plain link leads to the English closed page.
    clock.set(day=5, hour=17)
    context = chromium.new_context(java_script_enabled=False, **PHONE)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(site + "/en/")
    page.locator("#launcher-button").tap()
    page.wait_for_url(site + "/chat/?lang=en")
    expect(page.get_by_role("heading", name="The chat is closed now")).to_be_visible()
    expect(page.locator("a[data-quick-exit]").first).to_have_text("Quick exit")
    # From a Norwegian page, Norwegian.
    page.goto(site + "/")
    page.locator("#launcher-button").tap()
    page.wait_for_url(site + "/chat/")
    expect(page.get_by_role("heading", name="Chatten er stengt nå")).to_be_visible()
    context.close()
