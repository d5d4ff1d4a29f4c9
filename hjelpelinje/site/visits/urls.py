from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from hjelpelinje.site.visits import views

app_name = "visits"
urlpatterns: list[URLPattern | URLResolver] = [
    path("import/", views.import_file, name="import"),
]
