"""Reads of the website's counters: the staff pages, the statistics and outreach use these.

Every figure comes from sums in PageDay/SourceDay, or, for a day Hjelpelinje did not count
itself (the years before the website counted), from ImportedDay. Nothing here can tell one
visitor from another because nothing stored can.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, Sum

from hjelpelinje.site.visits.models import ImportedDay, PageDay, SourceDay


@dataclass(frozen=True)
class DayCount:
    day: date
    page_views: int
    visits: int
    imported: bool


@dataclass(frozen=True)
class MonthCount:
    month: int
    page_views: int
    visits: int


@dataclass(frozen=True)
class PageCount:
    path: str
    views: int
    visits: int


@dataclass(frozen=True)
class HostCount:
    host: str
    visits: int


@dataclass(frozen=True)
class CampaignCount:
    campaign: str
    source: str
    visits: int


def website_daily(*, start: date, end: date) -> list[DayCount]:
    """Every day from `start` to `end` inclusive, zeros included.

    A day with counted rows shows what Hjelpelinje counted; a day without any shows the
    imported totals if there are some, so a year that began with another tool and went on
    with ours reads as one series."""
    if end < start:
        return []
    counted = {
        row["day"]: (row["views"] or 0, row["visits"] or 0)
        for row in PageDay.objects.filter(day__range=(start, end))
        .values("day")
        .annotate(views=Sum("views"), visits=Sum("visits"))
    }
    imported = {
        row.day: (row.page_views, row.visits)
        for row in ImportedDay.objects.filter(day__range=(start, end))
    }
    days: list[DayCount] = []
    day = start
    while day <= end:
        if day in counted:
            views, visits = counted[day]
            days.append(DayCount(day, views, visits, imported=False))
        elif day in imported:
            views, visits = imported[day]
            days.append(DayCount(day, views, visits, imported=True))
        else:
            days.append(DayCount(day, 0, 0, imported=False))
        day += timedelta(days=1)
    return days


def website_monthly(*, year: int) -> list[MonthCount]:
    """Twelve rows, January first: the sums of `website_daily` over each month."""
    views = [0] * 13
    visits = [0] * 13
    for d in website_daily(start=date(year, 1, 1), end=date(year, 12, 31)):
        views[d.day.month] += d.page_views
        visits[d.day.month] += d.visits
    return [MonthCount(m, views[m], visits[m]) for m in range(1, 13)]


def top_pages(*, start: date, end: date, limit: int = 10) -> list[PageCount]:
    """The most viewed pages in the period, most views first (ties by path)."""
    rows = (
        PageDay.objects.filter(day__range=(start, end))
        .values("path")
        .annotate(v=Sum("views"), l=Sum("visits"))
        .order_by("-v", "path")[:limit]
    )
    return [PageCount(r["path"], r["v"] or 0, r["l"] or 0) for r in rows]


def top_referrers(*, start: date, end: date, limit: int = 10) -> list[HostCount]:
    """Visits by the referring host, most first; host "" is none (direct or unknown)."""
    rows = (
        SourceDay.objects.filter(day__range=(start, end))
        .values("referrer_host")
        .annotate(v=Sum("visits"))
        .order_by("-v", "referrer_host")[:limit]
    )
    return [HostCount(r["referrer_host"], r["v"] or 0) for r in rows]


def visits_by_campaign(*, start: date, end: date) -> list[CampaignCount]:
    """Visits that landed with a `utm_campaign`, by campaign and `utm_source`."""
    rows = (
        SourceDay.objects.filter(day__range=(start, end))
        .filter(~Q(utm_campaign=""))
        .values("utm_campaign", "utm_source")
        .annotate(v=Sum("visits"))
        .order_by("utm_campaign", "-v", "utm_source")
    )
    return [CampaignCount(r["utm_campaign"], r["utm_source"], r["v"] or 0) for r in rows]


def campaign_visits(*, tag: str, start: date, end: date) -> int:
    """Visits in the period that landed with `utm_campaign` equal to `tag` (any source).

    The tag is compared as the counter stores it: lower-cased."""
    total = SourceDay.objects.filter(day__range=(start, end), utm_campaign=tag.lower()).aggregate(
        v=Sum("visits")
    )["v"]
    return int(total or 0)


__all__ = [
    "CampaignCount",
    "DayCount",
    "HostCount",
    "MonthCount",
    "PageCount",
    "campaign_visits",
    "top_pages",
    "top_referrers",
    "visits_by_campaign",
    "website_daily",
    "website_monthly",
]
