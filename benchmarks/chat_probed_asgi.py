"""The chat's own ASGI application with the loop probe (`benchmarks/loop_probe.py`) around
it, as `benchmarks/chat_bench.py` serves it: the chat's code is exactly production's."""

from __future__ import annotations

from benchmarks.loop_probe import probed
from hjelpelinje.asgi import application as chat

application = probed(chat)
