"""Changing opening hours. Managers only; every change is written to the audit log."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from hjelpelinje.accounts.models import User
from hjelpelinje.audit.services import audit_record
from hjelpelinje.hours.models import HoursException, WeeklyHours


@transaction.atomic
def hours_week_set(
    *, actor: User, channel: str, week: dict[int, tuple[dt.time, dt.time] | None]
) -> None:
    """Replace a channel's ordinary week: weekday -> (opens, closes), or None for closed."""
    WeeklyHours.objects.filter(channel=channel).delete()
    for weekday, span in sorted(week.items()):
        if span is None:
            continue
        slot = WeeklyHours(channel=channel, weekday=weekday, opens=span[0], closes=span[1])
        slot.full_clean()
        slot.save()
    audit_record(actor=actor, action="hours.week_set", target_type="hours", target_id=channel)


@transaction.atomic
def hours_exception_create(
    *,
    actor: User,
    channel: str,
    start_date: dt.date,
    end_date: dt.date,
    kind: str,
    opens: dt.time | None = None,
    closes: dt.time | None = None,
    weekdays_only: bool = True,
    note: str = "",
) -> HoursException:
    exception = HoursException(
        channel=channel,
        start_date=start_date,
        end_date=end_date,
        kind=kind,
        opens=opens,
        closes=closes,
        weekdays_only=weekdays_only,
        note=note,
    )
    exception.full_clean()
    exception.save()
    audit_record(
        actor=actor, action="hours.exception_create", target_type="hours", target_id=exception.pk
    )
    return exception


@transaction.atomic
def hours_exception_delete(*, actor: User, exception: HoursException) -> None:
    pk = exception.pk
    exception.delete()
    audit_record(actor=actor, action="hours.exception_delete", target_type="hours", target_id=pk)
