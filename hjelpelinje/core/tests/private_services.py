"""Private PostgreSQL and Redis servers for fault tests, which stop and start them.

The shared servers on 5432 and 6379 are never stopped: each test that needs a database or
a cache to fail starts its own, on a free port in a temporary directory, and ends it.
PostgreSQL refuses to run as root, so as root its commands run as the `postgres` user.

Migrating a fresh PostgreSQL database takes half a minute; copying a stopped cluster's
files, a second. So each test process migrates one cluster the first time it needs one,
and every `own_postgres` after that starts from a copy of it.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from hjelpelinje.chat.tests.server import ROOT, free_port


def _pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        pytest.fail("PostgreSQL's server programs are not installed (apt-get install postgresql)")
    return Path(found[-1]).parent


def _pg_user() -> str | None:
    """The system user the cluster runs as: ourselves, or `postgres` when we are root."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        pytest.fail("running as root without a postgres user to run PostgreSQL as")
    return "postgres"


@dataclass
class PrivatePostgres:
    dir: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str) -> None:
        user = _pg_user()
        prefix = ["runuser", "-u", user, "--"] if user else []
        subprocess.run(
            [*prefix, *command], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c full_page_writes=off -c synchronous_commit=off"
        )
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
        """Stop the server as an administrator would (`pg_ctl stop -m fast`): every
        connection is cut."""
        self._run(
            str(_pg_bin() / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast", "-w", "stop"
        )

    def up(self) -> bool:
        probe = subprocess.run(
            [str(_pg_bin() / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-q"],
            check=False,
        )
        return probe.returncode == 0


def _new_cluster() -> PrivatePostgres:
    base = Path(tempfile.mkdtemp(prefix="hj-pg-"))
    if (user := _pg_user()) is not None:
        shutil.chown(base, user, user)
    return PrivatePostgres(base, free_port())


def _initdb(pg: PrivatePostgres) -> None:
    pg._run(
        str(_pg_bin() / "initdb"),
        "-D",
        str(pg.dir / "data"),
        "-U",
        "postgres",
        "--auth=trust",
        "-E",
        "UTF8",
        "--no-sync",
    )


_migrated: Path | None = None


def _migrated_data() -> Path:
    """The data directory of a stopped cluster holding a migrated database, made once
    per test process (each xdist worker has its own, in a directory of its own)."""
    global _migrated
    if _migrated is None or not _migrated.exists():
        pg = _new_cluster()
        atexit.register(shutil.rmtree, pg.dir, True)
        _initdb(pg)
        pg.start()
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
        env.update(
            DJANGO_SETTINGS_MODULE="hjelpelinje.test_settings",
            DATABASE_URL=pg.url,
            HJELPELINJE_VAR_DIR=str(pg.dir),
            REDIS_URL="",
        )
        try:
            subprocess.run(
                [sys.executable, "-m", "hjelpelinje", "migrate", "-v0"],
                env=env,
                cwd=ROOT,
                check=True,
            )
        finally:
            pg.stop()
        _migrated = pg.dir / "data"
    return _migrated


@contextmanager
def own_postgres(migrated: bool = True) -> Iterator[PrivatePostgres]:
    """A PostgreSQL cluster of the test's own (trust authentication, user postgres), its
    database (`url`) migrated unless `migrated` is False (then it is empty)."""
    pg = _new_cluster()
    try:
        if migrated:
            # `cp -a` as the cluster's own user: the copy keeps the owner PostgreSQL wants.
            pg._run("cp", "-a", str(_migrated_data()), str(pg.dir / "data"))
        else:
            _initdb(pg)
        pg.start()
        yield pg
    finally:
        if (pg.dir / "data" / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                pg._run(
                    str(_pg_bin() / "pg_ctl"),
                    "-D",
                    str(pg.dir / "data"),
                    "-m",
                    "immediate",
                    "-w",
                    "stop",
                )
        shutil.rmtree(pg.dir, ignore_errors=True)


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
        """Stop the server (SIGTERM, as systemd does): every connection is cut."""
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
