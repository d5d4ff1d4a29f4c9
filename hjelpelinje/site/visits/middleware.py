"""Counting page views and visits: first in MIDDLEWARE, so it sees every public page view,
whether the page cache answered or the page was rendered."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from hjelpelinje.core.asyncmiddleware import SyncAsyncMiddleware
from hjelpelinje.site.visits.counting import counting_enabled, record


class CountingMiddleware(SyncAsyncMiddleware):
    """Adds one to an in-memory counter after the response is ready; never slows or
    fails a request (counting.py). HJELPELINJE_VISITS_COUNTING=0 turns it off."""

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        super().__init__(get_response)
        self.enabled = counting_enabled()

    def sync_call(self, request: HttpRequest) -> HttpResponse:
        response = self.next_sync(request)
        if self.enabled:
            record(request, response)
        return response

    async def async_call(self, request: HttpRequest) -> HttpResponse:
        response = await self.next_async(request)
        if self.enabled:
            record(request, response)
        return response
