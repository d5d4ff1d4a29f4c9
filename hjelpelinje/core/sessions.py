"""Django's database sessions, except that renewing one never fails a page.

Every staff request renews its session's expiry (`SESSION_SAVE_EVERY_REQUEST`, the
30-minute idle logout). When the database cannot write (its disk full, or gone between the
page's work and the renewal), Django turns the failed renewal into "Bad Request (400)" for
every page, reads included, and may hide a write that did succeed. Here a renewal that
meets such a fault is skipped, with one warning per outage: the page that was made is
sent, a page that needs to write says why it cannot (hjelpelinje/site/views.py), and the
session simply expires 30 minutes after its last renewal that went through. Creating a
session (signing in) still fails loudly, and a session deleted meanwhile (signed out in
another tab) still ends the request as Django decides.
"""

from __future__ import annotations

import logging
import threading

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

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
