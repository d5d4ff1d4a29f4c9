"""Counting page views and visits from what the server sees, through the whole middleware."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from hjelpelinje.site.visits import counting, selectors
from hjelpelinje.site.visits.models import PageDay, SourceDay

PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)


def visit(client: Client, path: str, **headers: Any) -> int:
    headers.setdefault("HTTP_USER_AGENT", PHONE)
    response = client.get(path, **headers)
    return response.status_code


def today_pages() -> dict[str, tuple[int, int]]:
    today = timezone.localdate()
    return {p.path: (p.views, p.visits) for p in selectors.top_pages(start=today, end=today)}


@pytest.mark.django_db
def test_a_landing_and_an_internal_view_are_one_visit_and_two_views(client: Client) -> None:
    from hjelpelinje.outreach.models import Campaign

    # The campaign's tag is kept because the helpline defined it (test_it_cannot_be_flooded).
    on = timezone.localdate()
    Campaign.objects.create(name="Dobbeltliv", start=on, end=on, utm_tag="dobbeltliv")
    assert (
        visit(
            client,
            "/?utm_campaign=Dobbeltliv&utm_source=tiktok",
            HTTP_SEC_FETCH_SITE="cross-site",
            HTTP_REFERER="https://www.tiktok.com/@hjelpelinje",
        )
        == 200
    )
    assert visit(client, "/chat/", HTTP_SEC_FETCH_SITE="same-origin") == 200
    # Nothing is in the database until the counters are flushed.
    assert not PageDay.objects.exists()
    call_command("flush_visits")

    assert today_pages() == {"/": (1, 1), "/chat/": (1, 0)}
    today = timezone.localdate()
    assert selectors.top_referrers(start=today, end=today) == [selectors.HostCount("tiktok.com", 1)]
    assert selectors.visits_by_campaign(start=today, end=today) == [
        selectors.CampaignCount("dobbeltliv", "tiktok", 1)
    ]
    assert selectors.campaign_visits(tag="dobbeltliv", start=today, end=today) == 1
    [day] = selectors.website_daily(start=today, end=today)
    assert (day.page_views, day.visits, day.imported) == (2, 1, False)


@pytest.mark.django_db
def test_typed_addresses_and_other_sites_are_visits_with_their_host(client: Client) -> None:
    visit(client, "/", HTTP_SEC_FETCH_SITE="none")
    visit(client, "/", HTTP_SEC_FETCH_SITE="same-site", HTTP_REFERER="https://m.facebook.com/x")
    visit(
        client,
        "/",
        HTTP_SEC_FETCH_SITE="cross-site",
        HTTP_REFERER="https://l.facebook.com/l.php?u=1",
    )
    visit(client, "/", HTTP_SEC_FETCH_SITE="cross-site", HTTP_REFERER="https://www.google.no:443/")
    visit(client, "/?utm_campaign=<script>&utm_source=" + "x" * 61, HTTP_SEC_FETCH_SITE="none")
    counting.flush()

    assert today_pages() == {"/": (5, 5)}
    today = timezone.localdate()
    hosts = {h.host: h.visits for h in selectors.top_referrers(start=today, end=today)}
    assert hosts == {"": 2, "facebook.com": 2, "google.com": 1}
    assert selectors.visits_by_campaign(start=today, end=today) == [
        selectors.CampaignCount("(invalid)", "(invalid)", 1)
    ]


@pytest.mark.django_db
def test_a_browser_without_fetch_metadata_falls_back_on_the_referer(client: Client) -> None:
    visit(client, "/")  # no Referer, no Sec-Fetch-Site: counted as a visit, uncertain
    visit(client, "/chat/", HTTP_REFERER="http://testserver/")  # from this very site
    visit(client, "/chat/", HTTP_REFERER="https://snapchat.com/")
    counting.flush()

    assert today_pages() == {"/": (1, 1), "/chat/": (2, 1)}
    assert sum(PageDay.objects.values_list("no_fetch_metadata", flat=True)) == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    "agent",
    [
        "",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "WhatsApp/2.23.20.0",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "Go-http-client/1.1",
        "Wget/1.21.4",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/131.0.0.0 Safari/537.36",
    ],
)
def test_bots_are_not_counted(client: Client, agent: str) -> None:
    assert visit(client, "/", HTTP_USER_AGENT=agent, HTTP_SEC_FETCH_SITE="none") == 200
    assert counting.flush() == 0
    assert not PageDay.objects.exists()


def test_people_in_app_browsers_are_not_bots() -> None:
    for agent in (
        PHONE,
        PHONE + " Instagram 309.0.0.40.113 Android",
        PHONE + " [FB_IAB/FB4A;FBAV/440.0.0.33.116;]",
        PHONE + " musical_ly_2023405010 JsSdk/1.0 BytedanceWebview/d8a21c6",
        "Mozilla/5.0 (Linux; Android 12; CUBOT KINGKONG 7) AppleWebKit/537.36 Chrome/120",
    ):
        assert not counting.is_bot(agent), agent


@pytest.mark.django_db
def test_prefetch_head_errors_and_non_pages_are_not_counted(client: Client) -> None:
    visit(client, "/", HTTP_SEC_PURPOSE="prefetch", HTTP_SEC_FETCH_SITE="none")
    visit(client, "/", HTTP_SEC_PURPOSE="prefetch;prerender", HTTP_SEC_FETCH_SITE="none")
    visit(client, "/", HTTP_PURPOSE="prefetch", HTTP_SEC_FETCH_SITE="none")
    assert client.head("/", HTTP_USER_AGENT=PHONE, HTTP_SEC_FETCH_SITE="none").status_code == 200
    assert visit(client, "/health/", HTTP_SEC_FETCH_SITE="none") == 200  # not HTML
    assert visit(client, "/finnes-ikke-7f3a9c/", HTTP_SEC_FETCH_SITE="none") == 404
    assert visit(client, "/staff/", HTTP_SEC_FETCH_SITE="none") in (200, 302)
    assert visit(client, "/static/site/site.css", HTTP_SEC_FETCH_SITE="none") in (200, 404)
    assert counting.flush() == 0
    assert not PageDay.objects.exists()
    assert not SourceDay.objects.exists()


@pytest.mark.django_db
def test_staff_pages_are_not_counted_even_for_a_signed_in_manager(
    client_for: Any, manager: Any
) -> None:
    staff = client_for(manager)
    response = staff.get("/staff/", HTTP_USER_AGENT=PHONE, HTTP_SEC_FETCH_SITE="none")
    assert response.status_code == 200
    assert counting.flush() == 0


@pytest.mark.django_db
def test_counting_off_counts_nothing(client: Client, settings: Any) -> None:
    settings.HJELPELINJE_VISITS_COUNTING = False
    # The middleware reads the switch when it is built, as a server does at start.
    from django.test import Client as FreshClient

    fresh = FreshClient()
    fresh.handler.load_middleware()
    assert visit(fresh, "/", HTTP_SEC_FETCH_SITE="none") == 200
    assert counting.flush() == 0


@pytest.mark.django_db
def test_a_failed_flush_keeps_the_counts_for_the_next(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    visit(client, "/", HTTP_SEC_FETCH_SITE="none")

    def broken(*args: Any) -> None:
        raise RuntimeError("database down")

    monkeypatch.setattr(counting, "_store", broken)
    assert counting.COUNTERS.flush_quietly() == 0
    visit(client, "/", HTTP_SEC_FETCH_SITE="none")
    monkeypatch.undo()
    assert counting.flush() == 2
    assert today_pages() == {"/": (2, 2)}


@pytest.mark.django_db
def test_flushes_add_to_what_is_stored(client: Client) -> None:
    visit(client, "/", HTTP_SEC_FETCH_SITE="none")
    counting.flush()
    visit(client, "/", HTTP_SEC_FETCH_SITE="none")
    visit(client, "/", HTTP_SEC_FETCH_SITE="same-origin")
    counting.flush()
    assert today_pages() == {"/": (3, 2)}
    assert SourceDay.objects.get().visits == 2


@pytest.mark.django_db
def test_a_day_is_the_day_in_oslo(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    # 23:30 UTC on 31 December is already New Year's Day in Oslo.
    moment = datetime(2025, 12, 31, 23, 30, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    visit(client, "/", HTTP_SEC_FETCH_SITE="none")
    counting.flush()
    assert PageDay.objects.get().day.isoformat() == "2026-01-01"
    assert moment.date().isoformat() == "2025-12-31"


@pytest.mark.django_db(transaction=True)
async def test_pages_served_by_the_asgi_handler_are_counted(demo_site: Any) -> None:
    from asgiref.sync import sync_to_async
    from django.test import AsyncClient

    # The production server runs the async handler; the middleware counts there too.
    response = await AsyncClient().get(
        "/",
        headers={
            "user-agent": PHONE,
            "sec-fetch-site": "cross-site",
            "referer": "https://snapchat.com/",
        },
    )
    assert response.status_code == 200
    assert await sync_to_async(counting.flush)() == 1
    today = timezone.localdate()
    hosts = await sync_to_async(selectors.top_referrers)(start=today, end=today)
    assert hosts == [selectors.HostCount("snapchat.com", 1)]
