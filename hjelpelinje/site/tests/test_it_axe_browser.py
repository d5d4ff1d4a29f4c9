"""axe-core on every page type of the website, on a phone (360 px) and a laptop (1366 px).

One browser for the module and one demo site per test. The screenshots of the home page,
a theme page and the video page go to /tmp/shots/pages/ for a person to look at.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from conftest import launched_chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parents[2] / "chat" / "tests" / "vendor" / "axe.min.js"
SHOTS = Path("/tmp/shots/pages")
VIEWPORTS = {"phone": {"width": 360, "height": 740}, "laptop": {"width": 1366, "height": 768}}
SHOT_PAGES = {"home", "theme", "video"}


@pytest.fixture(scope="module")
def chromium(chromium_path: str) -> Iterator[Any]:
    # Playwright's event loop runs in this thread while the tests use the ORM, as in the
    # `browser` fixture (conftest.py).
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with launched_chromium(chromium_path) as instance:
        yield instance


def _only_own_host(route: Any, own_host: str, outside: list[str]) -> None:
    if urlsplit(route.request.url).netloc == own_host:
        route.continue_()
    else:
        outside.append(route.request.url)
        route.abort()


def _page_types(demo_site: dict[str, Any]) -> dict[str, str]:
    return {
        "home": "/",
        "theme": demo_site["theme:forced_marriage"].url,
        "professionals": demo_site["professionals"].url,
        "about": demo_site["about"].url,
        "news_index": demo_site["news_index"].url,
        "news": demo_site["news:1"].url,
        "video": demo_site["video"].url,
        "info": demo_site["history"].url,
        "home_en": demo_site["en:home"].url,
        "not_found": "/denne-siden-finnes-ikke/",
    }


def test_no_serious_or_critical_violation_on_any_page_type(
    chromium: Any, live_server: Any, demo_site: dict[str, Any]
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    own_host = urlsplit(live_server.url).netloc
    outside: list[str] = []
    found: dict[str, list[tuple[str, str]]] = {}
    for size, viewport in VIEWPORTS.items():
        # axe is injected as an inline script, which the page's CSP rightly forbids.
        ctx = chromium.new_context(viewport=viewport, bypass_csp=True)
        # Nothing may leave for another host; record it if something tries.
        ctx.route("**/*", lambda route: _only_own_host(route, own_host, outside))
        page = ctx.new_page()
        for name, path in _page_types(demo_site).items():
            response = page.goto(live_server.url + path)
            assert response is not None
            assert response.status == (404 if name == "not_found" else 200), path
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate("axe.run().then(r => r.violations)")
            found[f"{name}@{size}"] = [
                (v["id"], v["impact"]) for v in violations if v["impact"] in ("serious", "critical")
            ]
            if name in SHOT_PAGES:
                page.screenshot(path=str(SHOTS / f"{name}-{size}.png"), full_page=True)
        ctx.close()
    assert {name: bad for name, bad in found.items() if bad} == {}
    assert outside == []
