"""The public error pages' handlers.

They render without the request's context processors, so nothing on an error page can
touch the session or set a cookie, and the 500 page renders even when the fault lies in
what a context processor needs. The quick exit's target is passed directly.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.template import loader

from hjelpelinje.accounts.permissions import public


def _render(name: str) -> str:
    return loader.get_template(name).render({"exit_url": settings.HJELPELINJE_EXIT_URL})


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponseNotFound(_render("404.html"))


def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponseServerError(_render("500.html"))


@public
def not_served(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """Wagtail's front-end password login and page passwords (`/_util/…`), which the
    public site does not serve: a login there had no second factor and made a session and
    audit entries on the public side, where no cookie is ever set. Staff log in at
    /staff/ only; the public website has no private pages (docs/website.md)."""
    raise Http404
