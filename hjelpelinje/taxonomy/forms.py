from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from hjelpelinje.taxonomy.services import CODE_PATTERN


class CodeLabelsForm(forms.Form):
    label = forms.CharField(label=_("Navn (norsk)"), max_length=100)
    label_en = forms.CharField(label=_("Navn (engelsk)"), max_length=100, required=False)


class CodeCreateForm(CodeLabelsForm):
    code = forms.CharField(
        label=_("Kode"),
        max_length=40,
        validators=[
            RegexValidator(
                f"^{CODE_PATTERN.pattern}$",
                _("Koden kan bare ha små bokstaver a-z, sifre, _, - og +."),
            )
        ],
        help_text=_(
            "Brukes i import og statistikk og kan ikke endres senere, for eksempel walk_in."
        ),
    )

    field_order = ["code", "label", "label_en"]
