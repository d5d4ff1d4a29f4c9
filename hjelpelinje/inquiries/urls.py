from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from hjelpelinje.inquiries import views

app_name = "inquiries"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.inquiry_list, name="list"),
    path("ny/", views.create, name="create"),
    path("importer/", views.import_file, name="import"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/endre/", views.edit, name="edit"),
    path("<int:pk>/slett/", views.delete, name="delete"),
]
