"""The public error pages' handlers.

They render without the request's context processors, so nothing on an error page can
touch the session or set a cookie, and the 500 page renders even when the fault lies in
what a context processor needs. The quick exit's target is passed directly.

An error the database raised because it is unreachable or its disk is full is not a bug
to hide behind "something went wrong": the person is told what happened (503 "try again in
a moment", 507 "the disk is full"), and a staff form posted then comes back in the page,
ready to be sent again (hjelpelinje/core/dbfaults.py, docs/operations.md).
"""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.middleware.csrf import CsrfViewMiddleware
from django.template import loader

from hjelpelinje.accounts.permissions import public
from hjelpelinje.core.dbfaults import DISK_FULL, UNAVAILABLE, fault_of
from hjelpelinje.core.middleware import STAFF_PREFIX

# How long a browser or a client is told to wait before trying again while the database
# is unreachable: restarts and fail-overs take seconds.
RETRY_AFTER_SECONDS = 10


def _render(name: str, context: dict[str, Any] | None = None) -> str:
    return loader.get_template(name).render(
        {"exit_url": settings.HJELPELINJE_EXIT_URL, **(context or {})}
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponseNotFound(_render("404.html"))


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this while handling the exception (asgiref re-raises it in the thread
    # that renders the page), so the exception is at hand.
    fault = fault_of(sys.exc_info()[1])
    if fault is None:
        return HttpResponseServerError(_render("500.html"))
    return database_fault(request, fault)


def database_fault(request: HttpRequest, fault: str) -> HttpResponse:
    """503 "try again in a moment" or 507 "the disk is full", with a posted form again."""
    staff = request.path.startswith(STAFF_PREFIX)
    context = {"staff": staff, "resend": _resend(request) if staff else None}
    if fault == DISK_FULL:
        response = HttpResponse(_render("507.html", context), status=507)
    else:
        assert fault == UNAVAILABLE
        response = HttpResponse(_render("503.html", context), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # The fault may have stopped the request before the middleware that sets this; the
    # page may carry what was typed, so it is never stored.
    response["Cache-Control"] = "no-store"
    return response


def _no_view(request: HttpRequest) -> HttpResponse:  # pragma: no cover - never called
    raise AssertionError


def _resend(request: HttpRequest) -> dict[str, Any] | None:
    """What a staff form posted, to be shown and sent again, or None.

    Only a post that passes the CSRF check comes back: the page then shows a person what
    she herself just typed (staff pages are never stored: `Cache-Control: no-store`), and
    never what another site made her browser send.
    """
    if request.method != "POST":
        return None
    if CsrfViewMiddleware(_no_view).process_view(request, _no_view, (), {}) is not None:
        return None
    try:
        posted = request.POST
    except Exception:
        return None
    fields: list[tuple[str, str]] = []
    shown: list[tuple[str, str]] = []
    token = ""
    for name, values in posted.lists():
        if name == "csrfmiddlewaretoken":
            token = values[0] if values else ""
            continue
        for value in values:
            fields.append((name, value))
            if value.strip():
                shown.append((name, value))
    if not fields:
        return None
    return {
        "action": request.get_full_path(),
        "token": token,
        "fields": fields,
        "shown": shown,
        "files": bool(request.FILES),
    }


@public
def not_served(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """Wagtail's front-end password login and page passwords (`/_util/…`), which the
    public site does not serve: a login there had no second factor and made a session and
    audit entries on the public side, where no cookie is ever set. Staff log in at
    /staff/ only; the public website has no private pages (docs/website.md)."""
    raise Http404
