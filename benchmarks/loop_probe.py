"""How long a server's event loop stalls, and how long its garbage collector pauses.

`probed(app)` wraps an ASGI application. In the server process it starts a task that
sleeps for 1 ms, again and again, and records by how much each sleep overshoots: that is
how long the loop was busy with something else. Anything that holds the loop (a long
callback, a synchronous loop over every socket, a collection of the oldest generation, a
worker thread holding the GIL) shows up there, and the task costs a thousand cheap
wake-ups a second, not the slowdown of asyncio's debug mode. `gc.callbacks` times every
collection.

On a busy machine a process is also stalled when the kernel gives its core to another
process, which says nothing about the code. So each stall is measured twice: by the wall
clock (what a message waiting on the loop would see) and by the CPU time the loop's thread
spent in it (the work the loop itself did; a stall the machine caused has little of it).

The bench asks for the figures over plain HTTP, which the wrapper answers before the
application sees the request:

    GET /__probe__/?reset=1   start a new window
    GET /__probe__/           the figures since the last reset, as JSON

Only for benchmarks: nothing in the product imports this.
"""

from __future__ import annotations

import asyncio
import gc
import json
import time
from typing import Any

STALL_MS = 5.0  # the line: no event-loop stall over 5 ms
TICK = 0.001
PATH = "/__probe__/"


class Probe:
    def __init__(self) -> None:
        self.task: asyncio.Task[None] | None = None
        self.gc_started = 0.0
        self.gc_cpu_started = 0.0
        self.gc_young = 0
        self.reset()

    def reset(self) -> None:
        self.since = time.perf_counter()
        self.cpu_since = time.process_time()
        self.ticks = 0
        self.stalls: list[tuple[float, float]] = []  # (seconds since reset, ms) over STALL_MS
        self.longest = 0.0
        self.longest_at = 0.0
        self.cpu_stalls: list[tuple[float, float]] = []
        self.longest_cpu = 0.0
        self.gc_pauses: dict[int, list[float]] = {0: [], 1: [], 2: []}
        self.gc_cpu: dict[int, list[float]] = {0: [], 1: [], 2: []}
        self.gc_longest: dict[int, tuple[int, int]] = {}

    def start(self) -> None:
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._watch())
            gc.callbacks.append(self._gc)

    async def _watch(self) -> None:
        while True:
            before, cpu_before = time.perf_counter(), time.thread_time()
            await asyncio.sleep(TICK)
            now, cpu = time.perf_counter(), (time.thread_time() - cpu_before) * 1000
            over = (now - before - TICK) * 1000
            self.ticks += 1
            if over > self.longest:
                self.longest, self.longest_at = over, now - self.since
            if over > STALL_MS:
                self.stalls.append((now - self.since, over))
            self.longest_cpu = max(self.longest_cpu, cpu)
            if cpu > STALL_MS:
                self.cpu_stalls.append((now - self.since, cpu))

    def _gc(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self.gc_started, self.gc_cpu_started = time.perf_counter(), time.thread_time()
            self.gc_young = gc.get_count()[0]
        else:
            pause = (time.perf_counter() - self.gc_started) * 1000
            self.gc_pauses[info["generation"]].append(pause)
            if pause >= max(self.gc_pauses[info["generation"]]):
                # What the longest collection of each generation had to do.
                self.gc_longest[info["generation"]] = (self.gc_young, info["collected"])
            self.gc_cpu[info["generation"]].append(
                (time.thread_time() - self.gc_cpu_started) * 1000
            )

    def figures(self) -> dict[str, Any]:
        return {
            "seconds": time.perf_counter() - self.since,
            # CPU time of the whole process (all threads): per message, the cost of the
            # server's work, which a busy machine does not inflate much.
            "cpu_s": time.process_time() - self.cpu_since,
            "ticks": self.ticks,
            "longest_stall_ms": self.longest,
            "longest_stall_at_s": self.longest_at,
            "stalls_over_5ms": len(self.stalls),
            # The longest few, with when they happened: stalls every TIDY_EVERY seconds
            # point at the tidy-up, stalls at random at the traffic or the machine.
            "worst": sorted(self.stalls, key=lambda s: -s[1])[:12],
            "longest_cpu_stall_ms": self.longest_cpu,
            "cpu_stalls_over_5ms": len(self.cpu_stalls),
            "worst_cpu": sorted(self.cpu_stalls, key=lambda s: -s[1])[:12],
            # What a full collection has to walk (objects gc.freeze() set aside are not).
            "gc_tracked": len(gc.get_objects()),
            "gc_frozen": gc.get_freeze_count(),
            "gc": {
                str(gen): {
                    "count": len(p),
                    "max_ms": max(p, default=0.0),
                    "total_ms": sum(p),
                    "max_cpu_ms": max(self.gc_cpu[gen], default=0.0),
                    # For the longest: young objects counted at its start, and freed.
                    "longest_young_freed": self.gc_longest.get(gen),
                }
                for gen, p in self.gc_pauses.items()
            },
        }


PROBE = Probe()


def probed(app: Any) -> Any:
    """`app`, with the probe running in its loop and answering on PATH."""

    async def wrapper(scope: dict[str, Any], receive: Any, send: Any) -> None:
        PROBE.start()
        if scope["type"] == "http" and scope["path"] == PATH:
            if b"reset=1" in scope.get("query_string", b""):
                PROBE.reset()  # without figures(): walking gc's objects is a stall itself
                body = b"{}"
            else:
                body = json.dumps(PROBE.figures()).encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [(b"content-type", b"application/json")],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        if scope["type"] == "lifespan":
            # The chat's router has no lifespan; tell uvicorn so and carry on.
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            message = await receive()
            await send({"type": "lifespan.shutdown.complete"})
            return
        await app(scope, receive, send)

    return wrapper


def read(port: int, reset: bool = False) -> dict[str, Any]:
    """The figures of the probed server on `port` (client side, blocking)."""
    import urllib.request

    url = f"http://127.0.0.1:{port}{PATH}{'?reset=1' if reset else ''}"
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())  # type: ignore[no-any-return]
