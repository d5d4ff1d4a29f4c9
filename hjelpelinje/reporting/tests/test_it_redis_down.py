"""The register and the dashboard while the cache's Redis is really stopped.

A cache is never a reason to lose a record: an inquiry saved while Redis is down is
stored, the outage is logged once, and the dashboard's figures include it once Redis is
back, even when Redis comes back with the copy it held before.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator

import pytest
from django.test import Client

from hjelpelinje.accounts.models import User
from hjelpelinje.core.tests.private_services import PrivateRedis, own_redis
from hjelpelinje.core.timeutil import OSLO
from hjelpelinje.inquiries.models import Inquiry
from hjelpelinje.inquiries.tests.factories import code, make
from hjelpelinje.reporting import cache as stats_cache
from hjelpelinje.reporting.cache import cached_year_statistics

pytestmark = [pytest.mark.django_db, pytest.mark.redis]
ClientFor = Callable[[User], Client]
SUMMARY = "Ringte om broren sin"


@pytest.fixture
def redis_cache(settings: pytest.FixtureRequest) -> Iterator[PrivateRedis]:
    with own_redis(keep_data=True) as server:
        settings.CACHES = {  # type: ignore[attr-defined]
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": server.url,
                "KEY_PREFIX": "hj-test-redis-down",
                "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
            }
        }
        stats_cache.HEALTH.owed = stats_cache.HEALTH.down = False
        yield server


def _post() -> dict[str, object]:
    return {
        "occurred_at": "2023-04-27T10:30",
        "channel": code("channel", "phone").pk,
        "relevant": "1",
        "age_group": code("age_group", "unknown").pk,
        "gender": code("gender", "unknown").pk,
        "region": code("region", "unknown").pk,
        "caller": code("caller", "unknown").pk,
        "follow_up": "0",
        "duty_to_avert": "0",
        "summary": SUMMARY,
    }


def test_an_inquiry_is_saved_while_redis_is_down_and_counted_when_it_is_back(
    redis_cache: PrivateRedis,
    client_for: ClientFor,
    counsellor: User,
    manager: User,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    make(occurred_at=dt.datetime(2023, 3, 1, 10, tzinfo=OSLO))
    assert cached_year_statistics(2023)[0]["inquiries"]["total"] == 1  # now in Redis

    redis_cache.stop()
    kari = client_for(counsellor)
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        first = kari.post("/staff/inquiries/ny/", _post())
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        second = kari.post("/staff/inquiries/ny/", _post())
    assert first.status_code == second.status_code == 302
    assert first["Location"] == "/staff/inquiries/ny/"
    assert [i.summary for i in Inquiry.objects.order_by("pk")] == ["", SUMMARY, SUMMARY]
    warnings = [r for r in caplog.records if "statistics cache" in r.getMessage()]
    assert len(warnings) == 1
    assert SUMMARY not in caplog.text

    # The dashboard opens meanwhile, with figures computed afresh and charts drawn inline.
    page = client_for(manager).get("/staff/reports/?year=2023")
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    assert cached_year_statistics(2023)[0]["inquiries"]["total"] == 3

    # Redis comes back with the copy it held before the two saves: it is not shown.
    redis_cache.start()
    assert cached_year_statistics(2023)[0]["inquiries"]["total"] == 3
    assert not stats_cache.HEALTH.owed
