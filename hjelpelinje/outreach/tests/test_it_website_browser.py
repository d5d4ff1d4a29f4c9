"""In Chromium: a counsellor logs a post from her phone, a manager reads the chart of visits
per day and the dashboard's website sentences. Screenshots go to /tmp/shots/outreach/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hjelpelinje.accounts.tests.browser import browser_login
from hjelpelinje.core.timeutil import local_now
from hjelpelinje.outreach.models import Campaign, SocialPost
from hjelpelinje.site.visits.models import PageDay, SourceDay

SHOTS = Path("/tmp/shots/outreach")


def _counted_autumn(today: dt.date) -> list[dt.date]:
    """Ninety days of counters, three times the visits on TikTok days, a campaign."""
    first = today - dt.timedelta(days=89)
    tiktok: list[dt.date] = []
    day = first
    while day <= today:
        weekday = day.weekday() < 5
        post = day.weekday() == 1  # Tuesdays
        visits = (330 if post else 110) + (day.day % 5) * 4 if weekday else 60
        PageDay.objects.create(day=day, path="/", views=visits * 2, visits=visits)
        if post:
            tiktok.append(day)
            SocialPost.objects.create(platform="tiktok", date=day, title="Video")
        day += dt.timedelta(days=1)
    for day in tiktok[1::4]:
        SocialPost.objects.create(platform="snapchat", date=day)
    start = first + dt.timedelta(days=40)
    Campaign.objects.create(
        name="Dobbeltliv", start=start, end=start + dt.timedelta(days=18), utm_tag="dobbeltliv"
    )
    SourceDay.objects.create(
        day=start, referrer_host="tiktok.com", utm_campaign="dobbeltliv", visits=1234
    )
    return tiktok


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_post_logged_on_a_phone_shows_on_the_chart_and_the_dashboard(
    browser, live_server, counsellor, manager
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    today = local_now().date()
    tiktok = _counted_autumn(today)

    phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="nb-NO")
    page = phone.new_page()
    browser_login(page, live_server.url, counsellor)
    page.click("nav >> text=Utadrettet")
    form = page.locator("form.quick-add")
    form.locator("select[name=platform]").select_option("instagram")
    form.locator("input[name=title]").fill("Spørsmål og svar")
    form.locator("input[name=link]").fill("javascript:alert(1)")
    form.locator("button").click()
    # Told what is wrong, where it is wrong, with what was typed still there.
    assert "begynner med http:// eller https://" in page.locator("form.quick-add").inner_text()
    assert page.locator("form.quick-add input[name=title]").input_value() == "Spørsmål og svar"
    page.locator("form.quick-add input[name=link]").fill("https://www.instagram.com/p/abc/")
    page.locator("form.quick-add button").click()
    assert "Innlegget på Instagram" in page.locator(".messages").inner_text()
    first = page.locator("#posts [data-testid=post]").first.inner_text()
    assert "Instagram" in first and "Spørsmål og svar" in first
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("#posts").screenshot(path=str(SHOTS / "posts-phone.png"))
    phone.close()

    desk = browser.new_context(viewport={"width": 1366, "height": 768}, locale="nb-NO")
    page = desk.new_page()
    browser_login(page, live_server.url, manager)
    page.goto(f"{live_server.url}/staff/outreach/")
    page.click("#posts >> text=Besøk på nettsiden per dag")
    legend = page.locator("[data-testid=legend]").inner_text()
    assert "Innlegg på TikTok" in legend and "Innlegg på Instagram" in legend
    assert "Kampanjeperiode" in legend
    assert page.locator("svg.website-chart .post-mark.post-tiktok").count() == len(tiktok)
    row = page.locator(f'tr[data-day="{tiktok[0]:%Y-%m-%d}"]').inner_text()
    assert "TikTok" in row
    page.locator("section[aria-labelledby=chart-h]").screenshot(
        path=str(SHOTS / "website-chart.png")
    )
    page.locator("section[aria-labelledby=table-h] tbody tr").first.screenshot(
        path=str(SHOTS / "website-table-row.png")
    )

    page.goto(f"{live_server.url}/staff/reports/?year={today.year}")
    section = page.locator("#website")
    text = section.inner_text()
    assert "samme dag som det legges ut et innlegg på TikTok" in text
    assert "Kampanjen «Dobbeltliv» ga 1234 besøk på nettsiden." in text
    section.screenshot(path=str(SHOTS / "dashboard-website.png"))
    desk.close()
