from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hjelpelinje.accounts.models import User
from hjelpelinje.accounts.permissions import require
from hjelpelinje.core.timeutil import local_now
from hjelpelinje.hours.forms import ExceptionForm, WeekForm
from hjelpelinje.hours.models import Channel, HoursException, WeeklyHours
from hjelpelinje.hours.selectors import (
    Calendar,
    holiday_name,
    hours_exceptions_upcoming,
    hours_status,
)
from hjelpelinje.hours.services import (
    hours_exception_create,
    hours_exception_delete,
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
