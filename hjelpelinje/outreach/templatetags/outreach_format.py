"""Numbers as the helpline's reports print them: 2 737 153, and a dash for unknown."""

from __future__ import annotations

from django import template
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
