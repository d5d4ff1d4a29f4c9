from __future__ import annotations

from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "hjelpelinje.outreach"
    label = "outreach"
