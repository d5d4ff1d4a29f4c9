"""Wagtail's admin under /staff/cms/ (owned by the editing work)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path
from wagtail.admin import urls as wagtailadmin_urls

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include(wagtailadmin_urls)),
]
