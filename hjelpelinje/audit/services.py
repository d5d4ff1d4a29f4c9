"""Writing to the audit log. Every write goes through `audit_record`."""

from __future__ import annotations

import secrets
from collections.abc import Collection, Iterable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from hjelpelinje.audit.models import (
    GENESIS,
    REASON_ERASE_ACTION,
    AuditEntry,
    reason_commitment,
)

# Any constant works as long as every writer uses the same one.
_ADVISORY_LOCK_ID = 0x486A656C70


def _lock_chain() -> None:
    """Serialise writers so two entries never claim the same predecessor."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_ID])
    # SQLite serialises writing transactions by itself.


def audit_record(
    *,
    actor: Any | None,
    action: str,
    target_type: str = "",
    target_id: str | int = "",
    fields: Iterable[str] = (),
    reason: str = "",
    flagged: bool = False,
) -> AuditEntry:
    """Append one entry. `actor` is a staff User or None (a failed login, the system)."""
    reason = reason.strip()
    salt = secrets.token_hex(32) if reason else ""
    actor_id = getattr(actor, "pk", None) if actor is not None else None
    actor_label = getattr(actor, "username", "") if actor is not None else ""
    with transaction.atomic():
        _lock_chain()
        last = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first()
        entry = AuditEntry(
            at=timezone.now(),
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            target_type=target_type,
            target_id=str(target_id),
            fields=sorted(set(fields)),
            reason=reason,
            reason_salt=salt,
            reason_digest=reason_commitment(salt, reason),
            flagged=flagged,
            prev_hash=last or GENESIS,
        )
        entry.hash = entry.compute_hash()
        entry.save()
    return entry


def audit_erase_reasons(*, actor: Any | None, entry_ids: Collection[int]) -> int:
    """Erase the free-text reason of these entries, for a consent withdrawal.

    The entries themselves stay (who did what, when, to which record): only the reason and
    its salt go, so the chain still verifies through the reason's commitment while nothing
    is left to recover the text from. The erasure is itself logged, naming the entries by
    id. Returns how many reasons were erased.
    """
    with transaction.atomic():
        _lock_chain()
        ids = sorted(
            AuditEntry.objects.filter(pk__in=list(entry_ids))
            .exclude(reason_salt="")
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0
        # An update query, because entries refuse `save()`: the log is append-only, and this
        # is the one sanctioned change to a row, which the chain was built to allow.
        AuditEntry.objects.filter(pk__in=ids).update(reason="", reason_salt="")
        audit_record(
            actor=actor,
            action=REASON_ERASE_ACTION,
            target_type="audit_entry",
            fields=[str(pk) for pk in ids],
        )
    return len(ids)
