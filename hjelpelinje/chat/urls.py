from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from hjelpelinje.chat import views

app_name = "chat"
urlpatterns: list[URLPattern | URLResolver] = [
    path("console/", views.console, name="console"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/canned/<int:pk>/", views.canned_edit, name="canned_edit"),
    path("settings/canned/<int:pk>/delete/", views.canned_delete, name="canned_delete"),
]
