from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from hjelpelinje.accounts.models import User
from hjelpelinje.audit.models import AuditEntry
from hjelpelinje.core.timeutil import OSLO
from hjelpelinje.inquiries.models import Inquiry, InquiryVersion
from hjelpelinje.inquiries.services import inquiry_delete, inquiry_update
from hjelpelinje.inquiries.tests.factories import code, data, make

pytestmark = pytest.mark.django_db


def test_create_stores_codes_country_and_encrypted_summary(counsellor: User) -> None:
    inquiry = make(
        counsellor,
        country_background="Irak",
        themes=[code("theme", "forced_marriage")],
        summary="Redd for sommerferien.",
    )
    inquiry.refresh_from_db()
    assert inquiry.country_background == "Iraq"
    assert [c.code for c in inquiry.themes.all()] == ["forced_marriage"]
    assert inquiry.summary == "Redd for sommerferien."
    with connection.cursor() as cursor:
        cursor.execute("SELECT summary FROM inquiries_inquiry WHERE id = %s", [inquiry.pk])
        raw = cursor.fetchone()[0]
    assert "sommerferien" not in raw
    entry = AuditEntry.objects.get(action="inquiry.create")
    assert entry.target_id == str(inquiry.pk) and entry.actor_id == counsellor.pk


def test_unknown_country_is_refused(counsellor: User) -> None:
    with pytest.raises(ValidationError) as error:
        make(counsellor, country_background="Narnia")
    assert "country_background" in error.value.message_dict
    assert not Inquiry.objects.exists()


def test_duty_to_avert_needs_agencies_and_time(counsellor: User) -> None:
    with pytest.raises(ValidationError) as error:
        make(counsellor, duty_to_avert=True)
    assert set(error.value.message_dict) == {"duty_to_avert_agencies", "duty_to_avert_at"}
    inquiry = make(
        counsellor,
        duty_to_avert=True,
        duty_to_avert_agencies=[code("agency", "politi")],
        duty_to_avert_at=dt.datetime(2023, 4, 27, 11, 0, tzinfo=OSLO),
    )
    assert [c.code for c in inquiry.duty_to_avert_agencies.all()] == ["politi"]


def test_alert_details_without_the_duty_are_refused(counsellor: User) -> None:
    with pytest.raises(ValidationError) as error:
        make(counsellor, duty_to_avert_agencies=[code("agency", "politi")])
    assert "duty_to_avert" in error.value.message_dict


def test_a_code_from_the_wrong_list_is_refused(counsellor: User) -> None:
    with pytest.raises(ValidationError):
        make(counsellor, channel=code("gender", "male"))


def test_edit_keeps_the_earlier_version_encrypted(counsellor: User, manager: User) -> None:
    inquiry = make(counsellor, summary="Første versjon.")
    changed = inquiry_update(
        inquiry=inquiry,
        actor=manager,
        data=data(channel=code("channel", "chat"), summary="Andre versjon."),
    )
    assert changed == ["channel", "summary"]
    version = InquiryVersion.objects.get(inquiry=inquiry)
    assert version.number == 1
    assert version.changed_by == manager
    earlier = json.loads(version.snapshot)
    assert earlier["channel"] == "phone" and earlier["summary"] == "Første versjon."
    with connection.cursor() as cursor:
        cursor.execute("SELECT snapshot FROM inquiries_inquiryversion")
        assert "Første" not in cursor.fetchone()[0]
    audit = AuditEntry.objects.get(action="inquiry.update")
    assert audit.fields == ["channel", "summary"]

    inquiry_update(inquiry=inquiry, actor=counsellor, data=data(follow_up=True))
    numbers = list(inquiry.versions.values_list("number", flat=True))
    assert numbers == [2, 1]


def test_saving_without_changes_adds_no_version(counsellor: User) -> None:
    inquiry = make(counsellor)
    assert inquiry_update(inquiry=inquiry, actor=counsellor, data=data()) == []
    assert not InquiryVersion.objects.exists()


def test_only_managers_delete_and_must_say_why(counsellor: User, manager: User) -> None:
    inquiry = make(counsellor)
    with pytest.raises(PermissionDenied):
        inquiry_delete(inquiry=inquiry, actor=counsellor, reason="feil")
    with pytest.raises(ValidationError):
        inquiry_delete(inquiry=inquiry, actor=manager, reason="  ")
    inquiry_delete(inquiry=inquiry, actor=manager, reason="Registrert to ganger")
    inquiry.refresh_from_db()
    assert inquiry.deleted_by == manager and inquiry.deleted_at is not None
    assert inquiry.deletion_reason == "Registrert to ganger"
    assert not Inquiry.objects.live().exists()
    entry = AuditEntry.objects.get(action="inquiry.delete")
    assert "to ganger" not in entry.reason
