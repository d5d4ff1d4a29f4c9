"""The demo data reproduces every figure the 2023 annual report publishes.

Each figure is read from the `stats` command's JSON and compared with the brief's table
(`/work/shared/domain/brief.md`), with percentages rounded as the report rounds them.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command

from hjelpelinje.core.timeutil import OSLO, year_bounds
from hjelpelinje.inquiries import demo
from hjelpelinje.inquiries.models import Inquiry
from hjelpelinje.reporting.blocks.inquiries import round_percent

pytestmark = pytest.mark.django_db

# The brief's table, as published.
GENDER_2023 = {"male": 16, "other": 2, "unknown": 1}
REGION_2023 = {
    "ostlandet": 56,
    "vestlandet": 19,
    "sorlandet": 4,
    "trondelag": 3,
    "nord_norge": 5,
    "unknown": 11,
    "abroad": 2,
}
REGION_2022 = {"ostlandet": 37, "vestlandet": 6, "sorlandet": 0, "trondelag": 1, "nord_norge": 2}
TOP_COUNTRIES = ["Pakistan", "Syria", "Somalia", "Iraq", "Afghanistan"]
CAMPAIGN_MONTHS = {"2023-04", "2023-05", "2023-06", "2023-10", "2023-11"}


@pytest.fixture
def stats() -> dict[str, Any]:
    demo.load(stdout=io.StringIO())
    out = io.StringIO()
    call_command("stats", year=2023, format="json", stdout=out)
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def test_2023_counts(stats: dict[str, Any]) -> None:
    block = stats["inquiries"]
    assert block["total"] == 158
    assert block["by_channel"]["chat"] == 74
    assert block["by_channel"]["phone"] == 67
    rest = block["by_channel"]["walk_in"] + block["by_channel"]["email"]
    assert rest + block["by_channel"]["whatsapp"] == 158 - 74 - 67
    assert block["by_channel"]["whatsapp"] >= 2
    assert block["by_channel"]["walk_in"] > 0
    assert block["by_channel"]["email"] > 0
    assert block["follow_up"] == 52
    assert block["not_relevant"] > 0


def test_2023_whatsapp_about_left_abroad(stats: dict[str, Any]) -> None:
    start, end = year_bounds(2023)
    left_abroad = Inquiry.objects.live().filter(
        occurred_at__gte=start,
        occurred_at__lt=end,
        relevant=True,
        channel__code="whatsapp",
        themes__code="left_abroad",
    )
    assert left_abroad.count() == 2
    assert stats["inquiries"]["by_theme"]["left_abroad"] >= 2


def test_2023_gender_and_region_shares(stats: dict[str, Any]) -> None:
    block = stats["inquiries"]
    total = block["total"]
    gender = {g: round_percent(n, total) for g, n in block["by_gender"].items()}
    assert {g: gender[g] for g in GENDER_2023} == GENDER_2023
    assert block["by_gender"]["female"] == total - sum(block["by_gender"][g] for g in GENDER_2023)
    region = {r: round_percent(n, total) for r, n in block["by_region"].items()}
    assert region == REGION_2023
    assert sum(block["by_region"].values()) == total


def test_2023_country_backgrounds(stats: dict[str, Any]) -> None:
    countries = stats["inquiries"]["country_backgrounds"]
    assert [name for name, _n in countries[:5]] == TOP_COUNTRIES
    # Strictly more for each of the five than the next, so the order is not a tie-break.
    counts = [n for _name, n in countries[:6]]
    assert counts == sorted(counts, reverse=True)
    assert len(set(counts)) == 6
    # Many give no country background.
    assert sum(n for _name, n in countries) < stats["inquiries"]["total"] * 0.6


def test_2023_channel_by_age(stats: dict[str, Any]) -> None:
    table = stats["inquiries"]["by_channel_and_age_group"]

    def favourite(age: str) -> str:
        return str(max(table, key=lambda channel: table[channel][age]))

    assert favourite("0-18") == "chat"
    for age in ("18-25", "25-35", "35+"):
        assert favourite(age) == "phone"
    ages = stats["inquiries"]["by_age_group"]
    # Most who contact the helpline are young.
    assert ages["0-18"] + ages["18-25"] > stats["inquiries"]["total"] / 2


def test_2023_months_rise_with_the_campaigns(stats: dict[str, Any]) -> None:
    months = stats["inquiries"]["by_month"]
    quiet = max(n for month, n in months.items() if month not in CAMPAIGN_MONTHS)
    for month in CAMPAIGN_MONTHS:
        assert months[month] > quiet


def test_2022_figures(stats: dict[str, Any]) -> None:
    previous = stats["previous_year"]
    assert previous["year"] == 2022
    block = previous["inquiries"]
    assert block["total"] == 60
    # One inquiry of 60 is 1.67 %, so the report's 2022 shares cannot all round exactly:
    # each region holds the count nearest to its published share.
    for region, pct in REGION_2022.items():
        assert block["by_region"][region] == round(pct * 60 / 100)
    assert round_percent(block["by_region"]["ostlandet"], 60) == 37
    stated = sum(block["by_region"][r] for r in REGION_2022)
    assert block["by_region"]["unknown"] == 60 - stated


def test_occurred_mostly_in_opening_hours(stats: dict[str, Any]) -> None:
    inside = 0
    times = list(Inquiry.objects.values_list("occurred_at", flat=True))
    for when in times:
        local = when.astimezone(OSLO)
        closing = 18 if local.weekday() == 3 else 16
        if local.weekday() < 5 and 9 <= local.hour < closing:
            inside += 1
    assert inside > 0.9 * len(times)


def test_demo_is_deterministic() -> None:
    demo.load()
    first = list(Inquiry.objects.order_by("id").values_list("occurred_at", "channel_id"))
    Inquiry.objects.all().delete()
    demo.load()
    second = list(Inquiry.objects.order_by("id").values_list("occurred_at", "channel_id"))
    assert first == second
