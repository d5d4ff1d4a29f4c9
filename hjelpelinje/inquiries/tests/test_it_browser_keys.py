"""The register form from the keyboard alone: it takes the focus, and every entry of a long
list ("Henvist til" has ten, managers may add more) can be picked without the mouse."""

from __future__ import annotations

from typing import Any

import pytest

from hjelpelinje.accounts.models import User
from hjelpelinje.accounts.tests.browser import browser_login
from hjelpelinje.inquiries.models import Inquiry
from hjelpelinje.taxonomy.models import Code


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_tenth_and_eleventh_referral_are_picked_from_the_keyboard(
    live_server: Any, browser: Any, counsellor: User
) -> None:
    agencies = list(Code.objects.filter(list="agency", active=True).order_by("position", "pk"))
    assert len(agencies) == 10
    extra = Code.objects.create(list="agency", code="extra", label="Ekstra instans", position=999)
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    browser_login(page, live_server.url, counsellor)
    page.goto(live_server.url + "/staff/inquiries/ny/")

    # The form has the keyboard at once: typing starts in its first field.
    assert page.evaluate("document.activeElement.name") == "occurred_at"
    assert "1–9 og 0 (= 10) velger i listen" in page.locator(".inq-keys").inner_text()
    group = page.locator("#group-referred_to")
    assert group.locator(".inq-n").all_inner_texts()[9:] == ["0", "⇧1"]

    page.keyboard.press("Alt+v")
    page.keyboard.press("0")
    page.keyboard.press("Shift+Digit1")
    checked = group.locator("input:checked")
    assert checked.count() == 2
    page.keyboard.press("Alt+s")
    page.keyboard.type("Henvist videre.")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("[data-testid=last-saved]")

    inquiry = Inquiry.objects.get()
    page.goto(f"{live_server.url}/staff/inquiries/{inquiry.pk}/")
    referred = page.locator("dt:text-is('Henvist til') + dd").inner_text()
    assert referred == f"{agencies[9].label}, {extra.label}"
