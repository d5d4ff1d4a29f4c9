"""The chat in Chromium at phone size: a visitor and a counsellor in two browser contexts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hjelpelinje.chat.tests.server import World, world

SHOTS = Path("/tmp/chat/shots")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PHONE = {"width": 360, "height": 740}
EXIT_URL = "https://www.yr.no/"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[World, str]]:
    with world(counsellors=2, static=True, HJELPELINJE_EXIT_URL=EXIT_URL) as w:
        yield w, f"http://127.0.0.1:{w.serve()}"


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def login(page: Any, base: str, w: World, username: str) -> None:
    page.goto(f"{base}/staff/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "x-" * 10)
    page.click("main button[type=submit]")
    page.wait_for_url("**/two-factor/**")
    page.fill("input[name=token]", w.totp_token(username))
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def neutral_site(context: Any) -> None:
    # The exit's neutral site, served locally: tests make no request to the internet.
    context.route(
        f"{EXIT_URL}**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<p>Været</p>"),
    )


def test_visitor_chats_with_a_counsellor_and_leaves_no_trace(
    browser: Any, server: tuple[World, str]
) -> None:
    w, base = server
    staff_ctx = browser.new_context(viewport={"width": 1100, "height": 900})
    counsellor = staff_ctx.new_page()
    login(counsellor, base, w, "radgiver0")
    counsellor.goto(f"{base}/staff/chat/console/")
    shot(counsellor, "console-empty")
    assert "/login/" not in counsellor.url
    counsellor.select_option("#presence", "available")

    ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    neutral_site(ctx)
    page = ctx.new_page()
    page.goto(f"{base}/chat/")
    arrived = page.evaluate("history.length")
    shot(page, "1-safety")
    page.get_by_role("button", name="Jeg forstår – gå videre").click()
    shot(page, "2-questions")
    page.locator("input[name=age_group]").first.check()
    page.get_by_role("button", name="Start chat").click()
    page.get_by_text("Du er nummer 1 i køen.").wait_for()
    shot(page, "3-queue")

    counsellor.get_by_text("Kø (1)").wait_for()
    counsellor.get_by_role("button", name="Ta neste chat").click()
    page.get_by_text("En rådgiver er her").wait_for()
    assert page.title() == "Rådgiveren er her"

    console_text = counsellor.locator("article.chat textarea").first
    console_text.fill("Hei! <b>Du</b> snakker med Kari.")
    counsellor.locator("article.chat").get_by_role("button", name="Send").click()
    # Shown as text, never as HTML.
    page.get_by_text("Hei! <b>Du</b> snakker med Kari.").wait_for()
    page.fill("#text", "Jeg vil ikke gifte meg")
    page.get_by_role("button", name="Send").click()
    counsellor.get_by_text("Jeg vil ikke gifte meg").wait_for()
    console_text.fill("Jeg")
    page.get_by_text("Rådgiveren skriver").wait_for()
    shot(page, "4-chat")
    shot(counsellor, "console")

    page.get_by_role("button", name="Avslutt chat").click()
    shot(page, "5-confirm-end")
    page.get_by_role("button", name="Nei, fortsett").click()

    # Nothing stored on the phone during the chat.
    assert ctx.cookies() == []
    storage = page.evaluate(
        """async () => [localStorage.length, sessionStorage.length,
            (await indexedDB.databases()).length]"""
    )
    assert storage == [0, 0, 0]

    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.wait_for_url(f"{EXIT_URL}**")
    # The chat replaced itself: same number of entries as on arrival, and Back does not
    # lead to the chat.
    assert page.evaluate("history.length") == arrived
    page.go_back()
    assert "/chat/" not in page.url
    assert ctx.cookies() == []
    counsellor.get_by_text("Chatten er avsluttet.").wait_for()
    shot(counsellor, "console-after-exit")
    assert (
        counsellor.get_by_role("link", name="Registrer henvendelsen")
        .get_attribute("href")
        .startswith("/staff/inquiries/")
    )
    ctx.close()
    staff_ctx.close()


def test_a_phone_in_a_tunnel_resumes_the_chat_and_loses_nothing(
    browser: Any, server: tuple[World, str]
) -> None:
    """The line goes silent (no close, no error: a tunnel), then comes back. The page
    notices by its heartbeat, reconnects by itself, catches up on what the counsellor
    wrote meanwhile, and re-sends what it wrote itself, stored and shown once."""
    w, base = server
    staff_ctx = browser.new_context(viewport={"width": 1100, "height": 900})
    counsellor = staff_ctx.new_page()
    login(counsellor, base, w, "radgiver1")
    counsellor.goto(f"{base}/staff/chat/console/")
    counsellor.select_option("#presence", "available")

    ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    page.add_init_script("window.chatHeartbeatMs = 1000;")
    line = {"up": True, "silent": False}

    def mobile_network(ws: Any) -> None:
        if not line["up"]:
            ws.close()  # no coverage: this attempt fails
            return
        server_side = ws.connect_to_server()
        ws.on_message(lambda m: None if line["silent"] else server_side.send(m))
        server_side.on_message(lambda m: None if line["silent"] else ws.send(m))

    page.route_web_socket(lambda url: url.endswith("/ws/chat/visitor/"), mobile_network)
    page.goto(f"{base}/chat/")
    page.get_by_role("button", name="Jeg forstår – gå videre").click()
    page.get_by_role("button", name="Start chat").click()
    # The start waits for the page's proof of work: take the chat once it is queued.
    page.get_by_text("Du er nummer 1 i køen.").wait_for()
    counsellor.get_by_role("button", name="Ta neste chat").click()
    page.get_by_text("En rådgiver er her").wait_for()
    console = counsellor.locator("article.chat")

    line.update(up=False, silent=True)
    page.fill("#text", "Jeg er i en tunnel")
    page.get_by_role("button", name="Send").click()
    page.get_by_text("Forbindelsen ble brutt").wait_for()
    assert page.locator("li.msg-visitor.pending").inner_text().endswith("sendes …")
    console.locator("textarea").first.fill("Er du der fortsatt?")
    console.get_by_role("button", name="Send").click()
    shot(page, "8-reconnecting")

    line.update(up=True, silent=False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.get_by_text("Er du der fortsatt?").wait_for()
    console.get_by_text("Jeg er i en tunnel").wait_for()
    page.locator("li.msg-visitor:not(.pending)").wait_for()
    assert "sendes" not in page.locator("li.msg-visitor").inner_text()
    assert page.get_by_text("Jeg er i en tunnel").count() == 1
    assert page.get_by_text("Er du der fortsatt?").count() == 1
    assert console.get_by_text("Jeg er i en tunnel").count() == 1
    assert page.locator("#status").inner_text().strip() == ""
    shot(page, "9-resumed")

    # A message the server refuses (here: past the limit the page would normally check)
    # stops waiting and says it was not sent.
    page.evaluate(
        "document.body.dataset.maxLength = '5000';"
        "document.getElementById('text').removeAttribute('maxlength')"
    )
    page.fill("#text", "x" * 2001)
    page.get_by_role("button", name="Send").click()
    page.locator("li.msg-visitor.failed").get_by_text("Ikke sendt.").wait_for()
    ctx.close()
    staff_ctx.close()


def test_exit_button_and_end_screen(browser: Any, server: tuple[World, str]) -> None:
    _w, base = server
    ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    neutral_site(ctx)
    page = ctx.new_page()
    page.goto(f"{base}/chat/")
    arrived = page.evaluate("history.length")
    page.get_by_role("button", name="Jeg forstår – gå videre").click()
    page.get_by_role("button", name="Hopp over og start").click()
    page.get_by_text("i køen").wait_for()
    page.get_by_role("button", name="Avslutt chat").click()
    page.get_by_role("button", name="Ja, avslutt").click()
    page.get_by_role("heading", name="Chatten er avsluttet").wait_for()
    shot(page, "6-ended")
    page.get_by_role("link", name="Gå ut raskt").click()
    page.wait_for_url(f"{EXIT_URL}**")
    assert page.evaluate("history.length") == arrived
    ctx.close()


def test_visitor_page_passes_axe(browser: Any, server: tuple[World, str]) -> None:
    _w, base = server
    # axe is injected as an inline script, which the page's CSP rightly forbids.
    ctx = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = ctx.new_page()
    page.goto(f"{base}/chat/")
    page.add_script_tag(path=str(AXE))
    screens = {}
    screens["safety"] = page.evaluate("axe.run().then(r => r.violations)")
    page.get_by_role("button", name="Jeg forstår – gå videre").click()
    screens["questions"] = page.evaluate("axe.run().then(r => r.violations)")
    bad = {
        name: [(v["id"], v["impact"]) for v in found if v["impact"] in ("serious", "critical")]
        for name, found in screens.items()
    }
    assert bad == {"safety": [], "questions": []}
    ctx.close()


def test_closed_chat_page(browser: Any) -> None:
    with world(static=True) as w:
        # No opening hours at all this week: the chat is closed.
        import sqlite3

        db = sqlite3.connect(w.dir / "hjelpelinje.sqlite3")
        db.execute("DELETE FROM hours_hoursexception")
        db.execute("DELETE FROM hours_weeklyhours WHERE channel = 'chat'")
        db.commit()
        db.close()
        base = f"http://127.0.0.1:{w.serve()}"
        ctx = browser.new_context(viewport=PHONE, bypass_csp=True)
        page = ctx.new_page()
        page.goto(f"{base}/chat/")
        page.get_by_role("heading", name="Chatten er stengt nå").wait_for()
        assert page.get_by_text("116 111").count() >= 1
        shot(page, "7-closed")
        page.add_script_tag(path=str(AXE))
        found = page.evaluate("axe.run().then(r => r.violations)")
        assert [v["id"] for v in found if v["impact"] in ("serious", "critical")] == []
        assert ctx.cookies() == []
        ctx.close()
