from __future__ import annotations

import pytest
from django.db import connection

from hjelpelinje.core import crypto
from hjelpelinje.inquiries.models import Inquiry
from hjelpelinje.taxonomy.selectors import code_get


@pytest.mark.django_db
def test_summary_is_ciphertext_in_the_database() -> None:
    inquiry = Inquiry.objects.create(
        channel=code_get("channel", "phone"),
        age_group=code_get("age_group", "0-18"),
        gender=code_get("gender", "female"),
        region=code_get("region", "ostlandet"),
        caller=code_get("caller", "self"),
        summary="Redd for å bli sendt til utlandet i sommer",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT summary FROM inquiries_inquiry WHERE id = %s", [inquiry.pk])
        stored = cursor.fetchone()[0]
    assert "utlandet" not in stored
    assert (
        Inquiry.objects.get(pk=inquiry.pk).summary == "Redd for å bli sendt til utlandet i sommer"
    )


def test_old_key_still_decrypts_and_rotation_moves_to_newest(settings) -> None:
    from cryptography.fernet import Fernet

    old_only = Fernet(settings.HJELPELINJE_FIELD_KEYS[1].encode())
    token = old_only.encrypt(b"hemmelig").decode()
    assert crypto.decrypt(token) == "hemmelig"
    rotated = crypto.rotate(token)
    newest = Fernet(settings.HJELPELINJE_FIELD_KEYS[0].encode())
    assert newest.decrypt(rotated.encode()) == b"hemmelig"


@pytest.mark.django_db
def test_rotate_keys_moves_every_value_to_the_newest_key(settings) -> None:
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    newest, old = settings.HJELPELINJE_FIELD_KEYS
    settings.HJELPELINJE_FIELD_KEYS = [old]
    inquiry = Inquiry.objects.create(
        channel=code_get("channel", "chat"),
        age_group=code_get("age_group", "0-18"),
        gender=code_get("gender", "female"),
        region=code_get("region", "ostlandet"),
        caller=code_get("caller", "self"),
        summary="Skal giftes bort i sommer",
    )
    settings.HJELPELINJE_FIELD_KEYS = [newest, old]
    call_command("rotate_keys")
    with connection.cursor() as cursor:
        cursor.execute("SELECT summary FROM inquiries_inquiry WHERE id = %s", [inquiry.pk])
        stored = cursor.fetchone()[0]
    # Readable with the newest key alone: the old key can now be retired.
    assert Fernet(newest.encode()).decrypt(stored.encode()).decode() == "Skal giftes bort i sommer"
    settings.HJELPELINJE_FIELD_KEYS = [newest]
    assert Inquiry.objects.get(pk=inquiry.pk).summary == "Skal giftes bort i sommer"
