"""The issue's first "Done when": a visitor's path through the website, in Chromium.

She arrives from a search engine, reads three pages by following links (the skip link
once), opens the chat with the launcher, and leaves by the quick exit: a tap on a phone,
Shift three times on a laptop. Then the browser is on the exit host, Back never shows a
page of the helpline however often it is pressed, and the site left no cookie and nothing
in web storage or IndexedDB.

The search engine and the exit page are a small local site on another host (127.0.0.1,
while the helpline's live server is on localhost), as in the chat's quick-exit tests
(hjelpelinje/chat/tests/test_it_exit_browser.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import Outside, local_site
from hjelpelinje.site.tests.test_it_safety import demo_pages

__all__ = ["demo_pages"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
LAPTOP = {"viewport": {"width": 1366, "height": 768}}
SHOTS = Path("/tmp/shots/safety")
WAIT_MS = 15_000


@pytest.fixture(scope="module")
def outside() -> Iterator[Outside]:
    site = Outside()

    def respond(path: str, headers: Message) -> bytes:
        site.asked.append(path)
        if path.startswith("/search"):
            hits = len(parse_qs(urlsplit(path).query).get("q", []))
            return (
                "<!doctype html><title>Søk</title>"
                f"<p>{hits} treff</p>"
                f'<p><a id="result" href="{site.site}/">Hjelpelinje – hjelp og råd</a></p>'
            ).encode()
        return "<!doctype html><title>Været</title><p>Sol i hele landet</p>".encode()

    with local_site(respond) as port:
        site.origin = f"http://127.0.0.1:{port}"
        yield site


@pytest.fixture
def helpline(outside: Outside, live_server: Any, settings: Any, demo_pages: list[str]) -> str:
    """The helpline's site, with its quick exit pointing at the local exit page."""
    settings.HJELPELINJE_EXIT_URL = outside.exit_url
    outside.site = live_server.url
    assert urlsplit(live_server.url).hostname != urlsplit(outside.origin).hostname
    return str(live_server.url)


def next_link(page: Any, seen: set[str]) -> str:
    """The address of a visible link on the page to another page of the site not read yet,
    preferring the page's content to its menus."""
    hrefs: list[str] = page.evaluate(
        """() => {
            const skip = "[data-quick-exit], [data-chat-launcher], .skip";
            const visible = (a) => {
                const r = a.getBoundingClientRect();
                return r.width > 0 && r.height > 0 && getComputedStyle(a).visibility !== "hidden";
            };
            const links = [...document.querySelectorAll("main a[href], a[href]")];
            return links
                .filter((a) => !a.closest(skip) && visible(a))
                .map((a) => new URL(a.href))
                .filter((u) => u.origin === location.origin && !u.hash)
                .map((u) => u.pathname);
        }"""
    )
    for href in hrefs:
        if href not in seen and not href.startswith(("/chat/", "/staff/", "/documents/")):
            return href
    raise AssertionError(f"no unread page linked from {page.url}: {hrefs}")


def follow(page: Any, href: str, *, phone: bool) -> None:
    link = page.locator(f'a[href="{href}"]:visible').first
    with page.expect_navigation():
        if phone:
            link.tap()
        else:
            link.click()


def read_three_pages_and_open_the_chat(page: Any, site: str, outside: Outside, phone: bool) -> int:
    """From the search engine to the chat: returns the history length on arrival."""
    page.goto(outside.search("tvangsekteskap hjelp"))
    on_search = int(page.evaluate("history.length"))
    result = page.locator("#result")
    with page.expect_navigation():
        if phone:
            result.tap()
        else:
            result.click()
    assert page.url.startswith(site)
    arrived = int(page.evaluate("history.length"))
    assert arrived == on_search + 1
    seen = {urlsplit(page.url).path}
    for number in range(3):
        href = next_link(page, seen)
        follow(page, href, phone=phone)
        seen.add(href)
        assert urlsplit(page.url).path == href
        # Reading on is not a new entry in the history: the page replaced the last one.
        assert page.evaluate("history.length") == arrived, (number, href)
        if number == 0:
            # The skip link, a fragment link, moves to the content without an entry too.
            page.focus("a.skip")
            page.keyboard.press("Enter")
            page.wait_for_url("**#main")
            assert page.evaluate("document.activeElement.id") == "main"
            assert page.evaluate("history.length") == arrived
    shots = "phone" if phone else "laptop"
    page.screenshot(path=str(SHOTS / f"visitor-path-{shots}-read.png"))
    launcher = page.locator("[data-chat-launcher]").first
    if phone:
        launcher.tap()
    else:
        launcher.click()
    frame = page.frame_locator("iframe[src*='/chat/']")
    frame.locator("body").wait_for()
    frame.locator("a[data-quick-exit]").wait_for(state="attached")
    assert urlsplit(page.url).path in seen, page.url
    assert page.evaluate("history.length") == arrived
    page.screenshot(path=str(SHOTS / f"visitor-path-{shots}-chat.png"))
    return arrived


def assert_nothing_left(context: Any, page: Any, site: str, outside: Outside) -> None:
    assert page.url == outside.exit_url
    assert page.title() == "Været"
    # Back, as often as the history allows: never a page of the helpline.
    visited = [page.url]
    for _ in range(6):
        before = page.url
        page.go_back(wait_until="load")
        visited.append(page.url)
        assert not page.url.startswith(site), visited
        if page.url == before:
            break
    assert any(url.startswith(outside.search("")) for url in visited), visited
    assert not context.cookies(), context.cookies()
    assert not context.cookies([site]), context.cookies([site])
    state = context.storage_state(indexed_db=True)
    assert state == {"cookies": [], "origins": []}, state
    # Web storage of the site's origin, seen from a fresh tab there (a JSON address, so
    # that no page script runs and stores anything on the way).
    probe = context.new_page()
    probe.goto(f"{site}/chat/state/")
    left = probe.evaluate(
        """async () => ({
            local: localStorage.length,
            databases: indexedDB.databases ? (await indexedDB.databases()).length : 0,
        })"""
    )
    assert left == {"local": 0, "databases": 0}, left
    probe.close()


def test_a_visitor_on_a_phone_leaves_no_way_back(
    browser: Any, helpline: str, outside: Outside
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    arrived = read_three_pages_and_open_the_chat(page, helpline, outside, phone=True)
    # Nothing of the visit in the tab's storage either, while she is still on the site.
    assert page.evaluate("sessionStorage.length + localStorage.length") == 0
    with page.expect_navigation(url=outside.exit_url):
        page.locator("body > .quick-exit a[data-quick-exit]").tap()
    assert page.evaluate("history.length") == arrived
    page.screenshot(path=str(SHOTS / "visitor-path-phone-exit.png"))
    assert_nothing_left(context, page, helpline, outside)
    context.close()


def test_a_visitor_on_a_laptop_leaves_by_shift_three_times(
    browser: Any, helpline: str, outside: Outside
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(**LAPTOP)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    arrived = read_three_pages_and_open_the_chat(page, helpline, outside, phone=False)
    # The keys go to the page, not to the chat's frame.
    page.locator("main").first.focus()
    with page.expect_navigation(url=outside.exit_url):
        for _ in range(3):
            page.keyboard.press("Shift")
    assert page.evaluate("history.length") == arrived
    assert_nothing_left(context, page, helpline, outside)
    context.close()


def test_without_javascript_links_are_plain_links(
    browser: Any, helpline: str, outside: Outside
) -> None:
    """The fallback: with scripts off, the site still works; links add entries as usual,
    and the quick exit is still a link to the exit page."""
    context = browser.new_context(java_script_enabled=False, **PHONE)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(helpline + "/")
    first = page.evaluate("history.length")
    href = next_link(page, {"/"})
    page.locator(f'a[href="{href}"]:visible').first.tap()
    page.wait_for_url(f"**{href}")
    assert page.evaluate("history.length") == first + 1
    page.locator("body > .quick-exit a[data-quick-exit]").tap()
    page.wait_for_url(outside.exit_url)
    assert not context.cookies()
    context.close()


def test_without_the_replacing_script_back_would_return_to_the_site(
    browser: Any, helpline: str, outside: Outside
) -> None:
    """The control for the tests above: with nav.js kept from loading, reading on adds an
    entry, and Back after the quick exit shows a page of the helpline. This is what the
    script prevents, and the checks above would see it."""
    context = browser.new_context(**PHONE)
    context.route("**/static/site/nav.js", lambda route: route.fulfill(body=""))
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(outside.search("hjelp"))
    with page.expect_navigation():
        page.locator("#result").tap()
    follow(page, next_link(page, {urlsplit(page.url).path}), phone=True)
    with page.expect_navigation(url=outside.exit_url):
        page.locator("body > .quick-exit a[data-quick-exit]").tap()
    page.go_back(wait_until="load")
    assert page.url.startswith(helpline), page.url
    context.close()
