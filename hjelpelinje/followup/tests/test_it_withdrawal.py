"""Consent withdrawal erases every personal string of the user, everywhere, and the
statistics stay the same."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from hjelpelinje.audit.models import AuditEntry
from hjelpelinje.audit.services import audit_record
from hjelpelinje.core import crypto
from hjelpelinje.followup.models import (
    Activity,
    Consent,
    FollowUpUser,
    GlassBreak,
    MailItem,
    UserVersion,
)
from hjelpelinje.followup.services import (
    activity_add,
    glass_break,
    mail_item_add,
    user_inquiry_add,
    user_update,
)
from hjelpelinje.inquiries.models import Inquiry
from hjelpelinje.reporting import statistics
from hjelpelinje.taxonomy.selectors import code_get

from .conftest import ADDRESS, CONSENT_NOTE, EMAIL, NAME, NOTES, PHONE

OLD_NAME = "Zainab Tidligerenavn"
OLD_PHONE = "+47 400 11 222"
ACTIVITY_NOTE = "Ringte Nav-kontoret på Quxlevik om bostøtte"
MAIL_NOTE = "Brev fra Skatteetaten til Zainab"
REFERENCE = "B-777"
# The phone number written as people write it, not as the record holds it: the
# break-the-glass form refuses the record's own spelling, not this one.
REASON_PHONE = "912 34 567"
BREAK_GLASS_REASON = f"Politiet må til {ADDRESS} nå, hun ringte fra {REASON_PHONE}"
DELETION_REASON = f"Registrert to ganger: {NAME} ringte to ganger samme kveld"


def _stats() -> Any:
    return statistics.year_statistics(2023)["follow_up"]


_TOKEN = re.compile(r"gAAAAA[A-Za-z0-9_\-]+=*")


def _texts(table: str, value: object, *, decrypt: bool) -> list[str]:
    """A raw column value as text, and with `decrypt` whatever it holds in encrypted form.

    Bytes are decoded, sessions unpacked, and every Fernet token found anywhere in the
    value (a whole column, or one inside JSON) is decrypted with the field keys, the way
    someone holding the database and the keys would read it.
    """
    if isinstance(value, bytes | memoryview):
        text = bytes(value).decode("utf-8", errors="ignore")
    else:
        text = str(value)
    texts = [text]
    if table == "django_session" and decrypt:
        texts.append(json.dumps(SessionStore().decode(text), ensure_ascii=False))
    if decrypt:
        # A token no key opens fails the test: what the scan cannot read, it cannot check.
        texts += [crypto.decrypt(token) for token in _TOKEN.findall(text)]
    return texts


def _hits(needles: list[str], *, decrypt: bool = False) -> set[tuple[str, str, str]]:
    """Every (table, column, needle) where a needle occurs: every column of every table.

    It reads the database as it is stored (`SELECT *` through introspection, no models),
    so no table or column can be left out by forgetting to list it.
    """
    hits = set()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        assert "audit_auditentry" in tables and "inquiries_inquiry" in tables
        for table in tables:
            cursor.execute(f"SELECT * FROM {quote(table)}")
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if value is None:
                        continue
                    folded = " ".join(_texts(table, value, decrypt=decrypt)).casefold()
                    hits |= {(table, column, n) for n in needles if n.casefold() in folded}
    return hits


def _found(needles: list[str], *, decrypt: bool = False) -> set[str]:
    return {n for _, _, n in _hits(needles, decrypt=decrypt)}


@pytest.mark.django_db
def test_withdrawal_erases_everything_personal_and_keeps_the_statistics(
    shielded_user, counsellor, other_counsellor, manager, client_for
):
    user = shielded_user
    # History with earlier values, activities, inquiries, mail, accesses.
    user_update(actor=counsellor, user=user, name=OLD_NAME, phone=OLD_PHONE)
    user_update(actor=counsellor, user=user, name=NAME, phone=PHONE)
    activity_add(
        actor=counsellor,
        user=user,
        category=code_get("activity", "nav"),
        done_on=dt.date(2023, 4, 27),
        agency=code_get("agency", "other"),
        note=ACTIVITY_NOTE,
    )
    mail_item_add(
        actor=counsellor,
        user=user,
        received_on=dt.date(2023, 5, 2),
        sender_type="public",
        outcome="collected",
        outcome_on=dt.date(2023, 5, 4),
        note=MAIL_NOTE,
    )
    user_inquiry_add(
        actor=counsellor,
        user=user,
        occurred_on=dt.date(2023, 6, 1),
        channel=code_get("channel", "chat"),
    )
    glass_break(actor=other_counsellor, user=user, reason="Akutt sikkerhetsvurdering med politiet")
    assert client_for(manager).get(reverse("followup:detail", args=[user.pk])).status_code == 200
    assert (
        client_for(manager).get(reverse("followup:export_json", args=[user.pk])).status_code == 200
    )

    needles = [
        NAME,
        OLD_NAME,
        PHONE,
        OLD_PHONE,
        EMAIL,
        NOTES,
        ADDRESS,
        CONSENT_NOTE,
        ACTIVITY_NOTE,
        MAIL_NOTE,
        REFERENCE,
    ]
    # The scan must find the strings before withdrawal, or it proves nothing afterwards.
    assert _found(needles, decrypt=True) == set(needles)
    assert _found(needles) == {REFERENCE}, "only the reference is plain"
    before = _stats()

    response = client_for(counsellor).post(
        reverse("followup:withdraw", args=[user.pk]), {"reference": REFERENCE}
    )
    assert response.status_code == 302

    assert _hits(needles, decrypt=True) == set()
    user.refresh_from_db()
    assert user.withdrawn and user.reference != REFERENCE
    assert user.birth_year == "" and user.protected_code == ""
    assert all(v.snapshot == "" for v in UserVersion.objects.filter(user=user))
    assert Consent.objects.get(user=user).withdrawn_on is not None
    # The anonymous record remains: categories and dates of activities and inquiries.
    assert sorted(Activity.objects.filter(user=user).values_list("category__code", "done_on")) == [
        ("mail", dt.date(2023, 5, 2)),
        ("nav", dt.date(2023, 4, 27)),
    ]
    assert MailItem.objects.get(user=user).received_on == dt.date(2023, 5, 2)
    assert user.inquiries.count() == 1
    assert _stats() == before
    assert before["users"] == 1 and before["protected_address_users"] == 1

    page = client_for(counsellor).get(reverse("followup:detail", args=[user.pk])).content.decode()
    assert "Samtykke trukket" in page
    assert not any(n in page for n in needles)


@pytest.mark.django_db
def test_withdrawal_needs_the_typed_reference_and_cannot_be_repeated(
    shielded_user, counsellor, client_for
):
    client = client_for(counsellor)
    url = reverse("followup:withdraw", args=[shielded_user.pk])
    response = client.post(url, {"reference": "B-778"})
    assert response.status_code == 200 and "stemmer ikke" in response.content.decode()
    shielded_user.refresh_from_db()
    assert not shielded_user.withdrawn
    client.post(url, {"reference": "b-777"})
    shielded_user.refresh_from_db()
    assert shielded_user.withdrawn
    # Withdrawn users cannot be edited or given activities.
    assert client.get(reverse("followup:edit", args=[shielded_user.pk])).status_code == 403
    response = client.post(
        reverse("followup:activity_add", args=[shielded_user.pk]),
        {"category": code_get("activity", "nav").pk, "done_on": "2023-05-01"},
    )
    assert response.status_code == 403
    assert FollowUpUser.objects.get(pk=shielded_user.pk).activities.count() == 0


def _inquiry() -> Inquiry:
    return Inquiry.objects.create(
        channel=code_get("channel", "phone"),
        age_group=code_get("age_group", "18-25"),
        gender=code_get("gender", "female"),
        region=code_get("region", "ostlandet"),
        caller=code_get("caller", "self"),
    )


def _sql(statement: str, params: list[str | int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.mark.django_db
def test_withdrawal_erases_the_reasons_that_name_the_user(
    shielded_user, counsellor, other_counsellor, manager, client_for
):
    """A break-the-glass reason with the address and a phone number, and an inquiry's
    deletion reason with the name: found before the withdrawal, nowhere after it."""
    user = shielded_user
    response = client_for(other_counsellor).post(
        reverse("followup:glass_break", args=[user.pk]), {"reason": BREAK_GLASS_REASON}
    )
    assert response.status_code == 302 and GlassBreak.objects.filter(user=user).exists()
    duplicate = _inquiry()
    response = client_for(manager).post(
        reverse("inquiries:delete", args=[duplicate.pk]), {"reason": DELETION_REASON}
    )
    assert response.status_code == 302
    needles = [NAME, REASON_PHONE, ADDRESS]

    # Before: in these very columns, and only in encrypted form.
    where = _hits(needles, decrypt=True)
    assert ("audit_auditentry", "reason", REASON_PHONE) in where
    assert ("audit_auditentry", "reason", ADDRESS) in where
    assert ("inquiries_inquiry", "deletion_reason", NAME) in where
    assert _hits(needles) == set()

    response = client_for(counsellor).post(
        reverse("followup:withdraw", args=[user.pk]), {"reference": REFERENCE}
    )
    assert response.status_code == 302

    assert _hits(needles, decrypt=True) == set()
    # What happened stays on record: who broke the glass, who deleted the inquiry, when.
    glass = AuditEntry.objects.get(action="followup.break_glass")
    assert glass.actor_label == "ola" and glass.flagged and glass.reason == ""
    duplicate.refresh_from_db()
    assert duplicate.deleted_at is not None and duplicate.deletion_reason == ""
    assert AuditEntry.objects.filter(action="inquiry.delete", target_id=str(duplicate.pk)).exists()
    # And the log still verifies: the erasure is the one change its chain allows.
    call_command("verify_audit")
    # The manager reading the log sees that a reason was erased, and why.
    page = client_for(manager).get(reverse("audit:list")).content.decode()
    assert "slettet da samtykket ble trukket" in page
    assert not any(n in page for n in (ADDRESS, REASON_PHONE, NAME))


@pytest.mark.django_db
def test_the_scan_finds_a_reason_kept_in_plain_text(shielded_user, manager):
    """The scan can fail: a reason stored as plain text (as before encryption) is found."""
    entry = audit_record(
        actor=manager,
        action="followup.break_glass",
        target_type="followup_user",
        target_id=shielded_user.pk,
        reason="placeholder",
    )
    duplicate = _inquiry()
    _sql("UPDATE audit_auditentry SET reason = %s WHERE id = %s", [BREAK_GLASS_REASON, entry.pk])
    _sql(
        "UPDATE inquiries_inquiry SET deletion_reason = %s WHERE id = %s",
        [DELETION_REASON, duplicate.pk],
    )
    where = _hits([NAME, REASON_PHONE, ADDRESS])
    assert ("audit_auditentry", "reason", ADDRESS) in where
    assert ("audit_auditentry", "reason", REASON_PHONE) in where
    assert ("inquiries_inquiry", "deletion_reason", NAME) in where


@pytest.mark.django_db
def test_reasons_elsewhere_are_erased_when_they_name_the_user_however_spelt(
    shielded_user, counsellor, manager, client_for
):
    """Reasons on entries about other records go only when they name the user: an earlier
    phone number from the history, spaced differently; the name as a whole word."""
    user_update(actor=counsellor, user=shielded_user, phone=OLD_PHONE)
    user_update(actor=counsellor, user=shielded_user, phone=PHONE)

    def reason_on_another_record(reason: str) -> AuditEntry:
        return audit_record(
            actor=manager, action="inquiry.import", target_type="inquiry", reason=reason
        )

    old_phone = reason_on_another_record("Ringte fra 40011222 om brev")
    name_part = reason_on_another_record("Samtale om Quxlevik og søsteren")
    unrelated = reason_on_another_record("Importert fra Zainabs-skjema, Quxlevikene-mappen")
    response = client_for(counsellor).post(
        reverse("followup:withdraw", args=[shielded_user.pk]), {"reference": REFERENCE}
    )
    assert response.status_code == 302

    assert AuditEntry.objects.get(pk=old_phone.pk).reason_erased
    assert AuditEntry.objects.get(pk=name_part.pk).reason_erased
    # "Zainabs" and "Quxlevikene" are other words: matching whole words keeps this one.
    assert AuditEntry.objects.get(pk=unrelated.pk).reason == unrelated.reason
    call_command("verify_audit")


@pytest.mark.django_db
def test_withdrawal_erases_the_summaries_about_the_user(
    shielded_user, counsellor, manager, client_for
):
    """The first inquiry's summary, its earlier versions, and another inquiry's summary
    naming the user: found before, gone after; a summary about someone else stays, and so
    do every inquiry's codes."""
    from hjelpelinje.inquiries.models import InquiryVersion

    user = shielded_user
    first = _inquiry()
    first.summary = f"{NAME} ringte om tvangsekteskap, bor i {ADDRESS}"
    first.save()
    InquiryVersion.objects.create(
        inquiry=first,
        number=1,
        changed_fields=["summary"],
        snapshot=json.dumps({"summary": f"Jente ringte fra {REASON_PHONE}", "relevant": True}),
    )
    FollowUpUser.objects.filter(pk=user.pk).update(first_inquiry=first)
    other = _inquiry()
    other.summary = f"Venninne av {NAME} ringte bekymret"
    other.save()
    unrelated = _inquiry()
    unrelated.summary = "Lærer ringte om en elev på Østlandet"
    unrelated.save()
    needles = [NAME, ADDRESS, REASON_PHONE]
    where = _hits(needles, decrypt=True)
    assert ("inquiries_inquiry", "summary", NAME) in where
    assert ("inquiries_inquiryversion", "snapshot", REASON_PHONE) in where

    response = client_for(counsellor).post(
        reverse("followup:withdraw", args=[user.pk]), {"reference": REFERENCE}
    )
    assert response.status_code == 302

    assert _hits(needles, decrypt=True) == set()
    unrelated.refresh_from_db()
    assert unrelated.summary == "Lærer ringte om en elev på Østlandet"
    first.refresh_from_db()
    assert first.summary == "" and first.channel.code == "phone"
    assert json.loads(first.versions.get().snapshot) == {"summary": "", "relevant": True}
    page = client_for(manager).get(reverse("audit:list")).content.decode()
    assert "Slettet sammendraget" in page
    call_command("verify_audit")
