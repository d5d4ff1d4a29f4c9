"""Counting page views and visits: first in MIDDLEWARE, so it sees every public page view,
whether the page cache answered or the page was rendered."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponse

from hjelpelinje.site.visits.counting import counting_enabled, record


class CountingMiddleware:
    """Adds one to an in-memory counter after the response is ready; never slows or
    fails a request (counting.py). HJELPELINJE_VISITS_COUNTING=0 turns it off."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        self.enabled = counting_enabled()
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if self.is_async:
            return self.__acall__(request)
        response: HttpResponse = self.get_response(request)
        if self.enabled:
            record(request, response)
        return response

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        get_response: Callable[[HttpRequest], Awaitable[HttpResponse]] = self.get_response
        response = await get_response(request)
        if self.enabled:
            record(request, response)
        return response
