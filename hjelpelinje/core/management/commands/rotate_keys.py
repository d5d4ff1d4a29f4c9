"""Re-encrypt every encrypted value with the newest key in HJELPELINJE_FIELD_KEYS.

Works on the raw column values, table by table, so it needs no knowledge of the models
beyond which fields are encrypted, and covers history tables as well.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from hjelpelinje.core import crypto
from hjelpelinje.core.fields import encrypted_rows, models_with_encrypted_fields


class Command(BaseCommand):
    help = "Re-encrypt all encrypted fields with the newest field key."

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        quote = connection.ops.quote_name
        for model, fields in models_with_encrypted_fields():
            table = quote(model._meta.db_table)
            pk = quote(model._meta.pk.column)
            assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
            changed = 0
            with transaction.atomic():
                for rows in encrypted_rows(model, fields):
                    updates = []
                    for row in rows:
                        new = [crypto.rotate(v) if v else v for v in row[1:]]
                        if list(row[1:]) != new:
                            updates.append([*new, row[0]])
                    with connection.cursor() as cursor:
                        cursor.executemany(
                            f"UPDATE {table} SET {assignments} WHERE {pk} = %s", updates
                        )
                    changed += len(updates)
            total += changed
            self.stdout.write(f"{model._meta.label}: {changed} rows re-encrypted")
        self.stdout.write(
            self.style.SUCCESS(f"done: {total} rows re-encrypted with the newest key")
        )
