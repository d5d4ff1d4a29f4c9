"""Personas and shared fixtures: a counsellor, a manager and an administrator.

`client_for(user)` gives a Django test client signed in with a verified second factor,
as a real member of staff would be after login.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from hjelpelinje.accounts.models import Role, User

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class NorwegianBrowser:
    """A Playwright browser whose new pages and contexts ask for Norwegian.

    The helpline's staff and visitors browse in Norwegian; a test that wants English says
    so with its own `locale`.
    """

    def __init__(self, browser: Any) -> None:
        self._browser = browser

    def new_context(self, **options: Any) -> Any:
        options.setdefault("locale", "nb-NO")
        return self._browser.new_context(**options)

    def new_page(self, **options: Any) -> Any:
        options.setdefault("locale", "nb-NO")
        return self._browser.new_page(**options)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


# What a transactional test's flush keeps: rows every migrated database has and no test
# writes (the content types and permissions post_migrate would only make again).
FLUSH_KEEPS = frozenset({"django_migrations", "django_content_type", "auth_permission"})


def _quick_flush(self: Any) -> None:
    """Empty the tables a transactional test (a live server, a browser) wrote, quickly.

    Django's flush truncates every table and then runs post_migrate, which writes all the
    content types and permissions again: seconds per test on PostgreSQL. This deletes the
    rows of only the tables that have any, keeps FLUSH_KEEPS, and runs post_migrate
    against tables that are already complete (so it only puts back the role groups). What
    a test sees is what Django's flush leaves.
    """
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import connections, transaction

    if self.available_apps is not None or self.serialized_rollback:
        _django_fixture_teardown(self)
        return
    for alias in self._databases_names(include_mirrors=False):
        connection = connections[alias]
        tables = [
            t
            for t in connection.introspection.django_table_names(only_existing=True)
            if t not in FLUSH_KEEPS
        ]
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                " UNION ALL ".join(
                    f"SELECT '{t}' WHERE EXISTS (SELECT 1 FROM {quote(t)})" for t in tables
                )
            )
            written = [row[0] for row in cursor.fetchall()]
        if written:
            # DELETE, not TRUNCATE: PostgreSQL truncates a table only with every table
            # that refers to it, written or not. The foreign keys are deferred to the end.
            with transaction.atomic(using=alias), connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                for table in written:
                    cursor.execute(f"DELETE FROM {quote(table)}")
        emit_post_migrate_signal(verbosity=0, interactive=False, db=alias)


_django_fixture_teardown: Any = None


def pytest_configure(config: pytest.Config) -> None:
    global _django_fixture_teardown
    from django.test import TransactionTestCase

    # Opt-in until the whole suite has passed with it (HJELPELINJE_TEST_QUICK_FLUSH=1).
    if _django_fixture_teardown is None and os.environ.get("HJELPELINJE_TEST_QUICK_FLUSH") == "1":
        _django_fixture_teardown = TransactionTestCase._fixture_teardown  # type: ignore[attr-defined]
        TransactionTestCase._fixture_teardown = _quick_flush  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache, as the statistics and charts are cached."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _seeded_reference_data(request: pytest.FixtureRequest) -> None:
    """Put back what the migrations seed (code lists, the ordinary week).

    A transactional test (a browser test with a live server) empties every table when it
    ends; the tests after it must still find the code lists, as a real database always does.
    """
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("_django_db_helper")
    from hjelpelinje.hours.models import WeeklyHours
    from hjelpelinje.hours.seed import seed_week
    from hjelpelinje.taxonomy.models import Code
    from hjelpelinje.taxonomy.seed import seed_codes

    if not Code.objects.exists():
        seed_codes(Code)
    seed_week(WeeklyHours)


@pytest.fixture(autouse=True)
def _own_audit_witness(tmp_path: Any, settings: Any) -> None:
    """Each test's `verify_audit` keeps its witness in the test's own directory.

    The witness outlives the database by design; a shared one would carry one test's log
    length into the next test's fresh database and report it as cut short.
    """
    settings.HJELPELINJE_AUDIT_WITNESS = tmp_path / "audit-witness.json"


def make_staff(username: str, role: str, **extra: str) -> User:
    user = User.objects.create_user(
        username=username,
        password="correct-horse-battery-staple",
        first_name=username.capitalize(),
        role=role,
        **extra,
    )
    TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return user


@pytest.fixture
def counsellor(db: None) -> User:
    return make_staff("kari", Role.COUNSELLOR)


@pytest.fixture
def other_counsellor(db: None) -> User:
    return make_staff("ola", Role.COUNSELLOR)


@pytest.fixture
def manager(db: None) -> User:
    return make_staff("mona", Role.MANAGER)


@pytest.fixture
def administrator(db: None) -> User:
    return make_staff("arne", Role.ADMIN)


def verified_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def client_for(db: None) -> Callable[[User], Client]:
    return verified_client


@pytest.fixture(scope="session")
def chromium_path() -> str:
    # Browser tests never skip: a missing browser is a broken machine, not a pass.
    path = shutil.which("chromium") or CHROMIUM
    if not os.path.exists(path):
        pytest.fail("Debian's chromium is not installed (apt-get install chromium)")
    return path


@contextmanager
def launched_chromium(chromium_path: str) -> Iterator[NorwegianBrowser]:
    """Debian's Chromium, headless, driven by Playwright (no download of its own)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield NorwegianBrowser(instance)
        finally:
            instance.close()


@dataclass
class Outside:
    """Another site, served by `local_site`: a search engine whose results link to the
    helpline, and the quick exit's page (the weather). It remembers the paths it was
    asked for."""

    origin: str = ""
    site: str = ""
    asked: list[str] = field(default_factory=list)

    @property
    def exit_url(self) -> str:
        return f"{self.origin}/weather"

    def search(self, query: str) -> str:
        return f"{self.origin}/search?q={query}"


@contextmanager
def local_site(
    respond: Callable[[str, Message], bytes], content_type: str = "text/html; charset=utf-8"
) -> Iterator[int]:
    """A tiny web server on 127.0.0.1 for browser tests: another site, such as the quick
    exit's page or a search engine, without the internet. Every GET is answered with
    `respond(path, request headers)`; the server's port is yielded."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = respond(self.path, self.headers)
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield httpd.server_address[1]
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def browser(chromium_path: str) -> Iterator[object]:
    """A headless Chromium for one test."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with launched_chromium(chromium_path) as instance:
        try:
            yield instance
        finally:
            # While Playwright's event loop runs in this thread, Django keeps the ORM's
            # connection of the test code apart from the usual one; close it here, or it
            # would hold the test database open when it is dropped.
            from django.db import connections

            connections.close_all()
