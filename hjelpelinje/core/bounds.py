"""The range every date and year in Hjelpelinje must lie in, checked the same way everywhere.

A date the helpline records lies between 1 January of the first year
(`HJELPELINJE_FIRST_YEAR`, 2000 unless set) and today, Oslo time. Things that are planned
ahead (campaigns, talks, media appearances, the end of a network membership, exceptions to
the opening hours) may lie up to `PLANNED_YEARS` years after today. A form, a filter, an
import and a command-line option all use these functions, so year 0001 or 9999 is a clear
error everywhere and never reaches date arithmetic that would overflow.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from hjelpelinje.core.timeutil import OSLO, format_date, local_now

# How far ahead a planned item may be dated.
PLANNED_YEARS = 2
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


def first_year() -> int:
    return int(getattr(settings, "HJELPELINJE_FIRST_YEAR", 2000))


def first_day() -> dt.date:
    return dt.date(first_year(), 1, 1)


def last_day(*, planned: bool = False) -> dt.date:
    """Today in Oslo, or for planned items the same day `PLANNED_YEARS` years on."""
    today = local_now().date()
    if not planned:
        return today
    try:
        return today.replace(year=today.year + PLANNED_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year + PLANNED_YEARS, day=28)


def last_year(*, planned: bool = False) -> int:
    return last_day(planned=planned).year


def date_problem(day: dt.date | dt.datetime, *, planned: bool = False) -> str | None:
    """Why `day` is out of range, in words for the person who typed it, or None."""
    if isinstance(day, dt.datetime):
        # An aware moment is judged by its day in Oslo; a naive one is taken as written.
        if day.tzinfo is not None:
            with contextlib.suppress(OverflowError):
                day = day.astimezone(OSLO)
        day = day.date()
    start, end = first_day(), last_day(planned=planned)
    if start <= day <= end:
        return None
    return _("Datoen må være mellom %(first)s og %(last)s.") % {
        "first": format_date(start),
        "last": format_date(end),
    }


def year_problem(year: int, *, planned: bool = False) -> str | None:
    """Why `year` is out of range (a year picker, `--year`), or None."""
    start, end = first_year(), last_year(planned=planned)
    if start <= year <= end:
        return None
    return _("Året må være mellom %(first)d og %(last)d.") % {"first": start, "last": end}


@deconstructible
class DateBounds:
    """A form or model field validator: the value lies in the range above."""

    code = "date_out_of_range"

    def __init__(self, *, planned: bool = False) -> None:
        self.planned = planned

    def __call__(self, value: Any) -> None:
        if value is None or not isinstance(value, dt.date):
            return
        problem = date_problem(value, planned=self.planned)
        if problem is not None:
            raise ValidationError(problem, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateBounds) and other.planned == self.planned

    def __hash__(self) -> int:
        return hash(("DateBounds", self.planned))


def _date_attrs(planned: bool) -> dict[str, str]:
    # The browser's date picker offers only days in range; the server still checks.
    return {
        "min": first_day().isoformat(),
        "max": last_day(planned=planned).isoformat(),
    }


class BoundedDateField(forms.DateField):
    """A date typed as 2023-04-27 or 27.04.2023, between the first year and today
    (or the planning horizon)."""

    def __init__(self, *, planned: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)
        self.planned = planned
        self.validators.append(DateBounds(planned=planned))

    def get_bound_field(self, form: forms.BaseForm, field_name: str) -> BoundField:
        return _BoundedBoundField(form, self, field_name)


class _BoundedBoundField(BoundField):
    """Gives the date picker its range when the page is drawn, so "today" is today's."""

    def build_widget_attrs(
        self, attrs: dict[str, Any], widget: forms.Widget | None = None
    ) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        if getattr(widget or self.field.widget, "input_type", "") == "date":
            attrs.update(_date_attrs(getattr(self.field, "planned", False)))
        return attrs


def bound_dates(form: forms.BaseForm, *, planned: tuple[str, ...] = ()) -> None:
    """Put the range check on every date and datetime field of a (model) form.

    Fields named in `planned` may lie up to the planning horizon; the others end today.
    """
    for name, field in form.fields.items():
        if not isinstance(field, forms.DateField | forms.DateTimeField):
            continue
        is_planned = name in planned
        if not any(isinstance(v, DateBounds) for v in field.validators):
            field.validators.append(DateBounds(planned=is_planned))
        if isinstance(field, forms.DateField) and getattr(field.widget, "input_type", "") == "date":
            field.widget.attrs.update(_date_attrs(is_planned))


def checked_year(text: str | int | None, *, planned: bool = False) -> int | None:
    """A year from a query parameter or option, or None when it is missing or out of range."""
    if text is None or isinstance(text, bool):
        return None
    if isinstance(text, str):
        text = text.strip()
        if not text.isascii() or not text.isdigit() or len(text) > 4:
            return None
    year = int(text)
    return year if year_problem(year, planned=planned) is None else None


# The widest integer any of the supported databases stores (a signed 64-bit one).
_LARGEST_ID = 2**63 - 1


class ModelMultipleIdField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """A ModelMultipleChoiceField whose ids are checked before they reach the database.

    Django looks the chosen ids up with `pk__in`, and a forged id beyond the database's
    integer (99999999999999999999) fails inside the database driver instead of the form.
    An id that no integer column can hold is simply not a valid choice.
    """

    def clean(self, value: Any) -> Any:
        if self.to_field_name is None and isinstance(value, list | tuple):
            for item in value:
                text = str(item).strip()
                digits = text[1:] if text[:1] in "+-" else text
                if digits.isascii() and digits.isdigit() and abs(int(text)) > _LARGEST_ID:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": text[:40]},
                    )
        return super().clean(value)
