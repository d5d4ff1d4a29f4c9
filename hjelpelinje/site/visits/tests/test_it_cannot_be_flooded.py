"""One-off tags and hosts cannot grow the counters' tables or point at a person: campaign
tags the helpline has not defined are "(other)", referrers are kept as their registrable
domain, and each table has a bound a day. The sums still add up."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from hjelpelinje.outreach.models import Campaign
from hjelpelinje.site.visits import counting
from hjelpelinje.site.visits.models import PageDay, SourceDay
from hjelpelinje.site.visits.tests.test_it_counts import visit

pytestmark = pytest.mark.django_db


def test_one_off_tags_and_personal_hosts_fold_into_few_rows(client: Client) -> None:
    today = timezone.localdate()
    Campaign.objects.create(
        name="Dobbeltliv", start=today - dt.timedelta(days=3), end=today, utm_tag="dobbeltliv"
    )
    for i in range(200):
        assert (
            visit(
                client,
                f"/chat/?utm_campaign=ola.nordmann.klasse{i}b&utm_source=elev{i}",
                HTTP_SEC_FETCH_SITE="cross-site",
                HTTP_REFERER=f"https://ola-nordmann-{2000 + i}.blogspot.com/innlegg",
            )
            == 200
        )
    for _ in range(5):
        visit(
            client,
            "/chat/?utm_campaign=Dobbeltliv&utm_source=tiktok",
            HTTP_SEC_FETCH_SITE="cross-site",
            HTTP_REFERER="https://www.tiktok.com/@hjelpelinje",
        )
    counting.flush()

    rows = {
        (r.referrer_host, r.utm_campaign, r.utm_source): r.visits for r in SourceDay.objects.all()
    }
    assert rows == {
        ("blogspot.com", "(other)", "(other)"): 200,
        ("tiktok.com", "dobbeltliv", "tiktok"): 5,
    }
    assert sum(p.visits for p in PageDay.objects.all()) == 205


def test_a_day_has_a_bound_on_rows_and_its_sums_still_add_up() -> None:
    today = timezone.localdate()
    limit = counting.MAX_SOURCE_ROWS_PER_DAY
    hosts = [f"https://skole{i}.no/" for i in range(limit + 150)]
    # Over several flushes, as a flood of made-up referrers over a day would come.
    for start in range(0, len(hosts), 400):
        for referer in hosts[start : start + 400]:
            seen = counting.Seen("/", True, False, counting.normal_host(referer), "", "")
            counting.COUNTERS.add(today, seen)
        counting.flush()

    assert SourceDay.objects.filter(day=today).count() == limit + 1
    assert SourceDay.objects.get(day=today, referrer_host="(other)").visits == 150
    assert sum(SourceDay.objects.values_list("visits", flat=True)) == len(hosts)
    # The next day starts afresh.
    tomorrow = today + dt.timedelta(days=1)
    counting.COUNTERS.add(tomorrow, counting.Seen("/", True, False, "skole1.no", "", ""))
    counting.flush()
    assert SourceDay.objects.get(day=tomorrow).referrer_host == "skole1.no"
