"""Staff accounts: second factor enrolment and verification, and staff management."""

from __future__ import annotations

import secrets

from axes.models import AccessAttempt
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from hjelpelinje.accounts.models import Role, User
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


# Staff management. Accounts are never deleted: records keep their author, and the audit
# log names staff by id. Deactivating an account is how someone leaves.

# No 0/O, 1/l/I: the password is read off a screen and typed in by someone else.
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def one_time_password() -> str:
    """Four groups of four characters: about 79 bits, easy to read out and type."""
    groups = ["".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(4)) for _ in range(4)]
    return "-".join(groups)


def _active_admins() -> QuerySet[User]:
    return User.objects.filter(role=Role.ADMIN, is_active=True)


def _check_admin_rules(*, actor: User | None, user: User, role: str, is_active: bool) -> None:
    """Refuse changes that would lock everyone out of staff management."""
    if actor is not None and actor.pk == user.pk:
        if not is_active:
            raise ValidationError(_("Du kan ikke deaktivere din egen konto."))
        if role != Role.ADMIN and user.role == Role.ADMIN:
            raise ValidationError(_("Du kan ikke fjerne din egen administratorrolle."))
    still_admin = role == Role.ADMIN and is_active
    was_active_admin = user.role == Role.ADMIN and user.is_active
    if was_active_admin and not still_admin:
        # Lock the administrators' rows so two concurrent demotions cannot both pass.
        others = _active_admins().exclude(pk=user.pk).select_for_update()
        if not others.exists():
            raise ValidationError(
                _("Dette er den siste aktive administratoren. Gi en annen ansatt rollen først.")
            )


@transaction.atomic
def staff_create(
    *,
    actor: User | None,
    username: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> tuple[User, str]:
    """Create an account with a one-time password; returns the user and the password.

    The password is returned once for the administrator to hand over and never stored in
    clear. The person changes it, and enrols an authenticator app, at the first login.
    """
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Brukernavnet er allerede i bruk.")})
    password = one_time_password()
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        role=role,
        must_change_password=True,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_record(
        actor=actor,
        action="staff.create",
        target_type="staff",
        target_id=user.pk,
        fields=["username", "first_name", "last_name", "email", "role"],
    )
    return user, password


@transaction.atomic
def staff_update(
    *,
    actor: User | None,
    user: User,
    role: str,
    is_active: bool,
    first_name: str,
    last_name: str,
    email: str,
) -> User:
    _check_admin_rules(actor=actor, user=user, role=role, is_active=is_active)
    new = {
        "role": role,
        "is_active": is_active,
        "first_name": first_name,
        "last_name": last_name,
        "email": email,
    }
    changed = [name for name, value in new.items() if getattr(user, name) != value]
    if not changed:
        return user
    for name, value in new.items():
        setattr(user, name, value)
    user.full_clean()
    user.save(update_fields=changed)
    if "is_active" in changed:
        action = "staff.activate" if is_active else "staff.deactivate"
    else:
        action = "staff.update"
    audit_record(actor=actor, action=action, target_type="staff", target_id=user.pk, fields=changed)
    return user


@transaction.atomic
def staff_reset_password(*, actor: User, user: User) -> str:
    """A new one-time password; the old one and every open session stop working."""
    password = one_time_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    # Axes would otherwise keep a locked-out account locked after the reset.
    AccessAttempt.objects.filter(username=user.username).delete()
    audit_record(
        actor=actor,
        action="staff.password_reset",
        target_type="staff",
        target_id=user.pk,
        fields=["password"],
    )
    return password


@transaction.atomic
def password_change(*, user: User, new_password: str) -> None:
    """A member of staff sets their own password (validated by the caller's form)."""
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit_record(
        actor=user,
        action="auth.password_changed",
        target_type="staff",
        target_id=user.pk,
        fields=["password"],
    )
