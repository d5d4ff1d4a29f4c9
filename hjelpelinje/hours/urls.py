from __future__ import annotations

from django.urls import path

from hjelpelinje.hours import views

app_name = "hours"
urlpatterns = [
    path("", views.index, name="index"),
    path("week/<str:channel>/", views.week_edit, name="week_edit"),
    path("exceptions/new/", views.exception_create, name="exception_create"),
    path("exceptions/<int:pk>/delete/", views.exception_delete, name="exception_delete"),
]
