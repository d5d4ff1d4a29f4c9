from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from hjelpelinje.followup import views

app_name = "followup"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.user_list, name="list"),
    path("new/", views.user_create, name="create"),
    path("shielded-access/", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.user_detail, name="detail"),
    path("<int:pk>/edit/", views.user_edit, name="edit"),
    path("<int:pk>/address/", views.user_address, name="address"),
    path("<int:pk>/break-glass/", views.glass_break, name="glass_break"),
    path("<int:pk>/activity/", views.activity_add, name="activity_add"),
    path("<int:pk>/inquiry/", views.inquiry_add, name="inquiry_add"),
    path("<int:pk>/mail/", views.mail_add, name="mail_add"),
    path("<int:pk>/mail/<int:item>/", views.mail_update, name="mail_update"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/export.json", views.export_json, name="export_json"),
    path("<int:pk>/export.pdf", views.export_pdf, name="export_pdf"),
]
