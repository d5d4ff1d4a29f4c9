"""Layouts that fit whatever the content and the font, measured in Chromium.

- No page of the website scrolls sideways on a 320 or 360 px phone, even on a day with two
  opening intervals ("09:00–12:00, 13:00–16:00") and an exception beside the ordinary
  hours, and the fixed chat launcher stays whole on the screen, where it can be tapped.
- The staff menu stays on one line on a 1366 px laptop, for the manager and the
  counsellor, in Norwegian and English.

Both with DejaVu Sans forced on every element: Debian's default font, and among the widest
common ones. A layout that fits only with a narrower system font is a layout bug.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import launched_chromium, make_staff
from hjelpelinje.accounts.models import Role, User
from hjelpelinje.accounts.tests.browser import browser_login
from hjelpelinje.core.timeutil import OSLO
from hjelpelinje.hours import services as hours_services
from hjelpelinje.hours.models import Channel, ExceptionKind, WeeklyHours
from hjelpelinje.hours.tests.test_it_now import Clock

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots/fit")
WAIT_MS = 30_000
# A Tuesday at ten: the chat is open, so its page shows the chat's own screens.
TUESDAY_10 = dt.datetime(2026, 12, 8, 10, 0, tzinfo=OSLO)
# Injected after the page's own styles (the browser context bypasses the page's CSP for
# this one stylesheet of the test's; the pages themselves allow no inline style).
DEJAVU = "*, *::before, *::after { font-family: 'DejaVu Sans' !important; }"

MEASURE = """(width) => {
  const launcher = document.getElementById("launcher-button");
  const box = launcher ? launcher.getBoundingClientRect() : null;
  const wide = [];
  for (const el of document.querySelectorAll("body *")) {
    const r = el.getBoundingClientRect();
    if (r.right > width + 0.5 && getComputedStyle(el).position !== "fixed") {
      wide.push(el.tagName.toLowerCase() + (el.className ? "." + el.className : "")
        + " " + Math.round(r.right) + ": " + (el.textContent || "").trim().slice(0, 40));
    }
  }
  return {
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
    font: getComputedStyle(document.body).fontFamily,
    launcher: box && {left: box.left, right: box.right, top: box.top, bottom: box.bottom},
    height: window.innerHeight,
    wide: wide.slice(0, 5),
  };
}"""


@pytest.fixture(scope="module")
def chromium(chromium_path: str) -> Iterator[Any]:
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with launched_chromium(chromium_path) as instance:
        yield instance


@pytest.fixture
def site(live_server: Any, manager: User, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    SHOTS.mkdir(parents=True, exist_ok=True)
    Clock(monkeypatch, TUESDAY_10)
    yield str(live_server.url)
    from django.db import connections

    connections.close_all()


def _split_tuesday(manager: User) -> None:
    """The chat closes for lunch on Tuesdays, and the phone opens for an evening today."""
    WeeklyHours.objects.filter(channel=Channel.CHAT, weekday=1).delete()
    for opens, closes in ((dt.time(9), dt.time(12)), (dt.time(13), dt.time(16))):
        WeeklyHours.objects.create(channel=Channel.CHAT, weekday=1, opens=opens, closes=closes)
    hours_services.hours_exception_create(
        actor=manager,
        channel=Channel.PHONE,
        start_date=TUESDAY_10.date(),
        end_date=TUESDAY_10.date(),
        kind=ExceptionKind.OPEN,
        opens=dt.time(18),
        closes=dt.time(21),
        note="Kveldsåpent i kampanjeuka",
    )


def _phone(chromium: Any, width: int) -> Any:
    context = chromium.new_context(
        viewport={"width": width, "height": 720},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        bypass_csp=True,
    )
    context.set_default_timeout(WAIT_MS)
    return context


def test_no_page_scrolls_sideways_on_a_small_phone_with_split_hours(
    chromium: Any, site: str, demo_site: dict[str, Any], manager: User
) -> None:
    _split_tuesday(manager)
    paths = sorted({page.url for page in demo_site.values()})
    assert "/" in paths and "/en/" in paths and "/om-oss/" in paths
    too_wide: list[str] = []
    launcher_off: list[str] = []
    for width in (320, 360):
        context = _phone(chromium, width)
        page = context.new_page()
        for path in [*paths, "/chat/", "/chat/?lang=en"]:
            page.goto(site + path, wait_until="load")
            page.add_style_tag(content=DEJAVU)
            found = page.evaluate(MEASURE, width)
            assert "DejaVu Sans" in found["font"]
            if path == "/":
                # The footer shows the split day as a visitor reads it.
                footer = page.locator("footer .opening-hours").inner_text()
                assert "09:00–12:00, 13:00–16:00" in " ".join(footer.split())
                assert "Kveldsåpent i kampanjeuka" in footer
            name = path.strip("/").replace("/", "-").replace("?", "-") or "home"
            if found["scroll"] > width:
                page.screenshot(path=str(SHOTS / f"{width}-{name}.png"), full_page=True)
                too_wide.append(f"{width} {path}: {found['scroll']} px {found['wide']}")
            box = found["launcher"]
            if box is not None and not (
                box["left"] >= 0
                and box["right"] <= width
                and box["top"] >= 0
                and box["bottom"] <= found["height"]
            ):
                launcher_off.append(f"{width} {path}: {box}")
        context.close()
    assert too_wide == []
    assert launcher_off == []


NAV_TOPS = "links => links.map(a => Math.round(a.getBoundingClientRect().top))"


@pytest.mark.parametrize("role", [Role.MANAGER, Role.COUNSELLOR])
@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("name", [("Demo", "Leder"), ("Marianne", "Kristiansen-Haugland")])
def test_the_staff_menu_is_one_line_on_a_laptop_in_dejavu_sans(
    chromium: Any, live_server: Any, role: str, language: str, name: tuple[str, str]
) -> None:
    user = make_staff(f"fit-{role}", role)
    # The name shares the bar with the menu: the demo's, and a long one.
    user.first_name, user.last_name = name
    user.save()
    context = chromium.new_context(
        viewport={"width": 1366, "height": 768}, locale="nb-NO", bypass_csp=True
    )
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    try:
        browser_login(page, live_server.url, user)
        if language == "en":
            page.goto(live_server.url + "/staff/")
            page.select_option("#language-select", "en")
            with page.expect_navigation():
                page.locator(".language-switch button").click()
        for path in ("/staff/", "/staff/inquiries/"):
            page.goto(live_server.url + path)
            assert page.locator("html").get_attribute("lang") == language
            page.add_style_tag(content=DEJAVU)
            assert "DejaVu Sans" in page.evaluate("getComputedStyle(document.body).fontFamily")
            links = page.locator("header nav a")
            assert links.count() >= 4
            tops = set(links.evaluate_all(NAV_TOPS))
            # The bar is one line: the menu, the name and "log out" side by side.
            bar = page.locator("header.topbar").bounding_box()
            logout = page.locator("header .logout button").bounding_box()
            one_line = len(tops) == 1 and bar["height"] < 2.2 * logout["height"] + 16
            if not one_line:
                page.screenshot(path=str(SHOTS / f"menu-{role}-{language}-{name[0]}.png"))
            assert len(tops) == 1, f"the menu wraps for {role} in {language} on {path}"
            assert one_line, f"the bar wraps for {role} in {language} on {path}: {bar}"
            assert logout["x"] + logout["width"] <= 1366
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= 1366
    finally:
        context.close()
        from django.db import connections

        connections.close_all()
