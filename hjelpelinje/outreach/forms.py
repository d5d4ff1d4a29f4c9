from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from hjelpelinje.core.bounds import DateBounds, ModelMultipleIdField, bound_dates
from hjelpelinje.core.timeutil import local_now
from hjelpelinje.hours.models import ExceptionKind, HoursException
from hjelpelinje.outreach.models import (
    Campaign,
    CampaignPlatform,
    MediaAppearance,
    Network,
    SocialAccount,
    SocialPost,
    SocialSnapshot,
    Talk,
)
from hjelpelinje.taxonomy.selectors import codes


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        # The browser's date picker sends ISO dates whatever the page's language.
        super().__init__(attrs, format="%Y-%m-%d")


DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


def _formfield(db_field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    # Links typed without a scheme are web addresses today: https, not http.
    if isinstance(db_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    # A forged id too large for the database is a form error, not a failed query.
    if isinstance(db_field, models.ManyToManyField):
        kwargs["form_class"] = ModelMultipleIdField
    return db_field.formfield(**kwargs)


class _OutreachForm(forms.ModelForm):  # type: ignore[type-arg]
    """Date fields accept both 2023-04-27 and 27.04.2023, as everywhere in Hjelpelinje,
    and lie between the first year and today, or the planning horizon for the fields in
    `planned` (what is arranged ahead: a campaign, a talk, an appearance, an end date)."""

    planned: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            if isinstance(f, forms.DateField):
                f.input_formats = DATE_FORMATS
                f.widget = DateInput()
        bound_dates(self, planned=self.planned)


class CampaignForm(_OutreachForm):
    planned = ("start", "end")

    class Meta:
        model = Campaign
        fields = [
            "name",
            "start",
            "end",
            "excludes_weekends",
            "excludes_holidays",
            "funder",
            "partner",
            "utm_tag",
            "description",
            "hours_exceptions",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "hours_exceptions": forms.CheckboxSelectMultiple,
        }
        formfield_callback = _formfield

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["hours_exceptions"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = HoursException.objects.filter(kind=ExceptionKind.OPEN).order_by(
            "-start_date", "channel"
        )
        field.label_from_instance = exception_label  # type: ignore[method-assign,assignment]
        if field.queryset.exists():
            field.help_text = _(
                "Avvik fra åpningstiden legges inn under Åpningstider; her kobles de til kampanjen."
            )
        else:
            field.help_text = _(
                "Ingen utvidede åpningstider er registrert ennå. Legg dem inn under "
                "Åpningstider, og koble dem til kampanjen her etterpå."
            )


def exception_label(exc: HoursException) -> str:
    times = f" {exc.opens:%H:%M}–{exc.closes:%H:%M}" if exc.opens and exc.closes else ""
    note = f" ({exc.note})" if exc.note else ""
    return (
        f"{exc.get_channel_display()} {exc.start_date:%d.%m.%Y}–{exc.end_date:%d.%m.%Y}"
        f"{times}{note}"
    )


class CampaignPlatformForm(_OutreachForm):
    class Meta:
        model = CampaignPlatform
        fields = [
            "platform",
            "target_age_groups",
            "target_ages",
            "percent_women",
            "percent_men",
            "percent_other",
            "impressions",
            "clicks",
            "unique_browsers",
            "screen_plays",
            "notes",
        ]
        widgets = {
            "target_age_groups": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        formfield_callback = _formfield

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        age_groups = self.fields["target_age_groups"]
        assert isinstance(age_groups, forms.ModelMultipleChoiceField)
        age_groups.queryset = codes("age_group").exclude(code="unknown")
        for name in ("impressions", "clicks", "unique_browsers", "screen_plays"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"
        self.fields["percent_women"].help_text = _(
            "Kjønnsfordelingen må summere til 100 når den er oppgitt."
        )


class TalkForm(_OutreachForm):
    planned = ("date",)

    class Meta:
        model = Talk
        fields = [
            "date",
            "kind",
            "title",
            "audience",
            "organiser",
            "place",
            "participants",
            "description",
            "in_report",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class NetworkForm(_OutreachForm):
    planned = ("until",)

    class Meta:
        model = Network
        fields = ["name", "role", "since", "active", "until", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class MediaForm(_OutreachForm):
    planned = ("date",)

    class Meta:
        model = MediaAppearance
        fields = ["date", "outlet", "kind", "title", "link", "campaign"]
        formfield_callback = _formfield


class SocialAccountForm(_OutreachForm):
    class Meta:
        model = SocialAccount
        fields = ["platform", "handle", "url", "opened", "active"]
        formfield_callback = _formfield


def _posted_by_now(value: Any) -> None:
    """A post has been published: a date after today is refused with the range every date
    field of Hjelpelinje names ("Datoen må være mellom …"), and then told as a typo."""
    try:
        DateBounds()(value)
    except ValidationError as error:
        if isinstance(value, dt.date) and value > local_now().date():
            raise ValidationError(
                [
                    *error.messages,
                    _("Innlegget kan ikke ha en dato fram i tid. Velg dagen det ble lagt ut."),
                ],
                code="future",
            ) from None
        raise


class SocialPostForm(_OutreachForm):
    """The one-line quick add on the outreach page, and the full edit form."""

    class Meta:
        model = SocialPost
        fields = ["platform", "date", "title", "link"]
        formfield_callback = _formfield
        help_texts = {"link": _("Valgfritt. En nettadresse som begynner med https://.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        date = self.fields["date"]
        date.validators = [_posted_by_now]
        if not self.is_bound and self.instance.pk is None:
            date.initial = local_now().date()
        self.fields["link"].error_messages["invalid"] = _(
            "Lenken må være en nettadresse som begynner med http:// eller https://."
        )


class SocialSnapshotForm(_OutreachForm):
    class Meta:
        model = SocialSnapshot
        fields = ["date", "followers", "likes", "top_video_views", "notes"]


class WebsitePeriodForm(forms.Form):
    """The period of the website chart: the last 90 days unless another is chosen."""

    DEFAULT_DAYS = 90
    MAX_DAYS = 731

    start = forms.DateField(label=_("Fra og med"), required=False, input_formats=DATE_FORMATS)
    end = forms.DateField(label=_("Til og med"), required=False, input_formats=DATE_FORMATS)

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        for f in self.fields.values():
            f.widget = DateInput()
        bound_dates(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise ValidationError(
                    _("«Til og med» må være samme dag som eller etter «fra og med».")
                )
            if (end - start).days >= self.MAX_DAYS:
                raise ValidationError(_("Velg en periode på høyst to år."))
        return data

    def period(self) -> tuple[dt.date, dt.date]:
        """The chosen period, or the default when nothing (or nothing valid) was chosen."""
        default_end = self.today
        default_start = default_end - dt.timedelta(days=self.DEFAULT_DAYS - 1)
        if not self.is_bound or not self.is_valid():
            return default_start, default_end
        end = self.cleaned_data.get("end") or default_end
        start = self.cleaned_data.get("start") or end - dt.timedelta(days=self.DEFAULT_DAYS - 1)
        return start, end

    def presets(self) -> list[tuple[str, dt.date, dt.date]]:
        """Ready-made periods offered as links above the chart."""
        year = self.today.year
        return [
            (
                str(_("Siste 90 dager")),
                self.today - dt.timedelta(days=self.DEFAULT_DAYS - 1),
                self.today,
            ),
            (str(_("I år")), dt.date(year, 1, 1), self.today),
            (str(_("I fjor")), dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31)),
        ]
