"""An encrypted text field: the database only ever holds Fernet tokens.

Empty values are stored as the empty string, so "no summary" is not a ciphertext. The
field cannot be filtered or searched on in SQL, which is the point.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Expression

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


def encrypted_fields(model: type[models.Model]) -> list[EncryptedTextField]:
    return [f for f in model._meta.get_fields() if isinstance(f, EncryptedTextField)]


def models_with_encrypted_fields() -> list[tuple[type[models.Model], list[EncryptedTextField]]]:
    """Every installed model that has encrypted fields, with those fields (what key rotation
    re-encrypts and a restore proves it can decrypt)."""
    from django.apps import apps

    return [(m, fields) for m in apps.get_models() if (fields := encrypted_fields(m))]
