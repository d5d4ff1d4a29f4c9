"""Changing one's own password asks for the current one."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from hjelpelinje.accounts.models import User
from hjelpelinje.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"
NEW = "a-new-password-of-her-own"


def change(client: Client, **data: str) -> str:
    response = client.post(
        "/staff/accounts/password/", {"new_password1": NEW, "new_password2": NEW} | data
    )
    assert response.status_code == 200, "the form comes back with what is wrong"
    return response.content.decode()


def test_without_the_current_password_nothing_changes(
    counsellor: User, client_for: Callable[[User], Client]
) -> None:
    page = change(client_for(counsellor))
    assert "Nåværende passord" in page and "Dette feltet er påkrevet." in page
    counsellor.refresh_from_db()
    assert counsellor.check_password(PASSWORD) and not counsellor.check_password(NEW)


def test_a_wrong_current_password_is_refused_and_logged_as_a_failed_login(
    counsellor: User, client_for: Callable[[User], Client]
) -> None:
    page = change(client_for(counsellor), old_password="not-my-password")
    assert "Nåværende passord er feil. Skriv det inn på nytt." in page
    counsellor.refresh_from_db()
    assert counsellor.check_password(PASSWORD)
    # A guess counts like a failed login: logged, and towards the lockout.
    failed = AuditEntry.objects.get(action="auth.login_failed")
    assert failed.actor_id == counsellor.pk
    assert "not-my-password" not in str(list(AuditEntry.objects.values()))


def test_guessing_the_current_password_is_locked_out(
    counsellor: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(counsellor)
    for _ in range(5):  # AXES_FAILURE_LIMIT
        client.post(
            "/staff/accounts/password/",
            {"old_password": "guess", "new_password1": NEW, "new_password2": NEW},
        )
    client.post(
        "/staff/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    counsellor.refresh_from_db()
    assert counsellor.check_password(PASSWORD) and not counsellor.check_password(NEW)


def test_with_the_current_password_it_changes(
    counsellor: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(counsellor)
    response = client.post(
        "/staff/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW, "next": "/staff/"},
    )
    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200  # still signed in
    counsellor.refresh_from_db()
    assert counsellor.check_password(NEW)
