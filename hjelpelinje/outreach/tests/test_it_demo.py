"""The demo data carries the annual report's figures exactly."""

from __future__ import annotations

import io

import pytest

from hjelpelinje.outreach import demo
from hjelpelinje.outreach.models import Campaign, MediaAppearance
from hjelpelinje.reporting.blocks.outreach import outreach_block

pytestmark = pytest.mark.django_db


def test_demo_2023_matches_the_report():
    demo.load(stdout=io.StringIO())
    block = outreach_block(2023)
    campaigns = {c["name"]: c for c in block["campaigns"]}
    chat = campaigns["Chat-kampanje"]
    assert (chat["start"], chat["end"]) == ("2023-04-24", "2023-05-05")
    assert (chat["impressions"], chat["clicks"]) == (2_737_153, 7_856)
    left = campaigns["Etterlatt i utlandet"]
    assert (left["start"], left["end"]) == ("2023-06-09", "2023-06-30")
    assert (left["impressions"], left["unique_browsers"], left["clicks"], left["screen_plays"]) == (
        4_742_461,
        409_345,
        36_066,
        438_983,
    )
    double = campaigns["Dobbeltliv"]
    assert (double["start"], double["end"]) == ("2023-10-16", "2023-11-03")
    assert (double["impressions"], double["clicks"]) == (4_715_976, 24_760)
    assert block["talks"]["count"] == 26
    assert block["networks"]["count"] == 7
    assert set(MediaAppearance.objects.values_list("outlet", flat=True)) == {
        "Utrop",
        "NRK Nyheter",
        "Dagsavisen",
        "Aftenposten",
    }
    assert block["media"]["by_kind"] == {"interview": 1, "radio": 1, "op_ed": 1, "comment": 1}
    assert block["social_media"]["tiktok"] == {
        "date": "2023-12-31",
        "followers": 265,
        "likes": 3_772,
        "top_video_views": 500_000,
    }
    assert set(block["social_media"]) == {"tiktok", "snapchat", "instagram", "facebook"}


def test_loading_twice_adds_nothing():
    demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())
    assert Campaign.objects.count() == 3
