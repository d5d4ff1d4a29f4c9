from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hjelpelinje.core.uploads import size_problem


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil (CSV eller XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    dry_run = forms.BooleanField(
        label=_("Bare kontroller filen (prøvekjøring, ingenting lagres)"),
        required=False,
        initial=False,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        problem = size_problem(getattr(upload, "size", None))
        if problem is not None:
            raise forms.ValidationError(problem, code="too_large")
        return upload
