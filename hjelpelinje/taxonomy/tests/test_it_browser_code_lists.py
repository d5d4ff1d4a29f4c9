"""A manager reorders and deactivates code list entries in Chromium (htmx, no reload)."""

from __future__ import annotations

import pytest

from hjelpelinje.accounts.tests.browser import browser_login
from hjelpelinje.taxonomy.models import Code


def _order() -> list[str]:
    rows = Code.objects.filter(list="channel").order_by("position", "id")
    return list(rows.values_list("code", flat=True))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width, height", [(1366, 768), (390, 844)])
def test_reorder_and_deactivate_in_place(live_server, browser, manager, width, height):
    page = browser.new_page(viewport={"width": width, "height": height}, locale="nb-NO")
    browser_login(page, live_server.url, manager)
    page.goto(live_server.url + "/staff/codes/channel/")
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name="Flytt «E-post» opp").click()
    page.wait_for_selector("#entries tbody tr:nth-child(2)[data-testid=code-email]")
    assert _order()[:3] == ["phone", "email", "chat"]
    # Keyboard users keep their place: focus stays on the button they pressed.
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        "Flytt «E-post» opp"
    )
    page.locator("[data-testid=code-whatsapp] button.link").click()
    page.wait_for_selector("tr.inactive[data-testid=code-whatsapp]")
    assert page.evaluate("window.notReloaded") is True
    assert not Code.objects.get(list="channel", code="whatsapp").active
    # The page does not overflow a phone screen sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reorder_works_without_javascript(live_server, browser, manager):
    context = browser.new_context(java_script_enabled=False, locale="nb-NO")
    page = context.new_page()
    browser_login(page, live_server.url, manager)
    page.goto(live_server.url + "/staff/codes/channel/")
    with page.expect_navigation():
        page.get_by_role("button", name="Flytt «Chat» opp").click()
    assert page.url.endswith("/staff/codes/channel/")
    assert _order()[:2] == ["chat", "phone"]
    context.close()
