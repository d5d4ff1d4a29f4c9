"""Private PostgreSQL and Redis servers for fault tests, which stop and start them.

The shared servers on 5432 and 6379 are never stopped: each test that needs a database or
a cache to fail starts its own, on a free port in a temporary directory, and ends it.
PostgreSQL refuses to run as root, so as root its commands run as the `postgres` user.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import redis

from hjelpelinje.chat.tests.server import free_port


def _pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        raise RuntimeError("PostgreSQL's server programs are not installed")
    return Path(found[-1]).parent


@dataclass
class PrivatePostgres:
    dir: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(
            [*prefix, *command], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            str(_pg_bin() / "pg_ctl"),
            "-D",
            str(self.dir / "data"),
            "-l",
            str(self.dir / "log"),
            "-o",
            options,
            "-w",
            "-t",
            "120",
            "start",
        )

    def stop(self) -> None:
        """Stop the server as an administrator would (`pg_ctl stop -m fast`)."""
        self._run(
            str(_pg_bin() / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast", "-w", "stop"
        )


@contextmanager
def own_postgres() -> Iterator[PrivatePostgres]:
    """A PostgreSQL cluster of the test's own (trust authentication, user postgres)."""
    base = Path(tempfile.mkdtemp(prefix="hj-pg-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    pg = PrivatePostgres(base, free_port())
    pg._run(
        str(_pg_bin() / "initdb"),
        "-D",
        str(base / "data"),
        "-U",
        "postgres",
        "--auth=trust",
        "-E",
        "UTF8",
        "--no-sync",
    )
    pg.start()
    try:
        yield pg
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            pg.stop()
        shutil.rmtree(base, ignore_errors=True)


@dataclass
class PrivateRedis:
    port: int
    # With a directory, what Redis holds survives its restart (an append-only file), as
    # it does on a server configured to keep its data.
    dir: Path | None = None
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def up(self) -> bool:
        try:
            return bool(redis.Redis(port=self.port, socket_timeout=1).ping())
        except redis.ConnectionError:
            return False

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        if self.dir is None:
            command += ["--appendonly", "no"]
        else:
            command += ["--dir", str(self.dir), "--appendonly", "yes", "--appendfsync", "always"]
        self.proc = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while not self.up():
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
            self.proc = None


@contextmanager
def own_redis(keep_data: bool = False) -> Iterator[PrivateRedis]:
    """A Redis server of the test's own, which the test may stop and start again."""
    data = Path(tempfile.mkdtemp(prefix="hj-redis-")) if keep_data else None
    server = PrivateRedis(free_port(), data)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        if data is not None:
            shutil.rmtree(data, ignore_errors=True)
