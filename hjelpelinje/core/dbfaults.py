"""What a database error means to the person in front of the page.

Two faults are told apart from every other error, because staff can do something about
them and must not be shown the generic "something went wrong":

- `UNAVAILABLE`: the database cannot be reached or is restarting (PostgreSQL refusing
  connections or shutting down, a connection that died, SQLite locked for longer than its
  timeout). Nothing was written; the same request a moment later may well succeed. Pages
  answer 503 with `Retry-After`.
- `DISK_FULL`: the database has no room to write (SQLite's SQLITE_FULL, PostgreSQL's
  53100 disk_full). Nothing was written, and trying again will not help until someone
  frees space. Pages answer 507 Insufficient Storage and the CLI exits with an error.

A database error is one of Django's wrappers around the driver's own exception, which is
its `__cause__`; a session that could not be saved is Django's `UpdateError` raised while
the driver's error was being handled (its `__context__`). `fault_of` walks both chains.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Final

import psycopg
from django.db import InterfaceError as DjangoInterfaceError

UNAVAILABLE: Final = "unavailable"
DISK_FULL: Final = "disk_full"

# PostgreSQL's SQLSTATE codes (appendix A of its manual): class 08 is "connection
# exception"; 57P01-57P03 are an administrator's or a crash's shutdown and "cannot connect
# now" while starting; 53300 too many connections.
_PG_UNAVAILABLE = frozenset({"57P01", "57P02", "57P03", "53300"})
_PG_DISK_FULL = "53100"


def fault_of(error: BaseException | None) -> str | None:
    """`UNAVAILABLE`, `DISK_FULL`, or None for any other error."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        kind = _kind(error)
        if kind is not None:
            return kind
        error = error.__cause__ or error.__context__
    return None


def _kind(error: BaseException) -> str | None:
    if isinstance(error, sqlite3.Error):
        # The primary result code is the low byte of the extended one.
        code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
        if code == sqlite3.SQLITE_FULL:
            return DISK_FULL
        if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            return UNAVAILABLE
        return None
    if isinstance(error, psycopg.Error):
        state = error.sqlstate or ""
        if state == _PG_DISK_FULL:
            return DISK_FULL
        if state.startswith("08") or state in _PG_UNAVAILABLE:
            return UNAVAILABLE
        # A connection that could not be made or was lost carries no SQLSTATE at all.
        if not state and isinstance(error, psycopg.OperationalError | psycopg.InterfaceError):
            return UNAVAILABLE
        return None
    if isinstance(error, DjangoInterfaceError) and error.__cause__ is None:
        # Django's own "connection already closed".
        return UNAVAILABLE
    return None


class ShortDatabaseFaults(logging.Filter):
    """Logs a request that met an unreachable or full database in one line.

    While the database is down every request fails the same way: its traceback, once per
    request, would bury the log and says nothing the one line does not.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            fault = fault_of(record.exc_info[1])
            if fault is not None:
                record.msg = f"{record.msg} (database {fault.replace('_', ' ')})"
                record.exc_info = None
                record.exc_text = None
        return True
