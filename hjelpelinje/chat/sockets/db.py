"""How a socket calls the (synchronous) services and selectors."""

from __future__ import annotations

from typing import Any

from channels.db import DatabaseSyncToAsync
from django.db import connections


def db(func: Any) -> Any:
    """Run `func` in a worker thread with its own database connection.

    On PostgreSQL the calls of different chats run side by side in the thread pool; SQLite
    (development, tests) allows one writer at a time, so there they share one thread.
    """
    parallel = connections["default"].vendor != "sqlite"
    return DatabaseSyncToAsync(func, thread_sensitive=not parallel)
