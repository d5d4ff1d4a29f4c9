"""The quick exit in Chromium: it leaves from every state of the chat page (the full
queue's "busy" too), at phone and laptop size, by tap and by Shift × 3, with a dialog
open, in another site's frame, with the page's own script broken, and with no JavaScript
at all. Typing capitals never leaves.

The exit page is a small local site on another host name (localhost, while the chat is on
127.0.0.1), so "the browser is on the exit host" is checked without the internet. Each
visitor arrives from a page on that site, so Back after the exit shows whether the chat
stayed in the history.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from email.message import Message
from typing import Any
from urllib.parse import urlsplit

import pytest

from conftest import launched_chromium, local_site
from hjelpelinje.chat.tests.server import World, world

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
LAPTOP = {"viewport": {"width": 1366, "height": 768}}
SIZES = {"phone": PHONE, "laptop": LAPTOP}
STATES = ["closed", "safety", "questions", "queue", "chat", "ended", "busy"]
# A chat is started, joined and answered within this; a failure shows in seconds.
WAIT_MS = 15_000


@dataclass
class ExitSite:
    """The neutral site: a page to arrive from, and the exit page. It remembers what it
    was asked, so a test can see whether the chat's address leaked in a Referer."""

    url: str = ""
    before: str = ""
    origin: str = ""
    # The organisation's page that shows the chat in a frame (set once the chat serves).
    embed: str = ""
    chat: str = ""
    referers: list[str | None] = field(default_factory=list)


@pytest.fixture(scope="module")
def exit_site() -> Iterator[ExitSite]:
    site = ExitSite()

    def respond(path: str, headers: Message) -> bytes:
        if path.startswith("/weather"):
            site.referers.append(headers.get("Referer"))
        if path.startswith("/embed"):
            return (
                f"<!doctype html><title>Helpline</title><p>About us</p>"
                f'<iframe src="{site.chat}/chat/" title="Chat" width="400" height="700">'
                f"</iframe>"
            ).encode()
        return b"<!doctype html><title>Weather</title><p>Sunny</p>"

    with local_site(respond, content_type="text/html") as port:
        site.origin = f"http://localhost:{port}"
        site.url = f"{site.origin}/weather"
        site.before = f"{site.origin}/before"
        site.embed = f"{site.origin}/embed"
        yield site


# Enough room for a counsellor to take every chat of the module even if one did not end.
SETUP = """
from hjelpelinje.chat.models import ChatSettings
ChatSettings.objects.update_or_create(pk=1, defaults={"max_chats_per_counsellor": 50})
"""


@pytest.fixture(scope="module")
def server(exit_site: ExitSite) -> Iterator[tuple[World, str]]:
    with world(
        static=True,
        setup=SETUP,
        HJELPELINJE_EXIT_URL=exit_site.url,
        HJELPELINJE_CHAT_FRAME_ANCESTORS=exit_site.origin,
    ) as w:
        exit_site.chat = f"http://127.0.0.1:{w.serve()}"
        yield w, exit_site.chat


@pytest.fixture(scope="module")
def chromium(chromium_path: str) -> Iterator[Any]:
    """One browser for the module: the matrix is many short visits."""
    with launched_chromium(chromium_path) as instance:
        yield instance


@pytest.fixture(scope="module")
def counsellor(chromium: Any, server: tuple[World, str]) -> Iterator[Any]:
    """A counsellor's console, signed in and available, for states that need one."""
    w, base = server
    ctx = chromium.new_context(viewport={"width": 1100, "height": 900})
    ctx.add_cookies([{"name": "sessionid", "value": w.sessions[0], "url": base}])
    page = ctx.new_page()
    page.goto(f"{base}/staff/chat/console/")
    assert page.url.endswith("/staff/chat/console/")
    page.select_option("#presence", "available")
    yield page
    ctx.close()


@contextmanager
def chat_closed(w: World) -> Iterator[None]:
    """Close the chat for the moment: the test world opens it with an hours exception."""

    def kind(value: str) -> None:
        db = sqlite3.connect(w.dir / "hjelpelinje.sqlite3", timeout=10)
        db.execute("UPDATE hours_hoursexception SET kind = ?", (value,))
        db.commit()
        db.close()

    kind("closed")
    try:
        yield
    finally:
        kind("open")


@contextmanager
def queue_cap(w: World, cap: int) -> Iterator[None]:
    """A full queue at `cap` waiting chats, for the moment."""

    def set_cap(value: int) -> None:
        db = sqlite3.connect(w.dir / "hjelpelinje.sqlite3", timeout=10)
        db.execute("UPDATE chat_chatsettings SET max_queue = ?", (value,))
        db.commit()
        db.close()

    set_cap(cap)
    try:
        yield
    finally:
        set_cap(50)


class Visit:
    """One visitor at one screen size, arriving at the chat from another site."""

    def __init__(
        self,
        chromium: Any,
        site: ExitSite,
        base: str,
        size: str,
        prepare: Callable[[Any], None] | None = None,
        **ctx: Any,
    ) -> None:
        self.site = site
        self.base = base
        self.phone = size == "phone"
        self.ctx = chromium.new_context(**SIZES[size], **ctx)
        self.page = self.ctx.new_page()
        self.page.set_default_timeout(WAIT_MS)
        if prepare:
            prepare(self.page)
        self.page.goto(site.before)
        self.page.goto(f"{base}/chat/")
        self.arrived = self.page.evaluate("history.length")

    def reach(self, state: str, counsellor: Any = None) -> None:
        page = self.page
        if state == "closed":
            page.get_by_role("heading", name="Chatten er stengt nå").wait_for()
            return
        page.get_by_role("heading", name="Chat med oss – anonymt").wait_for()
        if state == "safety":
            return
        page.get_by_role("button", name="Jeg forstår – gå videre").click()
        page.get_by_role("heading", name="Før du starter").wait_for()
        if state == "questions":
            return
        page.get_by_role("button", name="Hopp over og start").click()
        if state == "busy":
            page.get_by_role("heading", name="Mange venter akkurat nå").wait_for()
            return
        page.get_by_text("i køen").wait_for()
        if state == "queue":
            return
        if state == "chat":
            counsellor.get_by_role("button", name="Ta neste chat").click()
            page.get_by_text("En rådgiver er her").wait_for()
            return
        assert state == "ended"
        page.get_by_role("button", name="Avslutt chat").click()
        page.get_by_role("button", name="Ja, avslutt").click()
        page.get_by_role("heading", name="Chatten er avsluttet").wait_for()

    def tap_exit(self) -> None:
        link = self.page.get_by_role("link", name="Gå ut raskt")
        # Playwright taps only what is visible, enabled and not covered by anything else,
        # and waits at most five seconds for that.
        if self.phone:
            link.tap(timeout=5000)
        else:
            link.click(timeout=5000)

    def shift_three_times(self) -> None:
        for _ in range(3):
            self.page.keyboard.press("Shift")
            self.page.wait_for_timeout(80)

    def assert_left(self, *, replaced: bool = True) -> None:
        """On the exit host, without the chat's address in the Referer; with `replaced`,
        the chat is no longer in the history either."""
        page = self.page
        page.wait_for_url(f"{self.site.url}**", timeout=5000)
        assert urlsplit(page.url).netloc == urlsplit(self.site.url).netloc
        assert page.get_by_text("Sunny").is_visible()
        assert self.site.referers[-1] is None
        if replaced:
            assert page.evaluate("history.length") == self.arrived
            page.go_back()
            assert "/chat/" not in page.url
            assert page.url == self.site.before

    def close(self) -> None:
        self.ctx.close()


@pytest.fixture
def visit(
    chromium: Any, exit_site: ExitSite, server: tuple[World, str]
) -> Iterator[Callable[..., Visit]]:
    visits: list[Visit] = []

    def open_visit(size: str, prepare: Callable[[Any], None] | None = None, **ctx: Any) -> Visit:
        v = Visit(chromium, exit_site, server[1], size, prepare, **ctx)
        visits.append(v)
        return v

    yield open_visit
    for v in visits:
        v.close()


@pytest.mark.parametrize("size", ["phone", "laptop"])
@pytest.mark.parametrize("how", ["tap", "shift"])
@pytest.mark.parametrize("state", STATES)
def test_quick_exit_leaves_from_every_state(
    visit: Callable[..., Visit],
    server: tuple[World, str],
    counsellor: Any,
    state: str,
    how: str,
    size: str,
) -> None:
    w, _base = server
    blocker = None
    if state == "closed":
        with chat_closed(w):
            v = visit(size)
    else:
        v = visit(size)
    if state == "busy":
        # Someone else holds the only place in the queue.
        blocker = visit(size)
        blocker.reach("queue")
        with queue_cap(w, 1):
            v.reach(state)
    else:
        v.reach(state, counsellor)
    if state == "chat":
        assert counsellor.locator("article.chat:not(.ended)").count() == 1
    if how == "tap":
        v.tap_exit()
    else:
        v.shift_three_times()
    v.assert_left()
    # The chat page told the server on the way out: the counsellor is not left waiting.
    if state == "queue":
        counsellor.locator("#queue-count", has_text="0").wait_for()
    if state == "chat":
        counsellor.locator("article.chat:not(.ended)").wait_for(state="detached")
        counsellor.get_by_text("Chatten er avsluttet.").last.wait_for()
    if blocker:
        blocker.tap_exit()
        counsellor.locator("#queue-count", has_text="0").wait_for()


@pytest.mark.parametrize("size", ["phone", "laptop"])
@pytest.mark.parametrize("how", ["tap", "shift"])
def test_quick_exit_works_while_the_end_chat_question_is_open(
    visit: Callable[..., Visit], counsellor: Any, how: str, size: str
) -> None:
    v = visit(size)
    v.reach("chat", counsellor)
    v.page.get_by_role("button", name="Avslutt chat").click()
    dialog = v.page.get_by_role("dialog", name="Vil du avslutte chatten?")
    dialog.wait_for()
    if size == "phone" and how == "tap":
        v.page.screenshot(path="/tmp/h1-dialog.png")
    if how == "tap":
        v.tap_exit()
    else:
        v.shift_three_times()
    v.assert_left()
    counsellor.locator("article.chat:not(.ended)").wait_for(state="detached")


@pytest.mark.parametrize("state", ["closed", "safety"])
@pytest.mark.parametrize("broken", ["throws", "missing"])
@pytest.mark.parametrize(("size", "how"), [("phone", "tap"), ("laptop", "shift")])
def test_quick_exit_leaves_when_the_page_script_fails(
    visit: Callable[..., Visit],
    server: tuple[World, str],
    broken: str,
    state: str,
    size: str,
    how: str,
) -> None:
    """The chat's own script throws as it did on the closed page at night, or never
    arrives: the exit does not depend on it."""
    w, _base = server
    errors: list[str] = []

    def break_script(route: Any) -> None:
        if broken == "throws":
            route.fulfill(
                status=200,
                content_type="text/javascript",
                body="throw new TypeError(\"Cannot read properties of undefined (reading 'socket')\");",
            )
        else:
            route.abort()

    def prepare(page: Any) -> None:
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.route("**/static/chat/visitor.js*", break_script)

    with chat_closed(w) if state == "closed" else nullcontext():
        v = visit(size, prepare)
    v.reach(state)
    if broken == "throws":
        assert any("socket" in error for error in errors)
    if how == "tap":
        v.tap_exit()
    else:
        v.shift_three_times()
    v.assert_left()


def test_quick_exit_is_a_link_that_leaves_without_javascript(
    visit: Callable[..., Visit], server: tuple[World, str]
) -> None:
    w, _base = server
    with chat_closed(w):
        v = visit("phone", java_script_enabled=False)
        v.reach("closed")
    link = v.page.get_by_role("link", name="Gå ut raskt")
    assert link.get_attribute("rel") == "noreferrer"
    v.tap_exit()
    # Without JavaScript the link adds a history entry (only the script can replace one),
    # but the visitor is away from the chat and the chat's address was not sent along.
    v.assert_left(replaced=False)


def type_like_a_person(page: Any, text: str) -> None:
    """About 60 ms a key, holding Shift for each capital and "!" or "?" as people do."""
    for char in text:
        if char.isupper() or char in "!?":
            page.keyboard.down("Shift")
            page.wait_for_timeout(30)
            page.keyboard.press(char)
            page.keyboard.up("Shift")
        else:
            page.keyboard.type(char)
        page.wait_for_timeout(60)


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_typing_capitals_never_leaves(
    visit: Callable[..., Visit], counsellor: Any, size: str
) -> None:
    v = visit(size)
    v.reach("chat", counsellor)
    if size == "phone":
        v.page.screenshot(path="/tmp/h1-chat.png")
    # No template syntax shows on the page (a multi-line {# #} comment once did).
    assert "{#" not in v.page.locator("body").inner_text()
    v.page.locator("#text").click()
    sentence = "Jeg, Ali og Sara bor i Oslo. Hei Kari! OK?"
    type_like_a_person(v.page, sentence)
    v.page.wait_for_timeout(300)
    assert v.page.url.endswith("/chat/")
    assert v.page.locator("#text").input_value() == sentence
    v.page.keyboard.press("Enter")
    counsellor.get_by_text(sentence).wait_for()
    # Shift on its own still counts after all that typing.
    v.shift_three_times()
    v.assert_left()


def test_shift_counts_only_alone_and_within_five_seconds(
    visit: Callable[..., Visit],
) -> None:
    v = visit("laptop")
    page = v.page
    page.clock.install()
    v.reach("safety")
    keys = page.keyboard
    # Another key between the presses starts the count again ...
    keys.press("Shift")
    keys.press("Shift")
    keys.press("a")
    keys.press("Shift")
    # ... and so does Shift held with another key (a chord).
    keys.down("Shift")
    keys.press("Tab")
    keys.up("Shift")
    keys.press("Shift")
    # Presses more than five seconds apart do not add up.
    page.clock.fast_forward(5_100)
    keys.press("Shift")
    page.wait_for_timeout(300)
    assert page.url.endswith("/chat/")
    keys.press("Shift")
    keys.press("Shift")
    v.assert_left()


def test_closed_page_screenshot(visit: Callable[..., Visit], server: tuple[World, str]) -> None:
    w, _base = server
    with chat_closed(w):
        v = visit("phone")
        v.reach("closed")
    # At phone size the exit is on screen at first paint, and there is no Shift hint.
    box = v.page.get_by_role("link", name="Gå ut raskt").bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 740
    assert not v.page.get_by_text("eller trykk Shift tre ganger").is_visible()
    v.page.screenshot(path="/tmp/h1-closed.png")
    v2 = visit("laptop")
    v2.reach("safety")
    assert v2.page.get_by_text("eller trykk Shift tre ganger").is_visible()


@pytest.mark.parametrize("how", ["tap", "shift"])
def test_quick_exit_in_a_frame_leaves_the_whole_tab(
    chromium: Any, exit_site: ExitSite, server: tuple[World, str], how: str
) -> None:
    """Shown in a frame on the organisation's site, the exit takes the whole tab away,
    not just the frame, and Back does not return to the page with the chat."""
    ctx = chromium.new_context(**PHONE)
    try:
        page = ctx.new_page()
        page.goto(exit_site.before)
        page.goto(exit_site.embed)
        arrived = page.evaluate("history.length")
        chat = page.frame_locator("iframe")
        chat.get_by_role("heading", name="Chat med oss – anonymt").wait_for(timeout=WAIT_MS)
        if how == "tap":
            chat.get_by_role("link", name="Gå ut raskt").tap(timeout=5000)
        else:
            chat.get_by_role("heading", name="Chat med oss – anonymt").click()
            for _ in range(3):
                page.keyboard.press("Shift")
                page.wait_for_timeout(80)
        page.wait_for_url(f"{exit_site.url}**", timeout=5000)
        assert page.evaluate("history.length") == arrived
        page.go_back()
        assert page.url == exit_site.before
    finally:
        ctx.close()


def test_every_visitor_page_loads_the_exit_first(
    visit: Callable[..., Visit], server: tuple[World, str], exit_site: ExitSite
) -> None:
    """The exit's script comes before any other and is not deferred, so it works from the
    first paint; the control is a link to the exit page that sends no Referer."""
    w, _base = server
    for closed in (True, False):
        with chat_closed(w) if closed else nullcontext():
            v = visit("phone")
        first = v.page.evaluate(
            "(() => { const s = document.querySelector('script[src]');"
            " return [s.getAttribute('src'), s.defer, s.async, s.parentNode.tagName]; })()"
        )
        assert first[0].endswith("/hjelpelinje/quick-exit.js")
        assert first[1:] == [False, False, "HEAD"]
        link = v.page.get_by_role("link", name="Gå ut raskt")
        assert link.get_attribute("href") == exit_site.url
        assert link.get_attribute("rel") == "noreferrer"


@pytest.mark.parametrize("kept", ["beacon", "close", "frame"])
def test_quick_exit_ends_the_chat_by_any_one_of_its_three_ways(
    visit: Callable[..., Visit], counsellor: Any, kept: str
) -> None:
    """The chat page ends the chat three ways as it leaves: the socket's `end` frame, the
    beacon to /chat/end/, and the socket's close as the page goes (1001). A page going
    away may lose any of them (Firefox drops the frame); each one alone ends the chat.
    Here the other two are taken away on the way to the server."""
    beacons: list[str] = []

    def prepare(page: Any) -> None:
        def beacon(route: Any) -> None:
            beacons.append(route.request.method)
            if kept == "beacon":
                route.continue_()
            else:
                route.abort()

        page.route("**/chat/end/", beacon)
        if kept == "frame":
            return

        def line(ws: Any) -> None:
            server = ws.connect_to_server()
            # Every frame goes through but `end`; the server's frames come back as they are.
            ws.on_message(lambda m: None if '"end"' in str(m) else server.send(m))
            server.on_message(lambda m: ws.send(m))
            if kept == "beacon":
                # The page's close never reaches the server: its socket stays open.
                ws.on_close(lambda code, reason: None)

        page.route_web_socket("**/ws/chat/visitor/", line)

    v = visit("laptop", prepare)
    v.reach("chat", counsellor)
    v.tap_exit()
    v.assert_left()
    counsellor.locator("article.chat:not(.ended)").wait_for(state="detached")
    counsellor.get_by_text("Chatten er avsluttet.").last.wait_for()
    assert beacons == ["POST"]
