from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from hjelpelinje.accounts.models import Role, User
from hjelpelinje.audit.models import AuditEntry

PASSWORD = "correct-horse-battery-staple"


def _token(device: TOTPDevice) -> str:
    return str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)).zfill(
        device.digits
    )


@pytest.mark.django_db
def test_login_with_password_then_totp(counsellor: User) -> None:
    client = Client()
    response = client.post("/staff/accounts/login/", {"username": "kari", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/accounts/two-factor/")
    # Before the second factor nothing but the second-factor page opens.
    assert client.get("/staff/").status_code == 302
    device = TOTPDevice.objects.get(user=counsellor)
    response = client.post("/staff/accounts/two-factor/", {"token": _token(device)})
    assert response.status_code == 302
    assert client.get("/staff/").status_code == 200
    assert AuditEntry.objects.filter(action="auth.login", actor_id=counsellor.pk).exists()


@pytest.mark.django_db
def test_wrong_code_is_refused_with_a_reason(counsellor: User) -> None:
    client = Client()
    client.post("/staff/accounts/login/", {"username": "kari", "password": PASSWORD})
    response = client.post("/staff/accounts/two-factor/", {"token": "000000"})
    assert response.status_code == 200
    assert "Koden stemmer ikke" in response.content.decode()
    assert client.get("/staff/").status_code == 302


@pytest.mark.django_db
def test_new_staff_enrol_by_qr_code() -> None:
    user = User.objects.create_user(username="nina", password=PASSWORD, role=Role.COUNSELLOR)
    client = Client()
    client.post("/staff/accounts/login/", {"username": "nina", "password": PASSWORD})
    page = client.get("/staff/accounts/two-factor/").content.decode()
    assert "<svg" in page and "Sett opp tofaktorinnlogging" in page
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', page)
    assert secret is not None
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/staff/accounts/two-factor/", {"token": _token(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/staff/").status_code == 200


@pytest.mark.django_db
def test_lockout_after_repeated_failures(counsellor: User) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/staff/accounts/login/", {"username": "kari", "password": "wrong"})
    # Even the right password is refused now.
    response = client.post("/staff/accounts/login/", {"username": "kari", "password": PASSWORD})
    assert response.status_code == 429
    assert "midlertidig sperret" in response.content.decode()
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions.count("auth.login_failed") >= settings.AXES_FAILURE_LIMIT
    assert "auth.locked_out" in actions


def test_sessions_expire_after_thirty_idle_minutes() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_production_hashes_passwords_with_argon2() -> None:
    import hjelpelinje.settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
