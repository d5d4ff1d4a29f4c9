"""An attacker's free request costs one short log line at most (issue 16, item 8).

A real uvicorn worker with production's logging (DEBUG off, INFO) and Host check; its
output is what the journal would keep. Before: a traceback per request for a thousand
query parameters on a page (the visit counter), for each handshake on an unknown socket
path (an HTTP 500), for each bad Host, and a long path written out whole.
"""

from __future__ import annotations

import asyncio
import http.client
import subprocess
import sys
from pathlib import Path

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from hjelpelinje.chat.tests.server import ROOT, World, free_port
from hjelpelinje.core.tests.test_it_deploy import _wait_for_port

TIMES = 5


def _get(port: int, path: str, host: str = "127.0.0.1") -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.putrequest("GET", path, skip_host=True)
        conn.putheader("Host", host)
        conn.putheader("Sec-Fetch-Site", "cross-site")
        conn.endheaders()
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


async def _unknown_socket(port: int) -> int:
    try:
        async with connect(f"ws://127.0.0.1:{port}/ws/no/such/socket/"):
            return 101
    except InvalidStatus as exc:
        return exc.response.status_code


@pytest.fixture
def worker(tmp_path: Path):  # type: ignore[no-untyped-def]
    w = World(
        counsellors=0,
        DJANGO_SETTINGS_MODULE="hjelpelinje.core.tests.strict_hosts_settings",
        LOG_LEVEL="INFO",
    )
    log_path = tmp_path / "worker.log"
    port = free_port()
    try:
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "hjelpelinje.asgi:application",
                    "--port",
                    str(port),
                    "--no-access-log",
                    "--log-level",
                    "warning",
                    "--lifespan",
                    "off",
                ],
                env=w.env,
                cwd=ROOT,
                stdout=log,
                stderr=log,
            )
        w.procs.append(proc)
        _wait_for_port(port, proc, "uvicorn")
        yield w, port, log_path
    finally:
        w.close()


def test_free_requests_write_one_short_line_at_most(worker) -> None:  # type: ignore[no-untyped-def]
    w, port, log_path = worker
    many = "&".join(f"p{i}=x" for i in range(1_100))
    assert _get(port, "/") == 200, "the home page is the cached page to count"
    requests = 0
    for _ in range(TIMES):
        # A thousand parameters on a page: served, counted, not logged.
        assert _get(port, f"/?utm_source=x&{many}") == 200
        # An unknown socket path is refused, not an error.
        assert asyncio.run(_unknown_socket(port)) == 403
        # A Host this site is not.
        assert _get(port, "/", host="evil.example") == 400
        # A path of 4,000 characters.
        assert _get(port, "/" + "a" * 4_000 + "/") == 404
        requests += 4
    w.close()
    logged = log_path.read_text()
    assert "Traceback" not in logged
    lines = [line for line in logged.splitlines() if line.strip()]
    assert len(lines) <= requests
    assert all(len(line) <= 400 for line in lines), max(lines, key=len)[:200]
    assert "a" * 400 not in logged
