"""WebSocket routes: the visitor's socket is open to anyone and needs no cookie; the
staff socket reads the session cookie and refuses foreign origins."""

from __future__ import annotations

from channels.auth import AuthMiddlewareStack
from channels.security.websocket import AllowedHostsOriginValidator
from django.urls import URLPattern, path

from hjelpelinje.chat.consumers import StaffConsumer, VisitorConsumer

websocket_urlpatterns: list[URLPattern] = [
    path("ws/chat/visitor/", VisitorConsumer.as_asgi()),  # type: ignore[arg-type]
    path(
        "ws/chat/staff/",
        AllowedHostsOriginValidator(AuthMiddlewareStack(StaffConsumer.as_asgi())),  # type: ignore[arg-type]
    ),
]
