"""The staff session's idle timeout counts only what a person does (issue 16, item 10).

A staff session ends after SESSION_COOKIE_AGE (30 minutes) without activity, and every
request moves that on (SESSION_SAVE_EVERY_REQUEST). But some requests are made by a page
on its own, whoever sits at it: Wagtail's editor pings its "editing session" every 10 s
while a page or snippet is open in a tab, and releases it as the tab closes. Counted as
activity, they kept a session open for as long as a forgotten tab stayed open, and that
session opens every page with personal data. Here they move the expiry on no more:
answered as usual, but the session is saved only if the request itself changed it.
"""

from __future__ import annotations

from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

# URL namespaces whose requests a page makes by itself, never a person.
AUTOMATIC_NAMESPACES = frozenset({"wagtailadmin_editing_sessions"})


def is_automatic(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and not AUTOMATIC_NAMESPACES.isdisjoint(match.namespaces)


class PersonSessionMiddleware(SessionMiddleware):
    """Django's SessionMiddleware, but an automatic request does not renew the session."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and is_automatic(request) and not session.modified:
            if session.accessed:
                patch_vary_headers(response, ("Cookie",))
            return response
        return super().process_response(request, response)  # type: ignore[no-any-return]
