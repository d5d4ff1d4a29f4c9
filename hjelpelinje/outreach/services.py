"""Writing outreach records: every create, change and delete goes through here.

All outreach records share one shape of write (check who may, validate, save, audit),
so one pair of services serves them all instead of a dozen copies. Audit rows hold the
record's kind, id and the names of the changed fields, never values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model

from hjelpelinje.accounts.models import User
from hjelpelinje.audit.services import audit_record
from hjelpelinje.outreach.models import SocialPost
from hjelpelinje.outreach.selectors import outreach_can_change

R = TypeVar("R", bound=Model)


def _kind(record: Model) -> str:
    return record._meta.model_name or type(record).__name__.lower()


@transaction.atomic
def outreach_record_save(
    *,
    actor: User,
    record: R,
    changed: Iterable[str] = (),
    m2m: Mapping[str, Iterable[Any]] | None = None,
) -> R:
    """Create or update an outreach record after checking `actor` may and validating it."""
    if not outreach_can_change(actor, record):
        raise PermissionDenied
    creating = record.pk is None
    if creating and hasattr(record, "created_by_id"):
        record.created_by = actor  # type: ignore[attr-defined]
    record.full_clean()
    record.save()
    for name, values in (m2m or {}).items():
        getattr(record, name).set(values)
    audit_record(
        actor=actor,
        action=f"outreach.{_kind(record)}.{'create' if creating else 'update'}",
        target_type=f"outreach.{_kind(record)}",
        target_id=record.pk,
        fields=changed,
    )
    return record


@transaction.atomic
def outreach_record_delete(*, actor: User, record: Model) -> None:
    if not outreach_can_change(actor, record):
        raise PermissionDenied
    kind, pk = _kind(record), record.pk
    record.delete()
    audit_record(
        actor=actor, action=f"outreach.{kind}.delete", target_type=f"outreach.{kind}", target_id=pk
    )


# Social-media posts: the named services the quick-add form and the list call. They are
# the shared save and delete above, so a post is checked, validated and audited as every
# other outreach record is (a counsellor changes her own posts, a manager any).


def social_post_create(
    *, actor: User, platform: str, date: dt.date, title: str = "", link: str = ""
) -> SocialPost:
    post = SocialPost(platform=platform, date=date, title=title, link=link)
    return outreach_record_save(actor=actor, record=post, changed=_given(post))


def social_post_update(*, actor: User, post: SocialPost, **changes: Any) -> SocialPost:
    allowed = {"platform", "date", "title", "link"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    changed = [name for name, value in changes.items() if getattr(post, name) != value]
    for name, value in changes.items():
        setattr(post, name, value)
    return outreach_record_save(actor=actor, record=post, changed=changed)


def social_post_delete(*, actor: User, post: SocialPost) -> None:
    outreach_record_delete(actor=actor, record=post)


def _given(post: SocialPost) -> list[str]:
    return [name for name in ("platform", "date", "title", "link") if getattr(post, name)]
