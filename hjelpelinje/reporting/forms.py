from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hjelpelinje.core.bounds import first_year
from hjelpelinje.core.timeutil import local_now
from hjelpelinje.reporting.models import ManagerText

FORMAT_CHOICES = [
    ("pdf", _("PDF (til utsending og trykk)")),
    ("docx", _("Word (for videre redigering)")),
    ("html", _("Nettside (HTML)")),
    ("xlsx", _("Excel (tabellene)")),
    ("csv", _("CSV (tabellene)")),
]


def year_choices() -> list[tuple[int, int]]:
    this_year = local_now().year
    return [(y, y) for y in range(this_year, first_year() - 1, -1)]


def valid_year(year: int) -> bool:
    # The manager's texts may be written for next year's report ahead of time.
    return first_year() <= year <= local_now().year + 1


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("År"), coerce=int, choices=year_choices)


class DownloadForm(YearForm):
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES, initial="pdf")
    min_count = forms.IntegerField(
        label=_("Skjul små tall under"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_(
            "Tall under denne grensen vises som «<N», og andeler som kunne avsløre dem "
            "utelates. Anbefalt for publiserte rapporter: 5. 0 viser alle tall."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["min_count"].initial = settings.HJELPELINJE_REPORT_MIN_COUNT


_TEXT_HELP = _(
    "Markdown: **fet**, *kursiv*, lister med «- ». Ikke skriv noe som kan identifisere en person."
)


class ManagerTextForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ManagerText
        fields = ["introduction", "development", "examples", "way_forward"]
        widgets = {name: forms.Textarea(attrs={"rows": 10}) for name in fields}
        help_texts = {
            "introduction": format_lazy(
                "{} {}", _("Kapittel 1: tjenesten, mål, målgruppe og åpningstider."), _TEXT_HELP
            ),
            "development": format_lazy(
                "{} {}", _("Kapittel 2: hva som er gjort og endret i løpet av året."), _TEXT_HELP
            ),
            "examples": format_lazy(
                "{} {}",
                _("Kapittel 3: eksempler på henvendelser, med detaljer endret."),
                _TEXT_HELP,
            ),
            "way_forward": format_lazy(
                "{} {}", _("Kapittel 6: planer og mål for neste år."), _TEXT_HELP
            ),
        }
