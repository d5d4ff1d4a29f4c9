"""In Chromium: an administrator creates an account; the new member of staff signs in with
the one-time password, enrols an authenticator app and chooses their own password."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from hjelpelinje.accounts.models import User
from hjelpelinje.accounts.tests.browser import browser_login
from hjelpelinje.accounts.tests.test_it_login import _token


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_create_staff_and_first_login(live_server, browser, administrator):
    admin_page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="nb-NO")
    browser_login(admin_page, live_server.url, administrator)
    admin_page.goto(live_server.url + "/staff/accounts/staff/")
    admin_page.get_by_role("link", name="Ny ansatt").click()
    admin_page.fill("input[name=username]", "siri")
    admin_page.fill("input[name=first_name]", "Siri")
    admin_page.select_option("select[name=role]", "manager")
    admin_page.get_by_role("button", name="Opprett").click()
    password = admin_page.locator("[data-testid=one-time-password]").inner_text()
    assert len(password) == 19

    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="nb-NO")
    page.goto(live_server.url + "/staff/accounts/login/")
    page.fill("input[name=username]", "siri")
    page.fill("input[name=password]", password)
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/two-factor/**")
    assert page.locator("svg").count() >= 1  # the QR code to scan
    device = TOTPDevice.objects.get(user__username="siri", confirmed=False)
    page.fill("input[name=token]", _token(device))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/staff/accounts/password/" in page.url
    page.fill("input[name=old_password]", password)
    page.fill("input[name=new_password1]", "siri-sitt-eget-passord")
    page.fill("input[name=new_password2]", "siri-sitt-eget-passord")
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre passordet").click()
    assert page.get_by_role("heading", name="Hei, Siri").is_visible()
    user = User.objects.get(username="siri")
    assert not user.must_change_password and user.check_password("siri-sitt-eget-passord")

    # The administrator sees the account as enrolled and signed in.
    admin_page.goto(live_server.url + "/staff/accounts/staff/")
    row = admin_page.locator("[data-testid=staff-siri]")
    assert "Leder" in row.inner_text() and "Satt opp" in row.inner_text()
    assert "Aldri" not in row.inner_text()
