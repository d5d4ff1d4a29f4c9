"""`verify_audit` notices a log cut short: the newest entries deleted, or all of them.

The hash chain alone cannot: what is left after removing the tail is still a valid chain.
The witness file (and an outside record given on the command line) can.
"""

from __future__ import annotations

import json
import re
import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from hjelpelinje.audit.models import AuditEntry
from hjelpelinje.audit.services import audit_record

SECRET_REASON = "Zainab Quxlevik på Hemmeligveien 77B, tlf 91234567"


def _log(actor, n: int, start: int = 0) -> list[AuditEntry]:
    return [
        audit_record(actor=actor, action="followup.view", target_type="followup_user", target_id=i)
        for i in range(start, start + n)
    ]


def _verify(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def _sql(statement: str, params: list[int] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement.format(table=AuditEntry._meta.db_table), params or [])


def _witness(settings) -> dict[str, object]:
    data: dict[str, object] = json.loads(settings.HJELPELINJE_AUDIT_WITNESS.read_text())
    return data


@pytest.mark.django_db
def test_a_growing_log_passes_and_moves_the_witness_forward(manager, settings) -> None:
    _log(manager, 3)
    out = _verify()
    assert "intact: 3 entries" in out
    head = AuditEntry.objects.order_by("-id").first()
    assert head is not None
    # The line an operator copies into a ticket: both values, ready to pass back.
    assert f"--expect-count 3 --expect-head {head.hash}" in out
    assert _witness(settings)["count"] == 3 and _witness(settings)["head"] == head.hash
    # Only the service's own user may read or replace the witness.
    mode = stat.S_IMODE(settings.HJELPELINJE_AUDIT_WITNESS.stat().st_mode)
    assert mode == 0o600

    _log(manager, 2, start=3)
    assert "intact: 5 entries" in _verify()
    newest = AuditEntry.objects.order_by("-id").first()
    assert newest is not None
    assert _witness(settings) | {"checked_at": ""} == {
        "count": 5,
        "head": newest.hash,
        "checked_at": "",
    }
    # No temporary file is left beside it.
    assert [p.name for p in settings.HJELPELINJE_AUDIT_WITNESS.parent.iterdir()] == [
        "audit-witness.json"
    ]


@pytest.mark.django_db
def test_deleting_the_newest_entries_is_detected(manager, settings) -> None:
    entries = _log(manager, 5)
    _verify()
    recorded = _witness(settings)
    _sql("DELETE FROM {table} WHERE id >= %s", [entries[3].id])
    with pytest.raises(CommandError, match="3 entries, but 5 were recorded earlier"):
        _verify()
    # The witness keeps the last good state, so every later run fails too.
    assert _witness(settings) == recorded
    with pytest.raises(CommandError, match="newest entries were deleted"):
        _verify()


@pytest.mark.django_db
def test_deleting_every_entry_is_detected(manager, settings) -> None:
    _log(manager, 4)
    _verify()
    _sql("DELETE FROM {table}")
    with pytest.raises(CommandError, match="0 entries, but 4 were recorded earlier"):
        _verify()


@pytest.mark.django_db
def test_a_cut_tail_refilled_with_new_entries_is_detected(manager, settings) -> None:
    """Deleting the last entries and writing as many new ones keeps the count, not the head."""
    entries = _log(manager, 4)
    _verify()
    _sql("DELETE FROM {table} WHERE id >= %s", [entries[2].id])
    _log(manager, 3, start=10)
    with pytest.raises(CommandError, match="no longer passes through the head"):
        _verify()


@pytest.mark.django_db
def test_an_edited_entry_in_the_middle_is_detected(manager) -> None:
    entries = _log(manager, 4)
    _verify()
    _sql("UPDATE {table} SET target_id = '99' WHERE id = %s", [entries[1].id])
    with pytest.raises(CommandError, match=f"at entry {entries[1].id}: the entry's content"):
        _verify()


@pytest.mark.django_db
def test_an_outside_record_catches_a_cut_when_the_witness_is_gone_too(manager, settings) -> None:
    """Whoever can delete rows may reach the witness file as well; the ticket is further away."""
    entries = _log(manager, 5)
    out = _verify()
    match = re.search(r"--expect-count (\d+) --expect-head ([0-9a-f]{64})", out)
    assert match is not None
    record = ["--expect-count", match.group(1), "--expect-head", match.group(2)]
    _log(manager, 1, start=5)
    assert "intact: 6 entries" in _verify(*record)  # a longer log extends the record

    _sql("DELETE FROM {table} WHERE id >= %s", [entries[4].id])
    settings.HJELPELINJE_AUDIT_WITNESS.unlink()
    with pytest.raises(CommandError, match="4 entries, but 5 were recorded earlier"):
        _verify(*record)


@pytest.mark.django_db
def test_a_wrong_head_in_the_outside_record_fails(manager) -> None:
    _log(manager, 3)
    with pytest.raises(CommandError, match="no longer passes through the head"):
        _verify("--expect-count", "2", "--expect-head", "a" * 64)
    with pytest.raises(CommandError, match="together"):
        _verify("--expect-count", "2")


@pytest.mark.django_db
def test_a_damaged_witness_fails_loudly(manager, settings) -> None:
    _log(manager, 2)
    settings.HJELPELINJE_AUDIT_WITNESS.write_text('{"count": "many"}')
    with pytest.raises(CommandError, match="damaged or replaced"):
        _verify()


@pytest.mark.django_db
def test_reset_witness_accepts_a_shorter_log_after_an_investigation(manager, settings) -> None:
    entries = _log(manager, 4)
    _verify()
    _sql("DELETE FROM {table} WHERE id >= %s", [entries[2].id])
    with pytest.raises(CommandError):
        _verify()
    assert "intact: 2 entries" in _verify("--reset-witness")
    assert _witness(settings)["count"] == 2
    assert "intact: 2 entries" in _verify()


@pytest.mark.django_db
def test_the_alarm_names_no_personal_data(manager) -> None:
    audit_record(
        actor=manager,
        action="followup.break_glass",
        target_type="followup_user",
        target_id=1,
        reason=SECRET_REASON,
        flagged=True,
    )
    entries = _log(manager, 2)
    _verify()
    _sql("DELETE FROM {table} WHERE id = %s", [entries[-1].id])
    with pytest.raises(CommandError) as failure:
        _verify()
    message = str(failure.value)
    assert "AUDIT LOG BROKEN" in message
    for part in ("Zainab", "Quxlevik", "Hemmeligveien", "91234567"):
        assert part not in message
