"""The campaign funnel: the ad platform's figures typed in, the visits counted by the site
under the campaign's tag, and the inquiries against the baseline, on the campaign page."""

from __future__ import annotations

import datetime as dt

import pytest

from hjelpelinje.outreach.models import Campaign, CampaignPlatform
from hjelpelinje.outreach.selectors import campaign_effect, campaign_funnel, campaign_get
from hjelpelinje.outreach.tests.helpers import inquiries
from hjelpelinje.site.visits.models import SourceDay

D = dt.date
pytestmark = pytest.mark.django_db


def _dobbeltliv() -> Campaign:
    campaign = Campaign.objects.create(
        name="Dobbeltliv", start=D(2023, 10, 16), end=D(2023, 11, 3), utm_tag="dobbeltliv"
    )
    CampaignPlatform.objects.create(
        campaign=campaign, platform="tiktok", impressions=3_000_000, clicks=600
    )
    CampaignPlatform.objects.create(
        campaign=campaign, platform="snapchat", impressions=1_715_976, clicks=400
    )
    # In the period, with the tag, from two sources: counted.
    SourceDay.objects.create(
        day=D(2023, 10, 16), referrer_host="tiktok.com", utm_campaign="dobbeltliv", visits=500
    )
    SourceDay.objects.create(
        day=D(2023, 11, 3), referrer_host="snapchat.com", utm_campaign="dobbeltliv", visits=250
    )
    # Before the campaign, another campaign's tag, and no tag: not counted.
    SourceDay.objects.create(
        day=D(2023, 10, 15), referrer_host="tiktok.com", utm_campaign="dobbeltliv", visits=70
    )
    SourceDay.objects.create(
        day=D(2023, 10, 20), referrer_host="tiktok.com", utm_campaign="chat", visits=30
    )
    SourceDay.objects.create(day=D(2023, 10, 20), referrer_host="tiktok.com", visits=900)
    return campaign


def test_the_funnel_counts_the_tagged_visits_in_the_period():
    campaign = _dobbeltliv()
    loaded = campaign_get(campaign.pk)
    funnel = campaign_funnel(loaded, campaign_effect(loaded, today=D(2024, 1, 10)))
    assert (funnel.impressions, funnel.clicks, funnel.visits) == (4_715_976, 1000, 750)
    assert funnel.click_to_visit == pytest.approx(0.75)


def test_the_campaign_page_shows_the_funnel_and_the_sentence(counsellor, client_for):
    inquiries({D(2023, 10, 2): 2, D(2023, 10, 17): 3})
    campaign = _dobbeltliv()
    page = client_for(counsellor).get(f"/staff/outreach/campaigns/{campaign.pk}/").content.decode()
    assert 'data-testid="funnel"' in page
    assert "4\u00a0715\u00a0976" in page  # impressions
    assert "1\u00a0000" in page  # clicks
    assert "750" in page and "75\u00a0% av klikkene" in page
    assert "Kampanjen «Dobbeltliv» ga 750 besøk på nettsiden." in page
    assert "Henvendelser under kampanjen" in page


def test_without_a_tag_the_page_says_visits_cannot_be_counted(counsellor, client_for):
    campaign = Campaign.objects.create(name="Plakater", start=D(2023, 3, 1), end=D(2023, 3, 10))
    page = client_for(counsellor).get(f"/staff/outreach/campaigns/{campaign.pk}/").content.decode()
    assert "Kampanjen har ikke noe kampanjemerke (utm_campaign)" in page


CAMPAIGN_FORM = {
    "name": "Høstkampanje",
    "start": "2023-10-16",
    "end": "2023-11-03",
    "excludes_weekends": "on",
    "excludes_holidays": "on",
}


def test_a_tag_must_be_lower_case_letters_digits_and_dots_and_not_taken(manager, client_for):
    client = client_for(manager)
    response = client.post(
        "/staff/outreach/campaigns/new/", CAMPAIGN_FORM | {"utm_tag": "Dobbelt Liv"}
    )
    assert response.status_code == 200
    assert "Bruk bare små bokstaver a–z, tall, punktum, bindestrek og understrek." in (
        response.content.decode()
    )
    response = client.post("/staff/outreach/campaigns/new/", CAMPAIGN_FORM | {"utm_tag": "host-23"})
    assert response.status_code == 302
    assert Campaign.objects.get().utm_tag == "host-23"
    response = client.post("/staff/outreach/campaigns/new/", CAMPAIGN_FORM | {"utm_tag": "host-23"})
    assert "En annen kampanje bruker allerede dette merket." in response.content.decode()
    # Campaigns without a tag do not clash with each other.
    for _ in range(2):
        assert client.post("/staff/outreach/campaigns/new/", CAMPAIGN_FORM).status_code == 302
    assert Campaign.objects.filter(utm_tag="").count() == 2
