"""A base for middleware that runs both sync and async, as Django's own middleware does.

Under ASGI a middleware that is only sync costs every request a hop to a worker thread
and back. The website's middlewares (page counting, the public page cache and headers,
the editing gate) let most requests pass untouched, so they are both: Django calls them
the way the rest of the chain runs, and each writes its work once for each mode.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponse


class SyncAsyncMiddleware:
    """Subclasses write `sync_call` and `async_call`; `__call__` picks the one that fits
    the chain Django built (a coroutine when the next step is one)."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if self.is_async:
            return self.async_call(request)
        return self.sync_call(request)

    def sync_call(self, request: HttpRequest) -> HttpResponse:
        raise NotImplementedError

    async def async_call(self, request: HttpRequest) -> HttpResponse:
        raise NotImplementedError

    def next_sync(self, request: HttpRequest) -> HttpResponse:
        """The rest of the chain's response, in sync mode."""
        response: HttpResponse = self.get_response(request)
        return response

    async def next_async(self, request: HttpRequest) -> HttpResponse:
        """The rest of the chain's response, in async mode."""
        get_response: Callable[[HttpRequest], Awaitable[HttpResponse]] = self.get_response
        return await get_response(request)
