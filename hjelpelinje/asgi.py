"""The ASGI entry point: HTTP through Django, WebSockets through Channels."""

from __future__ import annotations

import gc
import os
from typing import Any

from asgiref.sync import sync_to_async
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hjelpelinje.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler  # noqa: E402
from django.urls import re_path  # noqa: E402

from hjelpelinje.chat.routing import websocket_urlpatterns  # noqa: E402

# In development the app serves its own static files; in production the reverse proxy does.
http_app = ASGIStaticFilesHandler(django_asgi_app) if settings.DEBUG else django_asgi_app


async def lifespan(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """The server's start and stop (ASGI lifespan): at the stop, the visit counters.

    uvicorn stops on SIGTERM and SIGINT alike by closing its connections and then sending
    `lifespan.shutdown`; after that it raises the signal again, which ends the process
    without `atexit`. So what this worker counted since its last flush is stored here
    (hjelpelinje/site/visits/counting.py, docs/visits.md).
    """
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await sync_to_async(_flush_visits, thread_sensitive=False)()
            await send({"type": "lifespan.shutdown.complete"})
            return


def _flush_visits() -> None:
    from django.db import connections

    from hjelpelinje.site.visits.counting import COUNTERS

    try:
        COUNTERS.flush_quietly()
    finally:
        connections.close_all()


async def refuse_socket(scope: Any, receive: Any, send: Any) -> None:
    """A socket on a path no consumer serves: refused in its handshake (HTTP 403), as
    a consumer refuses one, instead of the router's exception (an HTTP 500 and a
    traceback in the log for each of an attacker's handshakes)."""
    if (await receive())["type"] == "websocket.connect":
        await send({"type": "websocket.close", "code": 1008})


application = ProtocolTypeRouter(
    {
        "http": http_app,
        "websocket": URLRouter(
            [*websocket_urlpatterns, re_path(r"", refuse_socket)]  # type: ignore[arg-type]
        ),
        "lifespan": lifespan,
    }
)


def tune_gc() -> None:
    """Keep the garbage collector's pauses out of the chat's delivery times.

    A server process holds a thousand chat sockets, each with its consumer, tasks and
    protocol state, beside the hundred thousand objects of Django, Wagtail and the app.
    With CPython's default thresholds a young collection ran every few hundred net
    allocations, promoting messages still in flight to older generations, and then a
    full collection walked everything: stalls of tens of milliseconds for every socket
    of the process (benchmarks/chat_bench.py shows them). So: everything loaded at
    startup is set aside for good (`gc.freeze`, it lives as long as the process), and a
    young collection waits for 10,000 objects, so messages in flight die young by
    reference counting. Reference cycles are still collected, only less often.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


tune_gc()
