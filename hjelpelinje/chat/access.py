"""Who may do what on the chat's sockets. The sockets ask; these answer from the database."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from hjelpelinje.chat.models import ChatSession


def staff_allowed(scope: dict[str, Any]) -> bool:
    """Signed in, allowed the console, and (when required) past the second factor."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.models import Device

    user = scope.get("user")
    if user is None or not user.is_authenticated or not user.can("chat.console"):
        return False
    if not settings.HJELPELINJE_REQUIRE_2FA:
        return True
    session = scope.get("session")
    device_id = session.get(DEVICE_ID_SESSION_KEY) if session is not None else None
    if not device_id:
        return False
    device = Device.from_persistent_id(device_id)
    return device is not None and device.user_id == user.pk


def owns(user: Any, session_id: int) -> bool:
    return ChatSession.objects.filter(
        pk=session_id, counsellor=user, status=ChatSession.Status.ACTIVE
    ).exists()


def may_read(user: Any, session_id: int) -> bool:
    return ChatSession.objects.filter(pk=session_id, counsellor=user).exists() or (
        user.can("chat.supervise") and ChatSession.objects.filter(pk=session_id).exists()
    )
