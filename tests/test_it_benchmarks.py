"""Every benchmark runs, at a hundredth of its size, so a benchmark that no longer works
(a moved address, a renamed function) breaks the suite rather than the figures."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the benchmarks measure PostgreSQL; the suite's PostgreSQL run runs them",
)


def benchmarks(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, BENCH_DATABASE_URL=database_url)
    env.pop("DATABASE_URL", None)
    if os.environ.get("REDIS_URL"):
        env["BENCH_REDIS_URL"] = os.environ["REDIS_URL"]
    return subprocess.run(
        [sys.executable, "-m", "benchmarks", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )


def own_database_url() -> str:
    # Beside this worker's test database, so parallel runs never share one.
    db = settings.DATABASES["default"]
    user, host, port = db["USER"] or "postgres", db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    # During the tests, NAME is the test database's (test_<name>, test_<name>_gw0, ...).
    return f"postgres://{user}@{host}:{port}/{db['NAME']}_bench"


def test_every_benchmark_runs_at_a_hundredth_of_its_size() -> None:
    listed = benchmarks("--list", database_url=own_database_url())
    names = [line.split()[0] for line in listed.stdout.splitlines() if line.strip()]
    assert {"import", "stats", "report", "chat", "site"} <= set(names)

    run = benchmarks("--scale", "0.01", database_url=own_database_url())
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    assert "failed:" not in run.stdout
    for name in names:
        assert f"== {name}:" in run.stdout
    # The stats block is compared with the best hand-written SQL, and agrees with it.
    assert "block's figures = the best hand-written SQL's" in run.stdout
    assert "NO" not in run.stdout.split()


def test_a_benchmark_that_cannot_run_fails_the_run() -> None:
    # No PostgreSQL where the benchmark is sent: a closed port.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    run = benchmarks("stats", database_url=f"postgres://postgres@127.0.0.1:{closed}/hj_none")
    assert run.returncode == 1
    assert "failed: RuntimeError: PostgreSQL not available" in run.stdout
    assert "FAILED: stats" in run.stdout
