"""The migrations that encrypt free text already stored in plain text.

An installation upgrading has audit reasons and deletion reasons in plain text, and an
audit chain over the plain reasons. After migrating, the text is ciphertext and the
chain verifies; a chain that was already broken is not re-sealed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from hjelpelinje.audit.models import AuditEntry
from hjelpelinje.core import crypto
from hjelpelinje.inquiries.models import Inquiry

REASON = "Politiet ringte om Hemmeligveien 77B"
DELETION_REASON = "Registrert to ganger, Zainab Quxlevik ringte igjen"
AUDIT_BEFORE = ("audit", "0001_initial")
INQUIRIES_BEFORE = ("inquiries", "0004_fewer_indexes")


def _migrate(*targets: tuple[str, str]) -> Any:
    executor = MigrationExecutor(connection)
    executor.migrate(list(targets))
    return MigrationExecutor(connection).loader.project_state(list(targets)).apps


@pytest.fixture
def at_latest() -> Iterator[None]:
    """Whatever a test migrates back, the database ends at the latest schema again."""
    yield
    call_command("migrate", verbosity=0)


def _old_hash(prev: str, row: dict[str, Any]) -> str:
    """The chain as 0001 wrote it: the reason in the hashed payload, in plain text."""
    payload = {
        "at": row["at"].isoformat(timespec="microseconds"),
        "actor_id": row["actor_id"],
        "actor_label": row["actor_label"],
        "action": row["action"],
        "target_type": row["target_type"],
        "target_id": row["target_id"],
        "fields": row["fields"],
        "reason": row["reason"],
        "flagged": row["flagged"],
    }
    message = prev + json.dumps(payload, sort_keys=True, ensure_ascii=False)
    key = hashlib.sha256(b"hjelpelinje-audit:" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def _old_log(old_apps: Any, reasons: list[str]) -> None:
    OldEntry = old_apps.get_model("audit", "AuditEntry")
    prev = "0" * 64
    at = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
    for n, reason in enumerate(reasons):
        row = {
            "at": at + dt.timedelta(minutes=n),
            "actor_id": 1,
            "actor_label": "kari",
            "action": "followup.break_glass" if reason else "followup.view",
            "target_type": "followup_user",
            "target_id": "7",
            "fields": [],
            "reason": reason,
            "flagged": bool(reason),
        }
        entry = OldEntry.objects.create(**row, prev_hash=prev, hash=_old_hash(prev, row))
        prev = entry.hash


def _raw_reasons() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM audit_auditentry ORDER BY id")
        return [r[0] for r in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_plain_audit_reasons_are_encrypted_and_the_chain_resealed(at_latest) -> None:
    old_apps = _migrate(AUDIT_BEFORE)
    _old_log(old_apps, ["", REASON, ""])
    assert REASON in _raw_reasons()

    _migrate(("audit", "0002_encrypted_reason"))

    raw = _raw_reasons()
    assert REASON not in raw and crypto.decrypt(raw[1]) == REASON and raw[0] == raw[2] == ""
    assert [e.reason for e in AuditEntry.objects.order_by("id")] == ["", REASON, ""]
    call_command("verify_audit")


@pytest.mark.django_db(transaction=True)
def test_a_broken_old_chain_is_not_resealed(at_latest) -> None:
    old_apps = _migrate(AUDIT_BEFORE)
    _old_log(old_apps, ["", REASON, ""])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET actor_label = 'x' WHERE reason = ''")
    with pytest.raises(RuntimeError, match="audit log is broken at entry"):
        _migrate(("audit", "0002_encrypted_reason"))
    # Nothing was rewritten: the evidence is as it was.
    assert REASON in _raw_reasons()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")


@pytest.mark.django_db(transaction=True)
def test_plain_deletion_reasons_are_encrypted(at_latest) -> None:
    from hjelpelinje.taxonomy.selectors import code_get

    old_apps = _migrate(INQUIRIES_BEFORE)
    OldInquiry = old_apps.get_model("inquiries", "Inquiry")
    codes = {
        f"{name}_id": code_get(name, code).pk
        for name, code in [
            ("channel", "phone"),
            ("age_group", "18-25"),
            ("gender", "female"),
            ("region", "ostlandet"),
            ("caller", "self"),
        ]
    }
    inquiry = OldInquiry.objects.create(
        **codes, deleted_at=dt.datetime(2026, 11, 2, tzinfo=dt.UTC), deletion_reason=DELETION_REASON
    )
    kept = OldInquiry.objects.create(**codes)

    _migrate(("inquiries", "0005_encrypted_deletion_reason"))

    with connection.cursor() as cursor:
        cursor.execute("SELECT deletion_reason FROM inquiries_inquiry WHERE id = %s", [inquiry.pk])
        stored = cursor.fetchone()[0]
    assert "Zainab" not in stored and crypto.decrypt(stored) == DELETION_REASON
    assert Inquiry.objects.get(pk=inquiry.pk).deletion_reason == DELETION_REASON
    assert Inquiry.objects.get(pk=kept.pk).deletion_reason == ""
