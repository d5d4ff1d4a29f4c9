from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from hjelpelinje.outreach import views

app_name = "outreach"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/delete/", views.campaign_delete, name="campaign_delete"),
    path(
        "campaigns/<int:campaign_pk>/platforms/new/",
        views.platform_create,
        name="platform_create",
    ),
    path("platforms/<int:pk>/edit/", views.platform_edit, name="platform_edit"),
    path("platforms/<int:pk>/delete/", views.platform_delete, name="platform_delete"),
    path("talks/new/", views.talk_create, name="talk_create"),
    path("talks/<int:pk>/edit/", views.talk_edit, name="talk_edit"),
    path("talks/<int:pk>/delete/", views.talk_delete, name="talk_delete"),
    path("media/new/", views.media_create, name="media_create"),
    path("media/<int:pk>/edit/", views.media_edit, name="media_edit"),
    path("media/<int:pk>/delete/", views.media_delete, name="media_delete"),
    path("networks/", views.networks, name="networks"),
    path("networks/new/", views.network_create, name="network_create"),
    path("networks/<int:pk>/edit/", views.network_edit, name="network_edit"),
    path("networks/<int:pk>/delete/", views.network_delete, name="network_delete"),
    path("posts/new/", views.post_create, name="post_create"),
    path("posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:pk>/delete/", views.post_delete, name="post_delete"),
    path("website/", views.website, name="website"),
    path("social/", views.social, name="social"),
    path("social/new/", views.account_create, name="account_create"),
    path("social/<int:pk>/edit/", views.account_edit, name="account_edit"),
    path("social/<int:pk>/delete/", views.account_delete, name="account_delete"),
    path("social/<int:account_pk>/figures/new/", views.snapshot_create, name="snapshot_create"),
    path("figures/<int:pk>/edit/", views.snapshot_edit, name="snapshot_edit"),
    path("figures/<int:pk>/delete/", views.snapshot_delete, name="snapshot_delete"),
]
