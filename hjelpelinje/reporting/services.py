"""Writing the manager's texts for a year's report."""

from __future__ import annotations

from django.db import transaction

from hjelpelinje.accounts.models import User
from hjelpelinje.audit.services import audit_record
from hjelpelinje.reporting.models import ManagerText


@transaction.atomic
def manager_text_save(
    *,
    actor: User,
    year: int,
    introduction: str,
    development: str,
    examples: str,
    way_forward: str,
) -> ManagerText:
    text, _created = ManagerText.objects.select_for_update().get_or_create(year=year)
    new = {
        "introduction": introduction,
        "development": development,
        "examples": examples,
        "way_forward": way_forward,
    }
    changed = [name for name, value in new.items() if getattr(text, name) != value]
    for name, value in new.items():
        setattr(text, name, value)
    text.updated_by = actor
    text.full_clean()
    text.save()
    if changed:
        audit_record(
            actor=actor,
            action="report.texts_edit",
            target_type="report_texts",
            target_id=str(year),
            fields=changed,
        )
    return text
