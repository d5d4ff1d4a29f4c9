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
    requests: list[str] = []
    console: list[str] = []
    for path in demo_pages:
        weight = 0
        # A page of its own for each path: what the previous page sends as it goes (the
        # visit beacon) answers after the next navigation began, and the body of a response
        # whose document is gone cannot be read; it is not part of this page's weight.
        page = context.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.on(
            "console",
            lambda message: console.append(message.text) if message.type == "error" else None,
        )
        responses: list[Any] = []
        page.on("response", lambda response, into=responses: into.append(response))
        # "load" comes after the deferred scripts ran, so their requests have started.
        page.goto(site + path, wait_until="load")
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
        page.close()
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


# A page on the site's origin (answered by the test, not the server) that loads the real
# quick exit and the real nav.js, with one of each kind of link and form.
PROBE = """<!doctype html><html><head><meta charset="utf-8">
<script src="/static/hjelpelinje/quick-exit.js"></script>
<script src="/static/site/nav.js" defer></script><title>{title}</title></head><body>
<div class="quick-exit"><a href="http://exit.invalid/weather" data-quick-exit>Ut</a></div>
<a class="skip" href="#main">Hopp</a>
<main id="main" tabindex="-1"><h1>{title}</h1>
<a id="inside" href="/nav-probe/two/">Inside</a>
<a id="marked" href="/nav-probe/three/" data-no-replace>Marked</a>
<a id="outside" href="http://other.invalid/page">Outside</a>
<a id="blank" href="/nav-probe/four/" target="_blank">New tab</a>
<form id="search" action="/nav-probe/search/" method="get">
<input name="q" value="tvang"><button>Søk</button></form>
</main></body></html>"""


def serve_probe(route: Any) -> None:
    path = urlsplit(route.request.url).path
    route.fulfill(content_type="text/html", body=PROBE.format(title=path))


def test_links_and_forms_inside_the_site_replace_the_history_entry(
    browser: Any, live_server: Any
) -> None:
    context = browser.new_context(**SIZES["laptop"])
    context.route("**/nav-probe/**", serve_probe)
    context.route("http://other.invalid/**", serve_probe)
    page = context.new_page()
    page.goto(live_server.url + "/nav-probe/one/")
    start = int(page.evaluate("history.length"))

    def entries() -> int:
        return int(page.evaluate("history.length")) - start

    page.click("#inside")
    page.wait_for_url("**/nav-probe/two/")
    assert entries() == 0
    page.focus("a.skip")
    page.keyboard.press("Enter")
    page.wait_for_url("**/nav-probe/two/#main")
    assert page.evaluate("document.activeElement.id") == "main"
    assert entries() == 0
    page.click("#search button")
    page.wait_for_url(lambda url: url.endswith("/nav-probe/search/?q=tvang"))
    assert entries() == 0
    # A new tab is what the visitor asked for: this tab stays where it is.
    with context.expect_page() as opened:
        page.click("#blank")
    opened.value.close()
    assert urlsplit(page.url).path == "/nav-probe/search/"
    assert entries() == 0
    # Marked links, and links to other sites, are plain links.
    page.click("#marked")
    page.wait_for_url("**/nav-probe/three/")
    assert entries() == 1
    page.click("#outside")
    page.wait_for_url("http://other.invalid/page")
    assert entries() == 2
    context.close()


def test_a_broken_nav_script_never_stops_the_quick_exit(browser: Any, live_server: Any) -> None:
    context = browser.new_context(**SIZES["phone"])
    context.route("**/nav-probe/**", serve_probe)
    context.route("http://exit.invalid/**", serve_probe)
    context.route(
        "**/static/site/nav.js",
        lambda route: route.fulfill(
            content_type="text/javascript",
            body="document.addEventListener('click', e => { e.stopImmediatePropagation(); "
            "throw new Error('broken'); }, true); throw new Error('broken');",
        ),
    )
    page = context.new_page()
    page.goto(live_server.url + "/nav-probe/one/")
    start = page.evaluate("history.length")
    page.locator("a[data-quick-exit]").tap()
    page.wait_for_url("http://exit.invalid/weather")
    # Still by location.replace: the page left is not in the history.
    assert page.evaluate("history.length") == start
    context.close()
