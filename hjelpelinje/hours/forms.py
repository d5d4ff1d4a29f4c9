from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hjelpelinje.core.bounds import bound_dates
from hjelpelinje.hours.models import Channel, ExceptionKind, HoursException, Weekday

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class WeekForm(forms.Form):
    """Seven rows: each weekday open from-to, or closed (both empty)."""

    def __init__(self, *args: Any, initial_week: dict[int, tuple[Any, Any]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        for day in Weekday:
            span = initial_week.get(day.value)
            self.fields[f"opens_{day.value}"] = forms.TimeField(
                label=_("%(day)s åpner") % {"day": day.label},
                required=False,
                widget=TIME_WIDGET,
                initial=span[0] if span else None,
            )
            self.fields[f"closes_{day.value}"] = forms.TimeField(
                label=_("%(day)s stenger") % {"day": day.label},
                required=False,
                widget=TIME_WIDGET,
                initial=span[1] if span else None,
            )

    def rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [
            (str(d.label), self[f"opens_{d.value}"], self[f"closes_{d.value}"]) for d in Weekday
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for day in Weekday:
            opens, closes = data.get(f"opens_{day.value}"), data.get(f"closes_{day.value}")
            if (opens is None) != (closes is None):
                self.add_error(
                    f"closes_{day.value}",
                    _("Fyll inn både åpner og stenger, eller la begge stå tomme for stengt."),
                )
            elif opens is not None and closes is not None and opens >= closes:
                self.add_error(f"closes_{day.value}", _("Stengetid må være etter åpningstid."))
        return data

    def week(self) -> dict[int, tuple[Any, Any] | None]:
        result: dict[int, tuple[Any, Any] | None] = {}
        for day in Weekday:
            opens = self.cleaned_data.get(f"opens_{day.value}")
            closes = self.cleaned_data.get(f"closes_{day.value}")
            result[day.value] = (opens, closes) if opens and closes else None
        return result


class ExceptionForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = HoursException
        fields = [
            "channel",
            "start_date",
            "end_date",
            "kind",
            "opens",
            "closes",
            "weekdays_only",
            "note",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "opens": TIME_WIDGET,
            "closes": TIME_WIDGET,
            "kind": forms.RadioSelect,
        }
        help_texts = {
            "closes": _(
                "Stenger den før eller samme tid som den åpner, stenger den neste dag: "
                "20:00–02:00 er til kl. 02 natten etter."
            ),
            "weekdays_only": _("Kryss av for at lørdag og søndag skal følge vanlige tider."),
            "note": _("For eksempel kampanjens navn. Ikke skriv personopplysninger."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # No empty choice: a manager always means one channel and one kind.
        for name, choices in (("channel", Channel.choices), ("kind", ExceptionKind.choices)):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices
        self.fields["kind"].initial = ExceptionKind.OPEN
        # Exceptions are planned ahead: up to the planning horizon, never before the first year.
        bound_dates(self, planned=("start_date", "end_date"))
        self.fields["whole_day"] = forms.BooleanField(
            label=_("Hele døgnet"),
            required=False,
            help_text=_("Åpent fra midnatt til midnatt; tidene over trengs ikke."),
        )
        self.order_fields([*self.Meta.fields[:6], "whole_day"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # A whole day is stored as 00:00-00:00, which the calendar reads as midnight to
        # midnight; the model checks the rest once the form has filled the times in.
        if data.pop("whole_day", False) and data.get("kind") == ExceptionKind.OPEN:
            data["opens"] = data["closes"] = dt.time(0)
        return data


class OpenNowForm(forms.Form):
    """ "Open the chat now until HH:MM": today, or past midnight if that time has passed."""

    until = forms.TimeField(label=_("til kl."), widget=TIME_WIDGET)
