"""Staff logins, failed logins and lockouts go to the audit log."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from hjelpelinje.accounts.services import staff_logins_end
from hjelpelinje.audit.services import audit_record


def _known_user(username: str | None) -> Any | None:
    # Only an existing account is named: a mistyped username may be a password.
    if not username:
        return None
    return get_user_model().objects.filter(username=username).first()


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action="auth.login", target_type="staff", target_id=user.pk)


@receiver(user_logged_out)
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action="auth.logout", target_type="staff", target_id=user.pk)
        # Logging out ends this login only: a console this login opened closes, one the
        # same person has open on another device (its own login) stays.
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            staff_logins_end(user=user, session_key=session.session_key)
        # Her chat availability is the account's and ends with the logout, at once on
        # every console of hers (else it would last the grace time of a closed tab).
        from hjelpelinje.chat.services import chat_presence_logout

        chat_presence_logout(user=user)


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    user = _known_user(credentials.get("username"))
    audit_record(
        actor=user,
        action="auth.login_failed",
        target_type="staff",
        target_id=user.pk if user else "",
    )


@receiver(user_locked_out)
def on_locked_out(sender: Any, request: Any, username: str | None, **kwargs: Any) -> None:
    user = _known_user(username)
    audit_record(
        actor=user,
        action="auth.locked_out",
        target_type="staff",
        target_id=user.pk if user else "",
        flagged=True,
    )
