"""Staff sign-in: second factor enrolment and verification."""

from __future__ import annotations

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from hjelpelinje.accounts.models import User
from hjelpelinje.audit.services import audit_record


def totp_device_for_enrolment(*, user: User) -> TOTPDevice:
    """The unconfirmed device a user is enrolling, created on first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Autentiseringsapp", confirmed=False)
    return device


def confirmed_totp_device(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def totp_enrol_confirm(*, user: User, device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    audit_record(actor=user, action="auth.2fa_enrolled", target_type="staff", target_id=user.pk)
    return True


@transaction.atomic
def totp_reset(*, actor: User, user: User) -> None:
    """Remove a member of staff's devices, so they enrol again at the next login."""
    TOTPDevice.objects.filter(user=user).delete()
    audit_record(actor=actor, action="auth.2fa_reset", target_type="staff", target_id=user.pk)
