from __future__ import annotations

from django.urls import include, path

from hjelpelinje.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("health/", core_views.health, name="health"),
    path("language/", core_views.set_language, name="set_language"),
    path("accounts/", include("hjelpelinje.accounts.urls")),
    path("codes/", include("hjelpelinje.taxonomy.urls")),
    path("inquiries/", include("hjelpelinje.inquiries.urls")),
    path("users/", include("hjelpelinje.followup.urls")),
    path("audit/", include("hjelpelinje.audit.urls")),
    path("hours/", include("hjelpelinje.hours.urls")),
    path("chat/", include("hjelpelinje.chat.urls")),
    path("outreach/", include("hjelpelinje.outreach.urls")),
    path("reports/", include("hjelpelinje.reporting.urls")),
]
