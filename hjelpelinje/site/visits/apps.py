from __future__ import annotations

from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "hjelpelinje.site.visits"
    label = "visits"
    verbose_name = "Besøk på nettsiden"
    default_auto_field = "django.db.models.BigAutoField"
