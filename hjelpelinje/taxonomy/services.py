"""Editing the code lists. A code never changes once created; labels and order do.

Records point at the Code row, so a new label shows on every old record at once while the
stable code (what statistics, imports and JSON use) stays the same. Entries are never
deleted: a deactivated entry is no longer offered in forms but stays on its records.
"""

from __future__ import annotations

import re
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from hjelpelinje.accounts.models import User
from hjelpelinje.audit.services import audit_record
from hjelpelinje.taxonomy.models import Code, CodeList

# What a code may look like: `walk_in`, `0-18`, `35+`. It travels in imports and JSON.
CODE_PATTERN = re.compile(r"[a-z0-9_+-]+")


def _check_labels_distinct(*, list_name: str, code: str, labels: list[str], pk: int | None) -> None:
    """Imports accept a code or either label, case-insensitively, so within one list no
    label may equal another entry's code or label, or one value would mean two entries."""
    taken: dict[str, Code] = {}
    others = Code.objects.filter(list=list_name)
    if pk is not None:
        others = others.exclude(pk=pk)
    for other in others:
        for key in (other.code, other.label, other.label_en):
            if key:
                taken[key.strip().casefold()] = other
    checks = list(zip(("label", "label_en"), labels, strict=True))
    if pk is None:
        checks.insert(0, ("code", code))
    for name, value in checks:
        clash = taken.get(value.strip().casefold()) if value else None
        if clash is not None:
            raise ValidationError(
                {
                    name: _("«%(value)s» brukes allerede av %(code)s i denne listen.")
                    % {"value": value, "code": clash.code}
                }
            )


@transaction.atomic
def code_create(*, actor: User, list_name: str, code: str, label: str, label_en: str = "") -> Code:
    if list_name not in CodeList.values:
        raise ValidationError(_("Ukjent kodeliste."))
    if not CODE_PATTERN.fullmatch(code):
        raise ValidationError({"code": _("Koden kan bare ha små bokstaver a-z, sifre, _, - og +.")})
    if Code.objects.filter(list=list_name, code=code).exists():
        raise ValidationError({"code": _("Koden finnes allerede i denne listen.")})
    _check_labels_distinct(list_name=list_name, code=code, labels=[label, label_en], pk=None)
    last = Code.objects.filter(list=list_name).aggregate(last=Max("position"))["last"] or 0
    entry = Code(list=list_name, code=code, label=label, label_en=label_en, position=last + 1)
    entry.full_clean()
    entry.save()
    audit_record(
        actor=actor,
        action="code.create",
        target_type="code",
        target_id=entry.pk,
        fields=["list", "code", "label", "label_en"],
    )
    return entry


@transaction.atomic
def code_rename(*, actor: User, code: Code, label: str, label_en: str) -> Code:
    """Change the labels only; the code itself is fixed for good."""
    changed = [
        name
        for name, value in (("label", label), ("label_en", label_en))
        if getattr(code, name) != value
    ]
    if not changed:
        return code
    _check_labels_distinct(
        list_name=code.list, code=code.code, labels=[label, label_en], pk=code.pk
    )
    code.label = label
    code.label_en = label_en
    code.full_clean()
    code.save(update_fields=changed)
    audit_record(
        actor=actor, action="code.rename", target_type="code", target_id=code.pk, fields=changed
    )
    return code


@transaction.atomic
def code_set_active(*, actor: User, code: Code, active: bool) -> Code:
    if code.active == active:
        return code
    code.active = active
    code.save(update_fields=["active"])
    audit_record(
        actor=actor,
        action="code.activate" if active else "code.deactivate",
        target_type="code",
        target_id=code.pk,
        fields=["active"],
    )
    return code


@transaction.atomic
def code_move(*, actor: User, code: Code, direction: Literal["up", "down"]) -> Code:
    """Swap an entry with its neighbour (active or not) in the list's order."""
    # Lock the list while renumbering, so two managers reordering at once cannot
    # interleave; renumbering also repairs ties left by older data.
    entries = list(
        Code.objects.select_for_update().filter(list=code.list).order_by("position", "id")
    )
    index = next(i for i, entry in enumerate(entries) if entry.pk == code.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(entries):
        return code
    entries[index], entries[other] = entries[other], entries[index]
    moved = [entry for position, entry in enumerate(entries, start=1) if entry.position != position]
    for position, entry in enumerate(entries, start=1):
        entry.position = position
    Code.objects.bulk_update(moved, ["position"])
    audit_record(
        actor=actor, action="code.move", target_type="code", target_id=code.pk, fields=["position"]
    )
    code.refresh_from_db(fields=["position"])
    return code
