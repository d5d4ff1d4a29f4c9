from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from hjelpelinje.audit.models import AuditEntry
from hjelpelinje.audit.services import audit_record


def _three(manager) -> list[AuditEntry]:
    return [
        audit_record(actor=manager, action="followup.view", target_type="user", target_id=i)
        for i in range(3)
    ]


@pytest.mark.django_db
def test_intact_chain_verifies(manager, capsys) -> None:
    _three(manager)
    call_command("verify_audit")
    assert "intact" in capsys.readouterr().out


@pytest.mark.django_db
def test_edited_row_is_found(manager) -> None:
    entries = _three(manager)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET action = 'followup.list' WHERE id = %s", [entries[1].id]
        )
    with pytest.raises(CommandError, match=f"entry {entries[1].id}"):
        call_command("verify_audit")


@pytest.mark.django_db
def test_deleted_row_is_found(manager) -> None:
    entries = _three(manager)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entries[1].id])
    with pytest.raises(CommandError, match=f"entry {entries[2].id}"):
        call_command("verify_audit")


@pytest.mark.django_db
def test_entries_cannot_be_changed_through_the_orm(manager) -> None:
    entry = _three(manager)[0]
    entry.action = "x"
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()
