"""The dashboard's copy of a year's statistics, so it opens at once on a million rows.

Computing a year takes seconds on a large database; the dashboard keeps the result in the
cache (Redis in production, shared by every worker) under a generation number that every
write to the data behind the statistics bumps, through Django's model signals. Writes that
bypass the ORM (the bulk import) bump it themselves. The cached copy also expires after
`TIMEOUT`, which bounds how stale a figure can be if some write slipped past both, and the
page says when its figures were computed and offers to compute them again. The annual
report never reads this cache: it computes the year afresh.

The cache is never part of a write. The generation is bumped after the write commits
(`transaction.on_commit`), and if the cache cannot be reached then, the record stands, one
warning is logged for the whole outage, and this process remembers that it owes a bump: it
bumps at its next use of the statistics cache, and until that succeeds it computes figures
afresh instead of reading a copy that may predate the write. While the cache is down the
dashboard computes its figures and draws its charts on every request (slower, never an
error).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

log = logging.getLogger(__name__)

GENERATION_KEY = "reporting:stats-generation"
TIMEOUT = 10 * 60

# The apps whose data the statistics count, and the models in them that they never read
# (chat messages and presence change every second while the chat is open). The website's
# counters ("visits") are flushed in batches, at most every minute or so; a flush through
# the ORM's signals bumps the generation, one that bypasses them is caught by `TIMEOUT`.
STATS_APPS = frozenset({"inquiries", "followup", "chat", "outreach", "hours", "taxonomy", "visits"})
IGNORED_MODELS = frozenset(
    {"chatmessage", "counsellorpresence", "cannedresponse", "chatsettings", "glassbreak"}
)


class _Health:
    """Whether this process owes the cache a bump, and whether the outage was logged."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.owed = False
        self.down = False

    def failed(self, *, owe: bool) -> None:
        with self.lock:
            if owe:
                self.owed = True
            if self.down:
                return
            self.down = True
        # The exception names the cache's address and the error, never a record.
        log.warning(
            "the statistics cache cannot be reached; figures are computed afresh until it is back",
            exc_info=True,
        )

    def recovered(self) -> None:
        with self.lock:
            was_down, self.down = self.down, False
        if was_down:
            log.info("the statistics cache is reachable again")


HEALTH = _Health()


def stats_invalidate() -> None:
    """The cached statistics are stale once the current transaction commits."""
    transaction.on_commit(_bump)


def _bump() -> bool:
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:
            cache.set(GENERATION_KEY, 1, timeout=None)
    except Exception:
        HEALTH.failed(owe=True)
        return False
    with HEALTH.lock:
        HEALTH.owed = False
    HEALTH.recovered()
    return True


def cache_get(key: str) -> Any:
    """The cached value, or None when it is not there or the cache cannot be reached."""
    try:
        value = cache.get(key)
    except Exception:
        HEALTH.failed(owe=False)
        return None
    HEALTH.recovered()
    return value


def cache_set(key: str, value: Any, timeout: int) -> bool:
    """Keep a value in the cache if it can be reached; whether it was kept."""
    try:
        cache.set(key, value, timeout=timeout)
    except Exception:
        HEALTH.failed(owe=False)
        return False
    return True


def cached_year_statistics(
    year: int, *, refresh: bool = False
) -> tuple[dict[str, Any], dt.datetime]:
    """The year's statistics and when they were computed."""
    from hjelpelinje.reporting import statistics

    if HEALTH.owed and not _bump():
        # A write of this process may be newer than any cached copy.
        return statistics.year_statistics(year), timezone.now()
    try:
        generation = cache.get_or_set(GENERATION_KEY, 0, timeout=None)
    except Exception:
        HEALTH.failed(owe=False)
        return statistics.year_statistics(year), timezone.now()
    key = f"reporting:stats:{year}:{generation}"
    entry = None if refresh else cache_get(key)
    if entry is None:
        entry = {"stats": statistics.year_statistics(year), "computed_at": timezone.now()}
        cache_set(key, entry, TIMEOUT)
    return entry["stats"], entry["computed_at"]


def _on_change(sender: Any, **kwargs: Any) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is not None and meta.app_label in STATS_APPS and meta.model_name not in IGNORED_MODELS:
        stats_invalidate()


def _on_import(sender: Any, **kwargs: Any) -> None:
    stats_invalidate()


def connect_signals() -> None:
    from hjelpelinje.inquiries.signals import inquiries_imported

    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_change, dispatch_uid=f"reporting-stats-{id(signal)}")
    inquiries_imported.connect(_on_import, dispatch_uid="reporting-stats-import")
