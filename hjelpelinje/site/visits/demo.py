"""Demo counts for the website: made up for the demo, every figure of them.

A year of daily counters (the year of the demo's campaigns), shaped the way the seed report
describes the site: a base level by weekday, about three times as many visits on the days a
social-media post went out, visits tagged with a campaign's `utm_campaign` while it ran,
and referrers from search and social media. The year before comes as an imported series,
as if counted by another tool. Seeded, so every demo database gets the same numbers.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from hjelpelinje.site.visits.models import ImportedDay, PageDay, SourceDay

DEFAULT_YEAR = 2023
# Visits on an ordinary day, Monday first: school days are busier than weekends.
WEEKDAY_VISITS = (150, 145, 140, 135, 115, 80, 95)
# Where an ordinary day's visits come from, and how often.
REFERRERS = (
    ("google.com", 0.46),
    ("", 0.27),
    ("tiktok.com", 0.08),
    ("snapchat.com", 0.06),
    ("instagram.com", 0.05),
    ("facebook.com", 0.04),
    ("bing.com", 0.02),
    ("udir.no", 0.01),
    ("bufdir.no", 0.01),
)
PLATFORM_HOSTS = {
    "tiktok": "tiktok.com",
    "snapchat": "snapchat.com",
    "instagram": "instagram.com",
    "facebook": "facebook.com",
    "youtube": "youtube.com",
    "x": "x.com",
    "twitter": "x.com",
    "linkedin": "linkedin.com",
}
# The paths used when the website's pages are not there (a database without Wagtail's
# demo pages); otherwise the live pages are counted.
FALLBACK_PATHS = (
    "/",
    "/chat/",
    "/tvangsekteskap/",
    "/negativ-sosial-kontroll/",
    "/aeresrelatert-vold/",
    "/psykisk-vold/",
    "/etterlatt-i-utlandet/",
    "/for-fagfolk/",
    "/om-oss/",
    "/personvern/",
)
PAGES_PER_VISIT = 1.8
# Share of views from browsers without fetch metadata (older Safari).
NO_METADATA_SHARE = 0.02


def _paths() -> list[str]:
    try:
        from wagtail.models import Page

        urls = [p.url for p in Page.objects.live().filter(depth__gt=1).specific()[:40]]
    except Exception:
        urls = []
    paths = sorted({u for u in urls if u and u.startswith("/")})
    if not paths:
        paths = list(FALLBACK_PATHS)
    if "/chat/" not in paths:
        paths.append("/chat/")
    return paths


def _posts() -> dict[dt.date, list[str]]:
    """The demo's social-media posts by day, if the outreach app keeps them."""
    try:
        from hjelpelinje.outreach.models import SocialPost
    except ImportError:
        return {}
    days: dict[dt.date, list[str]] = defaultdict(list)
    for day, platform in SocialPost.objects.values_list("date", "platform"):
        days[day].append(str(platform))
    return dict(days)


def _campaigns() -> list[tuple[str, dt.date, dt.date, list[str]]]:
    """(tag, start, end, platforms) of the demo's campaigns; a campaign without a tag is
    given its name's slug, as the ads would have linked with."""
    try:
        from hjelpelinje.outreach.models import Campaign
    except ImportError:
        return []
    out = []
    for campaign in Campaign.objects.all():
        tag = (getattr(campaign, "utm_tag", "") or slugify(campaign.name))[:60]
        try:
            platforms = [str(p) for p in campaign.platforms.values_list("platform", flat=True)]
        except Exception:
            platforms = []
        out.append((tag, campaign.start, campaign.end, platforms or ["tiktok", "snapchat"]))
    return out


def _weighted(rng: random.Random, choices: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([c for c, _w in choices], weights=[w for _c, w in choices])[0]


def build(year: int) -> tuple[list[PageDay], list[SourceDay], list[ImportedDay]]:
    rng = random.Random(f"hjelpelinje-visits-{year}")
    paths = _paths()
    # The front page takes most landings, the chat and the themes the rest.
    path_weights = [8.0 if p == "/" else 3.0 if p == "/chat/" else 1.0 for p in paths]
    posts = _posts()
    post_days = {d: platforms for d, platforms in posts.items() if d.year == year}
    if not post_days:
        # No logged posts: a TikTok video about every ten days, for the shape of the chart.
        post_days = {
            dt.date(year, 1, 6) + dt.timedelta(days=10 * i + rng.randrange(3)): ["tiktok"]
            for i in range(36)
        }
    campaigns = _campaigns()

    pages: dict[tuple[dt.date, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    sources: dict[tuple[dt.date, str, str, str], int] = defaultdict(int)
    day = dt.date(year, 1, 1)
    while day.year == year:
        # Quieter in July and at Christmas, as school holidays are.
        season = 0.6 if day.month == 7 or (day.month == 12 and day.day > 20) else 1.0
        visits = int(WEEKDAY_VISITS[day.weekday()] * season * rng.uniform(0.8, 1.2))
        landings: list[tuple[str, str, str]] = [
            (_weighted(rng, REFERRERS), "", "") for _ in range(visits)
        ]
        if day in post_days:
            # The seed's "tredobles": about twice the ordinary day again, from the platform.
            for i in range(int(visits * rng.uniform(1.7, 2.3))):
                platform = post_days[day][i % len(post_days[day])]
                landings.append((PLATFORM_HOSTS.get(platform, platform + ".com"), "", ""))
        for tag, start, end, platforms in campaigns:
            if start <= day <= end and day.weekday() < 5:
                for i in range(int(rng.uniform(250, 450))):
                    platform = platforms[i % len(platforms)]
                    host = PLATFORM_HOSTS.get(platform, "")
                    landings.append((host, tag, platform))
        for host, tag, source in landings:
            sources[(day, host, tag, source)] += 1
            path = rng.choices(paths, weights=path_weights)[0]
            pages[(day, path)][1] += 1
        views = int(len(landings) * PAGES_PER_VISIT)
        for path in rng.choices(paths, k=views - len(landings)):
            pages[(day, path)][0] += 1
        day += dt.timedelta(days=1)

    page_rows = []
    for (d, path), (inside, visits_n, _unused) in sorted(pages.items()):
        views_n = inside + visits_n
        page_rows.append(
            PageDay(
                day=d,
                path=path,
                views=views_n,
                visits=visits_n,
                no_fetch_metadata=int(views_n * NO_METADATA_SHARE),
            )
        )
    source_rows = [
        SourceDay(day=d, referrer_host=h, utm_campaign=c, utm_source=s, visits=n)
        for (d, h, c, s), n in sorted(sources.items())
    ]
    imported = []
    day = dt.date(year - 1, 1, 1)
    while day.year == year - 1:
        # The year before, counted by another tool: somewhat fewer, no detail.
        visits_n = int(WEEKDAY_VISITS[day.weekday()] * 0.8 * rng.uniform(0.75, 1.3))
        imported.append(
            ImportedDay(day=day, page_views=int(visits_n * rng.uniform(1.6, 2.1)), visits=visits_n)
        )
        day += dt.timedelta(days=1)
    return page_rows, source_rows, imported


def demo_year() -> int:
    campaigns = _campaigns()
    return min(c[1].year for c in campaigns) if campaigns else DEFAULT_YEAR


def load(*, stdout: Any) -> None:
    if PageDay.objects.exists() or ImportedDay.objects.exists():
        stdout.write("Website visits: demo counts already there.")
        return
    year = demo_year()
    page_rows, source_rows, imported = build(year)
    with transaction.atomic():
        PageDay.objects.bulk_create(page_rows, batch_size=2000)
        SourceDay.objects.bulk_create(source_rows, batch_size=2000)
        ImportedDay.objects.bulk_create(imported, batch_size=2000)
    visits = sum(r.visits for r in page_rows)
    stdout.write(
        f"Website visits: made-up counts for {year} ({visits} visits), "
        f"and {year - 1} as an imported series."
    )
