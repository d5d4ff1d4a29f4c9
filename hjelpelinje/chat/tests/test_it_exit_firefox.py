"""The quick exit ends the chat in Firefox too, as the counsellor sees it.

Firefox ESR once reached the exit page without ending the chat (issue 16, item 0): the
counsellor saw the visitor drop off, the chat stayed open, and at her limit she could take
no one else. Here a visitor in Debian's Firefox ESR (driven over WebDriver BiDi by
puppeteer-core, firefox/visitor.mjs) leaves a chat by the button or by Shift three times,
with and without the end-chat dialog open, while a counsellor in Chromium, allowed one chat
at a time, watches: the chat ends on her screen at once, and she can take the next visitor.
Firefox stays open on the exit page meanwhile, so the browser's closing cannot end the chat
in its place.
"""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import launched_chromium, local_site
from hjelpelinje.chat.tests.server import ROOT, World, world

pytestmark = pytest.mark.browser

FIREFOX = "/usr/bin/firefox-esr"
DRIVER = Path(__file__).with_name("firefox") / "visitor.mjs"
# Firefox's first start on a loaded machine takes a while; a failure still shows in a minute.
WAIT_S = 90
WAIT_MS = 30_000

SETUP = """
from hjelpelinje.chat.models import ChatSettings
ChatSettings.objects.update_or_create(pk=1, defaults={"max_chats_per_counsellor": 1})
"""


@pytest.fixture(scope="module")
def firefox() -> str:
    # Like Chromium's tests: a missing browser or driver is a broken machine, not a pass.
    if not os.path.exists(FIREFOX):
        pytest.fail("Debian's firefox-esr is not installed (apt-get install firefox-esr)")
    if shutil.which("node") is None:
        pytest.fail("node is not installed (apt-get install nodejs npm)")
    if not (ROOT / "node_modules" / "puppeteer-core").is_dir():
        pytest.fail("puppeteer-core is not installed: PUPPETEER_SKIP_DOWNLOAD=1 npm ci")
    return FIREFOX


@pytest.fixture(scope="module")
def sites() -> Iterator[tuple[str, str]]:
    """Another site: a page to arrive from and the exit page (the weather)."""

    def respond(path: str, _headers: Any) -> bytes:
        return b"<!doctype html><title>Weather</title><p>Sunny</p>"

    with local_site(respond) as port:
        yield f"http://localhost:{port}/before", f"http://localhost:{port}/weather"


@pytest.fixture(scope="module")
def server(sites: tuple[str, str]) -> Iterator[tuple[World, str]]:
    with world(static=True, setup=SETUP, HJELPELINJE_EXIT_URL=sites[1]) as w:
        yield w, f"http://127.0.0.1:{w.serve()}"


@pytest.fixture(scope="module")
def chromium(chromium_path: str) -> Iterator[Any]:
    with launched_chromium(chromium_path) as instance:
        yield instance


@pytest.fixture(scope="module")
def counsellor(chromium: Any, server: tuple[World, str]) -> Iterator[Any]:
    w, base = server
    ctx = chromium.new_context(viewport={"width": 1100, "height": 900})
    ctx.add_cookies([{"name": "sessionid", "value": w.sessions[0], "url": base}])
    page = ctx.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(f"{base}/staff/chat/console/")
    assert page.url.endswith("/staff/chat/console/")
    page.select_option("#presence", "available")
    yield page
    ctx.close()


class FirefoxVisitor:
    """firefox/visitor.mjs in its own process: it says how far it got, line by line."""

    def __init__(self, firefox: str, base: str, before: str, exit_url: str, *how: str) -> None:
        env = dict(os.environ, FIREFOX=firefox, PUPPETEER_SKIP_DOWNLOAD="1")
        self.proc = subprocess.Popen(
            ["node", str(DRIVER), base, before, exit_url, *how],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.errors: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_errors, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.strip())
        self.lines.put(None)

    def _read_errors(self) -> None:
        assert self.proc.stderr is not None
        self.errors.extend(self.proc.stderr)

    def expect(self, word: str) -> None:
        try:
            line = self.lines.get(timeout=WAIT_S)
        except queue.Empty:
            line = "(nothing)"
        assert line == word, f"Firefox visitor: wanted {word!r}, got {line!r}: {self.errors}"

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def firefox_visitor(
    firefox: str, server: tuple[World, str], sites: tuple[str, str]
) -> Iterator[Callable[..., FirefoxVisitor]]:
    started: list[FirefoxVisitor] = []

    def start(*how: str) -> FirefoxVisitor:
        v = FirefoxVisitor(firefox, server[1], *sites, *how)
        started.append(v)
        return v

    yield start
    for v in started:
        v.close()


@pytest.mark.parametrize("dialog", ["plain", "dialog"])
@pytest.mark.parametrize("how", ["tap", "shift"])
def test_quick_exit_in_firefox_ends_the_chat_and_frees_the_counsellor(
    firefox_visitor: Callable[..., FirefoxVisitor],
    chromium: Any,
    counsellor: Any,
    server: tuple[World, str],
    how: str,
    dialog: str,
) -> None:
    v = firefox_visitor(how, dialog)
    v.expect("queued")
    counsellor.get_by_role("button", name="Ta neste chat").click()
    v.expect("joined")
    chat = counsellor.locator("article.chat:not(.ended)")
    assert chat.count() == 1
    v.expect("left")
    # The counsellor sees the chat end while the visitor's Firefox is still open.
    chat.wait_for(state="detached")
    counsellor.get_by_text("Chatten er avsluttet.").last.wait_for()
    # And at her limit of one chat she is free again: the next visitor is answered.
    ctx = chromium.new_context()
    try:
        page = ctx.new_page()
        page.set_default_timeout(WAIT_MS)
        page.goto(f"{server[1]}/chat/")
        page.get_by_role("button", name="Jeg forstår – gå videre").click()
        page.get_by_role("button", name="Hopp over og start").click()
        page.get_by_text("i køen").wait_for()
        counsellor.get_by_role("button", name="Ta neste chat").click()
        page.get_by_text("En rådgiver er her").wait_for()
        page.get_by_role("button", name="Avslutt chat").click()
        page.get_by_role("button", name="Ja, avslutt").click()
        page.get_by_role("heading", name="Chatten er avsluttet").wait_for()
        counsellor.locator("article.chat:not(.ended)").wait_for(state="detached")
    finally:
        ctx.close()
