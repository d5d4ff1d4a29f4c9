"""Encrypt the audit log's reasons and re-seal the chain over their commitments.

Until now the chain hashed each reason in plain text. From here it hashes a commitment to
the reason (see `reason_commitment` in the model), so that key rotation and the erasure of
a reason at a consent withdrawal leave the chain intact. That changes every entry's hash,
so this migration first checks the old chain and refuses to go on if it is broken: it
re-seals only a log that was intact, and the evidence of an earlier break is not lost.

The hashing is copied here on purpose: a migration must keep computing what it computed
when it was written, whatever the model's code becomes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from typing import Any

from django.conf import settings
from django.db import migrations, models

import hjelpelinje.core.fields
from hjelpelinje.core import crypto

GENESIS = "0" * 64
BATCH = 1000


def _hmac(prev_hash: str, payload: dict[str, Any]) -> str:
    message = prev_hash + json.dumps(payload, sort_keys=True, ensure_ascii=False)
    key = hashlib.sha256(b"hjelpelinje-audit:" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def _common(entry: Any) -> dict[str, Any]:
    return {
        "at": entry.at.isoformat(timespec="microseconds"),
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "fields": list(entry.fields),
        "flagged": entry.flagged,
    }


def _commitment(salt: str, reason: str) -> str:
    if not reason:
        return ""
    return hmac.new(bytes.fromhex(salt), reason.encode(), hashlib.sha256).hexdigest()


def _pages(model: Any) -> Any:
    last = 0
    while True:
        page = list(model.objects.filter(id__gt=last).order_by("id")[:BATCH])
        if not page:
            return
        yield page
        last = page[-1].id


def seal_over_commitments(apps: Any, schema_editor: Any) -> None:
    AuditEntry = apps.get_model("audit", "AuditEntry")
    old_prev = GENESIS
    new_prev = GENESIS
    for page in _pages(AuditEntry):
        for entry in page:
            # `reason` is still a plain text column at this step.
            reason = entry.reason.strip()
            if entry.prev_hash != old_prev or entry.hash != _hmac(
                old_prev, {**_common(entry), "reason": entry.reason}
            ):
                raise RuntimeError(
                    f"The audit log is broken at entry {entry.id}; it is not re-sealed. "
                    "Run `hjelpelinje verify_audit` on the previous version, investigate, "
                    "and restore the log from a backup before migrating."
                )
            old_prev = entry.hash
            salt = secrets.token_hex(32) if reason else ""
            # The column is still a plain TextField here, so the ciphertext is written
            # as is; `reason_salt` is already an encrypted field and encrypts by itself.
            entry.reason = crypto.encrypt(reason) if reason else ""
            entry.reason_salt = salt
            entry.reason_digest = _commitment(salt, reason)
            entry.prev_hash = new_prev
            entry.hash = _hmac(new_prev, {**_common(entry), "reason_digest": entry.reason_digest})
            new_prev = entry.hash
        AuditEntry.objects.bulk_update(
            page, ["reason", "reason_salt", "reason_digest", "prev_hash", "hash"]
        )


def seal_over_plaintext(apps: Any, schema_editor: Any) -> None:
    """Back to plain-text reasons. Reasons erased since cannot come back: they stay empty."""
    AuditEntry = apps.get_model("audit", "AuditEntry")
    prev = GENESIS
    for page in _pages(AuditEntry):
        for entry in page:
            entry.reason = crypto.decrypt(entry.reason) if entry.reason else ""
            entry.reason_salt = ""
            entry.reason_digest = ""
            entry.prev_hash = prev
            entry.hash = _hmac(prev, {**_common(entry), "reason": entry.reason})
            prev = entry.hash
        AuditEntry.objects.bulk_update(
            page, ["reason", "reason_salt", "reason_digest", "prev_hash", "hash"]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="reason_digest",
            field=models.CharField(blank=True, db_default="", default="", max_length=64),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="reason_salt",
            field=hjelpelinje.core.fields.EncryptedTextField(blank=True, db_default="", default=""),
        ),
        migrations.RunPython(seal_over_commitments, seal_over_plaintext),
        migrations.AlterField(
            model_name="auditentry",
            name="reason",
            field=hjelpelinje.core.fields.EncryptedTextField(blank=True, verbose_name="begrunnelse"),
        ),
    ]
