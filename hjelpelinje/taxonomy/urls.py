from __future__ import annotations

from django.urls import path

from hjelpelinje.taxonomy import views

app_name = "taxonomy"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:list_name>/", views.code_list, name="list"),
    path("<str:list_name>/<int:pk>/", views.code_edit, name="edit"),
    path("<str:list_name>/<int:pk>/active/", views.code_toggle, name="toggle"),
    path("<str:list_name>/<int:pk>/move/", views.code_move, name="move"),
]
