from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "outreach"
urlpatterns: list[URLPattern | URLResolver] = []
