"""The dashboard's copy of a year's statistics, so it opens at once on a million rows.

Computing a year takes seconds on a large database; the dashboard keeps the result in the
cache (Redis in production, shared by every worker) under a generation number that every
write to the data behind the statistics bumps, through Django's model signals. Writes that
bypass the ORM (the bulk import) bump it themselves. The cached copy also expires after
`TIMEOUT`, which bounds how stale a figure can be if some write slipped past both, and the
page says when its figures were computed and offers to compute them again. The annual
report never reads this cache: it computes the year afresh.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

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


def stats_invalidate() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, timeout=None)


def cached_year_statistics(
    year: int, *, refresh: bool = False
) -> tuple[dict[str, Any], dt.datetime]:
    """The year's statistics and when they were computed."""
    from hjelpelinje.reporting import statistics

    generation = cache.get_or_set(GENERATION_KEY, 0, timeout=None)
    key = f"reporting:stats:{year}:{generation}"
    entry = None if refresh else cache.get(key)
    if entry is None:
        entry = {"stats": statistics.year_statistics(year), "computed_at": timezone.now()}
        cache.set(key, entry, timeout=TIMEOUT)
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
