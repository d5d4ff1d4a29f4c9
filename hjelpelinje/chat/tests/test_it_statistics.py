from __future__ import annotations

import datetime as dt

import pytest

from hjelpelinje.accounts.models import User
from hjelpelinje.chat import services
from hjelpelinje.chat.models import ChatSession, ClosedVisitDay
from hjelpelinje.core.timeutil import OSLO
from hjelpelinje.reporting.blocks.chat import chat_block

pytestmark = pytest.mark.django_db


def _session(start: dt.datetime, wait: int | None, duration: int | None) -> None:
    session, _ = services.chat_session_start(at=start)
    fields: dict[str, object] = {"status": "ended", "ended_at": start + dt.timedelta(seconds=30)}
    if wait is not None:
        answered = start + dt.timedelta(seconds=wait)
        fields |= {"assigned_at": answered, "answered_at": answered}
        fields["ended_at"] = answered + dt.timedelta(seconds=duration or 0)
    ChatSession.objects.filter(pk=session.pk).update(**fields)


def test_chat_block_counts_waits_and_closed_visits(counsellor: User) -> None:
    monday_10 = dt.datetime(2025, 3, 3, 10, 15, tzinfo=OSLO)
    thursday_17 = dt.datetime(2025, 3, 6, 17, 5, tzinfo=OSLO)
    _session(monday_10, wait=60, duration=600)
    _session(monday_10, wait=120, duration=1200)
    _session(thursday_17, wait=600, duration=300)
    _session(thursday_17, wait=None, duration=None)  # left the queue
    _session(dt.datetime(2024, 12, 31, 12, tzinfo=OSLO), wait=5, duration=5)  # other year
    ClosedVisitDay.objects.create(day=dt.date(2025, 3, 8), count=7)
    ClosedVisitDay.objects.create(day=dt.date(2025, 12, 24), count=2)

    block = chat_block(2025)
    assert block["sessions"] == 4
    assert block["answered"] == 3
    assert block["abandoned"] == 1
    assert block["median_wait_seconds"] == 120
    assert block["p90_wait_seconds"] == 600
    assert block["median_duration_seconds"] == 600
    assert block["by_weekday"]["monday"] == 2 and block["by_weekday"]["thursday"] == 2
    assert block["by_hour"]["10"] == 2 and block["by_hour"]["17"] == 2
    assert sum(block["by_hour"].values()) == 4
    assert block["closed_visits"] == 9


def test_empty_year_has_no_percentiles() -> None:
    block = chat_block(2019)
    assert block["sessions"] == 0 and block["median_wait_seconds"] is None
