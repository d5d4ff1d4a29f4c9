"""Who may open which follow-up page: responsible counsellor, other counsellor, manager,
administrator and anonymous, for every page and export."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from hjelpelinje.followup.models import FollowUpUser

from .conftest import ADDRESS

ROLES = ["responsible", "other", "manager", "admin", "anonymous"]
OK, DENIED, LOGIN, NOT_ALLOWED = 200, 403, "login", 405

# page -> expected status per role, in ROLES order.
MATRIX = {
    "list": [OK, OK, OK, DENIED, LOGIN],
    "create": [OK, OK, OK, DENIED, LOGIN],
    "dashboard": [DENIED, DENIED, OK, DENIED, LOGIN],
    "detail": [OK, OK, OK, DENIED, LOGIN],
    "edit": [OK, DENIED, OK, DENIED, LOGIN],
    "address": [OK, DENIED, OK, DENIED, LOGIN],
    "glass_break": [OK, OK, OK, DENIED, LOGIN],
    "activity_add": [NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, DENIED, LOGIN],
    "inquiry_add": [NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, DENIED, LOGIN],
    "mail_add": [NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, DENIED, LOGIN],
    "mail_update": [NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, DENIED, LOGIN],
    "withdraw": [OK, DENIED, OK, DENIED, LOGIN],
    "export_json": [DENIED, DENIED, OK, DENIED, LOGIN],
    "export_pdf": [DENIED, DENIED, OK, DENIED, LOGIN],
}
WITHOUT_ID = {"list", "create", "dashboard"}


@pytest.fixture
def clients(counsellor, other_counsellor, manager, administrator, client_for):
    return {
        "responsible": client_for(counsellor),
        "other": client_for(other_counsellor),
        "manager": client_for(manager),
        "admin": client_for(administrator),
        "anonymous": Client(),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("page", sorted(MATRIX))
def test_every_page_answers_each_role_as_expected(page, clients, shielded_user: FollowUpUser):
    args = [] if page in WITHOUT_ID else [shielded_user.pk]
    if page == "mail_update":
        args.append(_mail_item(shielded_user).pk)
    url = reverse(f"followup:{page}", args=args)
    for role, expected in zip(ROLES, MATRIX[page], strict=True):
        response = clients[role].get(url)
        if expected == LOGIN:
            assert response.status_code == 302, (page, role)
            assert response["Location"].startswith("/staff/accounts/login/"), (page, role)
        else:
            assert response.status_code == expected, (page, role, response.status_code)


@pytest.mark.django_db
def test_only_responsible_and_managers_see_the_protected_address(clients, shielded_user):
    url = reverse("followup:detail", args=[shielded_user.pk])
    for role, sees in [("responsible", True), ("manager", True), ("other", False)]:
        page = clients[role].get(url).content.decode()
        assert (ADDRESS in page) is sees, role
        assert ("Kode 6" in page) is sees, role
    assert "skjermet" in clients["other"].get(url).content.decode()


@pytest.mark.django_db
def test_other_counsellor_cannot_change_address_edit_or_withdraw(clients, shielded_user):
    other = clients["other"]
    pk = shielded_user.pk
    assert (
        other.post(
            reverse("followup:address", args=[pk]), {"protected_code": "", "address": ""}
        ).status_code
        == 403
    )
    assert (
        other.post(reverse("followup:withdraw", args=[pk]), {"reference": "B-777"}).status_code
        == 403
    )
    assert other.post(reverse("followup:edit", args=[pk]), {"name": "x"}).status_code == 403
    shielded_user.refresh_from_db()
    assert shielded_user.address == ADDRESS and not shielded_user.withdrawn


def _mail_item(user):
    from hjelpelinje.followup.services import mail_item_add

    return mail_item_add(actor=user.responsible.first(), user=user, received_on=dt.date(2023, 5, 2))


@pytest.mark.django_db
def test_nonexistent_user_is_404_not_500(clients):
    for page in sorted(set(MATRIX) - WITHOUT_ID):
        args = [999999, 999999] if page == "mail_update" else [999999]
        response = clients["manager"].get(reverse(f"followup:{page}", args=args))
        assert response.status_code in (404, 405), page
