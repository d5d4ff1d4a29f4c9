from __future__ import annotations

from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "hjelpelinje.reporting"
    label = "reporting"

    def ready(self) -> None:
        from hjelpelinje.reporting.cache import connect_signals

        connect_signals()
