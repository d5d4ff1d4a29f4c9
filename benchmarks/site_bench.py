"""The public website: bytes of a page, latency at 200 readers, and what counting costs.

Figures, never pass/fail. Targets from issue 12: a page served from cache under 50 kB
transferred without images; p99 under 50 ms at 200 concurrent readers on one worker; counting
costs at most 10 % against the same page with counting off.

One database (PostgreSQL, `benchmarks/db.py`) with the demo website; two real uvicorn
processes on it, one counting (the default) and one with HJELPELINJE_VISITS_COUNTING=0, so
everything compared runs on the same machine in the same run:

1. The front page and a theme page: HTML + its CSS + its JS, raw and gzip.
2. 200 readers on the counting server for ~20 s: each fetches a page, reads for 0.5-2 s,
   and goes on; now and then it also fetches /health/, the baseline beside the pages.
3. The same load on the server without counting, and then the same page one request at a
   time to each server in turn: the difference is what counting costs.

    python -m benchmarks site
"""

from __future__ import annotations

import asyncio
import gzip
import os
import random
import re
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

from benchmarks.registry import benchmark, report

READERS = 200
LOAD_SECONDS = 20.0
SEQUENTIAL = 400
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
SETUP = """
from hjelpelinje.site import demo as site_demo
site_demo.load()
"""
LINK = re.compile(r'href="(/[^"#?]*)"')
ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"')


class Connection:
    """One keep-alive HTTP/1.1 connection, as a phone's browser keeps one."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", f"User-Agent: {PHONE_UA}"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        fields = {}
        for line in head.decode("latin-1").split("\r\n")[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                fields[name.strip().lower()] = value.strip()
        if "content-length" in fields:
            body = await self.reader.readexactly(int(fields["content-length"]))
        elif fields.get("transfer-encoding") == "chunked":
            parts = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                parts.append(await self.reader.readexactly(size + 2))
                if size == 0:
                    break
            body = b"".join(p[:-2] for p in parts)
        else:
            body = await self.reader.read()
            await self.close()
        if fields.get("connection", "").lower() == "close":
            await self.close()
        return status, body

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


@dataclass
class Run:
    pages: list[float] = field(default_factory=list)
    health: list[float] = field(default_factory=list)
    errors: int = 0


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def _reader(port: int, paths: list[str], until: float, run: Run, seed: int) -> None:
    rng = random.Random(seed)
    conn = Connection(port)
    # The first page is a landing from a search engine; the rest is reading on.
    headers = {"Sec-Fetch-Site": "cross-site", "Referer": "https://www.google.com/"}
    # Readers do not all arrive in the same instant.
    await asyncio.sleep(rng.uniform(0, 2))
    while time.monotonic() < until:
        try:
            if rng.random() < 0.1:
                start = time.perf_counter()
                status, _ = await conn.get("/health/")
                run.health.append(time.perf_counter() - start)
            path = rng.choice(paths)
            start = time.perf_counter()
            status, _ = await conn.get(path, headers)
            elapsed = time.perf_counter() - start
            if status == 200:
                run.pages.append(elapsed)
            else:
                run.errors += 1
        except (OSError, asyncio.IncompleteReadError, ValueError):
            run.errors += 1
            await conn.close()
        headers = {"Sec-Fetch-Site": "same-origin"}
        await asyncio.sleep(rng.uniform(0.5, 2.0))
    await conn.close()


async def _load(port: int, paths: list[str], seconds: float) -> Run:
    run = Run()
    until = time.monotonic() + seconds
    await asyncio.gather(*(_reader(port, paths, until, run, i) for i in range(READERS)))
    return run


async def _sequential(ports: dict[str, int], path: str, n: int) -> dict[str, list[float]]:
    conns = {name: Connection(port) for name, port in ports.items()}
    times: dict[str, list[float]] = {name: [] for name in ports}
    for conn in conns.values():  # warm up
        for _ in range(20):
            await conn.get(path, {"Sec-Fetch-Site": "none"})
    for _ in range(n):
        for name, conn in conns.items():
            start = time.perf_counter()
            await conn.get(path, {"Sec-Fetch-Site": "none"})
            times[name].append(time.perf_counter() - start)
    for conn in conns.values():
        await conn.close()
    return times


async def _warm(port: int, paths: list[str]) -> None:
    conn = Connection(port)
    for path in [*paths, "/health/"]:
        await conn.get(path)
    await conn.close()


async def _discover(port: int) -> tuple[bytes, list[str]]:
    conn = Connection(port)
    _, home = await conn.get("/")
    await conn.close()
    links = sorted(
        {
            p
            for p in LINK.findall(home.decode())
            if not p.startswith(("/static/", "/staff/", "/media/", "/documents/", "/en/"))
        }
    )
    return home, ["/", *[p for p in links if p != "/"][:15]]


async def _page_weight(port: int, path: str) -> tuple[int, int, list[str]]:
    """(raw bytes, gzip bytes, assets) of the page's HTML with its CSS and JS."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    conn = Connection(port)
    _, html = await conn.get(path)
    await conn.close()
    raw, packed, assets = len(html), len(gzip.compress(html, 6)), []
    for url in sorted(set(ASSET.findall(html.decode()))):
        if not url.startswith(settings.STATIC_URL):
            continue
        found = finders.find(url[len(settings.STATIC_URL) :].split("?")[0])
        if not found:
            continue
        with open(found if isinstance(found, str) else found[0], "rb") as handle:
            data = handle.read()
        raw += len(data)
        packed += len(gzip.compress(data, 6))
        assets.append(url.rsplit("/", 1)[-1])
    return raw, packed, assets


def _fresh_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def run_site(seconds: float = LOAD_SECONDS) -> dict[str, Any]:
    from hjelpelinje.chat.tests.server import World

    # PostgreSQL only when asked: Django under ASGI runs each request's sync code in a
    # thread of its own with a database connection of its own, so 200 readers open more
    # connections than PostgreSQL's default max_connections (100) allows, and the figures
    # would be of refused connections. Production needs a pooler in front (docs/visits.md).
    database_url = ""
    if os.environ.get("BENCH_SITE_POSTGRES") == "1":
        from benchmarks.db import bench_url

        # A database of its own, so the other benchmarks' data never meets this one.
        database_url = bench_url() + "_site"
        _fresh_database(database_url)
    load = os.getloadavg()[0]
    print(
        f"  1 uvicorn process per server, {'PostgreSQL' if database_url else 'SQLite'}, "
        f"the demo website, {READERS} readers for {seconds:g} s; "
        f"machine load average {load:.1f} on {os.cpu_count()} CPUs",
        flush=True,
    )
    started = time.perf_counter()
    world = World(counsellors=0, database_url=database_url, setup=SETUP)
    print(f"  (database migrated and demo site built in {time.perf_counter() - started:.0f} s)")
    figures: dict[str, Any] = {}
    try:
        counting_port = world.serve()
        world.env["HJELPELINJE_VISITS_COUNTING"] = "0"
        quiet_port = world.serve()
        _home, paths = asyncio.run(_discover(counting_port))
        # Every page once on each server first, so both measure pages served from cache.
        for port in (counting_port, quiet_port):
            asyncio.run(_warm(port, paths))

        print("  -- (1) bytes of a page: HTML + CSS + JS, no images (target < 50 kB)")
        for path in paths[:2]:
            raw, packed, assets = asyncio.run(_page_weight(counting_port, path))
            figures[f"weight {path}"] = (raw, packed)
            report(
                f"{path} ({', '.join(assets) or 'no assets'})",
                f"{raw / 1024:.1f} kB raw, {packed / 1024:.1f} kB gzip",
            )

        print(f"  -- (2) {READERS} readers, {len(paths)} pages (target p99 < 50 ms)", flush=True)
        on = asyncio.run(_load(counting_port, paths, seconds))
        report("pages, counting on: requests", f"{len(on.pages)} ({on.errors} errors)")
        if on.errors or not on.pages:
            raise RuntimeError(f"{on.errors} errors, {len(on.pages)} pages served")
        report(
            "pages, counting on: p50 / p99",
            f"{pct(on.pages, 0.5):.1f} / {pct(on.pages, 0.99):.1f} ms",
        )
        report(
            "baseline /health/: p50 / p99",
            f"{pct(on.health, 0.5):.1f} / {pct(on.health, 0.99):.1f} ms",
        )

        print("  -- (3) counting on against off (target: at most 10 % more)", flush=True)
        off = asyncio.run(_load(quiet_port, paths, seconds))
        report(
            "pages, counting off: p50 / p99",
            f"{pct(off.pages, 0.5):.1f} / {pct(off.pages, 0.99):.1f} ms",
        )
        cost_load = (pct(on.pages, 0.5) / pct(off.pages, 0.5) - 1) * 100
        report("under load: p50 on / off", f"{cost_load:+.1f} %")
        seq = asyncio.run(_sequential({"on": counting_port, "off": quiet_port}, "/", SEQUENTIAL))
        on_ms, off_ms = statistics.median(seq["on"]) * 1000, statistics.median(seq["off"]) * 1000
        cost = (on_ms / off_ms - 1) * 100
        report(
            f"one at a time, / x{SEQUENTIAL}: median on / off",
            f"{on_ms:.2f} / {off_ms:.2f} ms ({cost:+.1f} %)",
        )
        report("counting in-process, per page view", f"{_record_cost_us():.1f} µs")
        figures.update(
            p50_ms=pct(on.pages, 0.5),
            p99_ms=pct(on.pages, 0.99),
            health_p99_ms=pct(on.health, 0.99),
            cost_percent=cost,
            cost_load_percent=cost_load,
        )
    finally:
        world.close()
    return figures


def _record_cost_us() -> float:
    """What the middleware adds to one request: classify the headers, add to a counter."""
    from django.http import HttpResponse
    from django.test import RequestFactory

    from hjelpelinje.site.visits import counting

    request = RequestFactory().get(
        "/tema/?utm_campaign=dobbeltliv&utm_source=tiktok",
        HTTP_USER_AGENT=PHONE_UA,
        HTTP_SEC_FETCH_SITE="cross-site",
        HTTP_REFERER="https://www.tiktok.com/",
    )
    response = HttpResponse("<html></html>")
    counters = counting.Counters()
    counters.thread = object()  # type: ignore[assignment]  # no flush thread here
    n = 20_000
    start = time.perf_counter()
    for _ in range(n):
        seen = counting.classify(request, response)
        assert seen is not None
        counters.add(counting.today(), seen)
    return (time.perf_counter() - start) / n * 1e6


@benchmark("site", "public page bytes, 200 readers on one worker, counting on vs off")
def run(scale: float) -> None:
    global READERS, SEQUENTIAL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hjelpelinje.test_settings")
    if scale < 1:
        # Fewer readers for a shorter time: at 0.01 a check that every step still works.
        READERS = max(4, round(READERS * scale))
        SEQUENTIAL = max(20, round(SEQUENTIAL * scale))
    run_site(LOAD_SECONDS * min(1.0, max(0.05, scale)))
