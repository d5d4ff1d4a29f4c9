from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import auth
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from hjelpelinje.accounts.models import Role, User


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


class OwnPasswordForm(PasswordChangeForm):
    """A member of staff chooses a new password, and proves first that they know the
    current one: a login left open on a shared computer must not be enough to take the
    account over. After a one-time password from an administrator, that is the current one.

    The current password is checked like a login, so wrong guesses are logged as failed
    logins and count towards the lockout (django-axes).
    """

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": _("Nåværende passord er feil. Skriv det inn på nytt."),
    }
    old_password = forms.CharField(
        label=_("Nåværende passord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(self, request: HttpRequest, user: User, *args: Any, **kwargs: Any) -> None:
        self.request = request
        super().__init__(user, *args, **kwargs)

    @sensitive_variables("old_password")
    def clean_old_password(self) -> str:
        old_password: str = self.cleaned_data["old_password"]
        checked = auth.authenticate(
            self.request, username=self.user.get_username(), password=old_password
        )
        if checked is None or checked.pk != self.user.pk:
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class LoginForm(AuthenticationForm):
    """Django's login form, with the username's length really checked.

    Django sets the field's max_length after building it, which adds no validator, so a
    10 kB name went on to the lockout table (a 255-character column) and failed there on
    PostgreSQL. No account has a longer name than the field allows.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        assert isinstance(username, forms.CharField) and username.max_length is not None
        username.validators.append(MaxLengthValidator(username.max_length))
