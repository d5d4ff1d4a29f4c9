"""Writing first-time inquiries: create, edit (keeping every earlier version), delete."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from hjelpelinje.accounts.models import User
from hjelpelinje.audit.services import audit_record
from hjelpelinje.inquiries.countries import UnknownCountry, normalise_country
from hjelpelinje.inquiries.models import Inquiry, InquiryVersion
from hjelpelinje.taxonomy.models import Code

# The fields a person edits, in the order the form and the history show them.
TRACKED_FIELDS = (
    "occurred_at",
    "channel",
    "relevant",
    "age_group",
    "gender",
    "region",
    "country_background",
    "caller",
    "themes",
    "follow_up",
    "referred_to",
    "duty_to_avert",
    "duty_to_avert_agencies",
    "duty_to_avert_at",
    "summary",
)
_SINGLE_CODES = ("channel", "age_group", "gender", "region", "caller")
_MANY_CODES = ("themes", "referred_to", "duty_to_avert_agencies")


@dataclass
class InquiryData:
    """What a counsellor records about one inquiry."""

    occurred_at: dt.datetime
    channel: Code
    age_group: Code
    gender: Code
    region: Code
    caller: Code
    relevant: bool = True
    country_background: str = ""
    themes: list[Code] = field(default_factory=list)
    follow_up: bool = False
    referred_to: list[Code] = field(default_factory=list)
    duty_to_avert: bool = False
    duty_to_avert_agencies: list[Code] = field(default_factory=list)
    duty_to_avert_at: dt.datetime | None = None
    summary: str = ""


def _validate(data: InquiryData) -> None:
    """Rules that span fields; model.full_clean covers the rest."""
    errors: dict[str, list[str]] = {}
    if data.duty_to_avert:
        if not data.duty_to_avert_agencies:
            errors.setdefault("duty_to_avert_agencies", []).append(
                _("Kryss av hvilke instanser som ble varslet.")
            )
        if data.duty_to_avert_at is None:
            errors.setdefault("duty_to_avert_at", []).append(_("Skriv når de ble varslet."))
    elif data.duty_to_avert_agencies or data.duty_to_avert_at:
        errors.setdefault("duty_to_avert", []).append(
            _("Du har fylt ut varsling: kryss av for at avvergeplikten ble utløst.")
        )
    latest = timezone.now() + dt.timedelta(minutes=10)
    if data.occurred_at > latest:
        errors.setdefault("occurred_at", []).append(_("Tidspunktet kan ikke være fram i tid."))
    for name, wanted in (
        ("channel", "channel"),
        ("age_group", "age_group"),
        ("gender", "gender"),
        ("region", "region"),
        ("caller", "caller"),
    ):
        if getattr(data, name).list != wanted:
            errors.setdefault(name, []).append(_("Feil kodeliste."))
    for name, wanted in (
        ("themes", "theme"),
        ("referred_to", "agency"),
        ("duty_to_avert_agencies", "agency"),
    ):
        if any(code.list != wanted for code in getattr(data, name)):
            errors.setdefault(name, []).append(_("Feil kodeliste."))
    if errors:
        raise ValidationError(errors)


def _apply(inquiry: Inquiry, data: InquiryData) -> None:
    try:
        country = normalise_country(data.country_background)
    except UnknownCountry as exc:
        raise ValidationError(
            {
                "country_background": _("«%(text)s» er ikke et land vi kjenner igjen.")
                % {"text": exc}
            }
        ) from None
    inquiry.occurred_at = data.occurred_at
    inquiry.channel = data.channel
    inquiry.relevant = data.relevant
    inquiry.age_group = data.age_group
    inquiry.gender = data.gender
    inquiry.region = data.region
    inquiry.caller = data.caller
    inquiry.country_background = country
    inquiry.follow_up = data.follow_up
    inquiry.duty_to_avert = data.duty_to_avert
    inquiry.duty_to_avert_at = data.duty_to_avert_at if data.duty_to_avert else None
    inquiry.summary = data.summary.strip()


def _set_many(inquiry: Inquiry, data: InquiryData) -> None:
    inquiry.themes.set(data.themes)
    inquiry.referred_to.set(data.referred_to)
    inquiry.duty_to_avert_agencies.set(data.duty_to_avert_agencies if data.duty_to_avert else [])


def _instant(when: dt.datetime | None) -> str | None:
    # In UTC, so the same instant read back from the database compares equal.
    return when.astimezone(dt.UTC).isoformat() if when else None


def snapshot(inquiry: Inquiry) -> dict[str, Any]:
    """The tracked state as plain JSON: codes, not labels, so renames don't rewrite history."""
    state: dict[str, Any] = {
        "occurred_at": _instant(inquiry.occurred_at),
        "relevant": inquiry.relevant,
        "country_background": inquiry.country_background,
        "follow_up": inquiry.follow_up,
        "duty_to_avert": inquiry.duty_to_avert,
        "duty_to_avert_at": _instant(inquiry.duty_to_avert_at),
        "summary": inquiry.summary,
    }
    for name in _SINGLE_CODES:
        state[name] = getattr(inquiry, name).code
    for name in _MANY_CODES:
        state[name] = sorted(code.code for code in getattr(inquiry, name).all())
    return state


@transaction.atomic
def inquiry_create(*, actor: User | None, data: InquiryData) -> Inquiry:
    _validate(data)
    inquiry = Inquiry(created_by=actor)
    _apply(inquiry, data)
    inquiry.full_clean()
    inquiry.save()
    _set_many(inquiry, data)
    audit_record(actor=actor, action="inquiry.create", target_type="inquiry", target_id=inquiry.pk)
    return inquiry


@transaction.atomic
def inquiry_update(*, inquiry: Inquiry, actor: User | None, data: InquiryData) -> list[str]:
    """Save the new state and keep the old one; return the names of the changed fields."""
    # Lock the row so two counsellors saving at once get two versions, not one lost.
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk, deleted_at__isnull=True)
    before = snapshot(inquiry)
    _validate(data)
    _apply(inquiry, data)
    inquiry.full_clean()
    inquiry.save()
    _set_many(inquiry, data)
    after = snapshot(inquiry)
    changed = [name for name in TRACKED_FIELDS if before[name] != after[name]]
    if not changed:
        return []
    number = (inquiry.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = InquiryVersion(
        inquiry=inquiry,
        number=number,
        changed_by=actor,
        changed_fields=changed,
        snapshot=json.dumps(before, ensure_ascii=False),
    )
    version.full_clean()
    version.save()
    audit_record(
        actor=actor,
        action="inquiry.update",
        target_type="inquiry",
        target_id=inquiry.pk,
        fields=changed,
    )
    return changed


@transaction.atomic
def inquiry_delete(*, inquiry: Inquiry, actor: User, reason: str) -> None:
    """Soft delete: gone from lists and statistics, kept for the audit trail."""
    if not actor.can("inquiries.delete"):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Skriv hvorfor henvendelsen slettes.")})
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk, deleted_at__isnull=True)
    inquiry.deleted_at = timezone.now()
    inquiry.deleted_by = actor
    inquiry.deletion_reason = reason
    inquiry.full_clean()
    inquiry.save(update_fields=["deleted_at", "deleted_by", "deletion_reason", "updated_at"])
    # The reason is free text and may name someone, so it stays on the record only.
    audit_record(
        actor=actor,
        action="inquiry.delete",
        target_type="inquiry",
        target_id=inquiry.pk,
        fields=["deletion_reason"],
    )
