"""Every access to a follow-up user is audited, by database id and field names only, and
tampering with those entries is detected."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from hjelpelinje.audit.models import AuditEntry
from hjelpelinje.followup.models import FollowUpUser

from .conftest import ADDRESS, NAME


def _entries(user: FollowUpUser):
    return AuditEntry.objects.filter(target_type="followup_user", target_id=str(user.pk))


@pytest.mark.django_db
def test_create_view_change_export_and_glass_break_are_audited(
    counsellor, other_counsellor, manager, client_for
):
    client = client_for(counsellor)
    response = client.post(
        reverse("followup:create"),
        {
            "reference": "B-900",
            "name": NAME,
            "age_group": _code("age_group", "18-25"),
            "gender": _code("gender", "female"),
            "region": _code("region", "vestlandet"),
            "source": "helpline",
            "responsible": [counsellor.pk],
            "consent_given_on": "2023-04-27",
            "consent_method": "verbal",
            "consent_confirmed": "on",
        },
    )
    assert response.status_code == 302
    user = FollowUpUser.objects.get(reference="B-900")
    client.get(reverse("followup:detail", args=[user.pk]))
    client.post(
        reverse("followup:address", args=[user.pk]), {"protected_code": "7", "address": ADDRESS}
    )
    other = client_for(other_counsellor)
    other.post(
        reverse("followup:glass_break", args=[user.pk]), {"reason": "Akutt: trenger postadresse"}
    )
    client_for(manager).get(reverse("followup:export_pdf", args=[user.pk]))
    client_for(manager).get(reverse("followup:export_json", args=[user.pk]))

    actions = list(_entries(user).values_list("action", "actor_label", "flagged"))
    assert ("followup.create", "kari", False) in actions
    assert ("followup.view", "kari", False) in actions
    assert ("followup.change", "kari", False) in actions
    assert ("followup.break_glass", "ola", True) in actions
    assert ("followup.export_pdf", "mona", False) in actions
    assert ("followup.export_json", "mona", False) in actions
    change = _entries(user).get(action="followup.change")
    assert change.fields == ["address", "has_protected_address", "protected_code"]
    # Never a value, a name or the reference code in the log.
    for entry in AuditEntry.objects.all():
        text = str(entry.payload())
        assert NAME not in text and ADDRESS not in text and "B-900" not in text

    # The user's page shows who has seen it, and the managers' panel the flagged access.
    page = client_for(manager).get(reverse("followup:detail", args=[user.pk])).content.decode()
    # Staff are named as everywhere else on the page: by full name, not by username.
    assert "Hvem har sett brukeren" in page and "Ola · Nødtilgang" in page
    assert "Nødtilgang til skjermede opplysninger" in page
    panel = client_for(manager).get(reverse("followup:dashboard")).content.decode()
    assert "Akutt: trenger postadresse" in panel and "ola" in panel
    # After breaking the glass the other counsellor sees the address, and the view says so.
    assert ADDRESS in other.get(reverse("followup:detail", args=[user.pk])).content.decode()
    assert (
        _entries(user)
        .filter(actor_label="ola", action="followup.view", fields=["address", "protected_code"])
        .exists()
    )


def _code(list_name: str, code: str) -> int:
    from hjelpelinje.taxonomy.selectors import code_get

    return code_get(list_name, code).pk


@pytest.fixture
def audited(shielded_user, counsellor, client_for):
    client = client_for(counsellor)
    for _ in range(3):
        client.get(reverse("followup:detail", args=[shielded_user.pk]))
    call_command("verify_audit")  # intact before tampering
    return _entries(shielded_user).order_by("id")


def _sql(statement: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            statement.format(table=connection.ops.quote_name(AuditEntry._meta.db_table)), params
        )


@pytest.mark.django_db
def test_an_edited_entry_is_detected(audited):
    target = audited[1]
    _sql("UPDATE {table} SET actor_label = %s WHERE id = %s", ["someone-else", target.pk])
    with pytest.raises(CommandError, match=f"entry {target.pk}"):
        call_command("verify_audit")


@pytest.mark.django_db
def test_a_deleted_entry_is_detected(audited):
    target = audited[1]
    _sql("DELETE FROM {table} WHERE id = %s", [target.pk])
    with pytest.raises(CommandError, match="deleted or inserted"):
        call_command("verify_audit")


@pytest.mark.django_db
def test_an_inserted_entry_is_detected(audited):
    last = AuditEntry.objects.order_by("-id").first()
    assert last is not None
    _sql(
        "INSERT INTO {table} (at, actor_id, actor_label, action, target_type, target_id, fields, reason, flagged, prev_hash, hash)"
        " VALUES (%s, NULL, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [
            last.at,
            "intruder",
            "followup.view",
            "followup_user",
            "1",
            "[]",
            "",
            False,
            last.hash,
            "f" * 64,
        ],
    )
    with pytest.raises(CommandError, match="altered or it was forged"):
        call_command("verify_audit")


@pytest.mark.django_db
def test_a_glass_break_reason_naming_the_user_is_refused(
    shielded_user, other_counsellor, client_for
):
    # The reason stays in the append-only log for good, where a withdrawal cannot erase it.
    url = reverse("followup:glass_break", args=[shielded_user.pk])
    client = client_for(other_counsellor)
    for reason in [
        "Zainab ringte, trenger adressen",
        "B-777 trenger hjelp nå",
        "ringte fra +47 912 34 567",
    ]:
        response = client.post(url, {"reason": reason})
        assert response.status_code == 200 and "Ikke skriv navn" in response.content.decode()
    assert not AuditEntry.objects.filter(action="followup.break_glass").exists()
    assert (
        ADDRESS
        not in client.get(reverse("followup:detail", args=[shielded_user.pk])).content.decode()
    )


@pytest.mark.django_db
def test_a_glass_break_reason_is_bounded(shielded_user, other_counsellor):
    from django.core.exceptions import ValidationError

    from hjelpelinje.followup.services import GLASS_BREAK_REASON_MAX, glass_break

    with pytest.raises(ValidationError, match="høyst"):
        glass_break(
            actor=other_counsellor, user=shielded_user, reason="x" * (GLASS_BREAK_REASON_MAX + 1)
        )
    assert not AuditEntry.objects.filter(action="followup.break_glass").exists()
