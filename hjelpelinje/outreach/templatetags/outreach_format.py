"""Numbers as the helpline's reports print them: 2 737 153, and a dash for unknown."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

NBSP = "\u00a0"
NONE: SafeString = mark_safe('<span class="none">–</span>')


@register.filter
def thousands(value: object) -> str:
    if value is None or value == "":
        # Marked, so a phone layout can leave out figures that are not known.
        return NONE
    return f"{int(str(value)):,}".replace(",", NBSP)


@register.filter
def percent_of(value: object) -> str:
    """A share as a whole percentage, "73 %", or one decimal below 1 % ("0,3 %")."""
    if value is None or value == "":
        return "–"
    share = float(str(value)) * 100
    places = 1 if share < 1 else 0
    return f"{number_format(round(share, places), decimal_pos=places, use_l10n=True)}{NBSP}%"
