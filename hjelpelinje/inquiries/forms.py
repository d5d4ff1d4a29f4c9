"""Forms for the register: one inquiry, the list filters, deletion and import."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hjelpelinje.core.bounds import DateBounds, ModelMultipleIdField
from hjelpelinje.core.imports import FileImportForm
from hjelpelinje.core.timeutil import OSLO
from hjelpelinje.inquiries.countries import UNKNOWN_COUNTRY_HELP, UnknownCountry, normalise_country
from hjelpelinje.inquiries.models import CODE_FIELDS, Inquiry
from hjelpelinje.inquiries.services import InquiryData
from hjelpelinje.taxonomy.models import Code

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
YES_NO = [("1", _("Ja")), ("0", _("Nei"))]

# Alt + this letter jumps to the field (see static/inquiries/form.js); shown in the legend.
ACCESS_KEYS = {
    "occurred_at": "t",
    "channel": "k",
    "relevant": "r",
    "age_group": "a",
    "gender": "j",
    "region": "l",
    "country_background": "b",
    "caller": "h",
    "themes": "e",
    "follow_up": "o",
    "referred_to": "v",
    "duty_to_avert": "p",
    "duty_to_avert_agencies": "i",
    "duty_to_avert_at": "n",
    "summary": "s",
}


def _yes_no(label: Any, initial: bool) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="1" if initial else "0",
    )


def _when(label: Any, *, required: bool) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%dT%H:%M:%S", "%d.%m.%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        # An inquiry has happened: from the first year to today, never year 0001 or 9999.
        validators=[DateBounds()],
    )


def _offered(list_name: str, keep: list[int]) -> QuerySet[Code]:
    """Active codes, plus any inactive one already on the record so an edit keeps it."""
    return Code.objects.filter(Q(active=True) | Q(pk__in=keep), list=list_name).order_by(
        "position", "id"
    )


class InquiryForm(forms.Form):
    occurred_at = _when(_("Tidspunkt"), required=True)
    channel = forms.ModelChoiceField(
        Code.objects.none(), label=_("Kanal"), widget=forms.RadioSelect, empty_label=None
    )
    relevant = _yes_no(_("Relevant"), True)
    age_group = forms.ModelChoiceField(
        Code.objects.none(), label=_("Alder"), widget=forms.RadioSelect, empty_label=None
    )
    gender = forms.ModelChoiceField(
        Code.objects.none(), label=_("Kjønn"), widget=forms.RadioSelect, empty_label=None
    )
    region = forms.ModelChoiceField(
        Code.objects.none(), label=_("Landsdel"), widget=forms.RadioSelect, empty_label=None
    )
    country_background = forms.CharField(
        label=_("Landbakgrunn"),
        required=False,
        max_length=100,
        help_text=_("Tomt hvis ukjent. Norsk eller engelsk navn, eller ISO-kode."),
        widget=forms.TextInput(attrs={"list": "countries", "autocomplete": "off"}),
    )
    caller = forms.ModelChoiceField(
        Code.objects.none(), label=_("Henvender"), widget=forms.RadioSelect, empty_label=None
    )
    themes = ModelMultipleIdField(
        Code.objects.none(),
        label=_("Tema"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    follow_up = _yes_no(_("Ble oppfølgingssak"), False)
    referred_to = ModelMultipleIdField(
        Code.objects.none(),
        label=_("Henvist til"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    duty_to_avert = _yes_no(_("Avvergeplikt utløst"), False)
    duty_to_avert_agencies = ModelMultipleIdField(
        Code.objects.none(),
        label=_("Varslet"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    duty_to_avert_at = _when(_("Varslet når"), required=False)
    summary = forms.CharField(
        label=_("Kort sammendrag"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "aria-describedby": "summary-warning"}),
        help_text=_("Ikke skriv navn eller andre opplysninger som kan identifisere noen."),
    )

    def __init__(
        self,
        *args: Any,
        instance: Inquiry | None = None,
        default_channel: Code | None = None,
        **kwargs: Any,
    ) -> None:
        self.instance = instance
        if instance is not None:
            kwargs.setdefault("initial", initial_from(instance))
        super().__init__(*args, **kwargs)
        keep: list[int] = []
        if instance is not None:
            keep = [
                instance.channel_id,
                instance.age_group_id,
                instance.gender_id,
                instance.region_id,
                instance.caller_id,
                *(c.pk for c in instance.themes.all()),
                *(c.pk for c in instance.referred_to.all()),
                *(c.pk for c in instance.duty_to_avert_agencies.all()),
            ]
        lists = CODE_FIELDS
        for name, list_name in lists.items():
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = _offered(list_name, keep)
        if instance is None and not self.is_bound:
            self.initial.setdefault(
                "occurred_at", timezone.now().astimezone(OSLO).strftime(DATETIME_FORMAT)
            )
            # The lists' "unknown" entry is the honest default; a counsellor changes it
            # only when the caller said.
            for name in ("age_group", "gender", "region", "caller"):
                unknown = Code.objects.filter(list=name, code="unknown").first()
                if unknown is not None:
                    self.initial.setdefault(name, unknown.pk)
            channel = default_channel or Code.objects.filter(list="channel", active=True).first()
            if channel is not None:
                self.initial.setdefault("channel", channel.pk)
        for name, key in ACCESS_KEYS.items():
            widget = self.fields[name].widget
            if isinstance(widget, forms.TextInput | forms.Textarea | forms.DateTimeInput):
                widget.attrs["accesskey"] = key
        if instance is None:
            # A new inquiry is recorded while the caller is still on the line: the form
            # takes the keyboard at once, at its first field (form.js moves the focus to the
            # first field in error after a failed save).
            self.fields["occurred_at"].widget.attrs["autofocus"] = True

    def clean_country_background(self) -> str:
        text: str = self.cleaned_data["country_background"]
        try:
            return normalise_country(text)
        except UnknownCountry:
            raise forms.ValidationError(
                _("«%(text)s» er ikke et land vi kjenner igjen. %(help)s"),
                params={"text": text.strip(), "help": UNKNOWN_COUNTRY_HELP},
            ) from None

    def data_object(self) -> InquiryData:
        d = self.cleaned_data
        return InquiryData(
            occurred_at=d["occurred_at"],
            channel=d["channel"],
            relevant=d["relevant"],
            age_group=d["age_group"],
            gender=d["gender"],
            region=d["region"],
            caller=d["caller"],
            country_background=d["country_background"],
            themes=list(d["themes"]),
            follow_up=d["follow_up"],
            referred_to=list(d["referred_to"]),
            duty_to_avert=d["duty_to_avert"],
            duty_to_avert_agencies=list(d["duty_to_avert_agencies"]),
            duty_to_avert_at=d["duty_to_avert_at"],
            summary=d["summary"],
        )

    def groups(self) -> list[tuple[str, list[tuple[forms.BoundField, str, bool]]]]:
        """The form in screen order: (group, [(field, access key, is a choice list)])."""
        names = [
            ("when", ["occurred_at", "channel", "relevant", "caller"]),
            ("who", ["age_group", "gender", "region", "country_background"]),
            ("what", ["themes", "follow_up", "referred_to"]),
            ("avert", ["duty_to_avert", "duty_to_avert_agencies", "duty_to_avert_at"]),
        ]
        choice = (forms.RadioSelect, forms.CheckboxSelectMultiple)
        return [
            (
                group,
                [
                    (self[name], ACCESS_KEYS[name], isinstance(self.fields[name].widget, choice))
                    for name in fields
                ],
            )
            for group, fields in names
        ]


def initial_from(inquiry: Inquiry) -> dict[str, Any]:
    def local(when: dt.datetime | None) -> str:
        return when.astimezone(OSLO).strftime(DATETIME_FORMAT) if when else ""

    return {
        "occurred_at": local(inquiry.occurred_at),
        "channel": inquiry.channel_id,
        "relevant": "1" if inquiry.relevant else "0",
        "age_group": inquiry.age_group_id,
        "gender": inquiry.gender_id,
        "region": inquiry.region_id,
        "country_background": inquiry.country_background,
        "caller": inquiry.caller_id,
        "themes": [c.pk for c in inquiry.themes.all()],
        "follow_up": "1" if inquiry.follow_up else "0",
        "referred_to": [c.pk for c in inquiry.referred_to.all()],
        "duty_to_avert": "1" if inquiry.duty_to_avert else "0",
        "duty_to_avert_agencies": [c.pk for c in inquiry.duty_to_avert_agencies.all()],
        "duty_to_avert_at": local(inquiry.duty_to_avert_at),
        "summary": inquiry.summary,
    }


def _year_choices() -> list[tuple[str, Any]]:
    this_year = timezone.now().astimezone(OSLO).year
    return [("", _("Alle"))] + [(str(y), str(y)) for y in range(this_year, this_year - 15, -1)]


MONTHS = [
    ("", _("Alle")),
    ("1", _("januar")),
    ("2", _("februar")),
    ("3", _("mars")),
    ("4", _("april")),
    ("5", _("mai")),
    ("6", _("juni")),
    ("7", _("juli")),
    ("8", _("august")),
    ("9", _("september")),
    ("10", _("oktober")),
    ("11", _("november")),
    ("12", _("desember")),
]
ANY_YES_NO = [("", _("Alle")), ("1", _("Ja")), ("0", _("Nei"))]


class FilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("År"), required=False, coerce=int, empty_value=None)
    month = forms.TypedChoiceField(
        label=_("Måned"), required=False, coerce=int, empty_value=None, choices=MONTHS
    )
    channel = forms.ModelChoiceField(
        Code.objects.filter(list="channel"),
        label=_("Kanal"),
        required=False,
        to_field_name="code",
        empty_label=_("Alle"),
    )
    theme = forms.ModelChoiceField(
        Code.objects.filter(list="theme"),
        label=_("Tema"),
        required=False,
        to_field_name="code",
        empty_label=_("Alle"),
    )
    follow_up = forms.TypedChoiceField(
        label=_("Oppfølgingssak"),
        required=False,
        choices=ANY_YES_NO,
        coerce=lambda v: v == "1",
        empty_value=None,
    )
    relevant = forms.TypedChoiceField(
        label=_("Relevant"),
        required=False,
        choices=ANY_YES_NO,
        coerce=lambda v: v == "1",
        empty_value=None,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year = self.fields["year"]
        assert isinstance(year, forms.ChoiceField)
        year.choices = _year_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("month") is not None and data.get("year") is None:
            # A month without a year would mix Januaries of every year: read it as this year.
            data["year"] = timezone.now().astimezone(OSLO).year
        return data


class DeleteForm(forms.Form):
    reason = forms.CharField(
        label=_("Hvorfor slettes henvendelsen?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For eksempel «registrert to ganger». Ikke skriv navn."),
    )


class ImportForm(FileImportForm):
    # A first try only checks the file; storing is a second, deliberate step.
    dry_run_initial = True
