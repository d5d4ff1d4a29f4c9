"""Who may do what: the one place where Hjelpelinje decides authorisation.

Every staff page is wrapped in `require(permission)`; every public page in `public`.
The permission-matrix test walks every URL and fails on a page that has neither, so a new
page cannot slip through without a decision here.
Object-level rules (a follow-up user's responsible counsellors) live in the owning app's
selectors and call `roles.role_can` for the role part. The table itself is in `roles.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from hjelpelinje.accounts.roles import PERMISSIONS

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])
# `public` only marks a view, so it takes an async one (chat.views.visitor_end) as well.
AnyView = TypeVar("AnyView", bound=Callable[..., Any])


def needs_second_factor(request: HttpRequest) -> bool:
    user = request.user
    if not settings.HJELPELINJE_REQUIRE_2FA:
        return False
    return not getattr(user, "is_verified", lambda: False)()


def require(permission: str) -> Callable[[ViewFunc], ViewFunc]:
    """Staff only: signed in, second factor verified, and the role holds `permission`."""
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if needs_second_factor(request):
                return redirect("accounts:two_factor")
            if getattr(user, "must_change_password", False):
                # A one-time password from an administrator opens nothing but the page
                # where the person chooses their own.
                return redirect("accounts:password_change")
            if not user.can(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.hjelpelinje_permission = permission  # type: ignore[attr-defined]
        return cast(ViewFunc, wrapped)

    return decorator


def public(view: AnyView) -> AnyView:
    """Open to anyone, signed in or not: the chat, login, health check."""
    view.hjelpelinje_public = True  # type: ignore[attr-defined]
    return view


def signed_in(view: ViewFunc) -> ViewFunc:
    """Open to any signed-in member of staff even before the second factor (login steps)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapped.hjelpelinje_signed_in = True  # type: ignore[attr-defined]
    return cast(ViewFunc, wrapped)
