"""Consent withdrawal erases every personal string of the user, everywhere, and the
statistics stay the same."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from hjelpelinje.core.fields import encrypted_fields
from hjelpelinje.followup.models import Activity, Consent, FollowUpUser, MailItem, UserVersion
from hjelpelinje.followup.services import (
    activity_add,
    glass_break,
    mail_item_add,
    user_inquiry_add,
    user_update,
)
from hjelpelinje.reporting import statistics
from hjelpelinje.taxonomy.selectors import code_get

from .conftest import ADDRESS, CONSENT_NOTE, EMAIL, NAME, NOTES, PHONE

OLD_NAME = "Zainab Tidligerenavn"
OLD_PHONE = "+47 400 11 222"
ACTIVITY_NOTE = "Ringte Nav-kontoret på Quxlevik om bostøtte"
MAIL_NOTE = "Brev fra Skatteetaten til Zainab"
REFERENCE = "B-777"


def _stats() -> Any:
    return statistics.year_statistics(2023)["follow_up"]


def _plaintext_hits(needles: list[str]) -> list[tuple[str, str, str]]:
    """Every (table, column, needle) where a needle occurs in raw SQL content."""
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if value is None:
                        continue
                    if isinstance(value, bytes | memoryview):
                        text = bytes(value).decode("utf-8", errors="ignore")
                    else:
                        text = str(value)
                    folded = text.casefold()
                    hits += [(table, column, n) for n in needles if n.casefold() in folded]
    return hits


def _decrypted_hits(needles: list[str]) -> list[tuple[str, str, str]]:
    """The same search in every EncryptedTextField of every model, decrypted."""
    hits = []
    for model in apps.get_models():
        fields = encrypted_fields(model)
        for field in fields:
            for value in model._default_manager.values_list(field.name, flat=True):
                if value:
                    hits += [
                        (model._meta.label, field.name, n)
                        for n in needles
                        if n.casefold() in value.casefold()
                    ]
    return hits


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
    found = {n for _, _, n in _decrypted_hits(needles)} | {
        n for _, _, n in _plaintext_hits(needles)
    }
    assert found == set(needles)
    assert {n for _, _, n in _plaintext_hits(needles)} == {REFERENCE}, "only the reference is plain"
    before = _stats()

    response = client_for(counsellor).post(
        reverse("followup:withdraw", args=[user.pk]), {"reference": REFERENCE}
    )
    assert response.status_code == 302

    assert _plaintext_hits(needles) == []
    assert _decrypted_hits(needles) == []
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
