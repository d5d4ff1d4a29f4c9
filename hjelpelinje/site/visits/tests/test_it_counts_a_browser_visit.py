"""The issue's "Done when" for counting: a real browser's visit from tiktok.com with a
campaign tag shows in `stats` as one visit under that campaign, and internal navigation
adds page views, not visits."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command

from hjelpelinje.site.visits import counting

# An ordinary phone browser: the suite's headless Chromium says "HeadlessChrome", which is
# automation and not counted (docs/visits.md).
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)


def website_stats() -> dict[str, Any]:
    out = io.StringIO()
    call_command("stats", "--format", "json", stdout=out)
    stats = json.loads(out.getvalue())
    website: dict[str, Any] = stats["outreach"]["website"]
    return website


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_visit_from_tiktok_under_a_campaign_shows_in_stats(
    browser: Any, live_server: Any, demo_site: dict[str, Any]
) -> None:
    from django.utils import timezone

    from hjelpelinje.outreach.models import Campaign

    # The helpline's own campaign tag, so it is kept (test_it_cannot_be_flooded.py).
    day = timezone.localdate()
    Campaign.objects.get_or_create(
        utm_tag="dobbeltliv", defaults={"name": "Dobbeltliv", "start": day, "end": day}
    )
    theme_url = demo_site["theme:forced_marriage"].url
    context = browser.new_context(user_agent=PHONE_UA, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(
        f"{live_server.url}/?utm_campaign=dobbeltliv&utm_source=tiktok",
        referer="https://www.tiktok.com/",
    )
    counting.flush()
    # Counted within the next flush (every 20 s in a server), and `stats` shows it at once.
    website = website_stats()
    assert website["visits"] == 1
    assert website["page_views"] == 1
    assert {"host": "tiktok.com", "visits": 1} in website["top_referrers"]
    assert [(c["tag"], c["visits"]) for c in website["by_campaign_tag"]] == [("dobbeltliv", 1)]

    # Reading on: a link inside the site is a page view, not another visit.
    page.locator(f'main a[href="{theme_url}"]').first.click()
    page.wait_for_url(f"**{theme_url}")
    counting.flush()
    website = website_stats()
    assert (website["page_views"], website["visits"]) == (2, 1)
    assert {"path": theme_url, "views": 1, "visits": 0} in website["top_pages"]
    context.close()
