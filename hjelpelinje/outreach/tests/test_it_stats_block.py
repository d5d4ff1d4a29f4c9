"""The `outreach` block of `hjelpelinje stats`."""

from __future__ import annotations

import datetime as dt

import pytest

from hjelpelinje.outreach.models import (
    CampaignPlatform,
    MediaAppearance,
    Network,
    SocialAccount,
    SocialSnapshot,
    Talk,
)
from hjelpelinje.outreach.tests.helpers import campaign, inquiries, inquiry
from hjelpelinje.reporting.blocks.outreach import outreach_block
from hjelpelinje.reporting.statistics import EXTRA_BLOCKS

D = dt.date
pytestmark = pytest.mark.django_db


def test_the_block_is_registered():
    assert ("outreach", outreach_block) in EXTRA_BLOCKS


def test_talks_networks_media_and_social_media_of_the_year():
    Talk.objects.create(date=D(2023, 1, 5), kind="school_visit", participants=60)
    Talk.objects.create(date=D(2023, 6, 1), kind="seminar", participants=40)
    Talk.objects.create(date=D(2023, 12, 31), kind="seminar", participants=None)
    Talk.objects.create(date=D(2022, 12, 31), kind="seminar", participants=500)  # last year
    Talk.objects.create(date=D(2024, 1, 1), kind="course", participants=500)  # next year

    Network.objects.create(name="Gammelt", since=D(2015, 1, 1), active=False, until=D(2022, 12, 31))
    Network.objects.create(
        name="Sluttet i mars", since=D(2019, 1, 1), active=False, until=D(2023, 3, 1)
    )
    Network.objects.create(name="Uten startdato", role="co_organiser")
    Network.objects.create(name="Fra 2024", since=D(2024, 2, 1))
    Network.objects.create(name="Aktiv", since=D(2020, 5, 1))

    MediaAppearance.objects.create(date=D(2023, 9, 12), outlet="Aftenposten", kind="op_ed")
    MediaAppearance.objects.create(date=D(2023, 1, 18), outlet="Utrop", kind="interview")
    MediaAppearance.objects.create(
        date=D(2023, 6, 15), outlet="Dagsavisen", kind="op_ed", title="Tom skolepult"
    )
    MediaAppearance.objects.create(date=D(2022, 9, 12), outlet="Avis", kind="radio")

    tiktok = SocialAccount.objects.create(platform="tiktok")
    SocialSnapshot.objects.create(account=tiktok, date=D(2023, 6, 30), followers=140)
    SocialSnapshot.objects.create(
        account=tiktok, date=D(2023, 12, 31), followers=265, likes=3772, top_video_views=500_000
    )
    SocialSnapshot.objects.create(account=tiktok, date=D(2024, 3, 1), followers=999)
    instagram = SocialAccount.objects.create(platform="instagram")
    SocialSnapshot.objects.create(account=instagram, date=D(2022, 12, 31), followers=1000)

    block = outreach_block(2023)

    assert block["talks"]["count"] == 3
    assert block["talks"]["by_kind"] == {
        "seminar": 2,
        "course": 0,
        "school_visit": 1,
        "organisation_visit": 0,
        "workshop": 0,
        "consultation": 0,
    }
    assert block["participants"] == 100
    assert block["talks_without_participants"] == 1
    assert block["networks"]["count"] == 3
    assert block["networks"]["names"] == ["Aktiv", "Sluttet i mars", "Uten startdato"]
    assert block["networks"]["by_role"] == {"member": 2, "co_organiser": 1}
    assert block["media"]["count"] == 3
    assert block["media"]["by_kind"] == {"interview": 1, "radio": 0, "op_ed": 2, "comment": 0}
    # Each appearance of the year with its outlet, in date order, for the report's list.
    assert [(m["date"], m["outlet"], m["kind"]) for m in block["media"]["items"]] == [
        ("2023-01-18", "Utrop", "interview"),
        ("2023-06-15", "Dagsavisen", "op_ed"),
        ("2023-09-12", "Aftenposten", "op_ed"),
    ]
    assert block["media"]["items"][1]["title"] == "Tom skolepult"
    assert block["social_media"] == {
        "tiktok": {
            "date": "2023-12-31",
            "followers": 265,
            "likes": 3772,
            "top_video_views": 500_000,
        }
    }


def test_campaigns_with_totals_and_effect():
    inquiry(D(2023, 1, 10))
    inquiries({D(2023, 6, 1): 3, D(2023, 6, 12): 6})
    c = campaign("Etterlatt", D(2023, 6, 9), D(2023, 6, 30), funder="IMDi")
    CampaignPlatform.objects.create(
        campaign=c, platform="snapchat", impressions=100, clicks=10, unique_browsers=7
    )
    CampaignPlatform.objects.create(
        campaign=c, platform="tiktok", impressions=50, clicks=5, unique_browsers=None
    )
    CampaignPlatform.objects.create(campaign=c, platform="airport_screens", screen_plays=1234)
    campaign("I fjor", D(2022, 6, 9), D(2022, 6, 30))
    across = campaign("Over nyttår", D(2022, 12, 12), D(2023, 1, 6))

    block = outreach_block(2023)
    names = [c["name"] for c in block["campaigns"]]
    assert names == ["Over nyttår", "Etterlatt"]
    row = block["campaigns"][1]
    assert row["start"] == "2023-06-09" and row["end"] == "2023-06-30"
    assert row["funder"] == "IMDi"
    assert row["platforms"] == ["airport_screens", "snapchat", "tiktok"]
    assert (row["impressions"], row["clicks"], row["unique_browsers"], row["screen_plays"]) == (
        150,
        15,
        7,
        1234,
    )
    effect = row["effect"]["inquiries"]
    # 16 weekdays 9-30 June; the 16 before it reach back to 15 May (17, 18 and 29 May are holidays).
    assert effect["campaign_days"] == 16 and effect["baseline_days"] == 16
    assert effect["baseline_start"] == "2023-05-15"
    assert (effect["campaign_count"], effect["baseline_count"]) == (6, 3)
    assert effect["ratio"] == 2.0
    assert row["effect"]["overlapping_campaigns"] == []
    # A campaign with no platform rows has unknown totals, not zero.
    assert block["campaigns"][0]["impressions"] is None
    assert across.pk


def test_campaigns_carry_target_groups_and_gender_split_per_platform():
    from hjelpelinje.taxonomy.selectors import code_map

    ages = code_map("age_group")
    c = campaign("Dobbeltliv", D(2023, 10, 16), D(2023, 11, 3), partner="Byrå")
    snap = CampaignPlatform.objects.create(
        campaign=c,
        platform="snapchat",
        target_ages="15-21 år",
        percent_women=60,
        percent_men=40,
        impressions=10,
    )
    snap.target_age_groups.set([ages["18-25"], ages["0-18"]])
    CampaignPlatform.objects.create(
        campaign=c, platform="tiktok", target_ages="13-24 år", percent_women=40, percent_men=60
    )

    row = outreach_block(2023)["campaigns"][0]

    assert row["partner"] == "Byrå"
    assert [
        (p["platform"], p["target_ages"], p["percent_women"], p["percent_men"])
        for p in row["by_platform"]
    ] == [("snapchat", "15-21 år", 60, 40), ("tiktok", "13-24 år", 40, 60)]
    # Age groups in the code list's order, whatever order they were picked in.
    assert row["by_platform"][0]["target_age_groups"] == ["0-18", "18-25"]
    assert row["by_platform"][0]["impressions"] == 10
    assert row["by_platform"][1]["impressions"] is None
