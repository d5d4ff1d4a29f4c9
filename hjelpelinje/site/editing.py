"""The one door into Wagtail's admin: Hjelpelinje's own login, second factor and roles.

Every request under `/staff/cms/` passes `EditingGateMiddleware` before any Wagtail view
runs, so the admin asks exactly what `require("website.edit")` asks of every other staff
page: signed in through Hjelpelinje's login, second factor verified, no one-time password
left to replace, and a role that may edit the website. Wagtail's own login page only sends
people to ours, and its password reset and password management are switched off in the
settings (docs/editing.md).
"""

from __future__ import annotations

from urllib.parse import urlencode

from asgiref.sync import sync_to_async
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from hjelpelinje.accounts.permissions import needs_second_factor
from hjelpelinje.core.asyncmiddleware import SyncAsyncMiddleware
from hjelpelinje.core.middleware import STAFF_PREFIX
from hjelpelinje.site import media

CMS_PREFIX = STAFF_PREFIX + "cms/"
EDIT_PERMISSION = "website.edit"
PUBLISH_PERMISSION = "website.publish"

# Wagtail's login and logout are replaced by Hjelpelinje's (hjelpelinje/site/editing_urls.py);
# they are let through the gate because they authenticate no one: the login page only
# redirects, and the logout is Hjelpelinje's own, which any signed-in person may use.
_UNGATED = frozenset({CMS_PREFIX + "login/", CMS_PREFIX + "logout/"})


def gate(request: HttpRequest) -> HttpResponse | None:
    """Why this request may not reach Wagtail's admin, as a response; None if it may."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if needs_second_factor(request):
        response = redirect("accounts:two_factor")
        response["Location"] += "?" + urlencode({"next": request.get_full_path()})
        return response
    if getattr(user, "must_change_password", False):
        return redirect("accounts:password_change")
    if not user.can(EDIT_PERMISSION):
        raise PermissionDenied
    return None


def _gated(request: HttpRequest) -> bool:
    path = request.path_info
    return path.startswith(CMS_PREFIX) and path not in _UNGATED


class EditingGateMiddleware(SyncAsyncMiddleware):
    """Runs `gate` for every request under /staff/cms/; placed right after OTPMiddleware.

    Both sync and async, so that under ASGI the requests it lets pass untouched (all but
    the editor's) cost no hop to a worker thread.
    """

    def sync_call(self, request: HttpRequest) -> HttpResponse:
        if not _gated(request):
            return self.next_sync(request)
        refused = gate(request)
        if refused is not None:
            return refused
        # Who is editing, for the checks and audit of documents and images (site/media.py).
        token = media.editing.set(request)
        try:
            return self.next_sync(request)
        finally:
            media.editing.reset(token)

    async def async_call(self, request: HttpRequest) -> HttpResponse:
        if not _gated(request):
            return await self.next_async(request)
        # The gate reads the user and her device from the database.
        refused = await sync_to_async(gate)(request)
        if refused is not None:
            return refused
        # A sync view runs in a copy of this context (asgiref), so it sees the editor.
        token = media.editing.set(request)
        try:
            return await self.next_async(request)
        finally:
            media.editing.reset(token)


def _safe_next(request: HttpRequest) -> str:
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return CMS_PREFIX


def wagtail_login(request: HttpRequest) -> HttpResponse:
    """Stands in for Wagtail's login page: never shows a form, never reads a password.

    Someone signed in goes where they were heading (the gate then decides); anyone else
    goes to Hjelpelinje's login, which asks for the second factor.
    """
    target = _safe_next(request)
    if request.user.is_authenticated:
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(reverse("accounts:login") + "?" + urlencode({"next": target}))
