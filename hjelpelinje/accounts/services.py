"""Staff accounts: second factor enrolment and verification, and staff management."""

from __future__ import annotations

import hashlib
import logging
import secrets

from asgiref.sync import async_to_sync
from axes.models import AccessAttempt
from channels.layers import get_channel_layer
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from hjelpelinje.accounts.models import Role, User
from hjelpelinje.audit.services import audit_record
from hjelpelinje.chat.sockets.groups import user_group

logger = logging.getLogger(__name__)


# The end of a login reaches the chat consoles it opened. A console socket is a login that
# outlives the page that opened it, so every event that ends a login (logging out, being
# deactivated, a new password, a reset second factor) tells that account's consoles to
# close. The sockets also check their login every few seconds by themselves
# (hjelpelinje/chat/access.py), so a lost event delays the close, never prevents it.


def login_ref(session_key: str) -> str:
    """A name for one login that is safe to pass around: the session key itself is a
    credential and never leaves the session store."""
    return hashlib.sha256(b"hjelpelinje-login:" + session_key.encode()).hexdigest()[:32]


def staff_logins_end(*, user: User, session_key: str | None = None) -> None:
    """Close the chat consoles of one login (`session_key`), or of every login of `user`.

    Sent after commit, so a console is never closed for a change that was rolled back.
    """
    event = {"type": "login.ended", "login": login_ref(session_key) if session_key else ""}
    group = user_group(user.pk)

    def send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        try:
            async_to_sync(layer.group_send)(group, event)
        except Exception:
            # The change itself is committed and must stand; the consoles' own check
            # closes them within seconds anyway.
            logger.exception("could not tell the chat consoles that a login ended")

    transaction.on_commit(send)


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
    # The logins verified with the old app end with it.
    staff_logins_end(user=user)


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
    if "is_active" in changed or "role" in changed:
        # A deactivated account has no login left; a new role means new rights, which a
        # console opened under the old role must not keep. Nor does her chat availability
        # outlast the change by the grace time a closed console gets.
        staff_logins_end(user=user)
        from hjelpelinje.chat.services import chat_presence_logout

        chat_presence_logout(user=user)
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
    staff_logins_end(user=user)
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
    # Every console closes, this login's too: its session key is replaced (the caller
    # keeps the login with update_session_auth_hash), and the page that opens the console
    # again gets a socket on the new key.
    staff_logins_end(user=user)
