from __future__ import annotations

from dataclasses import dataclass

from hjelpelinje.audit.models import GENESIS, AuditEntry


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int | None
    problem: str


def audit_verify_chain() -> ChainBreak | None:
    """Walk the log in order; return the first entry whose hash or link does not hold."""
    expected_prev = GENESIS
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        if entry.prev_hash != expected_prev:
            return ChainBreak(
                entry.id,
                "the entry does not follow the one before it: an entry was deleted or inserted",
            )
        if entry.compute_hash() != entry.hash:
            return ChainBreak(entry.id, "the entry's content was altered or it was forged")
        expected_prev = entry.hash
    return None
