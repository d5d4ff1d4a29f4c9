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
    SocialAccount,
    SocialSnapshot,
    Talk,
)

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
    """Managers change everything; counsellors add talks and media and fix their own."""
    if user.can("outreach.manage"):
        return True
    if isinstance(record, Talk | MediaAppearance) and user.can("outreach.add"):
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
