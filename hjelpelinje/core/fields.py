"""An encrypted text field: the database only ever holds Fernet tokens.

Empty values are stored as the empty string, so "no summary" is not a ciphertext. The
field cannot be filtered or searched on in SQL, which is the point.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import connection, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Expression
from django.db.models.expressions import Combinable

from hjelpelinje.core import crypto


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    description = "Text encrypted at rest with the field keys"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))

    def from_db_value(
        self, value: Any, expression: Expression, connection: BaseDatabaseWrapper
    ) -> Any:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)


class EncryptedBytesField(EncryptedTextField):
    """Bytes encrypted at rest, stored as one Fernet token in a text column.

    For binary content (a chunk of an attachment): the bytes are encrypted as they are,
    without a second layer of base64. A subclass of the text field, so key rotation and a
    restore's decryption check cover it like every other encrypted column.
    """

    description = "Bytes encrypted at rest with the field keys"
    # What django-stubs reads as the field's Python type.
    _pyi_private_set_type: bytes | Combinable  # type: ignore[assignment]
    _pyi_private_get_type: bytes  # type: ignore[assignment]

    def get_prep_value(self, value: Any) -> Any:
        if value is None or value == b"" or value == "":
            return "" if value is not None else None
        if isinstance(value, memoryview):
            value = value.tobytes()
        if not isinstance(value, bytes):
            raise TypeError("an EncryptedBytesField holds bytes")
        return crypto.encrypt_bytes(value)

    def from_db_value(
        self, value: Any, expression: Expression, connection: BaseDatabaseWrapper
    ) -> Any:
        if value is None:
            return value
        if value == "":
            return b""
        return crypto.decrypt_bytes(value)

    def to_python(self, value: Any) -> Any:
        return value


def encrypted_fields(model: type[models.Model]) -> list[EncryptedTextField]:
    return [f for f in model._meta.get_fields() if isinstance(f, EncryptedTextField)]


def models_with_encrypted_fields() -> list[tuple[type[models.Model], list[EncryptedTextField]]]:
    """Every installed model that has encrypted fields, with those fields (what key rotation
    re-encrypts and a restore proves it can decrypt)."""
    from django.apps import apps

    return [(m, fields) for m in apps.get_models() if (fields := encrypted_fields(m))]


# Rows of encrypted columns read at a time (encrypted_rows).
ENCRYPTED_PAGE = 50


def encrypted_rows(
    model: type[models.Model], fields: list[EncryptedTextField]
) -> Iterator[list[tuple[Any, ...]]]:
    """The stored tokens of `fields` (not decrypted), a page of rows at a time, each row
    `(pk, *values)`: for the key rotation and a restore's decryption check.

    Paged by primary key, not one cursor: the database client holds a whole result in
    memory, and a table of attachment chunks holds a megabyte a row.
    """
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    columns = ", ".join(quote(f.column) for f in fields)
    last: Any = None
    while True:
        where = "" if last is None else f" WHERE {pk} > %s"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {pk}, {columns} FROM {table}{where} ORDER BY {pk} LIMIT {ENCRYPTED_PAGE}",
                [] if last is None else [last],
            )
            rows = cursor.fetchall()
        if not rows:
            return
        last = rows[-1][0]
        yield rows
