"""A PostgreSQL cluster of a test's own, which the test may stop and start again.

The shared server on 5432 is never touched: this one lives in a temporary directory, on
a free port, and is gone when the test ends. PostgreSQL refuses to run as root, so as
root (a CI container) the cluster runs as the `postgres` system user.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from hjelpelinje.chat.tests.server import free_port

BIN = Path("/usr/lib/postgresql")


def _bin(name: str) -> str:
    for version in sorted(BIN.glob("*"), reverse=True):
        if (version / "bin" / name).exists():
            return str(version / "bin" / name)
    pytest.skip(f"PostgreSQL's {name} is not installed")


@dataclass
class Cluster:
    dir: Path
    port: int
    user: str | None

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/hjelpelinje"

    def _run(self, *command: str) -> None:
        if self.user is not None:
            command = ("runuser", "-u", self.user, "--", *command)
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)

    def start(self) -> None:
        self._run(
            _bin("pg_ctl"),
            "-D",
            str(self.dir / "data"),
            "-l",
            str(self.dir / "log"),
            "-w",
            "-t",
            "60",
            "-o",
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c full_page_writes=off -c synchronous_commit=off",
            "start",
        )

    def stop(self) -> None:
        """A fast shutdown, as an operator's restart does: every connection is cut."""
        self._run(_bin("pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast", "-w", "stop")

    def up(self) -> bool:
        probe = subprocess.run(
            [_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-q"], check=False
        )
        return probe.returncode == 0


@contextmanager
def own_postgres() -> Iterator[Cluster]:
    user = "postgres" if os.geteuid() == 0 else None
    if user is not None:
        try:
            pwd.getpwnam(user)
        except KeyError:
            pytest.skip("running as root without a postgres user to run PostgreSQL as")
    base = Path(tempfile.mkdtemp(prefix="chat-pg-"))
    if user is not None:
        shutil.chown(base, user)
    cluster = Cluster(base, free_port(), user)
    try:
        cluster._run(
            _bin("initdb"), "-D", str(base / "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8"
        )
        cluster.start()
        cluster._run(
            _bin("createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(cluster.port),
            "-U",
            "postgres",
            "hjelpelinje",
        )
        yield cluster
    finally:
        if (base / "data" / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                cluster._run(
                    _bin("pg_ctl"), "-D", str(base / "data"), "-m", "immediate", "-w", "stop"
                )
        shutil.rmtree(base, ignore_errors=True)
