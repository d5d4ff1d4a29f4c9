"""Hand-made register rows for the outreach tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from hjelpelinje.core.timeutil import OSLO
from hjelpelinje.inquiries.models import Inquiry
from hjelpelinje.outreach.models import Campaign
from hjelpelinje.taxonomy.selectors import code_get


def inquiry(
    day: dt.date,
    hour: int = 10,
    minute: int = 0,
    *,
    relevant: bool = True,
    deleted: bool = False,
    channel: str = "phone",
) -> Inquiry:
    """One inquiry at a wall-clock time in Oslo."""
    at = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=OSLO)
    return Inquiry.objects.create(
        occurred_at=at,
        channel=code_get("channel", channel),
        relevant=relevant,
        age_group=code_get("age_group", "0-18"),
        gender=code_get("gender", "female"),
        region=code_get("region", "ostlandet"),
        caller=code_get("caller", "self"),
        deleted_at=timezone.now() if deleted else None,
    )


def inquiries(per_day: dict[dt.date, int]) -> None:
    for day, n in per_day.items():
        for i in range(n):
            inquiry(day, 9 + i % 7, i)


def campaign(name: str, start: dt.date, end: dt.date, **extra: object) -> Campaign:
    return Campaign.objects.create(name=name, start=start, end=end, **extra)
