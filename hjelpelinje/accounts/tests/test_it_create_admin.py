from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from hjelpelinje.accounts.models import Role, User

pytestmark = pytest.mark.django_db


def test_create_admin_prints_a_one_time_password_once(capsys):
    call_command("create_admin", "sjef")
    out = capsys.readouterr().out
    match = re.search(r"One-time password \(shown only now\): (\S+)", out)
    assert match is not None
    password = match.group(1)
    user = User.objects.get(username="sjef")
    assert user.role == Role.ADMIN and user.is_active and user.must_change_password
    assert user.check_password(password)
    assert out.count(password) == 1
    # The password opens the login, which then asks for the second factor.
    response = Client().post("/staff/accounts/login/", {"username": "sjef", "password": password})
    assert response["Location"].startswith("/staff/accounts/two-factor/")


def test_create_admin_refuses_an_existing_username(administrator):
    before = administrator.password
    with pytest.raises(CommandError, match="allerede i bruk"):
        call_command("create_admin", "arne")
    administrator.refresh_from_db()
    assert administrator.password == before
    assert User.objects.filter(username__iexact="arne").count() == 1
