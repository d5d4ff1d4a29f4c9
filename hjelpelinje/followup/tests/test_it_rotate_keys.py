"""Key rotation round trip over every encrypted follow-up field, history included.

NOTE: this test calls `hjelpelinje rotate_keys`, which the lead writes on main; on the
`followup` branch alone it fails with "Unknown command" until main is merged.
"""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from hjelpelinje.core import crypto
from hjelpelinje.core.fields import encrypted_fields
from hjelpelinje.followup import models
from hjelpelinje.followup.services import activity_add, mail_item_add, user_update
from hjelpelinje.taxonomy.selectors import code_get

from .conftest import ADDRESS, NAME

FOLLOWUP_MODELS = [
    models.FollowUpUser,
    models.Consent,
    models.UserVersion,
    models.Activity,
    models.MailItem,
]


def _raw(model, field: str) -> list[str]:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name(field)} FROM {table} ORDER BY id")
        return [r[0] for r in cursor.fetchall() if r[0]]


def _plain(model, field: str) -> list[str]:
    return [v for v in model.objects.order_by("id").values_list(field, flat=True) if v]


@pytest.mark.django_db
def test_rotate_keys_reencrypts_every_followup_field_with_the_newest_key(make_user, counsellor):
    # Keys of our own, so the test does not depend on how many keys the environment sets.
    new_key, old_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(HJELPELINJE_FIELD_KEYS=[old_key]):
        user = make_user(
            responsible=[counsellor],
            name=NAME,
            phone="123",
            email="a@example.org",
            birth_year="2000",
            notes="n",
            protected_code="7",
            address=ADDRESS,
            consent_note="c",
        )
        user_update(actor=counsellor, user=user, name="Annet Navn")
        activity_add(
            actor=counsellor,
            user=user,
            category=code_get("activity", "nav"),
            done_on=dt.date(2023, 1, 2),
            note="notat",
        )
        mail_item_add(actor=counsellor, user=user, received_on=dt.date(2023, 1, 3), note="brev")
        before = {
            (m, f.name): _plain(m, f.name) for m in FOLLOWUP_MODELS for f in encrypted_fields(m)
        }
        raw_before = {key: _raw(*key) for key in before}
    assert all(before[(m, "note")] for m in (models.Activity, models.MailItem, models.Consent))
    assert before[(models.UserVersion, "snapshot")]

    with override_settings(HJELPELINJE_FIELD_KEYS=[new_key, old_key]):
        call_command("rotate_keys")

    # Only the newest key is left: everything must still read back unchanged.
    with override_settings(HJELPELINJE_FIELD_KEYS=[new_key]):
        for (model, field), values in before.items():
            assert _plain(model, field) == values, (model, field)
            raw = _raw(model, field)
            assert raw != raw_before[(model, field)] or not raw
            for token in raw:
                crypto.decrypt(token)  # decrypts with the new key alone
