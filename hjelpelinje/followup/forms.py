from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hjelpelinje.accounts.models import Role, User
from hjelpelinje.core import timeutil
from hjelpelinje.core.bounds import BoundedDateField, ModelMultipleIdField
from hjelpelinje.followup.models import (
    ConsentMethod,
    FollowUpUser,
    MailOutcome,
    SenderType,
    Source,
)
from hjelpelinje.inquiries.models import Inquiry
from hjelpelinje.taxonomy.models import Code
from hjelpelinje.taxonomy.selectors import codes

PROTECTED_CHOICES = [
    ("", _("Ingen")),
    ("6", _("Kode 6 (strengt fortrolig)")),
    ("7", _("Kode 7 (fortrolig)")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _code_field(list_name: str, label: Any, *, required: bool = True) -> forms.ModelChoiceField:  # type: ignore[type-arg]
    return forms.ModelChoiceField(
        queryset=codes(list_name), label=label, required=required, empty_label="–"
    )


def _staff() -> QuerySet[User]:
    return User.objects.filter(is_active=True, role__in=[Role.COUNSELLOR, Role.MANAGER]).order_by(
        "first_name", "username"
    )


class StaffChoiceField(ModelMultipleIdField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class UserFields(forms.Form):
    reference = forms.CharField(
        label=_("Referansekode"),
        max_length=40,
        required=False,
        help_text=_("Tomt gir neste ledige kode (B-001, B-002 …)."),
    )
    name = forms.CharField(label=_("Navn"), required=False, max_length=200)
    phone = forms.CharField(label=_("Telefon"), required=False, max_length=40)
    email = forms.EmailField(label=_("E-post"), required=False)
    birth_year = forms.IntegerField(label=_("Fødselsår"), required=False, min_value=1900)
    age_group = _code_field("age_group", _("Aldersgruppe"))
    gender = _code_field("gender", _("Kjønn"))
    region = _code_field("region", _("Landsdel"))
    source = forms.ChoiceField(label=_("Kilde"), choices=Source.choices)
    responsible = StaffChoiceField(
        queryset=User.objects.none(),
        label=_("Ansvarlige rådgivere"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    first_inquiry = forms.IntegerField(
        label=_("Førstegangshenvendelse (nr.)"),
        required=False,
        min_value=1,
        # A number beyond the database's integer would fail the lookup instead of the form.
        max_value=2_147_483_647,
        help_text=_("Nummeret på henvendelsen i registeret brukeren kom fra, om noen."),
    )
    notes = forms.CharField(label=_("Notater"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = _staff()  # type: ignore[attr-defined]
        self.fields["birth_year"].max_value = timeutil.local_now().year  # type: ignore[attr-defined]
        # Setting max_value after the field is built adds no check by itself.
        self.fields["birth_year"].validators.append(MaxValueValidator(timeutil.local_now().year))

    def clean_reference(self) -> str:
        reference = str(self.cleaned_data["reference"]).strip()
        if reference:
            clash = FollowUpUser.objects.filter(reference__iexact=reference)
            instance = getattr(self, "instance", None)
            if instance is not None:
                clash = clash.exclude(pk=instance.pk)
            if clash.exists():
                raise forms.ValidationError(_("Referansekoden er allerede i bruk."))
        return reference

    def clean_first_inquiry(self) -> Inquiry | None:
        number = self.cleaned_data.get("first_inquiry")
        if number is None:
            return None
        inquiry = Inquiry.objects.live().filter(pk=number).first()
        if inquiry is None:
            raise forms.ValidationError(_("Det finnes ingen henvendelse med dette nummeret."))
        return inquiry

    def clean_birth_year(self) -> str:
        value = self.cleaned_data.get("birth_year")
        return "" if value is None else str(value)


class UserCreateForm(UserFields):
    consent_given_on = BoundedDateField(
        label=_("Dato for samtykke"), widget=DateInput(), initial=lambda: timeutil.local_now()
    )
    consent_method = forms.ChoiceField(
        label=_("Hvordan samtykket ble gitt"),
        choices=[(ConsentMethod.VERBAL, _("Muntlig")), (ConsentMethod.WRITTEN, _("Skriftlig"))],
        widget=forms.RadioSelect,
    )
    consent_confirmed = forms.BooleanField(
        label=_(
            "Brukeren har samtykket til at vi lagrer opplysninger og følger hen opp over tid, "
            "og vet at samtykket kan trekkes når som helst."
        ),
        required=True,
    )
    consent_note = forms.CharField(
        label=_("Merknad til samtykket"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class UserEditForm(UserFields):
    def __init__(self, *args: Any, instance: FollowUpUser, **kwargs: Any) -> None:
        self.instance = instance
        super().__init__(*args, **kwargs)
        # The reference code is fixed once given: it is how staff and paper files find it.
        del self.fields["reference"]


class AddressForm(forms.Form):
    protected_code = forms.ChoiceField(
        label=_("Sperret adresse"), choices=PROTECTED_CHOICES, required=False
    )
    address = forms.CharField(
        label=_("Adresse"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("address") and not data.get("protected_code"):
            self.add_error(
                "protected_code", _("Adressen lagres bare for brukere med sperret adresse.")
            )
        return data


class ActivityForm(forms.Form):
    category = forms.ModelChoiceField(
        queryset=Code.objects.none(), label=_("Aktivitet"), empty_label=None
    )
    done_on = BoundedDateField(label=_("Dato"), widget=DateInput())
    agency = _code_field("agency", _("Instans"), required=False)
    note = forms.CharField(label=_("Notat"), required=False, max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"done_on": timeutil.local_now().date()})
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = codes("activity").exclude(code="mail")  # type: ignore[attr-defined]
        self.fields["category"].widget.attrs.update({"autofocus": True, "accesskey": "a"})


class UserInquiryForm(forms.Form):
    occurred_on = BoundedDateField(label=_("Dato"), widget=DateInput())
    channel = _code_field("channel", _("Kanal"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"occurred_on": timeutil.local_now().date()})
        super().__init__(*args, **kwargs)


class MailItemForm(forms.Form):
    received_on = BoundedDateField(label=_("Mottatt"), widget=DateInput())
    sender_type = forms.ChoiceField(
        label=_("Avsender"), choices=[("", "–"), *SenderType.choices], required=False
    )
    outcome = forms.ChoiceField(
        label=_("Status"), choices=[("", "–"), *MailOutcome.choices], required=False
    )
    outcome_on = BoundedDateField(
        label=_("Hentet/videresendt dato"), required=False, widget=DateInput()
    )
    note = forms.CharField(label=_("Merknad"), required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"received_on": timeutil.local_now().date()})
        super().__init__(*args, **kwargs)


class MailOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Status"),
        choices=[(MailOutcome.COLLECTED, _("Hentet")), (MailOutcome.FORWARDED, _("Videresendt"))],
    )
    outcome_on = BoundedDateField(label=_("Dato"), widget=DateInput())


class GlassBreakForm(forms.Form):
    reason = forms.CharField(
        label=_("Begrunnelse"),
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Hvorfor trenger du de skjermede opplysningene nå? Skriv ikke navn eller adresse. "
            "Tilgangen logges og vises for leder."
        ),
    )


class WithdrawForm(forms.Form):
    reference = forms.CharField(
        label=_("Skriv brukerens referansekode for å bekrefte"), max_length=40
    )

    def __init__(self, *args: Any, user: FollowUpUser, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_reference(self) -> str:
        value = str(self.cleaned_data["reference"]).strip()
        if value.casefold() != self.user.reference.casefold():
            raise forms.ValidationError(_("Referansekoden stemmer ikke."))
        return value


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Søk på referansekode"), required=False, max_length=40)
