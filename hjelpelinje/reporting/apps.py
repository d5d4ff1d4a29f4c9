from __future__ import annotations

from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "hjelpelinje.reporting"
    label = "reporting"
