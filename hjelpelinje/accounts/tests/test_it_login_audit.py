"""Logins, failed logins and lockouts in the audit log, and the lockout page.

test_it_login.py proves the basic flow; this proves what the log records and hides.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from hjelpelinje.accounts.tests.test_it_login import PASSWORD
from hjelpelinje.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _fail(client: Client, username: str, times: int) -> None:
    for _ in range(times):
        client.post(
            "/staff/accounts/login/", {"username": username, "password": "wrong-password-x"}
        )


def test_successful_login_is_logged_against_the_member_of_staff(counsellor):
    Client().post("/staff/accounts/login/", {"username": "kari", "password": PASSWORD})
    entry = AuditEntry.objects.get(action="auth.login")
    assert (entry.actor_id, entry.actor_label) == (counsellor.pk, "kari")
    assert (entry.target_type, entry.target_id) == ("staff", str(counsellor.pk))
    assert not entry.flagged


def test_failed_login_names_a_known_account_but_never_the_password(counsellor):
    _fail(Client(), "kari", 1)
    entry = AuditEntry.objects.get(action="auth.login_failed")
    assert entry.actor_id == counsellor.pk and entry.target_id == str(counsellor.pk)
    assert "wrong-password-x" not in str(list(AuditEntry.objects.values()))


def test_failed_login_with_an_unknown_username_stores_nothing_typed(db):
    # A password typed into the username box must not end up in the log.
    Client().post("/staff/accounts/login/", {"username": "Hunter2-secret", "password": "x"})
    entry = AuditEntry.objects.get(action="auth.login_failed")
    assert entry.actor_id is None and entry.actor_label == "" and entry.target_id == ""
    assert "Hunter2" not in str(list(AuditEntry.objects.values()))


def test_lockout_is_logged_flagged_and_shown_highlighted(counsellor, manager, client_for):
    _fail(Client(), "kari", settings.AXES_FAILURE_LIMIT)
    locked = AuditEntry.objects.get(action="auth.locked_out")
    assert locked.flagged and locked.actor_id == counsellor.pk
    page = client_for(manager).get("/staff/audit/").content.decode()
    row = page.split(f'data-testid="audit-{locked.pk}"')[1].split("</tr>")[0]
    assert "Flagget" in row and "Konto sperret" in row
    assert f'<tr class="flagged" data-testid="audit-{locked.pk}"' in page


def test_lockout_page_explains_and_looks_the_same_for_unknown_accounts(counsellor):
    known, unknown = Client(), Client()
    _fail(known, "kari", settings.AXES_FAILURE_LIMIT)
    _fail(unknown, "nobody-here", settings.AXES_FAILURE_LIMIT)
    first = known.post("/staff/accounts/login/", {"username": "kari", "password": PASSWORD})
    second = unknown.post("/staff/accounts/login/", {"username": "nobody-here", "password": "x"})
    assert first.status_code == second.status_code == 429
    text = first.content.decode()
    assert "<title>Kontoen er sperret · Hjelpelinje</title>" in text
    assert "Vent 30 minutter" in text and "kontakt administratoren" in text
    # The page must not tell an attacker which usernames exist.
    assert _main(text) == _main(second.content.decode())


def _main(html: str) -> str:
    return html.split('<main id="main">')[1].split("</main>")[0]


def test_new_password_from_an_administrator_lifts_the_lockout(
    counsellor, administrator, client_for
):
    import re

    _fail(Client(), "kari", settings.AXES_FAILURE_LIMIT)
    response = client_for(administrator).post(
        f"/staff/accounts/staff/{counsellor.pk}/reset-password/"
    )
    shown = re.search(r'one-time-password">([^<]+)<', response.content.decode())
    assert shown is not None
    password = shown.group(1)
    response = Client().post("/staff/accounts/login/", {"username": "kari", "password": password})
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/accounts/two-factor/")
