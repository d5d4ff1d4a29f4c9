"""Who may do what on the chat's sockets. The sockets ask; these answer from the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.conf import settings
from django.utils import timezone

from hjelpelinje.chat.models import ChatSession


@dataclass(frozen=True)
class StaffLogin:
    """The login a console socket was opened under; the socket lives only as long as it.

    `session_key` is the session's key (a credential: it stays in this process and is
    never logged or sent); `role` and `device_id` are what the login was when the socket
    opened, so a change to either ends the socket.
    """

    user_id: int
    session_key: str
    role: str
    device_id: str


def _second_factor_holds(user: Any, device_id: object) -> bool:
    from django_otp.models import Device

    if not settings.HJELPELINJE_REQUIRE_2FA:
        return True
    if not isinstance(device_id, str) or not device_id:
        return False
    # A reset second factor deletes the device, so the login verified with it ends here.
    device = Device.from_persistent_id(device_id)
    return device is not None and device.user_id == user.pk


def _console_user(user: Any) -> bool:
    # An account with a one-time password from an administrator opens nothing until its
    # person has chosen their own password (as on every page, see accounts.permissions).
    return bool(
        user is not None
        and user.is_authenticated
        and user.can("chat.console")
        and not getattr(user, "must_change_password", False)
    )


def staff_allowed(scope: dict[str, Any]) -> bool:
    """Signed in, allowed the console, no forced password change outstanding, and (when
    required) past the second factor."""
    from django_otp import DEVICE_ID_SESSION_KEY

    user = scope.get("user")
    if not _console_user(user):
        return False
    session = scope.get("session")
    device_id = session.get(DEVICE_ID_SESSION_KEY) if session is not None else None
    return _second_factor_holds(user, device_id)


def staff_login_gone(scope: dict[str, Any]) -> bool:
    """A socket that brings a session cookie but no login: the login it had has ended
    (logged out, idled out, password changed), typically while the console was offline."""
    user = scope.get("user")
    signed_in = user is not None and user.is_authenticated
    # The cookie as sent: the session store forgets a key it found no session for.
    cookie = (scope.get("cookies") or {}).get(settings.SESSION_COOKIE_NAME)
    return not signed_in and bool(cookie)


def staff_login(scope: dict[str, Any]) -> StaffLogin | None:
    """The login behind an allowed console socket (call after `staff_allowed`)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    user = scope.get("user")
    session = scope.get("session")
    if user is None or session is None or not session.session_key:
        return None
    return StaffLogin(
        user_id=user.pk,
        session_key=session.session_key,
        role=user.role,
        device_id=session.get(DEVICE_ID_SESSION_KEY) or "",
    )


def staff_login_holds(login: StaffLogin, *, extend: bool = False) -> bool:
    """Whether a console's login still stands, checked against the database.

    It stands while its session exists and has not idled out, its account is active and
    still allowed the console with the same role, its password is the one the login was
    made with (Django's session hash), and its second factor device is still there.
    `extend` counts work on the console as activity: like an HTTP request, it moves the
    session's idle expiry on by SESSION_COOKIE_AGE.

    Three small queries; a socket calls this every few seconds at most.
    """
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
    from django.utils.crypto import constant_time_compare
    from django_otp import DEVICE_ID_SESSION_KEY

    engine = import_module(settings.SESSION_ENGINE)
    store = engine.SessionStore(login.session_key)
    # `load` gives nothing for a session that was deleted (logout) or has expired (idle).
    data = store.load()
    if not data or data.get(SESSION_KEY) != str(login.user_id):
        return False
    backend_path = data.get(BACKEND_SESSION_KEY)
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return False
    # The backend refuses an inactive account, as it does for every HTTP request.
    user = load_backend(backend_path).get_user(login.user_id)
    if user is None or not _console_user(user) or user.role != login.role:
        return False
    session_hash = data.get(HASH_SESSION_KEY) or ""
    hashes = [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()]
    if not session_hash or not any(constant_time_compare(session_hash, h) for h in hashes):
        return False  # the password changed since this login
    device_id = data.get(DEVICE_ID_SESSION_KEY) or ""
    if device_id != login.device_id or not _second_factor_holds(user, device_id):
        return False
    if extend:
        return _session_extend(store, login.session_key)
    return True


def _session_extend(store: Any, session_key: str) -> bool:
    """Move the session's idle expiry on, as an HTTP request would (SESSION_SAVE_EVERY_REQUEST).

    Only the expiry is written, so nothing a page request stores in the session meanwhile
    is overwritten; a session deleted meanwhile stays deleted.
    """
    now = timezone.now()
    expiry = now + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    model = getattr(store, "model", None)
    if model is not None:  # the database session engines
        rows = model.objects.filter(session_key=session_key, expire_date__gt=now)
        return bool(rows.update(expire_date=expiry))
    # Other engines keep the session as one value: write back what was just read.
    store.modified = True
    store.save(must_create=False)
    return True


def owns(user: Any, session_id: int) -> bool:
    return ChatSession.objects.filter(
        pk=session_id, counsellor=user, status=ChatSession.Status.ACTIVE
    ).exists()
