"""Administrators manage staff accounts: create, edit, deactivate, reset password and 2FA."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import make_staff
from hjelpelinje.accounts.models import Role, User
from hjelpelinje.accounts.tests.test_it_login import PASSWORD, _token
from hjelpelinje.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _shown_password(html: str) -> str:
    match = re.search(r'data-testid="one-time-password">([^<]+)<', html)
    assert match is not None, "the page must show the one-time password"
    return match.group(1)


def _create(admin_client: Client, **extra: str) -> tuple[User, str]:
    data = {
        "username": "siri",
        "first_name": "Siri",
        "last_name": "Nordmann",
        "email": "siri@example.org",
        "role": Role.COUNSELLOR,
        **extra,
    }
    response = admin_client.post("/staff/accounts/staff/new/", data)
    assert response.status_code == 200
    return User.objects.get(username=data["username"]), _shown_password(response.content.decode())


def test_list_shows_role_status_two_factor_and_last_login(administrator, counsellor, client_for):
    User.objects.create_user(username="gone", password=PASSWORD, is_active=False)
    User.objects.filter(pk=counsellor.pk).update(last_login="2026-03-04T10:15:00+01:00")
    page = client_for(administrator).get("/staff/accounts/staff/").content.decode()
    kari = page.split('data-testid="staff-kari"')[1].split("</tr>")[0]
    assert "Rådgiver" in kari and "Aktiv" in kari and "Satt opp" in kari
    assert "04.03.2026 10:15" in kari
    gone = page.split('data-testid="staff-gone"')[1].split("</tr>")[0]
    assert "Deaktivert" in gone and "Ikke satt opp" in gone and "Aldri" in gone


def test_only_administrators_manage_staff(manager, counsellor, client_for):
    for user in (manager, counsellor):
        client = client_for(user)
        assert client.get("/staff/accounts/staff/").status_code == 403
        response = client.post("/staff/accounts/staff/new/", {"username": "x", "role": Role.ADMIN})
        assert response.status_code == 403
    assert not User.objects.filter(username="x").exists()


def test_created_staff_logs_in_with_one_time_password_enrols_and_chooses_own(
    administrator, client_for
):
    user, password = _create(client_for(administrator))
    assert user.role == Role.COUNSELLOR and user.is_active
    assert not TOTPDevice.objects.filter(user=user).exists()

    client = Client()
    response = client.post("/staff/accounts/login/", {"username": "siri", "password": password})
    assert response["Location"].startswith("/staff/accounts/two-factor/")
    # First login: enrolment by QR code, since there is no app yet.
    assert (
        "Sett opp tofaktorinnlogging" in client.get("/staff/accounts/two-factor/").content.decode()
    )
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/staff/accounts/two-factor/", {"token": _token(device)})
    assert response["Location"].startswith("/staff/accounts/password/")
    # Nothing else opens until the one-time password is replaced.
    assert client.get("/staff/")["Location"].startswith("/staff/accounts/password/")
    assert client.get("/staff/codes/")["Location"].startswith("/staff/accounts/password/")
    assert "Velg ditt eget passord" in client.get("/staff/accounts/password/").content.decode()
    new = "a-long-password-of-her-own"
    response = client.post(
        "/staff/accounts/password/",
        {"old_password": password, "new_password1": new, "new_password2": new, "next": "/staff/"},
    )
    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password(new)
    assert not user.check_password(password)


def test_password_shown_once_is_not_stored_in_clear_or_logged(administrator, client_for):
    user, password = _create(client_for(administrator))
    assert password not in user.password
    entry = AuditEntry.objects.get(action="staff.create")
    assert entry.actor_id == administrator.pk and entry.target_id == str(user.pk)
    assert set(entry.fields) == {"username", "first_name", "last_name", "email", "role"}
    logged = str(list(AuditEntry.objects.values()))
    for value in (password, "Nordmann", "siri@example.org"):
        assert value not in logged


def test_duplicate_username_is_refused(administrator, counsellor, client_for):
    response = client_for(administrator).post(
        "/staff/accounts/staff/new/", {"username": "kari", "role": Role.MANAGER}
    )
    assert response.status_code == 200
    assert "Brukernavnet er allerede i bruk" in response.content.decode()
    assert User.objects.filter(username="kari").count() == 1


def test_edit_role_and_names(administrator, counsellor, client_for):
    client = client_for(administrator)
    page = client.get(f"/staff/accounts/staff/{counsellor.pk}/").content.decode()
    assert 'value="Kari"' in page
    response = client.post(
        f"/staff/accounts/staff/{counsellor.pk}/",
        {
            "first_name": "Kari",
            "last_name": "Berg",
            "email": "",
            "role": Role.MANAGER,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    counsellor.refresh_from_db()
    assert counsellor.role == Role.MANAGER and counsellor.last_name == "Berg"
    entry = AuditEntry.objects.get(action="staff.update")
    assert set(entry.fields) == {"role", "last_name"}


def test_deactivated_staff_cannot_log_in_but_keep_their_account(
    administrator, counsellor, client_for
):
    signed_in = client_for(counsellor)
    assert signed_in.get("/staff/").status_code == 200
    response = client_for(administrator).post(
        f"/staff/accounts/staff/{counsellor.pk}/",
        {"first_name": "Kari", "last_name": "", "email": "", "role": Role.COUNSELLOR},
    )
    assert response.status_code == 302
    counsellor.refresh_from_db()
    assert not counsellor.is_active
    assert AuditEntry.objects.filter(
        action="staff.deactivate", target_id=str(counsellor.pk)
    ).exists()
    # An open session ends, and the password no longer opens a new one.
    assert signed_in.get("/staff/").status_code == 302
    response = Client().post("/staff/accounts/login/", {"username": "kari", "password": PASSWORD})
    assert response.status_code == 200
    # No page deletes an account: the records keep their author.
    assert not any("delete" in p for p in _staff_urls())


def _staff_urls() -> list[str]:
    from hjelpelinje.accounts import urls

    return [str(p.pattern) for p in urls.urlpatterns]


def test_administrator_cannot_deactivate_themselves(administrator, client_for):
    make_staff("anne", Role.ADMIN)
    response = client_for(administrator).post(
        f"/staff/accounts/staff/{administrator.pk}/",
        {"first_name": "Arne", "last_name": "", "email": "", "role": Role.ADMIN},
    )
    assert response.status_code == 200
    assert "Du kan ikke deaktivere din egen konto" in response.content.decode()
    administrator.refresh_from_db()
    assert administrator.is_active


def test_an_administrator_may_demote_another_but_not_themselves(administrator, client_for):
    other = make_staff("anne", Role.ADMIN)
    client = client_for(other)
    response = client.post(
        f"/staff/accounts/staff/{other.pk}/",
        {
            "first_name": "Anne",
            "last_name": "",
            "email": "",
            "role": Role.MANAGER,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "Du kan ikke fjerne din egen administratorrolle" in response.content.decode()
    response = client.post(
        f"/staff/accounts/staff/{administrator.pk}/",
        {
            "first_name": "Arne",
            "last_name": "",
            "email": "",
            "role": Role.MANAGER,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    administrator.refresh_from_db()
    assert administrator.role == Role.MANAGER


@pytest.mark.parametrize("change", [{"is_active": False}, {"role": Role.COUNSELLOR}])
def test_the_last_active_administrator_cannot_be_removed(administrator, change):
    from django.core.exceptions import ValidationError

    from hjelpelinje.accounts.services import staff_update

    # An inactive administrator does not count: nobody could sign in as them.
    anne = make_staff("anne", Role.ADMIN)
    User.objects.filter(pk=anne.pk).update(is_active=False)
    args = {
        "role": Role.ADMIN,
        "is_active": True,
        "first_name": "Arne",
        "last_name": "",
        "email": "",
    }
    # Without an acting administrator (a script, a command) the rule still holds.
    with pytest.raises(ValidationError, match="siste aktive administratoren"):
        staff_update(actor=None, user=administrator, **{**args, **change})
    administrator.refresh_from_db()
    assert administrator.is_active and administrator.role == Role.ADMIN


def test_reset_password_shows_a_new_one_once_and_the_old_stops_working(
    administrator, counsellor, client_for
):
    client = client_for(administrator)
    assert client.get(f"/staff/accounts/staff/{counsellor.pk}/reset-password/").status_code == 405
    response = client.post(f"/staff/accounts/staff/{counsellor.pk}/reset-password/")
    password = _shown_password(response.content.decode())
    counsellor.refresh_from_db()
    assert counsellor.check_password(password) and not counsellor.check_password(PASSWORD)
    assert counsellor.must_change_password
    assert AuditEntry.objects.filter(action="staff.password_reset").count() == 1
    # Shown once: the edit page never repeats it.
    assert password not in client.get(f"/staff/accounts/staff/{counsellor.pk}/").content.decode()


def test_reset_two_factor_makes_them_enrol_again(administrator, counsellor, client_for):
    response = client_for(administrator).post(
        f"/staff/accounts/staff/{counsellor.pk}/reset-two-factor/"
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=counsellor).exists()
    assert AuditEntry.objects.filter(action="auth.2fa_reset", target_id=str(counsellor.pk)).exists()
    page = client_for(administrator).get("/staff/accounts/staff/").content.decode()
    assert "Ikke satt opp" in page.split('data-testid="staff-kari"')[1].split("</tr>")[0]
    client = Client()
    client.post("/staff/accounts/login/", {"username": "kari", "password": PASSWORD})
    assert (
        "Sett opp tofaktorinnlogging" in client.get("/staff/accounts/two-factor/").content.decode()
    )


def test_nonexistent_staff_is_404(administrator, client_for):
    client = client_for(administrator)
    assert client.get("/staff/accounts/staff/999999/").status_code == 404
    assert client.post("/staff/accounts/staff/999999/reset-password/").status_code == 404
