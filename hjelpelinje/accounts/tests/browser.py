"""Signing in through the real pages in a Playwright browser, for browser tests."""

from __future__ import annotations

from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice

from hjelpelinje.accounts.models import User
from hjelpelinje.accounts.tests.test_it_login import PASSWORD, _token


def browser_login(page: Any, base: str, user: User, password: str = PASSWORD) -> None:
    page.goto(base + "/staff/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", password)
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/two-factor/**")
    page.fill("input[name=token]", _token(TOTPDevice.objects.get(user=user, confirmed=True)))
    # Wait for the page after the second factor, or the next goto races the redirect.
    with page.expect_navigation():
        page.keyboard.press("Enter")
