"""The `outreach` block of the statistics: talks, networks, media, campaigns, social media.

Documented in `docs/statistics.md` ("The `outreach` block and campaign effect").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Sum

from hjelpelinje.hours.models import ExceptionKind
from hjelpelinje.outreach import selectors
from hjelpelinje.outreach.models import CampaignPlatform, MediaKind, NetworkRole, TalkKind
from hjelpelinje.site.visits import selectors as visits

# How many pages and referring hosts the statistics name.
TOP_N = 10


def _by_kind(rows: Any, choices: Any) -> dict[str, int]:
    found = {row["kind"]: row["n"] for row in rows}
    # Every kind is listed, zeros included, so the keys are the same every year.
    return {kind.value: found.get(kind.value, 0) for kind in choices}


def _platform_row(row: CampaignPlatform) -> dict[str, Any]:
    groups = sorted(row.target_age_groups.all(), key=lambda c: (c.position, c.pk))
    return {
        "platform": row.platform,
        "target_ages": row.target_ages,
        "target_age_groups": [c.code for c in groups],
        "percent_women": row.percent_women,
        "percent_men": row.percent_men,
        "percent_other": row.percent_other,
        **{f: getattr(row, f) for f in selectors.RESULT_FIELDS},
    }


def outreach_block(year: int) -> dict[str, Any]:
    talks = selectors.talks_in_year(year)
    talk_kinds = talks.values("kind").annotate(n=Count("pk")).order_by()
    talk_totals = talks.aggregate(n=Count("pk"), participants=Sum("participants"))
    media = selectors.media_in_year(year)
    media_kinds = media.values("kind").annotate(n=Count("pk")).order_by()
    networks = list(selectors.networks_active_in_year(year).order_by("name"))

    campaigns = list(
        selectors.campaigns_in_year(year).prefetch_related(
            "platforms", "platforms__target_age_groups", "hours_exceptions"
        )
    )
    effects = selectors.campaign_effects(campaigns)

    social: dict[str, Any] = {}
    accounts: list[dict[str, Any]] = []
    for figures in selectors.social_accounts_with_figures(year):
        account = figures.account
        # Accounts opened after the year were not the year's; an unknown opening date counts.
        if account.opened is None or account.opened.year <= year:
            accounts.append(
                {
                    "platform": account.platform,
                    "opened": account.opened.isoformat() if account.opened else None,
                    "active": account.active,
                }
            )
        snap = figures.latest
        if snap is None:
            continue
        social[figures.account.platform] = {
            "date": snap.date.isoformat(),
            "followers": snap.followers,
            "likes": snap.likes,
            "top_video_views": snap.top_video_views,
        }

    return {
        "talks": {
            "count": talk_totals["n"],
            "by_kind": _by_kind(talk_kinds, TalkKind),
            # The talks marked for the report's list; organisers are organisations.
            "highlights": [
                {
                    "date": t.date.isoformat(),
                    "kind": t.kind,
                    "title": t.title,
                    "organiser": t.organiser,
                    "place": t.place,
                    "description": t.description,
                }
                for t in talks.filter(in_report=True).order_by("date", "id")
            ],
        },
        "participants": talk_totals["participants"] or 0,
        "talks_without_participants": talks.filter(participants__isnull=True).count(),
        "networks": {
            "count": len(networks),
            "by_role": {
                role.value: sum(1 for n in networks if n.role == role.value) for role in NetworkRole
            },
            "names": [n.name for n in networks],
        },
        "media": {
            "count": sum(row["n"] for row in media_kinds),
            "by_kind": _by_kind(media_kinds, MediaKind),
            # Outlets and titles are public organisations and published pieces, never a
            # private person, so the annual report may list them as the seed report does.
            "items": [
                {
                    "date": m.date.isoformat(),
                    "outlet": m.outlet,
                    "kind": m.kind,
                    "title": m.title,
                    "campaign": m.campaign.name if m.campaign else None,
                }
                for m in media.order_by("date", "id")
            ],
        },
        "campaigns": [
            {
                "name": c.name,
                "start": c.start.isoformat(),
                "end": c.end.isoformat(),
                "excludes_weekends": c.excludes_weekends,
                "excludes_holidays": c.excludes_holidays,
                "funder": c.funder,
                "platforms": sorted({p.platform for p in c.platforms.all()}),
                "partner": c.partner,
                "description": c.description,
                # Whom each platform targeted and reached: the seed report's campaign pages.
                "by_platform": [_platform_row(p) for p in c.platforms.all()],
                # The longer opening hours that went with the campaign (seed 3.3).
                "extended_hours": [
                    {
                        "channel": e.channel,
                        "start": e.start_date.isoformat(),
                        "end": e.end_date.isoformat(),
                        "opens": e.opens.strftime("%H:%M") if e.opens else None,
                        "closes": e.closes.strftime("%H:%M") if e.closes else None,
                        "weekdays_only": e.weekdays_only,
                    }
                    for e in c.hours_exceptions.all()
                    if e.kind == ExceptionKind.OPEN
                ],
                **{f: getattr(c, f"total_{f}") for f in selectors.RESULT_FIELDS},
                # The tag its ads linked with, and the visits that landed with it in the
                # campaign's period (None without a tag: not counted, not zero).
                "utm_tag": c.utm_tag or None,
                "website_visits": selectors.campaign_website_visits(c),
                "effect": effects[c.pk].as_dict(),
            }
            for c in campaigns
        ],
        "social_media": social,
        "social_accounts": accounts,
        "website": website_block(year, campaigns=campaigns),
    }


def website_block(year: int, *, campaigns: list[Any] | None = None) -> dict[str, Any]:
    """The website's counters for the year: totals, months, pages, referrers, campaigns and
    the post-day comparison. Documented in docs/statistics.md ("The `website` part")."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    months = visits.website_monthly(year=year)
    names = {c.utm_tag: c.name for c in campaigns or [] if c.utm_tag}
    by_tag: dict[str, int] = {}
    for row in visits.visits_by_campaign(start=first, end=last):
        by_tag[row.campaign] = by_tag.get(row.campaign, 0) + row.visits
    return {
        "visits": sum(m.visits for m in months),
        "page_views": sum(m.page_views for m in months),
        "by_month": {
            f"{year}-{m.month:02d}": {"visits": m.visits, "page_views": m.page_views}
            for m in months
        },
        "top_pages": [
            {"path": p.path, "views": p.views, "visits": p.visits}
            for p in visits.top_pages(start=first, end=last, limit=TOP_N)
        ],
        # "" is a visit without a referrer (typed, a bookmark, an app that sends none).
        "top_referrers": [
            {"host": h.host, "visits": h.visits}
            for h in visits.top_referrers(start=first, end=last, limit=TOP_N)
        ],
        "by_campaign_tag": [
            {"tag": tag, "campaign": names.get(tag), "visits": n}
            for tag, n in sorted(by_tag.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "post_days": {
            platform: ratio.as_dict()
            for platform, ratio in selectors.post_day_ratios(first, last).items()
        },
    }
