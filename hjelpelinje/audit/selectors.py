from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import models
from django.db.models import QuerySet
from django.db.models.functions import Cast

from hjelpelinje.audit.models import GENESIS, REASON_ERASE_ACTION, AuditEntry
from hjelpelinje.core import crypto
from hjelpelinje.core.timeutil import oslo_midnight


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int | None
    problem: str


@dataclass(frozen=True)
class ChainState:
    """Where the chain ends: how many entries, and the hash of the last (the head).

    Kept outside the database (the witness file, a ticket, a mail) it lets a later check
    tell a log that only grew from one whose newest entries were cut off, which the chain
    alone cannot: a chain with its tail removed is still a valid chain.
    """

    count: int
    head: str


@dataclass(frozen=True)
class ChainCheck:
    state: ChainState
    problem: ChainBreak | None


def audit_check_chain(*, known: Sequence[ChainState] = (), using: str = "default") -> ChainCheck:
    """Walk the log in order and check every link, hash and reason commitment.

    `known` are states recorded earlier (the witness, an outside record): the log must
    still hold at least that many entries, and its entry at that position must still have
    that hash, so the chain extends each of them. `using` names another database, such as
    a backup's copy (hjelpelinje/core/backup.py).
    """
    heads = {k.count: k.head for k in known if k.count > 0}
    expected_prev = GENESIS
    count = 0
    erased: set[int] = set()
    erasures_logged: set[int] = set()
    # The reason and its salt are read as stored and decrypted here, so a value that no
    # key decrypts is reported as a break rather than crashing the walk.
    entries = (
        AuditEntry.objects.using(using)
        .defer("reason", "reason_salt")
        .annotate(
            raw_reason=Cast("reason", models.TextField()),
            raw_salt=Cast("reason_salt", models.TextField()),
        )
        .order_by("id")
    )
    for entry in entries.iterator(chunk_size=2000):
        if entry.prev_hash != expected_prev:
            return _broken(
                count,
                expected_prev,
                entry.id,
                "the entry does not follow the one before it: an entry was deleted or inserted",
            )
        if entry.compute_hash() != entry.hash:
            return _broken(
                count, expected_prev, entry.id, "the entry's content was altered or it was forged"
            )
        try:
            entry.reason = crypto.decrypt(entry.raw_reason) if entry.raw_reason else ""
            entry.reason_salt = crypto.decrypt(entry.raw_salt) if entry.raw_salt else ""
        except crypto.DecryptionError:
            return _broken(
                count,
                expected_prev,
                entry.id,
                "the entry's reason cannot be decrypted with the field keys: it was replaced,"
                " or a key is missing",
            )
        if not entry.reason_holds():
            return _broken(
                count, expected_prev, entry.id, "the entry's reason was altered or swapped"
            )
        if entry.reason_erased:
            erased.add(entry.id)
        if entry.action == REASON_ERASE_ACTION:
            erasures_logged.update(int(f) for f in entry.fields if str(f).isdigit())
        count += 1
        expected_prev = entry.hash
        if count in heads and heads[count] != entry.hash:
            return _broken(
                count,
                expected_prev,
                entry.id,
                f"the log no longer passes through the head recorded at entry number {count}:"
                " the log was cut short and rewritten",
            )
    state = ChainState(count=count, head=expected_prev)
    for k in known:
        if count < k.count:
            return ChainCheck(
                state,
                ChainBreak(
                    None,
                    f"the log holds {count} entries, but {k.count} were recorded earlier:"
                    " the newest entries were deleted",
                ),
            )
    unexplained = erased - erasures_logged
    if unexplained:
        return ChainCheck(
            state,
            ChainBreak(min(unexplained), "the entry's reason was removed without an erasure entry"),
        )
    return ChainCheck(state, None)


def _broken(count: int, head: str, entry_id: int, problem: str) -> ChainCheck:
    return ChainCheck(ChainState(count=count, head=head), ChainBreak(entry_id, problem))


def audit_verify_chain() -> ChainBreak | None:
    """The first entry whose hash, link or reason does not hold, if any."""
    return audit_check_chain().problem


def audit_entries_for(target_type: str, target_id: str | int) -> QuerySet[AuditEntry]:
    """Every entry about one record, newest first: "who has seen this" on its page."""
    return AuditEntry.objects.filter(target_type=target_type, target_id=str(target_id)).order_by(
        "-id"
    )


@dataclass(frozen=True)
class AuditFilter:
    target_type: str = ""
    target_id: str = ""
    actor_id: int | None = None
    action: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    flagged_only: bool = False


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    # Ids to page from: `older_than` for the next page back in time, `newer_than` forward.
    older_than: int | None
    newer_than: int | None


def _filtered(f: AuditFilter) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.all()
    if f.target_type:
        qs = qs.filter(target_type=f.target_type)
    if f.target_id:
        qs = qs.filter(target_id=f.target_id)
    if f.actor_id is not None:
        qs = qs.filter(actor_id=f.actor_id)
    if f.action:
        qs = qs.filter(action=f.action)
    if f.date_from:
        qs = qs.filter(at__gte=oslo_midnight(f.date_from))
    if f.date_to:
        qs = qs.filter(at__lt=oslo_midnight(f.date_to + dt.timedelta(days=1)))
    if f.flagged_only:
        qs = qs.filter(flagged=True)
    return qs


def audit_page(
    f: AuditFilter, *, before: int | None = None, after: int | None = None, size: int = 50
) -> AuditPage:
    """One page of the log, newest first, paged by id (keyset): as fast on page 1,000 as
    on page 1, because the database seeks to an id instead of counting past rows.

    Ids grow with time (the hash chain is written in id order), so id order is time order.
    """
    qs = _filtered(f)
    if after is not None:
        rows = list(qs.filter(id__gt=after).order_by("id")[: size + 1])
        more_newer = len(rows) > size
        entries = list(reversed(rows[:size]))
        more_older = bool(entries) and qs.filter(id__lt=entries[-1].id).exists()
    else:
        qs_page = qs.filter(id__lt=before) if before is not None else qs
        rows = list(qs_page.order_by("-id")[: size + 1])
        more_older = len(rows) > size
        entries = rows[:size]
        more_newer = (
            before is not None and bool(entries) and qs.filter(id__gt=entries[0].id).exists()
        )
    return AuditPage(
        entries=entries,
        older_than=entries[-1].id if entries and more_older else None,
        newer_than=entries[0].id if entries and more_newer else None,
    )


def audit_reasons() -> list[tuple[int, str, str, str]]:
    """Every entry that still holds a reason, decrypted: (id, target type, target id, reason).

    For a consent withdrawal, which must find the reasons that name the person. Entries
    without a reason are skipped in SQL, so only the few with one are decrypted.
    """
    return list(
        AuditEntry.objects.exclude(reason_salt="")
        .order_by("id")
        .values_list("id", "target_type", "target_id", "reason")
    )
