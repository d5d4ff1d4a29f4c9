from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hjelpelinje.accounts"
    label = "accounts"

    def ready(self) -> None:
        from hjelpelinje.accounts import signals  # noqa: F401
