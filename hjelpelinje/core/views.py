from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from hjelpelinje.accounts.permissions import public, require


@require("home")
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@public
def health(request: HttpRequest) -> HttpResponse:
    """For the load balancer: the app answers and the database too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
