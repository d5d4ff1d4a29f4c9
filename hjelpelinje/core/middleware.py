"""Headers that keep staff pages out of caches and shut the door on foreign content."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

STAFF_PREFIX = "/staff/"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
)


# Every device feature a page could ask for is off, on every page, public or staff
# (docs/website.md): nothing here needs one, and a page that asked would show a prompt.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "interest-cohort=(), browsing-topics=()"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(STAFF_PREFIX):
            # A public page never sets a cookie, whatever rendered it: a 404 page built on
            # the staff layout would otherwise plant a fresh CSRF cookie over the staff one.
            response.cookies.clear()
        # Pages that hold personal data must never be stored by a browser or a proxy.
        # A view may set its own policy (the chat page sets an even stricter one).
        # Public pages get their own, stricter policy (hjelpelinje/site/middleware.py).
        if request.path.startswith(STAFF_PREFIX):
            response.headers.setdefault("Cache-Control", "no-store")
            response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        # Wagtail's document view names a file's encoding even when there is none, and
        # Django writes that None out as the text "None", which no client understands.
        if response.headers.get("Content-Encoding") == "None":
            del response.headers["Content-Encoding"]
        return response
