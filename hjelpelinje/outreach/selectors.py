"""Reading outreach: the year's activities, campaign totals and campaign effect."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Count, Min, Model, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncDate

from hjelpelinje.accounts.models import User
from hjelpelinje.core.timeutil import OSLO, local_now, oslo_midnight
from hjelpelinje.inquiries.models import Inquiry
from hjelpelinje.outreach import hours_link
from hjelpelinje.outreach.effect import Measure, effect_windows, measure
from hjelpelinje.outreach.models import (
    Campaign,
    MediaAppearance,
    Network,
    PostPlatform,
    SocialAccount,
    SocialPost,
    SocialSnapshot,
    Talk,
)
from hjelpelinje.outreach.postdays import PostDayRatio, post_day_ratio
from hjelpelinje.site.visits import selectors as visits

# The campaign results that are summed over platforms.
RESULT_FIELDS = ("impressions", "clicks", "unique_browsers", "screen_plays")

# Inquiries count on days when the helpline answered on phone or chat; chat sessions on
# days when the chat was open.
INQUIRY_CHANNELS = ("phone", "chat")
CHAT_CHANNELS = ("chat",)


def _year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


# --- Who may change what -------------------------------------------------------------


def outreach_can_change(user: User, record: Model) -> bool:
    """Managers change everything; counsellors add talks, media and posts and fix their own."""
    if user.can("outreach.manage"):
        return True
    if isinstance(record, Talk | MediaAppearance | SocialPost) and user.can("outreach.add"):
        return record.pk is None or record.created_by_id == user.pk
    return False


# --- The year's activities -------------------------------------------------------------


def campaigns_in_year(year: int) -> QuerySet[Campaign]:
    """Campaigns that ran on at least one day of the year, with totals per result."""
    first, last = _year_range(year)
    return campaigns_with_totals(Campaign.objects.filter(start__lte=last, end__gte=first))


def campaigns_with_totals(qs: QuerySet[Campaign]) -> QuerySet[Campaign]:
    # SUM over platforms whose figure is unknown (NULL) stays NULL, so "not measured"
    # is never shown as zero.
    totals = {f"total_{f}": Sum(f"platforms__{f}") for f in RESULT_FIELDS}
    # An aggregate query ignores Meta.ordering, so the order is given here.
    return qs.annotate(**totals).order_by("start", "id")


def campaign_get(pk: int) -> Campaign:
    return campaigns_with_totals(Campaign.objects.all()).get(pk=pk)


def talks_in_year(year: int) -> QuerySet[Talk]:
    first, last = _year_range(year)
    return Talk.objects.filter(date__range=(first, last)).select_related("created_by")


def media_in_year(year: int) -> QuerySet[MediaAppearance]:
    first, last = _year_range(year)
    return MediaAppearance.objects.filter(date__range=(first, last)).select_related(
        "campaign", "created_by"
    )


def networks_active_in_year(year: int) -> QuerySet[Network]:
    """Memberships that covered at least one day of the year.

    A network without `since` is taken to go back as far as needed; an inactive one
    always has `until` (the model insists), so it stops counting after that year.
    """
    first, last = _year_range(year)
    return Network.objects.filter(
        Q(since__isnull=True) | Q(since__lte=last),
        Q(until__isnull=True) | Q(until__gte=first),
    ).filter(Q(active=True) | Q(until__isnull=False))


def networks_all() -> QuerySet[Network]:
    return Network.objects.order_by("-active", "name")


@dataclass(frozen=True)
class AccountFigures:
    account: SocialAccount
    latest: SocialSnapshot | None
    snapshots: list[SocialSnapshot]


def social_accounts_with_figures(year: int) -> list[AccountFigures]:
    """Every account with its snapshots in the year, newest first."""
    first, last = _year_range(year)
    snapshots: dict[int, list[SocialSnapshot]] = {}
    for snap in SocialSnapshot.objects.filter(date__range=(first, last)).order_by("-date"):
        snapshots.setdefault(snap.account_id, []).append(snap)
    result = []
    for account in SocialAccount.objects.order_by("platform"):
        snaps = snapshots.get(account.pk, [])
        result.append(AccountFigures(account, snaps[0] if snaps else None, snaps))
    return result


def social_accounts_all() -> QuerySet[SocialAccount]:
    """Every account with all its snapshots, newest first."""
    return SocialAccount.objects.order_by("-active", "platform").prefetch_related(
        Prefetch("snapshots", queryset=SocialSnapshot.objects.order_by("-date"))
    )


def outreach_years() -> list[int]:
    """Years that hold any outreach, newest first, always including this year."""
    years = {local_now().year}
    for model, field_name in (
        (Talk, "date"),
        (MediaAppearance, "date"),
        (Campaign, "start"),
        (SocialSnapshot, "date"),
        (SocialPost, "date"),
    ):
        years.update(d.year for d in model.objects.dates(field_name, "year"))  # type: ignore[attr-defined]
    return sorted(years, reverse=True)


def outreach_latest_year(*, up_to: int) -> int | None:
    """The latest year, no later than `up_to`, that holds any outreach."""
    years = [
        latest.year
        for model, field_name in (
            (Talk, "date"),
            (MediaAppearance, "date"),
            (Campaign, "start"),
            (SocialSnapshot, "date"),
            (SocialPost, "date"),
        )
        if (
            latest := model.objects.filter(**{f"{field_name}__lt": dt.date(up_to + 1, 1, 1)})  # type: ignore[attr-defined]
            .order_by(f"-{field_name}")
            .values_list(field_name, flat=True)
            .first()
        )
    ]
    return max(years, default=None)


# --- Campaign effect ---------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignEffect:
    campaign: Campaign
    # None when the campaign has not had a day to measure yet.
    inquiries: Measure | None
    # None when there is no chat session model (yet) to count.
    chat_sessions: Measure | None
    overlapping: list[Campaign] = field(default_factory=list)
    # The campaign has not ended: only the days up to yesterday are measured.
    in_progress: bool = False
    measured_until: dt.date | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "in_progress": self.in_progress,
            "measured_until": self.measured_until.isoformat() if self.measured_until else None,
            "overlapping_campaigns": [c.name for c in self.overlapping],
            "inquiries": self.inquiries.as_dict() if self.inquiries else None,
            "chat_sessions": self.chat_sessions.as_dict() if self.chat_sessions else None,
        }


def _counts_by_day(
    qs: QuerySet[Any], field_name: str, first: dt.date, last: dt.date
) -> dict[dt.date, int]:
    """Rows per Oslo calendar day, aggregated in SQL."""
    rows = (
        qs.filter(
            **{
                f"{field_name}__gte": oslo_midnight(first),
                f"{field_name}__lt": oslo_midnight(last + dt.timedelta(days=1)),
            }
        )
        .annotate(day=TruncDate(field_name, tzinfo=OSLO))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["day"]: row["n"] for row in rows}


def inquiry_counts_by_day(first: dt.date, last: dt.date) -> dict[dt.date, int]:
    """Relevant first-time inquiries per day (deleted ones never count)."""
    return _counts_by_day(Inquiry.objects.live().filter(relevant=True), "occurred_at", first, last)


# The chat app names its start field one of these; the first one found is used.
_CHAT_START_FIELDS = ("started_at", "created_at", "opened_at")


def chat_session_counts_by_day(first: dt.date, last: dt.date) -> dict[dt.date, int] | None:
    """Chat sessions started per day, or None when the chat keeps no sessions to count.

    The chat app is built beside this one; until it has a `ChatSession` model the
    campaign effect simply leaves chat sessions out.
    """
    try:
        model = apps.get_model("chat", "ChatSession")
    except LookupError:
        return None
    names = {f.name for f in model._meta.get_fields()}
    start_field = next((n for n in _CHAT_START_FIELDS if n in names), None)
    if start_field is None:
        return None
    return _counts_by_day(model._default_manager.all(), start_field, first, last)


def data_start() -> dt.date | None:
    """1 January of the year of the first live inquiry: the register is kept by year."""
    first = Inquiry.objects.live().aggregate(first=Min("occurred_at"))["first"]
    if first is None:
        return None
    return dt.date(first.astimezone(OSLO).year, 1, 1)


def campaign_effects(
    campaigns: Sequence[Campaign], *, today: dt.date | None = None
) -> dict[int, CampaignEffect]:
    """The effect of each campaign, by its id. Reads the database a fixed number of times."""
    if not campaigns:
        return {}
    today = today or local_now().date()
    all_campaigns = list(Campaign.objects.order_by("start", "id"))
    earliest = data_start() or dt.date(min(c.start for c in campaigns).year, 1, 1)
    earliest = min(earliest, min(c.start for c in campaigns))
    latest = min(max(c.end for c in campaigns), today - dt.timedelta(days=1))
    if latest < earliest:
        latest = earliest

    inquiry_open = hours_link.open_days(INQUIRY_CHANNELS, earliest, latest)
    chat_open = hours_link.open_days(CHAT_CHANNELS, earliest, latest)
    inquiries = inquiry_counts_by_day(earliest, latest)
    chats = chat_session_counts_by_day(earliest, latest)

    return {
        c.pk: _effect_of(
            c,
            others=[o for o in all_campaigns if o.pk != c.pk],
            today=today,
            earliest=earliest,
            calendars=((inquiry_open, inquiries), (chat_open, chats)),
        )
        for c in campaigns
    }


def _effect_of(
    campaign: Campaign,
    *,
    others: list[Campaign],
    today: dt.date,
    earliest: dt.date,
    calendars: tuple[
        tuple[set[dt.date], dict[dt.date, int]], tuple[set[dt.date], dict[dt.date, int] | None]
    ],
) -> CampaignEffect:
    overlapping = [c for c in others if c.start <= campaign.end and c.end >= campaign.start]
    # Today is not over yet, so it would pull the campaign's rate down: stop at yesterday.
    until = min(campaign.end, today - dt.timedelta(days=1))
    if until < campaign.start:
        return CampaignEffect(campaign, None, None, overlapping)

    def busy(day: dt.date) -> bool:
        return any(c.start <= day <= c.end for c in others)

    def measured(open_days: set[dt.date], per_day: dict[dt.date, int]) -> Measure:
        def counts(day: dt.date) -> bool:
            return day in open_days and not campaign.skips(
                day, is_holiday=hours_link.is_holiday(day)
            )

        windows = effect_windows(
            start=campaign.start, end=until, counts=counts, busy=busy, earliest=earliest
        )
        return measure(windows, per_day)

    (inquiry_open, inquiries), (chat_open, chats) = calendars
    return CampaignEffect(
        campaign=campaign,
        inquiries=measured(inquiry_open, inquiries),
        chat_sessions=measured(chat_open, chats) if chats is not None else None,
        overlapping=overlapping,
        in_progress=until < campaign.end,
        measured_until=until,
    )


def campaign_effect(campaign: Campaign, *, today: dt.date | None = None) -> CampaignEffect:
    return campaign_effects([campaign], today=today)[campaign.pk]


def campaign_platforms(campaign: Campaign) -> Iterable[Any]:
    return campaign.platforms.prefetch_related("target_age_groups").order_by("id")


# --- Social-media posts and the website ------------------------------------------------


def posts_between(start: dt.date, end: dt.date) -> QuerySet[SocialPost]:
    return SocialPost.objects.filter(date__range=(start, end)).select_related("created_by")


def posts_in_year(year: int) -> QuerySet[SocialPost]:
    return posts_between(*_year_range(year))


def post_days_by_platform(start: dt.date, end: dt.date) -> dict[str, set[dt.date]]:
    """The days each platform had at least one post, by platform code."""
    days: dict[str, set[dt.date]] = {}
    rows = SocialPost.objects.filter(date__range=(start, end)).values_list("platform", "date")
    for platform, day in rows.distinct():
        days.setdefault(platform, set()).add(day)
    return days


# Post days are open days of any of these channels: the days the helpline answered.
OPEN_CHANNELS = ("phone", "chat")


def measured_website_days(
    start: dt.date, end: dt.date, *, today: dt.date | None = None
) -> dict[dt.date, int]:
    """Visits per day over the part of the period the website was counted.

    The period is cut at yesterday (today is not over) and begins at the first day with
    any visit or page view, so the weeks before counting started are not read as zeros.
    """
    today = today or local_now().date()
    end = min(end, today - dt.timedelta(days=1))
    days = visits.website_daily(start=start, end=end)
    first = next((i for i, d in enumerate(days) if d.visits or d.page_views), None)
    if first is None:
        return {}
    return {d.day: d.visits for d in days[first:]}


def post_day_ratios(
    start: dt.date, end: dt.date, *, today: dt.date | None = None
) -> dict[str, PostDayRatio]:
    """Each platform that posted in the period: its post days against other open days."""
    by_platform = post_days_by_platform(start, end)
    if not by_platform:
        return {}
    per_day = measured_website_days(start, end, today=today)
    open_days = (
        hours_link.open_days(OPEN_CHANNELS, min(per_day), max(per_day)) if per_day else set()
    )
    any_post = set().union(*by_platform.values())
    order = [p.value for p in PostPlatform]
    return {
        platform: post_day_ratio(
            platform=platform,
            visits=per_day,
            open_days=open_days,
            platform_days=by_platform[platform],
            any_post_days=any_post,
        )
        for platform in sorted(by_platform, key=lambda p: order.index(p) if p in order else 99)
    }


def campaign_website_visits(campaign: Campaign) -> int | None:
    """Visits that landed with the campaign's tag during its period; None without a tag."""
    if not campaign.utm_tag:
        return None
    return visits.campaign_visits(tag=campaign.utm_tag, start=campaign.start, end=campaign.end)


@dataclass(frozen=True)
class Funnel:
    """A campaign from the ad platform's figures to the helpline's own."""

    impressions: int | None
    clicks: int | None
    # None when the campaign has no tag to count visits by.
    visits: int | None
    effect: CampaignEffect

    @property
    def click_to_visit(self) -> float | None:
        """The share of the ad platform's clicks that the website counted as visits."""
        if self.visits is None or not self.clicks:
            return None
        return self.visits / self.clicks

    @property
    def impression_to_click(self) -> float | None:
        if self.clicks is None or not self.impressions:
            return None
        return self.clicks / self.impressions


def campaign_funnel(campaign: Campaign, effect: CampaignEffect) -> Funnel:
    """`campaign` as annotated by `campaigns_with_totals` (total_impressions, total_clicks)."""
    return Funnel(
        impressions=getattr(campaign, "total_impressions", None),
        clicks=getattr(campaign, "total_clicks", None),
        visits=campaign_website_visits(campaign),
        effect=effect,
    )


@dataclass(frozen=True)
class WebsiteDay:
    day: dt.date
    visits: int
    page_views: int
    imported: bool
    platforms: list[str]
    campaigns: list[str]


def website_days(start: dt.date, end: dt.date) -> list[WebsiteDay]:
    """Visits per day with the day's posts (platform codes) and running campaigns' names."""
    posts = post_days_by_platform(start, end)
    campaigns = list(Campaign.objects.filter(start__lte=end, end__gte=start).order_by("start"))
    order = [p.value for p in PostPlatform]
    return [
        WebsiteDay(
            day=d.day,
            visits=d.visits,
            page_views=d.page_views,
            imported=d.imported,
            platforms=[p for p in order if d.day in posts.get(p, ())],
            campaigns=[c.name for c in campaigns if c.start <= d.day <= c.end],
        )
        for d in visits.website_daily(start=start, end=end)
    ]


def campaigns_between(start: dt.date, end: dt.date) -> list[Campaign]:
    return list(Campaign.objects.filter(start__lte=end, end__gte=start).order_by("start", "id"))
