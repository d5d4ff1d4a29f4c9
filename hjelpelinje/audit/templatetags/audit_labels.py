"""`{{ entry.action|audit_action }}`: the Norwegian words for an audit action code."""

from __future__ import annotations

from django import template

from hjelpelinje.audit.labels import action_label

register = template.Library()


@register.filter
def audit_action(action: str) -> str:
    return action_label(action)
