"""The chat launcher's live state (owned by the chat-launcher work)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse

from hjelpelinje.accounts.permissions import public


@public
def state(request: HttpRequest) -> HttpResponse:
    return JsonResponse({})
