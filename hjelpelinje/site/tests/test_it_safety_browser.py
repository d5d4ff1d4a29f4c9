"""Every page of the demo website in Chromium, at phone and laptop size: it loads with no
Content-Security-Policy violation, asks no other host for anything (fonts, scripts, video,
maps), and what it sends, without images, stays light."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from hjelpelinje.site.tests.test_it_safety import demo_pages

__all__ = ["demo_pages"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots/safety")
SIZES = {
    "phone": {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True},
    "laptop": {"viewport": {"width": 1366, "height": 768}},
}
# Reported to the page, and kept where the test can read it, by a script the test adds.
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_every_page_loads_clean_and_only_from_this_server(
    browser: Any, live_server: Any, demo_pages: list[str], size: str
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    site = live_server.url
    origin = urlsplit(site)
    context = browser.new_context(**SIZES[size])
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    requests: list[str] = []
    console: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on(
        "console",
        lambda message: console.append(message.text) if message.type == "error" else None,
    )
    responses: list[Any] = []
    page.on("response", lambda response: responses.append(response))
    for path in demo_pages:
        weight = 0
        responses.clear()
        page.goto(site + path)
        page.wait_for_load_state("networkidle")
        violations = page.evaluate("window.__violations")
        assert violations == [], (path, violations)
        failed = [
            (response.url, response.status)
            for response in responses
            if response.status >= 400 and urlsplit(response.url).path != "/favicon.ico"
        ]
        assert failed == [], (path, failed)
        for response in responses:
            redirect = 300 <= response.status < 400
            if not redirect and response.request.resource_type not in ("image", "media", "font"):
                weight += len(response.body())
        # The "light" page, measured here with the stylesheets and scripts too.
        assert weight < 50_000, (path, weight)
        name = path.strip("/").replace("/", "-") or "home"
        page.screenshot(path=str(SHOTS / f"{size}-{name}.png"), full_page=False)
    # The browser's own request for /favicon.ico (the site has none) is the one failure
    # allowed; any other error in the console is a fault of the page.
    favicon = "Failed to load resource: the server responded with a status of 404 (Not Found)"
    assert [text for text in console if text != favicon] == [], console
    assert console.count(favicon) <= 1, console
    for url in requests:
        parts = urlsplit(url)
        assert parts.scheme == "data" or (parts.hostname, parts.port) == (
            origin.hostname,
            origin.port,
        ), url
    context.close()
