from __future__ import annotations

from django.apps import AppConfig


class InquiriesConfig(AppConfig):
    name = "hjelpelinje.inquiries"
    label = "inquiries"
