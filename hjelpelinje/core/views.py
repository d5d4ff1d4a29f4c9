from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from hjelpelinje.accounts.permissions import public, require
from hjelpelinje.core.middleware import STAFF_PREFIX


@require("home")
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@public
def health(request: HttpRequest) -> HttpResponse:
    """For the load balancer: the app answers and the database too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@public
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's own language switch, wrapped so it carries a permission decision.

    The login page needs it before anyone is signed in, so it is public; the choice is
    stored in a cookie and touches no personal data. POST only (with the CSRF token), as
    Django's documentation asks, so a link cannot switch someone's language.
    """
    response = django_set_language(request)
    if not response.get("Location", "").startswith(STAFF_PREFIX):
        # Without a safe staff address to go back to, Django falls back to the site's root
        # (in the chosen language): that is the public website, so staff go home instead.
        response["Location"] = reverse("home")
    return response
