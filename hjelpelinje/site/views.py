"""The public error pages' handlers.

They render without the request's context processors, so nothing on an error page can
touch the session or set a cookie, and the 500 page renders even when the fault lies in
what a context processor needs. The quick exit's target is passed directly.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, HttpResponseServerError
from django.template import loader


def _render(name: str) -> str:
    return loader.get_template(name).render({"exit_url": settings.HJELPELINJE_EXIT_URL})


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponseNotFound(_render("404.html"))


def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponseServerError(_render("500.html"))
