from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hjelpelinje.accounts.models import User
from hjelpelinje.accounts.permissions import require
from hjelpelinje.core.timeutil import OSLO, local_now
from hjelpelinje.hours.forms import ExceptionForm, OpenNowForm, WeekForm
from hjelpelinje.hours.models import Channel, HoursException, HoursOverride, WeeklyHours
from hjelpelinje.hours.selectors import (
    Calendar,
    holiday_name,
    hours_exceptions_upcoming,
    hours_overrides_current,
    hours_status,
)
from hjelpelinje.hours.services import (
    hours_close_now,
    hours_exception_create,
    hours_exception_delete,
    hours_open_now,
    hours_override_delete,
    hours_week_set,
)

PREVIEW_DAYS = 14


def _week(channel: str) -> dict[int, tuple[dt.time, dt.time]]:
    return {s.weekday: (s.opens, s.closes) for s in WeeklyHours.objects.filter(channel=channel)}


@require("hours.edit")
def index(request: HttpRequest) -> HttpResponse:
    now = local_now()
    today = now.date()
    channels = []
    for channel in Channel:
        calendar = Calendar(channel.value, today, today + dt.timedelta(days=PREVIEW_DAYS))
        preview = []
        for offset in range(PREVIEW_DAYS):
            day = today + dt.timedelta(days=offset)
            preview.append(
                {"day": day, "intervals": calendar.intervals(day), "holiday": holiday_name(day)}
            )
        channels.append(
            {
                "channel": channel,
                "status": hours_status(channel=channel.value, at=now),
                "form": WeekForm(initial_week=_week(channel.value), prefix=channel.value),
                "exceptions": hours_exceptions_upcoming(channel=channel.value, today=today),
                "overrides": hours_overrides_current(channel=channel.value, at=now),
                "preview": preview,
            }
        )
    return render(
        request,
        "hours/index.html",
        {"channels": channels, "exception_form": ExceptionForm(prefix="exc")},
    )


@require("hours.edit")
@require_POST
def week_edit(request: HttpRequest, channel: str) -> HttpResponse:
    if channel not in Channel.values:
        return redirect("hours:index")
    form = WeekForm(request.POST, initial_week=_week(channel), prefix=channel)
    if form.is_valid():
        assert isinstance(request.user, User)
        hours_week_set(actor=request.user, channel=channel, week=form.week())
        messages.success(request, _("Ordinære åpningstider er lagret."))
        return redirect("hours:index")
    return render(request, "hours/week_form.html", {"form": form, "channel": Channel(channel)})


@require("hours.edit")
def exception_create(request: HttpRequest) -> HttpResponse:
    form = ExceptionForm(request.POST or None, prefix="exc")
    if request.method == "POST" and form.is_valid():
        assert isinstance(request.user, User)
        hours_exception_create(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Avviket er lagret."))
        return redirect("hours:index")
    return render(request, "hours/exception_form.html", {"form": form})


@require("hours.edit")
@require_POST
def exception_delete(request: HttpRequest, pk: int) -> HttpResponse:
    exception = get_object_or_404(HoursException, pk=pk)
    assert isinstance(request.user, User)
    hours_exception_delete(actor=request.user, exception=exception)
    messages.success(request, _("Avviket er slettet."))
    return redirect("hours:index")


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the page the control sits on: the chat console or the hours page.

    A fixed choice rather than a URL, so the form cannot be made to send anyone elsewhere.
    """
    return redirect("chat:console" if request.POST.get("back") == "console" else "hours:index")


def _when(moment: dt.datetime) -> str:
    local = moment.astimezone(OSLO)
    return _("%(day)s kl. %(time)s") % {
        "day": formats.date_format(local, "l d.m.Y"),
        "time": local.strftime("%H:%M"),
    }


def _tell_status(request: HttpRequest) -> None:
    """Say what the chat does now, after the change, so the manager sees its effect."""
    status = hours_status(channel=Channel.CHAT, at=local_now())
    if status.is_open and status.closes_at:
        messages.success(
            request, _("Chatten er åpen nå, til %(when)s.") % {"when": _when(status.closes_at)}
        )
    elif status.next_open:
        messages.success(
            request,
            _("Chatten er stengt nå. Den åpner %(when)s.") % {"when": _when(status.next_open)},
        )
    else:
        messages.success(request, _("Chatten er stengt nå."))


@require("hours.edit")
@require_POST
def open_now(request: HttpRequest) -> HttpResponse:
    form = OpenNowForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Velg klokkeslettet chatten skal være åpen til."))
        return _back(request)
    assert isinstance(request.user, User)
    hours_open_now(
        actor=request.user,
        channel=Channel.CHAT,
        until=form.cleaned_data["until"],
        now=local_now(),
    )
    _tell_status(request)
    return _back(request)


@require("hours.edit")
@require_POST
def close_now(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    hours_close_now(actor=request.user, channel=Channel.CHAT, now=local_now())
    _tell_status(request)
    return _back(request)


@require("hours.edit")
@require_POST
def override_delete(request: HttpRequest, pk: int) -> HttpResponse:
    override = get_object_or_404(HoursOverride, pk=pk)
    assert isinstance(request.user, User)
    hours_override_delete(actor=request.user, override=override)
    _tell_status(request)
    return redirect("hours:index")
