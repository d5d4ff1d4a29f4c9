"""Real uvicorn servers for the chat's end-to-end tests and the benchmark.

Each server is a subprocess on a free port of 127.0.0.1, with uvicorn's access log off as
in production. Several servers can share one SQLite file and one Redis channel layer.
A world's SQLite file is a copy of one migrated once per test process (migrating takes
seconds; copying, a moment), in a directory of its own, so test processes run side by side.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

SETUP = """
import datetime as dt
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, BACKEND_SESSION_KEY
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from hjelpelinje.accounts.models import User
from hjelpelinje.hours.models import HoursException

# Open the chat around the clock for the test, holidays included.
today = dt.date.today()
HoursException.objects.create(
    channel="chat", start_date=today - dt.timedelta(days=2), end_date=today + dt.timedelta(days=2),
    kind="open", opens=dt.time(0, 0), closes=dt.time(23, 59), weekdays_only=False,
)
for i in range({count}):
    user = User.objects.create_user(
        username=f"radgiver{{i}}", password="x-" * 10, first_name=f"Kari{{i}}", role="counsellor"
    )
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.set_expiry(3600)
    store.create()
    print("SESSION", store.session_key)
"""


_migrated: Path | None = None


def migrated_sqlite(env: dict[str, str]) -> Path:
    """A freshly migrated SQLite database, made once per test process, to copy."""
    global _migrated
    if _migrated is None or not _migrated.exists():
        where = Path(tempfile.mkdtemp(prefix="chat-e2e-migrated-"))
        atexit.register(shutil.rmtree, where, True)
        subprocess.run(
            [sys.executable, "-m", "hjelpelinje", "migrate", "-v0"],
            env=env | {"HJELPELINJE_VAR_DIR": str(where)},
            cwd=ROOT,
            check=True,
        )
        _migrated = where / "hjelpelinje.sqlite3"
    return _migrated


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class World:
    """A migrated database (SQLite file or a PostgreSQL URL) with counsellors signed in.

    A `database_url` is migrated first, unless `migrated` says it is already."""

    def __init__(
        self,
        counsellors: int = 1,
        redis_url: str = "",
        static: bool = False,
        database_url: str = "",
        setup: str = "",
        migrated: bool = False,
        **env: str,
    ) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="chat-e2e-"))
        self.env = dict(os.environ)
        self.env.update(
            DJANGO_SETTINGS_MODULE="hjelpelinje.test_settings",
            HJELPELINJE_VAR_DIR=str(self.dir),
            REDIS_URL=redis_url,
            # Its own names in Redis, so parallel runs on one server never hear each other.
            REDIS_PREFIX=f"hj-test-{self.dir.name}",
            LOG_LEVEL="WARNING",
            DATABASE_CONN_MAX_AGE="0",
        )
        if static:
            # The app serves its own static files only with DEBUG on (a browser needs them);
            # the second factor stays required as in production.
            self.env.update(DEBUG="1", HJELPELINJE_REQUIRE_2FA="1")
        self.env.update(env)
        self.env.pop("DATABASE_URL", None)
        self.sqlite_file = Path(self.env["HJELPELINJE_VAR_DIR"]) / "hjelpelinje.sqlite3"
        if database_url:
            self.env["DATABASE_URL"] = database_url
        self.env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        run = [sys.executable, "-m", "hjelpelinje"]
        if database_url:
            # A private cluster comes migrated (core/tests/private_services.py); checking
            # that again would cost seconds.
            if not migrated:
                subprocess.run([*run, "migrate", "-v0"], env=self.env, cwd=ROOT, check=True)
        else:
            # Where the servers will look: a test may give the world a directory of its own
            # (test_it_disk_full.py puts the database on a small disk).
            shutil.copyfile(migrated_sqlite(self.env), self.sqlite_file)
        out = subprocess.run(
            [*run, "shell", "-c", SETUP.format(count=counsellors) + setup],
            env=self.env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        self.sessions = [line.split()[1] for line in out.splitlines() if line.startswith("SESSION")]
        self.procs: list[subprocess.Popen[bytes]] = []

    def serve(self, app: str = "hjelpelinje.asgi:application") -> int:
        port = free_port()
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                app,
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-access-log",
                "--ws-per-message-deflate",
                "false",
                "--log-level",
                "warning",
            ],
            env=self.env,
            cwd=ROOT,
        )
        self.procs.append(proc)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError("uvicorn exited")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                return port
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("uvicorn did not start")

    def totp_token(self, username: str) -> str:
        """The current TOTP code of a counsellor's device, as their phone would show it."""
        import sqlite3

        from django_otp.oath import totp

        db = sqlite3.connect(self.sqlite_file)
        key, step, t0, digits = db.execute(
            "SELECT d.key, d.step, d.t0, d.digits FROM otp_totp_totpdevice d "
            "JOIN accounts_user u ON u.id = d.user_id WHERE u.username = ?",
            (username,),
        ).fetchone()
        db.close()
        return str(totp(bytes.fromhex(key), step=step, t0=t0, digits=digits)).zfill(digits)

    def pid(self, index: int = 0) -> int:
        return self.procs[index].pid

    def close(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


@contextmanager
def world(
    counsellors: int = 1,
    redis_url: str = "",
    static: bool = False,
    database_url: str = "",
    migrated: bool = False,
    **env: str,
) -> Iterator[World]:
    w = World(
        counsellors=counsellors,
        redis_url=redis_url,
        static=static,
        database_url=database_url,
        migrated=migrated,
        **env,
    )
    try:
        yield w
    finally:
        w.close()
