"""Every page × every role: allowed, 403, or sent to the login page.

The page list is not written by hand: the test walks the URL configuration, so a new page
is covered the moment it exists, and a page without a permission decision fails here.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RoutePattern

from conftest import make_staff, verified_client
from hjelpelinje.accounts.models import Role
from hjelpelinje.accounts.roles import role_can

DUMMY = {"int": "999999", "str": "x", "slug": "x", "uuid": str(uuid.UUID(int=0)), "path": "x"}


def _route_to_path(route: str) -> str:
    import re

    def sub(match: re.Match[str]) -> str:
        converter = match.group(1) or "str"
        return DUMMY.get(converter.rstrip(":"), "1")

    return re.sub(r"<(?:(\w+):)?\w+>", sub, route)


# Wagtail's admin answers everything under this prefix, behind the one gate of
# hjelpelinje/site/editing.py ("website.edit"); its hundreds of views carry no decorator of
# ours, so the walk stops there and `test_cms_gate` tries the gate on a sample of them.
CMS_PREFIX = "staff/cms/"
CMS_SAMPLE = ["", "pages/", "pages/1/", "images/", "documents/", "account/", "jsi18n/"]


def _wagtail_public(view: object) -> object:
    """Wagtail's public pages and documents: public, Wagtail decides per page."""
    return view


_wagtail_public.hjelpelinje_public = True  # type: ignore[attr-defined]


def _pages(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[tuple[str, object]]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry.pattern, LocalePrefixPattern):
            # i18n_patterns without a prefix for the default language (the website).
            route = prefix
        elif not isinstance(entry.pattern, RoutePattern):
            raise AssertionError(f"use path(), not re_path(): {entry.pattern}")
        else:
            route = prefix + _route_to_path(str(entry.pattern))
        if route.startswith(CMS_PREFIX):
            continue
        if isinstance(entry, URLResolver) and getattr(
            entry.urlconf_module, "__name__", ""
        ).startswith("wagtail."):
            # Wagtail's page serving and document downloads (hjelpelinje/urls.py).
            yield "/" + route, _wagtail_public
            continue
        if isinstance(entry, URLResolver):
            yield from _pages(entry, route)
        elif isinstance(entry, URLPattern):
            yield "/" + route, entry.callback


PAGES = sorted(_pages(), key=lambda p: p[0])
ROLES = [None, Role.COUNSELLOR, Role.MANAGER, Role.ADMIN]


def _decision(view: object) -> tuple[str, str | None]:
    if getattr(view, "hjelpelinje_public", False):
        return "public", None
    if getattr(view, "hjelpelinje_signed_in", False):
        return "signed_in", None
    permission = getattr(view, "hjelpelinje_permission", None)
    if permission is None:
        raise AssertionError("page has no permission decision (require/public/signed_in)")
    return "require", permission


def test_every_page_has_a_permission_decision() -> None:
    undecided = [path for path, view in PAGES if not _decision_safe(view)]
    assert undecided == []


def _decision_safe(view: object) -> bool:
    try:
        _decision(view)
    except AssertionError:
        return False
    return True


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
@pytest.mark.parametrize(("path", "view"), PAGES, ids=[p for p, _ in PAGES])
def test_matrix(path: str, view: object, role: str | None) -> None:
    kind, permission = _decision(view)
    if role is None:
        from django.test import Client

        client = Client()
    else:
        client = verified_client(make_staff(f"user-{role}", role))
    response = client.get(path)
    to_login = response.status_code == 302 and "/staff/accounts/login/" in response["Location"]

    if kind == "public":
        assert response.status_code != 403 and not to_login
    elif role is None:
        assert to_login, f"{path} must send an anonymous visitor to the login page"
    elif kind == "signed_in":
        assert response.status_code != 403 and not to_login
    elif role_can(role, permission or ""):
        assert response.status_code != 403 and not to_login, f"{role} may open {path}"
    else:
        assert response.status_code == 403, f"{role} must get 403 on {path}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
@pytest.mark.parametrize("page", CMS_SAMPLE)
def test_cms_gate(page: str, role: str | None) -> None:
    from django.test import Client

    path = "/" + CMS_PREFIX + page
    client = Client() if role is None else verified_client(make_staff(f"user-{role}", role))
    response = client.get(path)
    to_login = response.status_code == 302 and "/staff/accounts/login/" in response["Location"]
    if role is None:
        assert to_login, f"{path} must send an anonymous visitor to the login page"
    elif role_can(role, "website.edit"):
        assert response.status_code != 403 and not to_login, f"{role} may open {path}"
    else:
        assert response.status_code == 403, f"{role} must get 403 on {path}"


@pytest.mark.django_db
def test_unverified_staff_are_sent_to_second_factor(counsellor) -> None:
    from django.test import Client

    client = Client()
    client.force_login(counsellor)
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/accounts/two-factor/")
