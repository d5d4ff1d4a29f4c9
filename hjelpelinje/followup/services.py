"""Writing follow-up users: every write is atomic, kept in history and audited.

The audit log names the user by its database id (`target_type="followup_user"`), never by
its reference code or name, and lists field names, never values.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hjelpelinje.accounts.models import User
from hjelpelinje.audit.selectors import audit_reasons
from hjelpelinje.audit.services import audit_erase_reasons, audit_record
from hjelpelinje.core import timeutil
from hjelpelinje.followup.models import (
    PERSONAL_FIELDS,
    Activity,
    Consent,
    FollowUpUser,
    GlassBreak,
    MailItem,
    UserInquiry,
    UserVersion,
)
from hjelpelinje.followup.selectors import (
    TARGET_TYPE,
    is_manager,
    is_responsible,
    require_manage,
)
from hjelpelinje.inquiries.models import Inquiry, InquiryVersion
from hjelpelinje.taxonomy.models import Code
from hjelpelinje.taxonomy.selectors import code_get

GLASS_BREAK_MINUTES = 30
# A reason is a sentence or two; the bound keeps the audit log from carrying documents.
GLASS_BREAK_REASON_MAX = 1000
_REFERENCE = re.compile(r"^B-(\d+)$")
# Fields of the user record that are not personal but whose changes are still kept.
PLAIN_FIELDS = ("age_group", "gender", "region", "source", "first_inquiry", "has_protected_address")


def _audit(actor: User | None, action: str, user: FollowUpUser, **extra: Any) -> None:
    audit_record(actor=actor, action=action, target_type=TARGET_TYPE, target_id=user.pk, **extra)


def reference_next() -> str:
    """The next free `B-NNN` code."""
    numbers = [
        int(m.group(1))
        for ref in FollowUpUser.objects.filter(reference__startswith="B-").values_list(
            "reference", flat=True
        )
        if (m := _REFERENCE.match(ref))
    ]
    return f"B-{max(numbers, default=0) + 1:03d}"


def _value(user: FollowUpUser, field: str) -> Any:
    if field in PLAIN_FIELDS and field != "has_protected_address" and field != "source":
        return getattr(user, f"{field}_id")
    return getattr(user, field)


def _record_version(
    *,
    user: FollowUpUser,
    actor: User | None,
    action: str,
    before: dict[str, Any],
    after: dict[str, Any],
) -> list[str]:
    # On creation only the fields actually filled in count as changed.
    changed = sorted(
        f
        for f in after
        if (before.get(f) != after[f]) and (f in before or after[f] not in ("", None, False))
    )
    if not changed and action == "change":
        return []
    personal = [f for f in changed if f in PERSONAL_FIELDS]
    snapshot = {
        "before": {f: before.get(f) for f in personal},
        "after": {f: after[f] for f in personal},
    }
    UserVersion.objects.create(
        user=user,
        by=actor,
        action=action,
        fields=changed,
        snapshot=json.dumps(snapshot, ensure_ascii=False, default=str) if personal else "",
    )
    return changed


def _state(user: FollowUpUser) -> dict[str, Any]:
    return {f: _value(user, f) for f in (*PERSONAL_FIELDS, *PLAIN_FIELDS)}


def _validate_protected(has_protected: bool, code: str) -> None:
    if code not in ("", "6", "7"):
        raise ValidationError({"protected_code": _("Sperrekoden må være 6 eller 7.")})
    if has_protected and not code:
        raise ValidationError({"protected_code": _("Velg sperrekode 6 eller 7.")})


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    consent_given_on: dt.date,
    consent_method: str,
    age_group: Code,
    gender: Code,
    region: Code,
    source: str,
    reference: str = "",
    name: str = "",
    phone: str = "",
    email: str = "",
    birth_year: str = "",
    notes: str = "",
    first_inquiry: Inquiry | None = None,
    responsible: Iterable[User] = (),
    protected_code: str = "",
    address: str = "",
    consent_note: str = "",
) -> FollowUpUser:
    """Create a user together with their consent: there is no user without consent."""
    if consent_given_on is None:
        raise ValidationError({"consent_given_on": _("Uten samtykke kan ingen bruker opprettes.")})
    _validate_protected(bool(protected_code), protected_code)
    user = FollowUpUser(
        reference=reference.strip() or reference_next(),
        name=name,
        phone=phone,
        email=email,
        birth_year=birth_year,
        age_group=age_group,
        gender=gender,
        region=region,
        source=source,
        first_inquiry=first_inquiry,
        notes=notes,
        has_protected_address=bool(protected_code),
        protected_code=protected_code,
        address=address,
        created_by=actor,
    )
    user.full_clean()
    user.save()
    consent = Consent(
        user=user,
        given_on=consent_given_on,
        method=consent_method,
        note=consent_note,
        recorded_by=actor,
    )
    consent.full_clean()
    consent.save()
    user.responsible.set(list(responsible))
    changed = _record_version(
        user=user, actor=actor, action="create", before={}, after=_state(user)
    )
    _audit(actor, "followup.create", user, fields=[*changed, "consent", "responsible"])
    return user


def _require_active(user: FollowUpUser) -> None:
    if user.withdrawn:
        raise PermissionDenied


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: FollowUpUser,
    responsible: Iterable[User] | None = None,
    **changes: Any,
) -> list[str]:
    """Change the user record; returns the names of the changed fields."""
    require_manage(actor, user)
    _require_active(user)
    allowed = set(PERSONAL_FIELDS) - {"protected_code", "address"} | set(PLAIN_FIELDS)
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    before = _state(user)
    after_responsible: set[int] | None = None
    if responsible is not None:
        responsible = list(responsible)
        before["responsible"] = sorted(user.responsible.values_list("pk", flat=True))
        after_responsible = {s.pk for s in responsible}
        user.responsible.set(responsible)
    for field, value in changes.items():
        setattr(user, field, value)
    user.full_clean()
    user.save()
    after = _state(user)
    if after_responsible is not None:
        after["responsible"] = sorted(after_responsible)
    changed = _record_version(user=user, actor=actor, action="change", before=before, after=after)
    if changed:
        _audit(actor, "followup.change", user, fields=changed)
    return changed


@transaction.atomic
def user_set_address(
    *, actor: User, user: FollowUpUser, protected_code: str, address: str
) -> list[str]:
    """Set or clear the protected address. Only those who may see it may change it."""
    require_manage(actor, user)
    _require_active(user)
    _validate_protected(bool(protected_code), protected_code)
    before = _state(user)
    user.protected_code = protected_code
    user.address = address if protected_code else ""
    user.has_protected_address = bool(protected_code)
    user.full_clean()
    user.save()
    changed = _record_version(
        user=user, actor=actor, action="change", before=before, after=_state(user)
    )
    if changed:
        _audit(actor, "followup.change", user, fields=changed)
    return changed


def user_viewed(*, actor: User, user: FollowUpUser, shielded_shown: bool) -> None:
    """Every opening of a user page is logged, with whether the shielded data was shown."""
    fields = ["protected_code", "address"] if shielded_shown and user.has_protected_address else []
    _audit(actor, "followup.view", user, fields=fields)


def user_exported(*, actor: User, user: FollowUpUser, fmt: str) -> None:
    _audit(actor, f"followup.export_{fmt}", user)


@transaction.atomic
def glass_break(*, actor: User, user: FollowUpUser, reason: str) -> GlassBreak:
    """Open a user's shielded data in an emergency; flagged for the managers."""
    reason = reason.strip()
    if len(reason) < 10:
        raise ValidationError({"reason": _("Skriv en begrunnelse (minst 10 tegn).")})
    if len(reason) > GLASS_BREAK_REASON_MAX:
        raise ValidationError(
            {"reason": _("Begrunnelsen kan ha høyst %(n)d tegn.") % {"n": GLASS_BREAK_REASON_MAX}}
        )
    if not user.has_protected_address or user.withdrawn:
        raise ValidationError(_("Denne brukeren har ingen skjermede opplysninger."))
    # The reason is encrypted in the audit log and a withdrawal erases it, but until then
    # managers read it on the flagged list, so it should not name the user. The address is
    # deliberately not checked: refusing a reason that contains it would let someone test
    # guesses of the address.
    identifying = [user.name, user.phone, user.email, user.reference]
    identifying += [part for part in user.name.split() if len(part) >= 3]
    folded = reason.casefold()
    if any(value and value.casefold() in folded for value in identifying):
        raise ValidationError(
            {
                "reason": _(
                    "Ikke skriv navn, kontaktopplysninger eller referansekode i begrunnelsen."
                )
            }
        )
    grant = GlassBreak.objects.create(
        user=user,
        staff=actor,
        expires_at=timeutil.now() + dt.timedelta(minutes=GLASS_BREAK_MINUTES),
    )
    _audit(
        actor,
        "followup.break_glass",
        user,
        fields=["protected_code", "address"],
        reason=reason,
        flagged=True,
    )
    return grant


@transaction.atomic
def activity_add(
    *,
    actor: User | None,
    user: FollowUpUser,
    category: Code,
    done_on: dt.date,
    agency: Code | None = None,
    note: str = "",
    audit: bool = True,
) -> Activity:
    """Log an activity. A `mail` activity also opens an entry in the mail log."""
    _require_active(user)
    activity = Activity(
        user=user, category=category, done_on=done_on, agency=agency, note=note, done_by=actor
    )
    activity.full_clean()
    activity.save()
    if category.code == "mail":
        MailItem.objects.create(activity=activity, user=user, received_on=done_on)
    if audit:
        _audit(actor, "followup.activity_add", user, fields=["activity"])
    return activity


@transaction.atomic
def mail_item_add(
    *,
    actor: User,
    user: FollowUpUser,
    received_on: dt.date,
    sender_type: str = "",
    outcome: str = "",
    outcome_on: dt.date | None = None,
    note: str = "",
) -> MailItem:
    """Log mail received for the user; it counts as a `mail` activity."""
    _require_active(user)
    activity = activity_add(
        actor=actor,
        user=user,
        category=code_get("activity", "mail"),
        done_on=received_on,
        audit=False,
    )
    item = activity.mail_item
    item.sender_type = sender_type
    item.outcome = outcome
    item.outcome_on = outcome_on
    item.note = note
    item.full_clean()
    item.save()
    _audit(actor, "followup.mail_add", user, fields=["mail"])
    return item


@transaction.atomic
def mail_item_update(
    *, actor: User, item: MailItem, outcome: str, outcome_on: dt.date | None
) -> MailItem:
    """Record that mail was collected by the user or forwarded, and when."""
    _require_active(item.user)
    item.outcome = outcome
    item.outcome_on = outcome_on
    item.full_clean()
    item.save()
    _audit(actor, "followup.mail_update", item.user, fields=["mail"])
    return item


@transaction.atomic
def user_inquiry_add(
    *,
    actor: User | None,
    user: FollowUpUser,
    occurred_on: dt.date,
    channel: Code | None,
    audit: bool = True,
) -> UserInquiry:
    _require_active(user)
    inquiry = UserInquiry(user=user, occurred_on=occurred_on, channel=channel, recorded_by=actor)
    inquiry.full_clean()
    inquiry.save()
    if audit:
        _audit(actor, "followup.inquiry_add", user, fields=["inquiry"])
    return inquiry


def _random_reference() -> str:
    while True:
        candidate = f"X-{secrets.token_hex(6)}"
        if not FollowUpUser.objects.filter(reference=candidate).exists():
            return candidate


@transaction.atomic
def user_withdraw_consent(*, actor: User, user: FollowUpUser) -> FollowUpUser:
    """Erase every piece of personal data about the user, at once and irreversibly.

    What remains is anonymous: a random id, age group, gender, region, source, whether an
    address was protected, the consent period, and the dates and categories of activities
    and inquiries, so that the statistics of every year stay the same. History rows keep
    which fields changed and when, but lose their values.
    """
    if not (is_manager(actor) or (actor.can("followup.edit") and is_responsible(actor, user))):
        raise PermissionDenied
    user = FollowUpUser.objects.select_for_update().get(pk=user.pk)
    _require_active(user)
    now = timeutil.now()
    _erase_free_text_about(actor=actor, user=user)
    for field in PERSONAL_FIELDS:
        setattr(user, field, "")
    user.reference = _random_reference()
    user.first_inquiry = None
    user.withdrawn_at = now
    user.save()
    Consent.objects.filter(user=user).update(note="", withdrawn_on=timeutil.local_now().date())
    # Update querysets bypass the field's encryption, which is what we want for "".
    Activity.objects.filter(user=user).update(note="", agency=None)
    MailItem.objects.filter(user=user).update(sender_type="", outcome="", outcome_on=None, note="")
    UserVersion.objects.filter(user=user).update(snapshot="")
    GlassBreak.objects.filter(user=user).delete()
    UserVersion.objects.create(user=user, by=actor, action="withdraw", fields=[], snapshot="")
    _audit(actor, "followup.withdraw", user, fields=list(PERSONAL_FIELDS))
    return user


_DIGIT_GAPS = re.compile(r"(?<=\d)[\s.\-/]+(?=\d)")


def _folded(text: str) -> str:
    """Case folded, with the spaces and dashes inside numbers removed: "912 34 567"."""
    return _DIGIT_GAPS.sub("", text.casefold())


def _identifying_patterns(user: FollowUpUser) -> list[re.Pattern[str]]:
    """What free text naming this user would contain: current and earlier values.

    Earlier values come from the history snapshots, read before the withdrawal empties
    them. Names and references match as whole words (a first name of three letters must
    not match inside another word); a phone number by its last eight digits, however it
    was spaced; an address by each of its lines.
    """
    values: dict[str, set[str]] = {f: {getattr(user, f)} for f in ("name", "phone", "email")}
    values["address"] = {user.address}
    values["reference"] = {user.reference}
    for snapshot in UserVersion.objects.filter(user=user).values_list("snapshot", flat=True):
        if not snapshot:
            continue
        data = json.loads(snapshot)
        for side in ("before", "after"):
            for field, value in (data.get(side) or {}).items():
                if field in values and isinstance(value, str):
                    values[field].add(value)
    words: set[str] = set()
    parts: set[str] = set()
    for name in values["name"]:
        words.add(name.strip())
        words.update(p for p in name.split() if len(p) >= 3)
    words.update(r.strip() for r in values["reference"])
    parts.update(e.strip() for e in values["email"])
    for address in values["address"]:
        parts.update(line.strip() for line in re.split(r"[,\n]", address) if len(line.strip()) >= 5)
    for phone in values["phone"]:
        digits = re.sub(r"\D", "", phone)
        if len(digits) >= 5:
            parts.add(digits[-8:])
    patterns = [re.compile(rf"(?<!\w){re.escape(_folded(w))}(?!\w)") for w in words if w]
    patterns += [re.compile(re.escape(_folded(p))) for p in parts if p]
    return patterns


def _erase_free_text_about(*, actor: User, user: FollowUpUser) -> None:
    """Erase the free text outside the user's record that is about the user.

    Reasons in the audit log on entries about this user (a break-the-glass reason can hold
    the address or another phone number) go whatever they say. Reasons anywhere else, and
    the deletion reasons of inquiries, go when they name the user: the user's first inquiry
    always, other inquiries (a duplicate deleted "because Zainab called twice") when the
    text matches. Matching cannot know every spelling; the reasons are encrypted, and the
    forms ask staff not to name anyone in them.
    """
    patterns = _identifying_patterns(user)

    def names_user(text: str) -> bool:
        folded = _folded(text)
        return any(p.search(folded) for p in patterns)

    entry_ids = [
        pk
        for pk, target_type, target_id, reason in audit_reasons()
        if (target_type == TARGET_TYPE and target_id == str(user.pk)) or names_user(reason)
    ]
    audit_erase_reasons(actor=actor, entry_ids=entry_ids)

    # The inquiry register is another app's, but its deletion reasons are free text that a
    # withdrawal promises to erase, so they are emptied here, in the same transaction, and
    # each erasure is logged against the inquiry.
    deleted = Inquiry.objects.exclude(deletion_reason="").filter(deleted_at__isnull=False)
    inquiry_ids = [
        pk
        for pk, reason in deleted.values_list("pk", "deletion_reason")
        if pk == user.first_inquiry_id or names_user(reason)
    ]
    Inquiry.objects.filter(pk__in=inquiry_ids).update(deletion_reason="")
    _log_erased(actor, "inquiry.reason_erase", "deletion_reason", inquiry_ids)

    # An inquiry's summary is free text too: the user's first inquiry was about her, and
    # another may name her. Its codes stay (they are the statistics); the summary goes,
    # on the record and in every earlier version of it.
    summaries = [
        pk
        for pk, summary in Inquiry.objects.exclude(summary="").values_list("pk", "summary")
        if pk == user.first_inquiry_id or names_user(summary)
    ]
    versions = [
        version
        for version in InquiryVersion.objects.iterator()
        if version.inquiry_id == user.first_inquiry_id or names_user(version.snapshot)
    ]
    Inquiry.objects.filter(pk__in=summaries).update(summary="")
    for version in versions:
        state = json.loads(version.snapshot)
        state["summary"] = ""
        version.snapshot = json.dumps(state, ensure_ascii=False)
        version.save(update_fields=["snapshot"])
    erased = sorted(set(summaries) | {v.inquiry_id for v in versions})
    _log_erased(actor, "inquiry.summary_erase", "summary", erased)


def _log_erased(actor: User, action: str, field: str, inquiry_ids: list[int]) -> None:
    for pk in inquiry_ids:
        audit_record(
            actor=actor, action=action, target_type="inquiry", target_id=pk, fields=[field]
        )
