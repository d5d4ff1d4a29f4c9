"""A counsellor logs in through the real pages and records an inquiry with the keyboard only."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from hjelpelinje.accounts.models import User
from hjelpelinje.accounts.tests.browser import browser_login
from hjelpelinje.inquiries.models import Inquiry

SHOTS = Path(os.environ.get("HJELPELINJE_SHOTS", "/tmp/register"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_record_an_inquiry_with_the_keyboard(
    live_server: Any, browser: Any, counsellor: User
) -> None:
    # Staff browsers ask for Norwegian; the page must also fit a 1366x768 laptop screen.
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="nb-NO")
    browser_login(page, live_server.url, counsellor)
    page.goto(live_server.url + "/staff/inquiries/ny/")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "form-1366.png"))
    # The whole form, save button included, fits one laptop screen.
    box = page.locator("button[type=submit].primary").bounding_box()
    assert box is not None and box["y"] + box["height"] <= 768

    page.keyboard.press("Alt+k")
    page.keyboard.press("2")  # chat
    page.keyboard.press("Alt+a")
    page.keyboard.press("1")  # 0-18
    page.keyboard.press("Alt+j")
    page.keyboard.press("1")  # woman
    page.keyboard.press("Alt+l")
    page.keyboard.press("2")  # Vestlandet
    page.keyboard.press("Alt+b")
    page.keyboard.type("pk")
    page.keyboard.press("Alt+e")
    page.keyboard.press("1")  # forced marriage
    page.keyboard.press("4")  # negative social control
    page.keyboard.press("Alt+o")
    page.keyboard.press("1")  # follow-up: yes
    page.keyboard.press("Alt+s")
    page.keyboard.type("Jente redd for å bli giftet bort i sommerferien.")
    page.keyboard.press("Control+Enter")
    try:
        page.wait_for_selector("[data-testid=last-saved]")
    except Exception:
        page.screenshot(path=str(SHOTS / "failed-save.png"), full_page=True)
        raise
    assert "Henvendelsen er lagret" in page.content()

    inquiry = Inquiry.objects.get()
    assert inquiry.channel.code == "chat"
    assert inquiry.age_group.code == "0-18"
    assert inquiry.gender.code == "female"
    assert inquiry.region.code == "vestlandet"
    assert inquiry.country_background == "Pakistan"
    assert sorted(c.code for c in inquiry.themes.all()) == ["forced_marriage", "social_control"]
    assert inquiry.follow_up is True
    assert inquiry.created_by == counsellor

    # A fresh form is ready for the next inquiry, and remembers the channel.
    assert page.locator("input[name=channel]:checked").get_attribute("value") == str(
        inquiry.channel_id
    )
    assert page.locator("input[name=country_background]").input_value() == ""

    # A second one where the duty to avert is triggered: the alert fields open up.
    page.keyboard.press("Alt+p")
    page.keyboard.press("1")
    page.keyboard.press("Alt+i")
    page.keyboard.press("9")  # the police
    page.screenshot(path=str(SHOTS / "form-1366-avert.png"))
    box = page.locator("button[type=submit].primary").bounding_box()
    assert box is not None and box["y"] + box["height"] <= 768
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("text=Henvendelsen er lagret")
    second = Inquiry.objects.latest("id")
    assert second.pk != inquiry.pk and second.duty_to_avert
    assert [c.code for c in second.duty_to_avert_agencies.all()] == ["politi"]
    assert second.duty_to_avert_at is not None

    page.goto(live_server.url + "/staff/inquiries/")
    page.screenshot(path=str(SHOTS / "list-1366.png"))
    row = page.locator("table.inq-table tbody tr").nth(1)
    assert f"#{inquiry.pk}" in row.inner_text()
    assert "Chat" in row.inner_text()
    assert "giftet bort" not in page.content()

    page.goto(live_server.url + f"/staff/inquiries/{inquiry.pk}/")
    assert "giftet bort" in page.content()  # the detail page is where the summary is read
    page.screenshot(path=str(SHOTS / "detail-1366.png"))

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/staff/inquiries/")
    page.screenshot(path=str(SHOTS / "list-390.png"), full_page=True)
    page.goto(live_server.url + "/staff/inquiries/ny/")
    page.screenshot(path=str(SHOTS / "form-390.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
