"""The staff chart of website visits per day: the posts marked per platform, the campaigns
shaded, and the same figures in a table below."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from hjelpelinje.core.timeutil import local_now
from hjelpelinje.outreach.models import Campaign, SocialPost
from hjelpelinje.site.visits.models import PageDay

D = dt.date
pytestmark = pytest.mark.django_db
URL = "/staff/outreach/website/"


def _autumn(counsellor) -> None:
    day = D(2023, 10, 1)
    while day <= D(2023, 10, 31):
        PageDay.objects.create(day=day, path="/", views=300, visits=100 + day.day)
        day += dt.timedelta(days=1)
    SocialPost.objects.create(platform="tiktok", date=D(2023, 10, 3), created_by=counsellor)
    SocialPost.objects.create(platform="tiktok", date=D(2023, 10, 10), created_by=counsellor)
    SocialPost.objects.create(platform="snapchat", date=D(2023, 10, 10), created_by=counsellor)
    Campaign.objects.create(name="Dobbeltliv", start=D(2023, 10, 16), end=D(2023, 11, 3))


def _row(page: str, day: str) -> str:
    match = re.search(rf'<tr data-day="{day}">(.*?)</tr>', page, re.S)
    assert match, day
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def test_the_chart_marks_posts_and_campaigns_and_the_table_has_every_day(counsellor, client_for):
    _autumn(counsellor)
    response = client_for(counsellor).get(URL, {"start": "2023-10-01", "end": "2023-10-31"})
    assert response.status_code == 200
    page = response.content.decode()
    # The legend names each platform that posted, and the campaign shading.
    legend = re.search(r'data-testid="legend">(.*?)</ul>', page, re.S)
    assert legend
    assert "Innlegg på TikTok" in legend.group(1) and "Innlegg på Snapchat" in legend.group(1)
    assert "Innlegg på Instagram" not in legend.group(1)
    assert "Kampanjeperiode" in legend.group(1)
    # One mark per platform and post day; one bar per day; the campaign shaded.
    assert page.count('class="post-mark post-tiktok"') == 2
    assert page.count('class="post-mark post-snapchat"') == 1
    assert page.count('class="day-bar"') == 31
    assert page.count('class="campaign-span"') == 1
    # The chart's text alternative, and no inline style or script in it.
    svg = page[page.index("<svg xmlns") : page.index("</svg>", page.index("<svg xmlns"))]
    assert "style=" not in svg and "<script" not in svg
    assert "til sammen 3596 besøk" in svg and "flest 31.10.2023 med 131" in svg
    # The table says the same.
    assert _row(page, "2023-10-10") == "tir 10.10.2023 110 300 TikTok, Snapchat"
    assert _row(page, "2023-10-20") == "fre 20.10.2023 120 300 Dobbeltliv"
    assert "3\u00a0596 besøk og 9\u00a0300 sidevisninger i perioden." in page


def test_the_default_period_is_the_last_90_days(counsellor, client_for):
    today = local_now().date()
    page = client_for(counsellor).get(URL).content.decode()
    assert page.count('class="day-bar"') == 90
    assert f'data-day="{today:%Y-%m-%d}"' in page
    assert f'data-day="{today - dt.timedelta(days=90):%Y-%m-%d}"' not in page


def test_a_reversed_period_is_explained_and_the_default_shown(counsellor, client_for):
    page = client_for(counsellor).get(URL, {"start": "2023-10-31", "end": "2023-10-01"})
    text = page.content.decode()
    assert "«Til og med» må være samme dag som eller etter «fra og med»." in text
    assert text.count('class="day-bar"') == 90


def test_the_overview_links_to_the_chart(counsellor, client_for):
    page = client_for(counsellor).get("/staff/outreach/").content.decode()
    assert f'href="{URL}"' in page


def test_only_staff_with_outreach_view_see_it(client, administrator, manager, client_for):
    anonymous = client.get(URL)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    # The administrator runs accounts and settings, not outreach.
    assert client_for(administrator).get(URL).status_code == 403
    assert client_for(manager).get(URL).status_code == 200
