"""One door into Wagtail's admin: Hjelpelinje's login, its second factor and the role."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from conftest import make_staff, verified_client
from hjelpelinje.accounts.models import Role, User
from hjelpelinje.accounts.tests.test_it_login import PASSWORD

pytestmark = pytest.mark.django_db

CMS = "/staff/cms/"


def _location(response: object) -> tuple[str, dict[str, list[str]]]:
    parts = urlsplit(response["Location"])  # type: ignore[index]
    return parts.path, parse_qs(parts.query)


def test_anonymous_is_sent_to_hjelpelinjes_login_with_next() -> None:
    response = Client().get(CMS + "pages/")
    assert response.status_code == 302
    path, query = _location(response)
    assert path == "/staff/accounts/login/"
    assert query["next"] == [CMS + "pages/"]


def test_signed_in_without_second_factor_gets_no_admin_page(manager: User) -> None:
    client = Client()
    # Signed in with the password only, as after the first step of the real login.
    response = client.post(
        "/staff/accounts/login/", {"username": manager.username, "password": PASSWORD}
    )
    assert response["Location"].startswith("/staff/accounts/two-factor/")
    for page in ("", "pages/", "images/", "account/"):
        response = client.get(CMS + page)
        assert response.status_code == 302, page
        path, query = _location(response)
        assert path == "/staff/accounts/two-factor/"
        assert query["next"] == [CMS + page]


def test_one_time_password_must_be_replaced_first(manager: User) -> None:
    manager.must_change_password = True
    manager.save()
    response = verified_client(manager).get(CMS)
    assert response.status_code == 302
    assert _location(response)[0] == "/staff/accounts/password/"


def test_administrator_may_not_edit_pages(administrator: User) -> None:
    client = verified_client(administrator)
    assert client.get(CMS).status_code == 403
    assert client.get(CMS + "pages/").status_code == 403


def test_wagtails_login_page_never_signs_anyone_in(manager: User) -> None:
    client = Client()
    response = client.post(
        CMS + "login/",
        {"username": manager.username, "password": PASSWORD, "next": CMS},
    )
    assert response.status_code == 302
    assert _location(response)[0] == "/staff/accounts/login/"
    assert "_auth_user_id" not in client.session
    # Still not signed in: the admin sends her to Hjelpelinje's login.
    assert _location(client.get(CMS))[0] == "/staff/accounts/login/"
    # The page itself shows no form: it only redirects, keeping where she was heading.
    response = client.get(CMS + "login/?next=/staff/cms/pages/")
    path, query = _location(response)
    assert path == "/staff/accounts/login/"
    assert query["next"] == ["/staff/cms/pages/"]
    # A foreign `next` is not followed.
    _, query = _location(client.get(CMS + "login/?next=https://example.org/"))
    assert query["next"] == [CMS]


def test_wagtail_login_url_setting_points_to_ours_for_wagtails_own_refusals() -> None:
    from django.conf import settings
    from django.shortcuts import resolve_url

    assert resolve_url(settings.WAGTAILADMIN_LOGIN_URL) == "/staff/accounts/login/"


def test_password_reset_and_password_management_are_off(manager: User) -> None:
    # Anonymous: the gate sends the reset form to our login.
    response = Client().get(CMS + "password_reset/")
    assert _location(response)[0] == "/staff/accounts/login/"
    client = verified_client(manager)
    assert client.get(CMS + "password_reset/").status_code == 404
    account = client.get(CMS + "account/")
    assert account.status_code == 200
    assert b'name="password-new_password1"' not in account.content
    assert b'name="password-old_password"' not in account.content
    assert b'name="name_email-email"' not in account.content


def test_wagtails_logout_is_ours_post_with_csrf(manager: User) -> None:
    client = verified_client(manager)
    client.handler.enforce_csrf_checks = True
    # A GET (a link, an image) does not sign anyone out.
    assert client.get(CMS + "logout/").status_code == 405
    # A POST without the CSRF token is refused.
    assert client.post(CMS + "logout/").status_code == 403
    dashboard = client.get(CMS)
    assert dashboard.status_code == 200
    token = client.cookies["csrftoken"].value
    response = client.post(CMS + "logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert _location(response)[0] == "/staff/accounts/login/"
    assert _location(client.get(CMS))[0] == "/staff/accounts/login/"
    from hjelpelinje.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="auth.logout", actor_id=manager.pk).exists()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(Role.COUNSELLOR, True), (Role.MANAGER, True), (Role.ADMIN, False)],
)
def test_dashboard_by_role(role: str, allowed: bool) -> None:
    client = verified_client(make_staff(f"gate-{role}", role))
    response = client.get(CMS)
    assert response.status_code == (200 if allowed else 403)
    if allowed:
        # Wagtail's dashboard, with the way back to the staff pages in its menu.
        assert b"wagtail" in response.content.lower()
        assert b"/staff/" in response.content


def test_users_and_groups_are_not_wagtails_to_manage(manager: User) -> None:
    client = verified_client(manager)
    assert client.get(CMS + "users/").status_code in {302, 403}
    assert client.get(CMS + "groups/").status_code in {302, 403}
    dashboard = client.get(CMS).content.decode()
    assert CMS + "users/" not in dashboard
    assert CMS + "groups/" not in dashboard


@pytest.mark.django_db(transaction=True)
async def test_the_gate_holds_under_asgi_too() -> None:
    from asgiref.sync import sync_to_async
    from django.test import AsyncClient

    response = await AsyncClient().get(CMS + "pages/")
    assert response.status_code == 302
    assert _location(response)[0] == "/staff/accounts/login/"

    administrator = await sync_to_async(make_staff)("asgi-admin", Role.ADMIN)
    client = await sync_to_async(verified_client)(administrator)
    async_client = AsyncClient()
    async_client.cookies = client.cookies
    assert (await async_client.get(CMS)).status_code == 403
