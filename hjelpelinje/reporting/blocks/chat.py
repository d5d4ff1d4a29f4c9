"""The `chat` block of the statistics: sessions, waiting, answering, and demand while closed.

Everything is counted in the database. Percentiles are taken by the nearest-rank method:
the database orders the sessions by the duration and returns the one row at that rank, so
the same figure comes out on SQLite and PostgreSQL.
"""

from __future__ import annotations

import math
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay

from hjelpelinje.chat.models import ChatSession, ClosedVisitDay
from hjelpelinje.core.timeutil import OSLO, year_bounds

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def _percentile(rows: QuerySet[ChatSession], start: str, end: str, p: float) -> int | None:
    span = ExpressionWrapper(F(end) - F(start), output_field=DurationField())
    rows = rows.filter(**{f"{start}__isnull": False, f"{end}__isnull": False})
    n = rows.count()
    if n == 0:
        return None
    rank = max(1, math.ceil(p * n))
    value = rows.annotate(span=span).order_by("span").values_list("span", flat=True)[rank - 1]
    return int(value.total_seconds())


def _null(field: str) -> Q:
    return Q(**{f"{field}__isnull": True})


_registered = Q(inquiry__isnull=False, inquiry__deleted_at__isnull=True)


def chat_block(year: int) -> dict[str, Any]:
    start, end = year_bounds(year)
    sessions = ChatSession.objects.filter(created_at__gte=start, created_at__lt=end)
    counts = sessions.aggregate(
        sessions=Count("pk"),
        answered=Count("pk", filter=~_null("answered_at")),
        abandoned=Count(
            "pk", filter=_null("answered_at") & _null("assigned_at") & ~_null("ended_at")
        ),
        # A chat is registered when an inquiry recorded from it still exists (a deleted
        # one is gone from the inquiry figures too); a chat that was answered and has
        # ended without one is waiting to be registered, or never will be.
        registered=Count("pk", filter=_registered),
        not_registered=Count(
            "pk", filter=~_null("answered_at") & ~_null("ended_at") & ~_registered
        ),
    )
    weekday = {
        row["d"]: row["n"]
        for row in sessions.annotate(d=ExtractIsoWeekDay("created_at", tzinfo=OSLO))
        .values("d")
        .annotate(n=Count("pk"))
    }
    hour = {
        row["h"]: row["n"]
        for row in sessions.annotate(h=ExtractHour("created_at", tzinfo=OSLO))
        .values("h")
        .annotate(n=Count("pk"))
    }
    closed = ClosedVisitDay.objects.filter(day__year=year).aggregate(n=Sum("count"))["n"] or 0
    return {
        "sessions": counts["sessions"],
        "answered": counts["answered"],
        "abandoned": counts["abandoned"],
        "registered": counts["registered"],
        "not_registered": counts["not_registered"],
        "median_wait_seconds": _percentile(sessions, "created_at", "answered_at", 0.5),
        "p90_wait_seconds": _percentile(sessions, "created_at", "answered_at", 0.9),
        "median_duration_seconds": _percentile(sessions, "answered_at", "ended_at", 0.5),
        "by_weekday": {name: weekday.get(i + 1, 0) for i, name in enumerate(WEEKDAYS)},
        "by_hour": {f"{h:02d}": hour.get(h, 0) for h in range(24)},
        "closed_visits": closed,
    }
