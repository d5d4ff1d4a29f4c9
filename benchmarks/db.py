"""Dedicated PostgreSQL databases for benchmarks: created, migrated, and dropped.

The first database a run needs is migrated; that state is kept as a template, so every
later one (each benchmark's, and the databases the chat and site servers use) is a copy
made in a moment instead of another round of migrations.
"""

from __future__ import annotations

import atexit
import os
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlparse

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hj_bench"


def bench_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)


def _admin_connect():  # type: ignore[no-untyped-def]
    import psycopg

    url = urlparse(bench_url())
    return psycopg.connect(
        host=url.hostname or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password or None,
        dbname="postgres",
        autocommit=True,
    )


def _db_name() -> str:
    return urlparse(bench_url()).path.lstrip("/")


def _drop(name: str) -> None:
    with _admin_connect() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_available() -> str | None:
    """None when the server answers, else why not."""
    try:
        with _admin_connect() as conn:
            conn.execute("SELECT 1")
    except Exception as exc:
        return str(exc).strip().splitlines()[0]
    return None


_template: str | None = None


def _migrated_template() -> str:
    """The name of a migrated database to copy, made once per run."""
    global _template
    if _template is None:
        from django.core.management import call_command
        from django.db import connections

        name = _db_name()
        template = f"{name}_migrated"
        connections.close_all()
        _drop(name)
        with _admin_connect() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        call_command("migrate", verbosity=0, interactive=False)
        connections.close_all()
        _drop(template)
        with _admin_connect() as conn:
            conn.execute(f'CREATE DATABASE "{template}" TEMPLATE "{name}"')
        atexit.register(_drop, template)
        _template = template
    return _template


def migrated_database(name: str) -> None:
    """(Re)create database `name` on the bench server, migrated and empty."""
    template = _migrated_template()
    _drop(name)
    with _admin_connect() as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


def url_of(name: str) -> str:
    """The URL of database `name` on the bench server."""
    return bench_url().rsplit("/", 1)[0] + f"/{name}"


@contextmanager
def fresh_database() -> Iterator[None]:
    """An empty, migrated bench database for the duration of the block, dropped after."""
    from django.db import connections

    name = _db_name()
    connections.close_all()
    migrated_database(name)
    try:
        yield
    finally:
        connections.close_all()
        # BENCH_KEEP=1 leaves the database for a look with psql afterwards.
        if not os.environ.get("BENCH_KEEP"):
            _drop(name)
