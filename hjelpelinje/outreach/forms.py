from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from hjelpelinje.core.bounds import ModelMultipleIdField, bound_dates
from hjelpelinje.hours.models import ExceptionKind, HoursException
from hjelpelinje.outreach.models import (
    Campaign,
    CampaignPlatform,
    MediaAppearance,
    Network,
    SocialAccount,
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


class SocialSnapshotForm(_OutreachForm):
    class Meta:
        model = SocialSnapshot
        fields = ["date", "followers", "likes", "top_video_views", "notes"]
