"""Counters from many threads and many processes add up; a clean exit loses nothing."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from hjelpelinje.site.visits import counting
from hjelpelinje.site.visits.counting import Seen

ROOT = Path(__file__).resolve().parents[4]

# A worker process of its own: it counts `n` page views (one in three a visit from
# tiktok.com), waits until every worker is ready, then flushes or just exits.
WORKER = """
import os, sys, time
from pathlib import Path
import django
django.setup()
from django.db import connection
from hjelpelinje.site.visits import counting
from hjelpelinje.site.visits.models import PageDay, SourceDay
from datetime import date

if sys.argv[1] == "create":
    with connection.schema_editor() as editor:
        editor.create_model(PageDay)
        editor.create_model(SourceDay)
    # The helpline's campaign, whose tag the counters keep: its table alone, without the
    # tables its foreign keys name, which these workers never read.
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE outreach_campaign (id integer PRIMARY KEY, utm_tag text)")
        cursor.execute("INSERT INTO outreach_campaign (utm_tag) VALUES ('dobbeltliv')")
    raise SystemExit(0)

n, how, go = int(sys.argv[2]), sys.argv[1], Path(sys.argv[3])
day = date(2026, 3, 8)
for i in range(n):
    visit = i % 3 == 0
    counting.COUNTERS.add(day, counting.Seen(
        "/tema/", visit, False, "tiktok.com" if visit else "", "dobbeltliv" if visit else "",
        "tiktok" if visit else ""))
# Every worker flushes at the same moment, so their writes meet in the database.
while not go.exists():
    time.sleep(0.01)
if how == "flush":
    counting.flush()
# "exit": nothing flushed by hand; atexit must store the counts.
"""


@pytest.fixture
def database(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    db = tmp_path / "visits.sqlite3"
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="hjelpelinje.test_settings",
        DATABASE_URL=f"sqlite:///{db}",
        HJELPELINJE_VAR_DIR=str(tmp_path),
        # No flush thread: only the explicit flush and atexit write.
        HJELPELINJE_VISITS_FLUSH_SECONDS="0",
        REDIS_URL="",
    )
    (tmp_path / "worker.py").write_text(WORKER)
    subprocess.run(
        [sys.executable, str(tmp_path / "worker.py"), "create"], env=env, cwd=ROOT, check=True
    )
    yield db, env


def run_workers(
    tmp_path: Path, env: dict[str, str], hows: list[str], n: int
) -> list[subprocess.CompletedProcess[bytes]]:
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, str(tmp_path / "worker.py"), how, str(n), str(go)],
            env=env,
            cwd=ROOT,
            stderr=subprocess.PIPE,
        )
        for how in hows
    ]
    # Give every worker time to start and count before they all flush together.
    threading.Event().wait(4)
    go.touch()
    results = []
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(proc.args, proc.returncode, b"", err))
    return results


def stored(db: Path) -> tuple[list[tuple[str, int, int]], list[tuple[str, str, str, int]]]:
    with sqlite3.connect(db) as conn:
        pages = conn.execute("SELECT path, views, visits FROM visits_pageday").fetchall()
        sources = conn.execute(
            "SELECT referrer_host, utm_campaign, utm_source, visits FROM visits_sourceday"
        ).fetchall()
    return pages, sources


def test_three_processes_flushing_at_once_lose_no_count(
    database: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    db, env = database
    results = run_workers(tmp_path, env, ["flush", "flush", "flush"], n=900)
    assert [r.returncode for r in results] == [0, 0, 0], [r.stderr for r in results]
    pages, sources = stored(db)
    assert pages == [("/tema/", 2700, 900)]
    assert sources == [("tiktok.com", "dobbeltliv", "tiktok", 900)]


def test_a_clean_exit_stores_what_was_counted(
    database: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    db, env = database
    results = run_workers(tmp_path, env, ["exit", "flush"], n=30)
    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    pages, sources = stored(db)
    assert pages == [("/tema/", 60, 20)]
    assert sources == [("tiktok.com", "dobbeltliv", "tiktok", 20)]


def test_counting_from_many_threads_loses_nothing() -> None:
    counters = counting.Counters()
    day = date(2026, 3, 8)
    seen = Seen("/", True, False, "", "", "")

    def count() -> None:
        for _ in range(5000):
            counters.add(day, seen)

    # No flush thread for this private set of counters.
    counters.thread = threading.Thread()
    threads = [threading.Thread(target=count) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    pages, sources = counters.take()
    assert pages == {(day, "/"): [40000, 40000, 0]}
    assert sources == {(day, "", "", ""): 40000}
