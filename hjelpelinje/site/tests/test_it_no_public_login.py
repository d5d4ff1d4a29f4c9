"""The public site serves no password login (issue 16, item 11).

Found: Wagtail's front-end login at `/_util/login/` was served on the public website: a
password form with no second factor that made staff sessions and audit entries. It is
not served, in either language, nor is Wagtail's page-password form; staff log in at
/staff/ only, with the second factor.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hjelpelinje.accounts.models import User
from hjelpelinje.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_wagtails_front_end_login_is_not_served(
    demo_site: dict[str, Any], counsellor: User, prefix: str
) -> None:
    client = Client()
    page = client.get(f"{prefix}/_util/login/")
    assert page.status_code == 404
    assert b"password" not in page.content.lower()
    # A counsellor's right password there signs no one in and leaves no trace.
    sent = client.post(
        f"{prefix}/_util/login/",
        {"username": counsellor.username, "password": "correct-horse-battery-staple"},
    )
    assert sent.status_code == 404
    assert "Set-Cookie" not in sent.headers and not client.cookies
    assert not AuditEntry.objects.filter(action__startswith="auth.").exists()
    assert client.get("/staff/inquiries/").status_code == 302


def test_page_passwords_are_not_served(demo_site: dict[str, Any]) -> None:
    home = demo_site["home"]
    response = Client().post(f"/_util/authenticate_with_password/1/{home.pk}/", {"password": "x"})
    assert response.status_code == 404
    # The website itself is served as before.
    assert Client().get(home.url).status_code == 200
