"""The click-to-load video: nothing goes to the video host before the click.

Every request the browser makes is recorded; requests to any other host than the test
server are blocked, so no real network is used.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from conftest import launched_chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
VIDEO_HOSTS = ("youtube", "ytimg", "googlevideo", "vimeo", "doubleclick", "google")


@pytest.fixture(scope="module")
def chromium(chromium_path: str) -> Iterator[Any]:
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with launched_chromium(chromium_path) as instance:
        yield instance


def _recording_context(chromium: Any, live_server: Any, **options: Any) -> tuple[Any, list[str]]:
    own_host = urlsplit(live_server.url).netloc
    asked: list[str] = []
    ctx = chromium.new_context(viewport=PHONE, **options)

    def handle(route: Any) -> None:
        asked.append(route.request.url)
        if urlsplit(route.request.url).netloc == own_host:
            route.continue_()
        else:
            route.abort()

    ctx.route("**/*", handle)
    return ctx, asked


def _to_video_host(urls: list[str]) -> list[str]:
    return [url for url in urls if any(host in urlsplit(url).netloc for host in VIDEO_HOSTS)]


def test_the_player_loads_only_after_the_click(
    chromium: Any, live_server: Any, demo_site: dict[str, Any]
) -> None:
    ctx, asked = _recording_context(chromium, live_server)
    page = ctx.new_page()
    page.goto(live_server.url + demo_site["video"].url)
    page.wait_for_load_state("networkidle")
    button = page.get_by_role("button", name="Vis videoen – den lastes fra YouTube")
    button.wait_for()
    # With JavaScript the button replaces the link to YouTube.
    assert (
        page.get_by_role("link", name="Se videoen hos YouTube (du forlater denne siden)").count()
        == 0
    )
    assert page.locator("iframe").count() == 0
    assert _to_video_host(asked) == []
    assert any(url.endswith("/static/site/video.js") for url in asked)

    button.click()
    iframe = page.locator(".video-frame iframe")
    iframe.wait_for(state="attached")
    src = iframe.get_attribute("src")
    assert src is not None
    assert src.startswith("https://www.youtube-nocookie.com/embed/HjelpDemo01")
    assert iframe.get_attribute("title") == "Video: Hva er negativ sosial kontroll?"
    page.wait_for_timeout(300)
    # The player is asked for only now, from the privacy-enhanced host (and blocked here).
    assert [urlsplit(url).netloc for url in _to_video_host(asked)] == ["www.youtube-nocookie.com"]
    ctx.close()


def test_without_javascript_a_labelled_link_and_no_request(
    chromium: Any, live_server: Any, demo_site: dict[str, Any]
) -> None:
    ctx, asked = _recording_context(chromium, live_server, java_script_enabled=False)
    page = ctx.new_page()
    page.goto(live_server.url + demo_site["video"].url)
    link = page.get_by_role("link", name="Se videoen hos YouTube (du forlater denne siden)")
    assert link.is_visible()
    assert link.get_attribute("href") == "https://www.youtube.com/watch?v=HjelpDemo01"
    assert not page.get_by_text("Vis videoen – den lastes fra YouTube").is_visible()
    assert _to_video_host(asked) == []
    ctx.close()
