"""A manager on a phone enters a talk and reads a campaign's effect, in Chromium."""

from __future__ import annotations

import datetime as dt

import pytest

from hjelpelinje.accounts.tests.browser import browser_login
from hjelpelinje.outreach.models import Talk
from hjelpelinje.outreach.tests.helpers import campaign, inquiries, inquiry

D = dt.date


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_manager_on_a_phone_adds_a_talk_and_reads_the_effect(browser, live_server, manager):
    inquiry(D(2023, 1, 10))
    inquiries({D(2023, 6, 1): 2, D(2023, 6, 12): 3, D(2023, 6, 13): 1})
    campaign("Etterlatt i utlandet", D(2023, 6, 9), D(2023, 6, 30), funder="IMDi")

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nb-NO")
    page = context.new_page()
    browser_login(page, live_server.url, manager)
    page.click("nav >> text=Utadrettet")
    page.click(".year-picker >> text=2023")
    effect = page.locator("[data-testid=effect]").first.inner_text()
    assert effect.startswith("Henvendelser per åpen dag steg fra 0,13 til 0,25 under kampanjen")

    page.click("text=Registrer foredrag eller kurs")
    page.fill("input[name=date]", "2023-03-02")
    page.select_option("select[name=kind]", "school_visit")
    page.fill("input[name=audience]", "Elever på ungdomsskolen")
    page.fill("input[name=participants]", "90")
    page.click("main button:has-text('Lagre')")
    assert page.locator(".messages").inner_text().strip() == "Lagret."
    assert page.locator("[data-testid=talk-count]").inner_text() == "1"
    assert "Elever på ungdomsskolen" in page.locator("#talks").inner_text()
    # No sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert Talk.objects.get().created_by == manager
    context.close()
