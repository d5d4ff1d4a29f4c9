"""Staff cookies never reach public pages, in a real browser: a counsellor signed in on the
same computer opens the website, and her browser sends none of her cookies with it, and the
website sets none."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from hjelpelinje.accounts.models import User
from hjelpelinje.accounts.tests.browser import browser_login
from hjelpelinje.site.tests.test_it_safety import demo_pages

__all__ = ["demo_pages"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_signed_in_counsellor_sends_no_cookie_to_the_website(
    browser: Any, live_server: Any, counsellor: User, demo_pages: list[str]
) -> None:
    site = live_server.url
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    browser_login(page, site, counsellor)
    assert urlsplit(page.url).path.startswith("/staff/")
    staff_cookies = context.cookies()
    names = {cookie["name"] for cookie in staff_cookies}
    assert "sessionid" in names, names
    assert {cookie["path"] for cookie in staff_cookies} == {"/staff/"}, staff_cookies

    sent: list[tuple[str, dict[str, str]]] = []
    received: list[tuple[str, dict[str, str]]] = []

    def on_request(request: Any) -> None:
        if request.url.startswith(site):
            sent.append((request.url, request.all_headers()))

    def on_response(response: Any) -> None:
        if response.url.startswith(site):
            received.append((response.url, response.all_headers()))

    page.on("request", on_request)
    page.on("response", on_response)
    for path in [*demo_pages[:3], "/chat/", "/finnes-ikke/"]:
        page.goto(site + path)
    # The launcher's live state, fetched by the page's own script.
    page.wait_for_load_state("networkidle")
    public = [
        (url, headers) for url, headers in sent if not urlsplit(url).path.startswith("/staff/")
    ]
    assert len(public) >= 5, sent
    for url, headers in public:
        assert "cookie" not in headers, (url, headers.get("cookie"))
    for url, headers in received:
        assert "set-cookie" not in headers, (url, headers.get("set-cookie"))
    # Her staff session is untouched and still hers: the console still opens.
    assert context.cookies() == staff_cookies
    page.goto(site + "/staff/")
    assert urlsplit(page.url).path == "/staff/"
    context.close()
