"""Reading follow-up users, and the object-level rules of who may see and do what.

The role part comes from `accounts.permissions`; whether a counsellor is responsible for a
user, or has broken the glass for one, is decided here. Functions that refuse raise
`PermissionDenied`, which the views turn into a 403.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from hjelpelinje.accounts.models import User
from hjelpelinje.audit.models import AuditEntry
from hjelpelinje.audit.selectors import audit_entries_for
from hjelpelinje.core import timeutil
from hjelpelinje.followup.models import (
    Activity,
    FollowUpUser,
    GlassBreak,
    MailItem,
    UserInquiry,
    UserVersion,
)

TARGET_TYPE = "followup_user"


def user_list(*, reference_query: str = "") -> QuerySet[FollowUpUser]:
    """Users for the list page. Search matches the reference code only, never a name."""
    qs = FollowUpUser.objects.select_related("consent", "age_group", "region").annotate(
        activity_count=Count("activities", distinct=True)
    )
    query = reference_query.strip()
    if query:
        qs = qs.filter(reference__icontains=query)
    return qs.order_by("withdrawn_at", "reference")


def user_get(*, pk: int) -> FollowUpUser:
    try:
        return (
            FollowUpUser.objects.select_related(
                "consent", "age_group", "gender", "region", "first_inquiry"
            )
            .prefetch_related("responsible")
            .get(pk=pk)
        )
    except FollowUpUser.DoesNotExist:
        raise Http404 from None


def is_responsible(staff: User, user: FollowUpUser) -> bool:
    return user.responsible.filter(pk=staff.pk).exists()


def is_manager(staff: User) -> bool:
    return staff.can("followup.see_all_shielded")


def active_glass_break(staff: User, user: FollowUpUser) -> GlassBreak | None:
    return (
        GlassBreak.objects.filter(user=user, staff=staff, expires_at__gt=timeutil.now())
        .order_by("-expires_at")
        .first()
    )


def can_see_shielded(staff: User, user: FollowUpUser) -> bool:
    """Responsible counsellors and managers see the address; others only after breaking glass."""
    if is_manager(staff) or is_responsible(staff, user):
        return True
    return active_glass_break(staff, user) is not None


def can_manage(staff: User, user: FollowUpUser) -> bool:
    """Edit personal data, the address, and withdraw consent: responsible or manager."""
    return staff.can("followup.edit") and (is_manager(staff) or is_responsible(staff, user))


def require_manage(staff: User, user: FollowUpUser) -> None:
    if not can_manage(staff, user):
        raise PermissionDenied


@dataclass(frozen=True)
class TimelineItem:
    day: dt.date
    kind: str  # "activity", "inquiry" or "mail"
    obj: Any


def user_timeline(user: FollowUpUser) -> list[TimelineItem]:
    """Activities, inquiries and mail of one user, newest first."""
    items: list[TimelineItem] = []
    activities = (
        Activity.objects.filter(user=user)
        .select_related("category", "agency", "done_by")
        .exclude(category__code="mail")
    )
    items += [TimelineItem(a.done_on, "activity", a) for a in activities]
    inquiries = UserInquiry.objects.filter(user=user).select_related("channel")
    items += [TimelineItem(i.occurred_on, "inquiry", i) for i in inquiries]
    mail = MailItem.objects.filter(user=user).select_related("activity__done_by")
    items += [TimelineItem(m.received_on, "mail", m) for m in mail]
    # Stable: newest day first, and within a day the most recently recorded first.
    items.sort(key=lambda item: (item.day, item.obj.pk), reverse=True)
    return items


def user_access_log(user: FollowUpUser, *, limit: int = 50) -> QuerySet[AuditEntry]:
    """Who has seen or changed this user, newest first (the audit entries that name it)."""
    return audit_entries_for(TARGET_TYPE, user.pk)[:limit]


@dataclass(frozen=True)
class AccessLine:
    """One line of "who has seen this user", the member of staff named as the page names staff."""

    at: dt.datetime
    actor_name: str
    action: str
    flagged: bool


def user_access_lines(user: FollowUpUser, *, limit: int = 50) -> list[AccessLine]:
    """The access log with full names: the log keeps only the username it had then, and an
    account deleted since keeps that username here."""
    entries = list(user_access_log(user, limit=limit))
    ids = {e.actor_id for e in entries if e.actor_id is not None}
    names = {u.pk: u.display_name for u in User.objects.filter(pk__in=ids)}
    return [
        AccessLine(
            at=e.at,
            actor_name=names.get(e.actor_id, e.actor_label) if e.actor_id else e.actor_label,
            action=e.action,
            flagged=e.flagged,
        )
        for e in entries
    ]


def flagged_accesses(*, limit: int = 50) -> QuerySet[AuditEntry]:
    """Break-the-glass accesses, for the managers' panel."""
    return AuditEntry.objects.filter(target_type=TARGET_TYPE, flagged=True).order_by("-id")[:limit]


def user_versions(user: FollowUpUser) -> QuerySet[UserVersion]:
    return UserVersion.objects.filter(user=user).select_related("by")


VERSION_ACTIONS = {
    "create": _("opprettet"),
    "change": _("endret"),
    "withdraw": _("samtykke trukket"),
}


def field_label(name: str) -> str:
    """The Norwegian label of a user field, for the history list."""
    try:
        field = FollowUpUser._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))


def _label(code: Any) -> str | None:
    return None if code is None else code.code


def _date(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def user_export(user: FollowUpUser) -> dict[str, Any]:
    """Everything stored about a user, for a request under GDPR article 15."""
    consent = getattr(user, "consent", None)
    data: dict[str, Any] = {
        "reference": user.reference,
        "name": user.name,
        "phone": user.phone,
        "email": user.email,
        "birth_year": user.birth_year,
        "age_group": _label(user.age_group),
        "gender": _label(user.gender),
        "region": _label(user.region),
        "source": user.source,
        "first_inquiry_id": user.first_inquiry_id,
        "responsible": [s.display_name for s in user.responsible.all()],
        "notes": user.notes,
        "protected_address": {
            "has_protected_address": user.has_protected_address,
            "code": user.protected_code,
            "address": user.address,
        },
        "created_at": user.created_at.isoformat(),
        "withdrawn_at": user.withdrawn_at.isoformat() if user.withdrawn_at else None,
        "consent": None,
        "activities": [],
        "inquiries": [],
        "mail": [],
        "history": [],
        "access_log": [],
    }
    if consent is not None:
        data["consent"] = {
            "given_on": _date(consent.given_on),
            "method": consent.method,
            "covers_storage": consent.covers_storage,
            "covers_follow_up": consent.covers_follow_up,
            "note": consent.note,
            "recorded_by": consent.recorded_by.display_name if consent.recorded_by else None,
            "withdrawn_on": _date(consent.withdrawn_on),
        }
    for a in Activity.objects.filter(user=user).select_related("category", "agency", "done_by"):
        data["activities"].append(
            {
                "date": _date(a.done_on),
                "category": a.category.code,
                "category_label": a.category.label,
                "agency": _label(a.agency),
                "note": a.note,
                "done_by": a.done_by.display_name if a.done_by else None,
            }
        )
    for i in UserInquiry.objects.filter(user=user).select_related("channel"):
        data["inquiries"].append({"date": _date(i.occurred_on), "channel": _label(i.channel)})
    for m in MailItem.objects.filter(user=user):
        data["mail"].append(
            {
                "received_on": _date(m.received_on),
                "sender_type": m.sender_type,
                "outcome": m.outcome,
                "outcome_on": _date(m.outcome_on),
                "note": m.note,
            }
        )
    for v in user_versions(user):
        snapshot = json.loads(v.snapshot) if v.snapshot else {}
        data["history"].append(
            {
                "at": v.at.isoformat(),
                "by": v.by.display_name if v.by else None,
                "action": v.action,
                "fields": v.fields,
                "values": snapshot,
            }
        )
    for e in user_access_log(user, limit=10_000):
        data["access_log"].append(
            {
                "at": e.at.isoformat(),
                "by": e.actor_label,
                "action": e.action,
                "fields": e.fields,
            }
        )
    return data
