"""A real uvicorn worker stopped by a real signal (systemd, `docker stop` and `kill` send
SIGTERM; Ctrl-C sends SIGINT) stores every page view it counted before it exits."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from hjelpelinje.chat.tests.server import ROOT, World, world
from hjelpelinje.core.tests.browserish import Browserish

COUNTED = "from hjelpelinje.site.visits.models import PageDay\nprint(sum(PageDay.objects.values_list('views', flat=True)))"


def stored_views(w: World) -> int:
    out = subprocess.run(
        [sys.executable, "-m", "hjelpelinje", "shell", "-c", COUNTED],
        env=w.env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return int(out.strip().splitlines()[-1])


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stopped_worker_keeps_what_it_counted(stop: signal.Signals) -> None:
    # The test settings start no flushing thread: only the stop can store the counts, as
    # in production for everything counted since the last 20-second flush.
    with world() as w:
        port = w.serve()
        visitor = Browserish(port)
        for _ in range(7):
            page = visitor.get("/chat/")
            assert page.status == 200
        assert stored_views(w) == 0

        proc = w.procs[0]
        proc.send_signal(stop)
        proc.wait(timeout=60)
        assert stored_views(w) == 7
