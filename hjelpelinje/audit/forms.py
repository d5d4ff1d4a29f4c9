from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hjelpelinje.accounts.models import User
from hjelpelinje.audit.labels import ACTION_LABELS, TARGET_LABELS
from hjelpelinje.core.bounds import BoundedDateField

DATE_INPUTS = ["%Y-%m-%d", "%d.%m.%Y"]


class AuditFilterForm(forms.Form):
    """The log page's filters. Only ids and codes travel in the URL, never names."""

    # Plain text behind a select: apps may log target types and actions this page does not
    # know yet, and a link from their pages must still filter by them.
    target_type = forms.CharField(
        label=_("Gjelder"), max_length=60, required=False, widget=forms.Select
    )
    target_id = forms.CharField(label=_("Id"), max_length=64, required=False)
    actor = forms.TypedChoiceField(label=_("Ansatt"), required=False, coerce=int, empty_value=None)
    action = forms.CharField(
        label=_("Handling"), max_length=60, required=False, widget=forms.Select
    )
    # From the first year to today: ?date_to=9999-12-31 is a form error, never an overflow.
    date_from = BoundedDateField(label=_("Fra og med"), required=False, input_formats=DATE_INPUTS)
    date_to = BoundedDateField(label=_("Til og med"), required=False, input_formats=DATE_INPUTS)
    flagged = forms.BooleanField(label=_("Bare flaggede"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        everyone = _("Alle")
        for name, labels in (("target_type", TARGET_LABELS), ("action", ACTION_LABELS)):
            choices: list[tuple[str, object]] = [("", everyone), *labels.items()]
            given = self.data.get(name) if self.is_bound else None
            if given and given not in labels:
                choices.append((given, given))
            widget = self.fields[name].widget
            assert isinstance(widget, forms.Select)
            widget.choices = choices
        self.fields["actor"].choices = [("", everyone)] + [  # type: ignore[attr-defined]
            (user.pk, f"{user.display_name} ({user.username})")
            for user in User.objects.order_by("first_name", "last_name", "username")
        ]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Til-datoen er før fra-datoen."))
        return data
