"""Numbers as the helpline's reports print them: 2 737 153, and a dash for unknown."""

from __future__ import annotations

from django import template

register = template.Library()

NBSP = "\u00a0"


@register.filter
def thousands(value: object) -> str:
    if value is None or value == "":
        return "–"
    return f"{int(str(value)):,}".replace(",", NBSP)
