from __future__ import annotations

from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "hjelpelinje.chat"
    label = "chat"

    def ready(self) -> None:
        from hjelpelinje.chat import checks  # noqa: F401  (registers the system checks)
