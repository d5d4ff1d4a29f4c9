"""An audit reason is encrypted at rest, survives key rotation, and can be erased (for a
consent withdrawal) without breaking the chain; any other change to it is detected."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from hjelpelinje.audit.models import AuditEntry
from hjelpelinje.audit.selectors import audit_verify_chain
from hjelpelinje.audit.services import audit_erase_reasons, audit_record
from hjelpelinje.core import crypto
from hjelpelinje.inquiries.models import Inquiry
from hjelpelinje.taxonomy.selectors import code_get

REASON = "Akutt fare: politiet skal til Hemmeligveien 77B, tlf 912 34 567"
OTHER_REASON = "Rutinekontroll etter melding fra barnevernet"


def _raw(entry_id: int) -> tuple[str, str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reason, reason_salt, reason_digest FROM audit_auditentry WHERE id = %s",
            [entry_id],
        )
        row = cursor.fetchone()
    assert row is not None
    return row[0], row[1], row[2]


def _sql(statement: str, params: list[str | int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _glass(actor, reason: str = REASON, target_id: int = 7) -> AuditEntry:
    return audit_record(
        actor=actor,
        action="followup.break_glass",
        target_type="followup_user",
        target_id=target_id,
        fields=["address"],
        reason=reason,
        flagged=True,
    )


@pytest.mark.django_db
def test_a_reason_is_ciphertext_in_the_database_and_plain_on_the_page(
    manager, counsellor, client_for
) -> None:
    entry = _glass(counsellor)
    reason, salt, digest = _raw(entry.pk)
    assert "Hemmeligveien" not in reason and "912" not in reason
    assert crypto.decrypt(reason) == REASON
    assert len(crypto.decrypt(salt)) == 64 and len(digest) == 64
    assert REASON not in digest
    assert AuditEntry.objects.get(pk=entry.pk).reason == REASON
    assert REASON in client_for(manager).get("/staff/audit/").content.decode()


@pytest.mark.django_db
def test_rotating_the_keys_keeps_the_reason_and_the_chain(counsellor) -> None:
    new_key, old_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(HJELPELINJE_FIELD_KEYS=[old_key]):
        entry = _glass(counsellor)
        audit_record(actor=counsellor, action="followup.view", target_type="followup_user")
        before = _raw(entry.pk)
        inquiry = Inquiry.objects.create(
            channel=code_get("channel", "phone"),
            age_group=code_get("age_group", "18-25"),
            gender=code_get("gender", "female"),
            region=code_get("region", "ostlandet"),
            caller=code_get("caller", "self"),
            deletion_reason=OTHER_REASON,
        )
    with override_settings(HJELPELINJE_FIELD_KEYS=[new_key, old_key]):
        call_command("rotate_keys")
    with override_settings(HJELPELINJE_FIELD_KEYS=[new_key]):
        after = _raw(entry.pk)
        assert after[0] != before[0] and after[1] != before[1]  # both re-encrypted
        assert after[2] == before[2]  # the commitment the chain holds is unchanged
        assert AuditEntry.objects.get(pk=entry.pk).reason == REASON
        call_command("verify_audit")
        # The inquiries' deletion reasons are rotated by the same command.
        assert Inquiry.objects.get(pk=inquiry.pk).deletion_reason == OTHER_REASON


@pytest.mark.django_db
def test_an_erased_reason_is_gone_and_the_chain_still_holds(manager, counsellor) -> None:
    entry = _glass(counsellor)
    kept = _glass(counsellor, OTHER_REASON, target_id=8)
    assert audit_erase_reasons(actor=manager, entry_ids=[entry.pk]) == 1
    reason, salt, digest = _raw(entry.pk)
    assert reason == "" and salt == "" and len(digest) == 64
    assert AuditEntry.objects.get(pk=entry.pk).reason_erased
    assert AuditEntry.objects.get(pk=kept.pk).reason == OTHER_REASON
    erasure = AuditEntry.objects.get(action="audit.reason_erase")
    assert erasure.fields == [str(entry.pk)] and erasure.actor_label == "mona"
    call_command("verify_audit")
    # Erasing again finds nothing more to erase and logs nothing.
    assert audit_erase_reasons(actor=manager, entry_ids=[entry.pk]) == 0
    assert AuditEntry.objects.filter(action="audit.reason_erase").count() == 1


@pytest.mark.django_db
def test_a_reason_emptied_behind_the_logs_back_is_detected(counsellor) -> None:
    entry = _glass(counsellor)
    _sql("UPDATE audit_auditentry SET reason = '', reason_salt = '' WHERE id = %s", [entry.pk])
    problem = audit_verify_chain()
    assert problem is not None and problem.entry_id == entry.pk
    assert "without an erasure entry" in problem.problem


@pytest.mark.django_db
def test_a_reason_replaced_or_swapped_is_detected(counsellor) -> None:
    first = _glass(counsellor)
    second = _glass(counsellor, OTHER_REASON, target_id=8)
    # Another valid ciphertext, of another entry's reason: it decrypts, but it is not the
    # reason the chain committed to.
    reason, salt, _ = _raw(second.pk)
    _sql(
        "UPDATE audit_auditentry SET reason = %s, reason_salt = %s WHERE id = %s",
        [reason, salt, first.pk],
    )
    with pytest.raises(CommandError, match=f"at entry {first.pk}: the entry's reason was altered"):
        call_command("verify_audit")


@pytest.mark.django_db
def test_a_reason_no_key_opens_is_reported_not_crashed_on(counsellor) -> None:
    entry = _glass(counsellor)
    foreign = Fernet(Fernet.generate_key()).encrypt(b"something else").decode()
    _sql("UPDATE audit_auditentry SET reason = %s WHERE id = %s", [foreign, entry.pk])
    with pytest.raises(CommandError, match="cannot be decrypted with the field keys"):
        call_command("verify_audit")
