from __future__ import annotations

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from hjelpelinje.accounts.models import Role


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Engangskode"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=_("Den sekssifrede koden fra autentiseringsappen."),
    )

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError(_("Koden består bare av sifre."))
        return token


class StaffCreateForm(forms.Form):
    username = forms.CharField(
        label=_("Brukernavn"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Det personen logger inn med, for eksempel fornavnet."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )
    first_name = forms.CharField(label=_("Fornavn"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Etternavn"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-post"), required=False)
    role = forms.ChoiceField(label=_("Rolle"), choices=Role.choices, initial=Role.COUNSELLOR)


class StaffEditForm(forms.Form):
    first_name = forms.CharField(label=_("Fornavn"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Etternavn"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-post"), required=False)
    role = forms.ChoiceField(label=_("Rolle"), choices=Role.choices)
    is_active = forms.BooleanField(
        label=_("Aktiv"),
        required=False,
        help_text=_(
            "En deaktivert ansatt kan ikke logge inn, men står fortsatt som forfatter "
            "av det hen har registrert."
        ),
    )
