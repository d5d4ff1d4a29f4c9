from __future__ import annotations

from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "hjelpelinje.followup"
    label = "followup"
