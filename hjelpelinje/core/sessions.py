"""Staff sessions: the store (`SESSION_ENGINE`) and the middleware (`MIDDLEWARE`).

## Renewing a session never fails a page
Every staff request renews its session's expiry (`SESSION_SAVE_EVERY_REQUEST`, the
30-minute idle logout). When the database cannot write (its disk full, or gone between the
page's work and the renewal), Django turns the failed renewal into "Bad Request (400)" for
every page, reads included, and may hide a write that did succeed. Here a renewal that
meets such a fault is skipped, with one warning per outage: the page that was made is
sent, a page that needs to write says why it cannot (hjelpelinje/site/views.py), and the
session simply expires 30 minutes after its last renewal that went through. Creating a
session (signing in) still fails loudly, and a session deleted meanwhile (signed out in
another tab) still ends the request as Django decides.

## Only a person's actions renew it (issue 16, item 10)
A staff session ends after SESSION_COOKIE_AGE (30 minutes) without activity, and every
request moves that on (SESSION_SAVE_EVERY_REQUEST). But some requests are made by a page
on its own, whoever sits at it: Wagtail's editor pings its "editing session" every 10 s
while a page or snippet is open in a tab, and releases it as the tab closes. Counted as
activity, they kept a session open for as long as a forgotten tab stayed open, and that
session opens every page with personal data. Here they move the expiry on no more:
answered as usual, but the session is saved only if the request itself changed it.
"""

from __future__ import annotations

import logging
import threading

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from hjelpelinje.core.dbfaults import fault_of

log = logging.getLogger(__name__)
_lock = threading.Lock()
_failing = False


class SessionStore(DatabaseSessionStore):
    def save(self, must_create: bool = False) -> None:
        global _failing
        try:
            super().save(must_create=must_create)
        except UpdateError as error:
            fault = fault_of(error)
            if fault is None:
                raise
            with _lock:
                first, _failing = not _failing, True
            if first:
                log.warning("sessions are not renewed: database %s", fault.replace("_", " "))
            return
        if _failing:
            with _lock:
                _failing = False
            log.info("sessions are renewed again")


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
