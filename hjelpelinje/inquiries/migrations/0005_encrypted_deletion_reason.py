"""Encrypt the deletion reasons already stored in plain text.

The column type stays text; only its content changes, so the values are rewritten with raw
SQL: through the model, the encrypted field would try to decrypt the plain text it reads.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

import hjelpelinje.core.fields
from hjelpelinje.core import crypto

TABLE = "inquiries_inquiry"


def _rewrite(schema_editor: Any, change: Any) -> None:
    connection = schema_editor.connection
    table = connection.ops.quote_name(TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, deletion_reason FROM {table} WHERE deletion_reason <> ''")
        rows = cursor.fetchall()
        cursor.executemany(
            f"UPDATE {table} SET deletion_reason = %s WHERE id = %s",
            [(change(reason), pk) for pk, reason in rows],
        )


def encrypt_reasons(apps: Any, schema_editor: Any) -> None:
    _rewrite(schema_editor, crypto.encrypt)


def decrypt_reasons(apps: Any, schema_editor: Any) -> None:
    _rewrite(schema_editor, crypto.decrypt)


class Migration(migrations.Migration):
    dependencies = [
        ("inquiries", "0004_fewer_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="inquiry",
            name="deletion_reason",
            field=hjelpelinje.core.fields.EncryptedTextField(blank=True),
        ),
        migrations.RunPython(encrypt_reasons, decrypt_reasons),
    ]
