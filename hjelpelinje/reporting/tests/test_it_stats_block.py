"""The `inquiries` block on small hand-made data: every key, every counting rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from hjelpelinje.core.timeutil import OSLO
from hjelpelinje.inquiries.models import Inquiry
from hjelpelinje.reporting.blocks.inquiries import inquiries_block
from hjelpelinje.taxonomy.models import Code
from hjelpelinje.taxonomy.seed import SEED

pytestmark = pytest.mark.django_db

KEYS = [
    "total",
    "not_relevant",
    "by_channel",
    "by_age_group",
    "by_gender",
    "by_region",
    "by_caller",
    "by_theme",
    "by_month",
    "by_channel_and_age_group",
    "country_backgrounds",
    "follow_up",
    "referrals",
    "duty_to_avert",
]


def code(list_name: str, value: str) -> Code:
    return Code.objects.get(list=list_name, code=value)


def oslo(year: int, month: int, day: int, hour: int) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=OSLO)


def add(
    when: dt.datetime,
    *,
    channel: str = "phone",
    age: str = "18-25",
    gender: str = "female",
    region: str = "ostlandet",
    caller: str = "self",
    country: str = "",
    themes: tuple[str, ...] = (),
    referred: tuple[str, ...] = (),
    relevant: bool = True,
    follow_up: bool = False,
    duty_to_avert: bool = False,
    deleted: bool = False,
) -> Inquiry:
    inquiry = Inquiry.objects.create(
        occurred_at=when,
        channel=code("channel", channel),
        age_group=code("age_group", age),
        gender=code("gender", gender),
        region=code("region", region),
        caller=code("caller", caller),
        country_background=country,
        relevant=relevant,
        follow_up=follow_up,
        duty_to_avert=duty_to_avert,
        deleted_at=timezone.now() if deleted else None,
        deletion_reason="registered twice" if deleted else "",
    )
    inquiry.themes.set([code("theme", t) for t in themes])
    inquiry.referred_to.set([code("agency", a) for a in referred])
    return inquiry


def seeded(list_name: str) -> list[str]:
    return [c for c, _label, _en in SEED[list_name]]


def test_empty_year_lists_every_code_with_zero() -> None:
    block = inquiries_block(2023)
    assert list(block) == KEYS
    assert block["total"] == block["not_relevant"] == 0
    assert block["follow_up"] == block["duty_to_avert"] == 0
    assert block["by_channel"] == dict.fromkeys(seeded("channel"), 0)
    assert block["by_age_group"] == dict.fromkeys(seeded("age_group"), 0)
    assert block["by_gender"] == dict.fromkeys(seeded("gender"), 0)
    assert block["by_region"] == dict.fromkeys(seeded("region"), 0)
    assert block["by_caller"] == dict.fromkeys(seeded("caller"), 0)
    assert block["by_theme"] == dict.fromkeys(seeded("theme"), 0)
    assert block["referrals"] == dict.fromkeys(seeded("agency"), 0)
    assert block["by_month"] == {f"2023-{m:02d}": 0 for m in range(1, 13)}
    assert block["by_channel_and_age_group"] == {
        channel: dict.fromkeys(seeded("age_group"), 0) for channel in seeded("channel")
    }
    assert block["country_backgrounds"] == []


def test_every_key_counts_relevant_live_inquiries() -> None:
    add(
        oslo(2023, 3, 14, 10),
        channel="chat",
        age="0-18",
        gender="female",
        region="vestlandet",
        caller="self",
        country="Pakistan",
        themes=("forced_marriage", "social_control"),
        referred=("krisesenter", "politi"),
        follow_up=True,
        duty_to_avert=True,
    )
    add(
        oslo(2023, 3, 20, 11),
        channel="chat",
        age="0-18",
        gender="male",
        region="ostlandet",
        caller="friend",
        country="Syria",
        themes=("social_control",),
        referred=("krisesenter",),
    )
    add(
        oslo(2023, 11, 2, 9),
        channel="phone",
        age="35+",
        gender="unknown",
        region="abroad",
        caller="professional",
        themes=("left_abroad",),
        follow_up=True,
    )
    # Neither a not-relevant nor a deleted inquiry counts anywhere except not_relevant.
    add(
        oslo(2023, 3, 15, 12),
        channel="email",
        age="25-35",
        country="Iraq",
        relevant=False,
        themes=("other",),
        referred=("kors_pa_halsen",),
    )
    add(
        oslo(2023, 3, 16, 12),
        channel="walk_in",
        age="25-35",
        country="Iraq",
        deleted=True,
        themes=("fgm",),
        referred=("nok",),
        follow_up=True,
        duty_to_avert=True,
    )
    add(oslo(2023, 5, 16, 12), relevant=False, deleted=True)

    block = inquiries_block(2023)

    assert list(block) == KEYS
    assert block["total"] == 3
    assert block["not_relevant"] == 1
    assert block["by_channel"] == {"phone": 1, "chat": 2, "email": 0, "walk_in": 0, "whatsapp": 0}
    assert block["by_age_group"] == {"0-18": 2, "18-25": 0, "25-35": 0, "35+": 1, "unknown": 0}
    assert block["by_gender"] == {"female": 1, "male": 1, "other": 0, "unknown": 1}
    assert block["by_region"]["vestlandet"] == 1
    assert block["by_region"]["ostlandet"] == 1
    assert block["by_region"]["abroad"] == 1
    assert sum(block["by_region"].values()) == 3
    assert block["by_caller"] == {
        "self": 1,
        "friend": 1,
        "family": 0,
        "professional": 1,
        "other": 0,
        "unknown": 0,
    }
    # An inquiry with two themes counts once under each.
    assert block["by_theme"] == {
        "forced_marriage": 1,
        "fgm": 0,
        "honour_violence": 0,
        "social_control": 2,
        "closed_religious": 0,
        "left_abroad": 1,
        "psychological_violence": 0,
        "other": 0,
    }
    assert block["by_month"]["2023-03"] == 2
    assert block["by_month"]["2023-11"] == 1
    assert sum(block["by_month"].values()) == 3
    assert block["by_channel_and_age_group"]["chat"]["0-18"] == 2
    assert block["by_channel_and_age_group"]["phone"]["35+"] == 1
    assert block["by_channel_and_age_group"]["email"]["25-35"] == 0
    assert block["country_backgrounds"] == [["Pakistan", 1], ["Syria", 1]]
    assert block["follow_up"] == 2
    assert block["referrals"]["krisesenter"] == 2
    assert block["referrals"]["politi"] == 1
    assert block["referrals"]["kors_pa_halsen"] == 0
    assert block["referrals"]["nok"] == 0
    assert list(block["referrals"]) == seeded("agency")
    assert block["duty_to_avert"] == 1


def test_year_boundary_is_midnight_in_oslo() -> None:
    utc = dt.UTC
    # 23:30 UTC on 31 December is 00:30 on 1 January in Oslo: the new year.
    add(dt.datetime(2022, 12, 31, 23, 30, tzinfo=utc), channel="chat")
    # 22:59 UTC on 31 December is 23:59 in Oslo: still the old year, in December.
    add(dt.datetime(2023, 12, 31, 22, 59, tzinfo=utc), channel="email")
    # 23:00 UTC on 31 December 2023 is midnight in Oslo: 2024.
    add(dt.datetime(2023, 12, 31, 23, 0, tzinfo=utc), channel="walk_in")
    # 23:59 UTC on 31 December 2022 would be 2022 in UTC terms: 2023 in Oslo.
    add(dt.datetime(2022, 12, 31, 22, 59, tzinfo=utc), channel="whatsapp")

    block = inquiries_block(2023)
    assert block["total"] == 2
    assert block["by_channel"]["chat"] == 1
    assert block["by_channel"]["email"] == 1
    assert block["by_month"]["2023-01"] == 1
    assert block["by_month"]["2023-12"] == 1
    assert inquiries_block(2022)["by_channel"]["whatsapp"] == 1
    assert inquiries_block(2022)["total"] == 1
    assert inquiries_block(2024)["by_channel"]["walk_in"] == 1


def test_month_boundary_follows_oslo_summer_time() -> None:
    # 22:30 UTC on 31 May is 00:30 on 1 June in Oslo (UTC+2 in summer).
    add(dt.datetime(2023, 5, 31, 22, 30, tzinfo=dt.UTC))
    # 21:59 UTC on 31 May is 23:59 on 31 May in Oslo.
    add(dt.datetime(2023, 5, 31, 21, 59, tzinfo=dt.UTC))
    months = inquiries_block(2023)["by_month"]
    assert months["2023-05"] == 1
    assert months["2023-06"] == 1


def test_country_ties_are_ordered_by_name_and_unknown_left_out() -> None:
    for country in [
        "Somalia",
        "Iraq",
        "Iraq",
        "Afghanistan",
        "Somalia",
        "Syria",
        "Syria",
        "Syria",
        "",
        "",
    ]:
        add(oslo(2023, 6, 12, 10), country=country)
    add(oslo(2023, 6, 12, 10), country="Pakistan", relevant=False)
    assert inquiries_block(2023)["country_backgrounds"] == [
        ["Syria", 3],
        ["Iraq", 2],
        ["Somalia", 2],
        ["Afghanistan", 1],
    ]


def test_inactive_code_is_still_listed_in_order() -> None:
    whatsapp = code("channel", "whatsapp")
    whatsapp.active = False
    whatsapp.save()
    add(oslo(2023, 2, 1, 10), channel="whatsapp")
    new = Code.objects.create(
        list="theme", code="digital_control", label="Digital kontroll", active=False, position=999
    )
    inquiry = add(oslo(2023, 2, 1, 11))
    inquiry.themes.add(new)

    block = inquiries_block(2023)
    assert list(block["by_channel"]) == seeded("channel")
    assert block["by_channel"]["whatsapp"] == 1
    assert block["by_channel_and_age_group"]["whatsapp"]["18-25"] == 1
    assert list(block["by_theme"]) == [*seeded("theme"), "digital_control"]
    assert block["by_theme"]["digital_control"] == 1


def test_list_order_follows_the_code_positions() -> None:
    walk_in = code("channel", "walk_in")
    walk_in.position = 0
    walk_in.save()
    Code.objects.filter(list="channel").exclude(pk=walk_in.pk).update(position=5)
    block = inquiries_block(2023)
    assert next(iter(block["by_channel"])) == "walk_in"
    assert next(iter(block["by_channel_and_age_group"])) == "walk_in"
