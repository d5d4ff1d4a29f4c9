"""Changing opening hours. Managers only; every change is written to the audit log."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from hjelpelinje.accounts.models import User
from hjelpelinje.audit.services import audit_record
from hjelpelinje.core.timeutil import OSLO
from hjelpelinje.hours.models import ExceptionKind, HoursException, HoursOverride, WeeklyHours
from hjelpelinje.hours.selectors import hours_status


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


def open_until(*, now: dt.datetime, until: dt.time) -> dt.datetime:
    """The next time the clock in Oslo shows `until` after `now`: today, or else tomorrow."""
    local = now.astimezone(OSLO)
    day = local.date()
    end = dt.datetime.combine(day, until, tzinfo=OSLO)
    if end.astimezone(dt.UTC) <= now.astimezone(dt.UTC):
        end = dt.datetime.combine(day + dt.timedelta(days=1), until, tzinfo=OSLO)
    return end


@transaction.atomic
def hours_open_now(*, actor: User, channel: str, until: dt.time, now: dt.datetime) -> HoursOverride:
    """Open the channel from `now` until the clock next shows `until` (past midnight if
    it has to). The rest of the calendar stays as it is: if ordinary hours reach further,
    they still apply."""
    override = HoursOverride(
        channel=channel,
        kind=ExceptionKind.OPEN,
        starts_at=now,
        ends_at=open_until(now=now, until=until),
        created_by=actor,
    )
    override.full_clean()
    override.save()
    audit_record(actor=actor, action="hours.open_now", target_type="hours", target_id=override.pk)
    return override


@transaction.atomic
def hours_close_now(*, actor: User, channel: str, now: dt.datetime) -> HoursOverride | None:
    """Close the channel from `now` until its next opening after the hours running now.

    Returns None, and changes nothing, when the channel is closed already.
    """
    status = hours_status(channel=channel, at=now)
    if not status.is_open or status.closes_at is None:
        return None
    override = HoursOverride(
        channel=channel,
        kind=ExceptionKind.CLOSED,
        starts_at=now,
        ends_at=status.closes_at,
        created_by=actor,
    )
    override.full_clean()
    override.save()
    audit_record(actor=actor, action="hours.close_now", target_type="hours", target_id=override.pk)
    return override


@transaction.atomic
def hours_override_delete(*, actor: User, override: HoursOverride) -> None:
    pk = override.pk
    override.delete()
    audit_record(actor=actor, action="hours.override_delete", target_type="hours", target_id=pk)
