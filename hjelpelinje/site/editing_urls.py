"""Wagtail's admin under /staff/cms/, behind Hjelpelinje's login (hjelpelinje/site/editing.py).

Wagtail's own login and logout are replaced before Wagtail's patterns: the first pattern
that matches a path answers it, and the first with a name is the one `reverse` returns, so
Wagtail's templates link to these too.
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path
from wagtail.admin import urls as wagtailadmin_urls

from hjelpelinje.accounts import views as accounts_views
from hjelpelinje.site import editing

urlpatterns: list[URLPattern | URLResolver] = [
    # Never a second door: this page only redirects to Hjelpelinje's login.
    path("login/", editing.wagtail_login, name="wagtailadmin_login"),
    # Wagtail's menu posts its logout form here (with its CSRF token): Hjelpelinje's logout
    # ends the login as everywhere else, with its audit entry.
    path("logout/", accounts_views.logout, name="wagtailadmin_logout"),
    path("", include(wagtailadmin_urls)),
]
