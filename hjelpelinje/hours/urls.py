from __future__ import annotations

from django.urls import path

from hjelpelinje.hours import views

app_name = "hours"
urlpatterns = [
    path("", views.index, name="index"),
    path("week/<str:channel>/", views.week_edit, name="week_edit"),
    path("exceptions/new/", views.exception_create, name="exception_create"),
    path("exceptions/<int:pk>/delete/", views.exception_delete, name="exception_delete"),
    path("now/open/", views.open_now, name="open_now"),
    path("now/close/", views.close_now, name="close_now"),
    path("now/<int:pk>/delete/", views.override_delete, name="override_delete"),
]
