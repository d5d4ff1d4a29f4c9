"""Writing to the audit log. Every write goes through `audit_record`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from hjelpelinje.audit.models import GENESIS, AuditEntry

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
            flagged=flagged,
            prev_hash=last or GENESIS,
        )
        entry.hash = entry.compute_hash()
        entry.save()
    return entry
