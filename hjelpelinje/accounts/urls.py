from __future__ import annotations

from django.urls import path

from hjelpelinje.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("logout/", views.logout, name="logout"),
]
