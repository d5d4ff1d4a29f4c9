"""WebSocket routes: the visitor's socket is open to anyone and needs no cookie; the
staff socket reads the session cookie and refuses foreign origins."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from channels.auth import AuthMiddlewareStack
from channels.security.websocket import AllowedHostsOriginValidator
from django.conf import settings
from django.urls import URLPattern, path

from hjelpelinje.chat.sockets.base import answer_for_now, disk_full, log_fault, tracked
from hjelpelinje.chat.sockets.groups import CLOSE_FORBIDDEN
from hjelpelinje.chat.sockets.staff import StaffConsumer
from hjelpelinje.chat.sockets.visitor import VisitorConsumer


class SameOriginValidator:
    """Refuse a staff socket opened by a page on another site (cross-site WebSocket
    hijacking): the Origin must be the host the socket was opened on, or a trusted origin.
    This holds even where ALLOWED_HOSTS is a wildcard."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        headers = dict(scope.get("headers") or [])
        origin = headers.get(b"origin", b"").decode("latin-1")
        host = headers.get(b"host", b"").decode("latin-1")
        trusted = set(getattr(settings, "CSRF_TRUSTED_ORIGINS", []))
        if not origin or (urlsplit(origin).netloc != host and origin not in trusted):
            # Closed before `accept`: the server answers the upgrade with HTTP 403, and the
            # code is never seen over the network (docs/chat-protocol.md, "Endpoints").
            await send({"type": "websocket.close", "code": CLOSE_FORBIDDEN})
            return None
        return await self.app(scope, receive, send)


class TryAgainOnFault:
    """A fault while the staff socket's login is looked up (the database away) is not a
    refusal: the socket is told `unavailable` and closed with "try again later", so the
    console reconnects. Without this it would be an HTTP 500 for a valid counsellor."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        receive, send, handshake = tracked(receive, send)
        try:
            return await self.app(scope, receive, send)
        except Exception as exc:
            if handshake["answered"]:
                raise
            log_fault("staff socket handshake failed", exc)
            code = "disk_full" if disk_full(exc) else "unavailable"
            await answer_for_now(receive, send, handshake, {"type": "error", "code": code})
            return None


websocket_urlpatterns: list[URLPattern] = [
    path("ws/chat/visitor/", VisitorConsumer.as_asgi()),  # type: ignore[arg-type]
    path(
        "staff/ws/chat/",
        AllowedHostsOriginValidator(  # type: ignore[arg-type]
            SameOriginValidator(TryAgainOnFault(AuthMiddlewareStack(StaffConsumer.as_asgi())))
        ),
    ),
]
