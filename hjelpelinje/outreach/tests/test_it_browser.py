"""A manager on a phone enters a talk and reads a campaign's effect, in Chromium."""

from __future__ import annotations

import datetime as dt

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from hjelpelinje.outreach.models import Talk
from hjelpelinje.outreach.tests.helpers import campaign, inquiries, inquiry

D = dt.date
PASSWORD = "correct-horse-battery-staple"


def _token(device: TOTPDevice) -> str:
    return str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)).zfill(
        device.digits
    )


def _log_in(page, base: str, user) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.fill("input[name=token]", _token(TOTPDevice.objects.get(user=user)))
    # "main": the top bar's log-out button is a submit button too.
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_manager_on_a_phone_adds_a_talk_and_reads_the_effect(browser, live_server, manager):
    inquiry(D(2023, 1, 10))
    inquiries({D(2023, 6, 1): 2, D(2023, 6, 12): 3, D(2023, 6, 13): 1})
    campaign("Etterlatt i utlandet", D(2023, 6, 9), D(2023, 6, 30), funder="IMDi")

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nb-NO")
    page = context.new_page()
    _log_in(page, live_server.url, manager)
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
