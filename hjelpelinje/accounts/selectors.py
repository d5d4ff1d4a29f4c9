"""Reading staff accounts."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404
from django_otp.plugins.otp_totp.models import TOTPDevice

from hjelpelinje.accounts.models import User


def staff_list() -> QuerySet[User]:
    """Every account, active first, with `has_2fa` (a confirmed authenticator app)."""
    enrolled = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return User.objects.annotate(has_2fa=Exists(enrolled)).order_by(
        "-is_active", "first_name", "last_name", "username"
    )


def staff_get(pk: int) -> User:
    return get_object_or_404(staff_list(), pk=pk)
