"""Reading first-time inquiries: the list with filters and seek paging, one record, its history."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from hjelpelinje.core.timeutil import OSLO, oslo_midnight, year_bounds
from hjelpelinje.inquiries.models import CODE_FIELDS, Inquiry, InquiryVersion
from hjelpelinje.taxonomy.models import Code

PAGE_SIZE = 50
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class InquiryFilters:
    year: int | None = None
    month: int | None = None
    channel: Code | None = None
    theme: Code | None = None
    follow_up: bool | None = None
    relevant: bool | None = None


@dataclass(frozen=True)
class Cursor:
    """A position in the list, newest first: (occurred_at, id) of a row."""

    occurred_at: dt.datetime
    pk: int

    def encode(self) -> str:
        # Whole microseconds, not a float timestamp, so the cursor never drifts a row.
        micros = (self.occurred_at - _EPOCH) // dt.timedelta(microseconds=1)
        return f"{micros}_{self.pk}"

    @classmethod
    def decode(cls, text: str | None) -> Cursor | None:
        if not text:
            return None
        try:
            micros, pk = (int(part) for part in text.split("_", 1))
        except ValueError:
            return None
        try:
            when = _EPOCH + dt.timedelta(microseconds=micros)
        except OverflowError:
            return None
        return cls(occurred_at=when, pk=pk)


@dataclass
class InquiryPage:
    rows: list[Inquiry]
    next_cursor: str | None
    prev_cursor: str | None


def _filtered(filters: InquiryFilters) -> QuerySet[Inquiry]:
    qs = Inquiry.objects.live()
    if filters.year is not None:
        if filters.month is not None:
            start = oslo_midnight(dt.date(filters.year, filters.month, 1))
            nxt = dt.date(filters.year + filters.month // 12, filters.month % 12 + 1, 1)
            end = oslo_midnight(nxt)
        else:
            start, end = year_bounds(filters.year)
        qs = qs.filter(occurred_at__gte=start, occurred_at__lt=end)
    if filters.channel is not None:
        qs = qs.filter(channel=filters.channel)
    if filters.theme is not None:
        qs = qs.filter(themes=filters.theme)
    if filters.follow_up is not None:
        qs = qs.filter(follow_up=filters.follow_up)
    if filters.relevant is not None:
        qs = qs.filter(relevant=filters.relevant)
    return qs


def inquiry_page(
    *, filters: InquiryFilters, after: Cursor | None = None, before: Cursor | None = None
) -> InquiryPage:
    """One page, newest first, by seeking on (occurred_at, id).

    Seeking instead of OFFSET and no COUNT(*) keep every page as cheap as the first one
    at a million rows: the database walks the (occurred_at, id) index from the cursor.
    `after` gives the older rows following a cursor, `before` the newer rows preceding it.
    """
    # The summary is never shown in the list, so it is never read (nor decrypted) for it.
    qs = (
        _filtered(filters)
        .defer("summary", "deletion_reason")
        .select_related("channel", "age_group", "gender", "region", "caller")
    )
    if before is not None:
        # The plain range condition lets the database start its index scan at the
        # cursor; the OR alone would make it walk from the end and filter.
        qs = (
            qs.filter(occurred_at__gte=before.occurred_at)
            .filter(
                Q(occurred_at__gt=before.occurred_at)
                | Q(occurred_at=before.occurred_at, pk__gt=before.pk)
            )
            .order_by("occurred_at", "id")
        )
        rows = list(qs[: PAGE_SIZE + 1])
        more_newer = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE][::-1]
        more_older = True
    else:
        if after is not None:
            qs = qs.filter(occurred_at__lte=after.occurred_at).filter(
                Q(occurred_at__lt=after.occurred_at)
                | Q(occurred_at=after.occurred_at, pk__lt=after.pk)
            )
        rows = list(qs.order_by("-occurred_at", "-id")[: PAGE_SIZE + 1])
        more_older = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE]
        more_newer = after is not None
    _attach_themes(rows)
    first, last = (rows[0], rows[-1]) if rows else (None, None)
    return InquiryPage(
        rows=rows,
        next_cursor=Cursor(last.occurred_at, last.pk).encode() if last and more_older else None,
        prev_cursor=Cursor(first.occurred_at, first.pk).encode() if first and more_newer else None,
    )


def _attach_themes(rows: list[Inquiry]) -> None:
    """One query for the themes of a whole page, instead of one per row."""
    through = Inquiry.themes.through
    by_inquiry: dict[int, list[Code]] = {row.pk: [] for row in rows}
    links = through.objects.filter(inquiry_id__in=by_inquiry).select_related("code")
    for link in links.order_by("code__position"):
        by_inquiry[link.inquiry_id].append(link.code)
    for row in rows:
        row.theme_list = by_inquiry[row.pk]  # type: ignore[attr-defined]


def inquiry_get(*, pk: int) -> Inquiry:
    try:
        return (
            Inquiry.objects.live()
            .select_related("channel", "age_group", "gender", "region", "caller", "created_by")
            .prefetch_related("themes", "referred_to", "duty_to_avert_agencies")
            .get(pk=pk)
        )
    except Inquiry.DoesNotExist:
        raise Http404 from None


@dataclass
class VersionView:
    number: int
    changed_at: dt.datetime
    changed_by: str
    changed_fields: list[str]
    earlier: list[tuple[str, str]]


def inquiry_history(*, inquiry: Inquiry) -> list[VersionView]:
    """Earlier versions, newest first, with the earlier values of the fields that changed."""
    from hjelpelinje.inquiries.services import TRACKED_FIELDS

    labels = {c.pk: c for c in Code.objects.all()}
    by_code = {(c.list, c.code): c for c in labels.values()}
    lists = CODE_FIELDS
    views: list[VersionView] = []
    versions = InquiryVersion.objects.filter(inquiry=inquiry).select_related("changed_by")
    for version in versions.order_by("-number"):
        state: dict[str, Any] = json.loads(version.snapshot)
        earlier = []
        for name in TRACKED_FIELDS:
            if name in version.changed_fields:
                earlier.append(
                    (
                        str(getattr(Inquiry._meta.get_field(name), "verbose_name", name)),
                        _show(name, state.get(name), lists, by_code),
                    )
                )
        views.append(
            VersionView(
                number=version.number,
                changed_at=version.changed_at,
                changed_by=version.changed_by.display_name if version.changed_by else "",
                changed_fields=list(version.changed_fields),
                earlier=earlier,
            )
        )
    return views


def _show(
    name: str, value: Any, lists: dict[str, str], by_code: dict[tuple[str, str], Code]
) -> str:
    from django.utils.translation import gettext as _

    def label(code: str) -> str:
        found = by_code.get((lists[name], code))
        return found.display_label if found else code

    if name in lists:
        if isinstance(value, list):
            return ", ".join(label(code) for code in value) or "–"
        return label(str(value))
    if isinstance(value, bool):
        return _("ja") if value else _("nei")
    if name in ("occurred_at", "duty_to_avert_at"):
        if not value:
            return "–"
        return dt.datetime.fromisoformat(value).astimezone(OSLO).strftime("%d.%m.%Y %H:%M")
    return str(value) if value else "–"


def inquiry_latest_year(*, up_to: int) -> int | None:
    """The latest year, no later than `up_to`, that has any inquiry (one index probe)."""
    _start, end = year_bounds(up_to)
    latest = (
        Inquiry.objects.live()
        .filter(occurred_at__lt=end)
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )
    return latest.astimezone(OSLO).year if latest else None
