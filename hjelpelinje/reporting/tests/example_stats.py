"""A full, realistic statistics dict for 2023, built from the figures the seed report publishes.

It follows the documented schemas of `year_statistics` (issues 2 §6, 3 §7, 4 §4, 5) exactly,
so the report can be tested before, and independently of, the SQL that computes them.
"""

from __future__ import annotations

import copy
from typing import Any

AGES = ["0-18", "18-25", "25-35", "35+", "unknown"]

INQUIRIES_2023: dict[str, Any] = {
    "total": 158,
    "not_relevant": 14,
    "by_channel": {"phone": 67, "chat": 74, "email": 8, "walk_in": 5, "whatsapp": 4},
    "by_age_group": {"0-18": 62, "18-25": 48, "25-35": 26, "35+": 14, "unknown": 8},
    "by_gender": {"female": 128, "male": 25, "other": 3, "unknown": 2},
    "by_region": {
        "ostlandet": 88,
        "vestlandet": 30,
        "sorlandet": 6,
        "trondelag": 5,
        "nord_norge": 8,
        "abroad": 3,
        "unknown": 18,
    },
    "by_caller": {
        "self": 84,
        "friend": 21,
        "family": 17,
        "professional": 30,
        "other": 2,
        "unknown": 4,
    },
    "by_theme": {
        "forced_marriage": 38,
        "fgm": 4,
        "honour_violence": 30,
        "social_control": 70,
        "closed_religious": 9,
        "left_abroad": 14,
        "psychological_violence": 25,
        "other": 6,
    },
    "by_month": {
        "2023-01": 6,
        "2023-02": 7,
        "2023-03": 9,
        "2023-04": 14,
        "2023-05": 19,
        "2023-06": 22,
        "2023-07": 8,
        "2023-08": 10,
        "2023-09": 12,
        "2023-10": 21,
        "2023-11": 18,
        "2023-12": 12,
    },
    "by_channel_and_age_group": {
        "phone": {"0-18": 12, "18-25": 24, "25-35": 16, "35+": 10, "unknown": 5},
        "chat": {"0-18": 45, "18-25": 18, "25-35": 6, "35+": 2, "unknown": 3},
        "email": {"0-18": 2, "18-25": 3, "25-35": 2, "35+": 1, "unknown": 0},
        "walk_in": {"0-18": 2, "18-25": 1, "25-35": 1, "35+": 1, "unknown": 0},
        "whatsapp": {"0-18": 1, "18-25": 2, "25-35": 1, "35+": 0, "unknown": 0},
    },
    "country_backgrounds": [
        ["Pakistan", 12],
        ["Syrian Arab Republic", 9],
        ["Somalia", 8],
        ["Iraq", 7],
        ["Afghanistan", 6],
        ["Iran, Islamic Republic of", 4],
        ["Eritrea", 3],
        ["Türkiye", 2],
        ["Morocco", 1],
    ],
    "follow_up": 52,
    "referrals": {
        "skeiv_verden": 4,
        "kompetanseteamet": 12,
        "krisesenter": 9,
        "mangfoldsradgiver": 7,
        "risk": 3,
        "barnevern": 6,
        "nok": 2,
        "kors_pa_halsen": 0,
        "politi": 5,
        "other": 3,
    },
    "duty_to_avert": 3,
}

INQUIRIES_2022: dict[str, Any] = {
    "total": 60,
    "not_relevant": 5,
    "by_channel": {"phone": 41, "chat": 9, "email": 6, "walk_in": 3, "whatsapp": 1},
    "by_age_group": {"0-18": 10, "18-25": 21, "25-35": 15, "35+": 9, "unknown": 5},
    "by_gender": {"female": 49, "male": 9, "other": 1, "unknown": 1},
    "by_region": {
        "ostlandet": 22,
        "vestlandet": 4,
        "sorlandet": 0,
        "trondelag": 1,
        "nord_norge": 1,
        "abroad": 1,
        "unknown": 31,
    },
    "by_caller": {
        "self": 30,
        "friend": 8,
        "family": 7,
        "professional": 13,
        "other": 1,
        "unknown": 1,
    },
    "by_theme": {
        "forced_marriage": 18,
        "fgm": 2,
        "honour_violence": 12,
        "social_control": 26,
        "closed_religious": 3,
        "left_abroad": 6,
        "psychological_violence": 8,
        "other": 2,
    },
    "by_month": {
        f"2022-{m:02d}": n
        for m, n in zip(range(1, 13), [3, 4, 5, 5, 6, 8, 3, 4, 5, 6, 6, 5], strict=True)
    },
    "by_channel_and_age_group": {
        "phone": {"0-18": 4, "18-25": 14, "25-35": 11, "35+": 8, "unknown": 4},
        "chat": {"0-18": 5, "18-25": 3, "25-35": 1, "35+": 0, "unknown": 0},
        "email": {"0-18": 1, "18-25": 2, "25-35": 2, "35+": 0, "unknown": 1},
        "walk_in": {"0-18": 0, "18-25": 1, "25-35": 1, "35+": 1, "unknown": 0},
        "whatsapp": {"0-18": 0, "18-25": 1, "25-35": 0, "35+": 0, "unknown": 0},
    },
    "country_backgrounds": [["Pakistan", 6], ["Somalia", 4], ["Iraq", 3]],
    "follow_up": 20,
    "referrals": {
        "skeiv_verden": 1,
        "kompetanseteamet": 4,
        "krisesenter": 3,
        "mangfoldsradgiver": 2,
        "risk": 1,
        "barnevern": 2,
        "nok": 0,
        "kors_pa_halsen": 0,
        "politi": 1,
        "other": 1,
    },
    "duty_to_avert": 1,
}

FOLLOW_UP_2023: dict[str, Any] = {
    "users": 31,
    "new_users": 12,
    "from_housing_programme": 18,
    "user_inquiries": 693,
    "activities": {
        "nav": 45,
        "kompetanseteamet": 30,
        "practical_help": 35,
        "police": 15,
        "child_welfare": 8,
        "external_meeting": 24,
        "external_contact": 53,
        "housing_programme": 12,
        "in_person": 145,
        "mail": 34,
    },
    "mail_items": 34,
    "protected_address_users": 4,
}

CHAT_2023: dict[str, Any] = {
    "sessions": 96,
    "answered": 81,
    "abandoned": 15,
    "median_wait_seconds": 75,
    "p90_wait_seconds": 260,
    "median_duration_seconds": 1260,
    "by_weekday": {"0": 18, "1": 17, "2": 16, "3": 22, "4": 23, "5": 0, "6": 0},
    "by_hour": {
        str(h): n for h, n in enumerate([0] * 9 + [8, 12, 14, 11, 10, 13, 12, 9, 5, 2] + [0] * 5)
    },
    "closed_visits": 230,
}

OUTREACH_2023: dict[str, Any] = {
    "talks": {
        "count": 26,
        "by_kind": {
            "seminar": 9,
            "course": 4,
            "school_visit": 6,
            "organisation_visit": 3,
            "workshop": 3,
            "consultation": 1,
        },
    },
    "participants": 1240,
    "networks": {"count": 7, "by_role": {"member": 6, "co_organiser": 1}, "names": []},
    "media": {"count": 4, "by_kind": {"interview": 1, "radio": 1, "op_ed": 1, "comment": 1}},
    "campaigns": [
        {
            "name": "Chat-kampanje",
            "start": "2023-04-24",
            "end": "2023-05-05",
            "funder": "",
            "excludes_weekends": True,
            "excludes_holidays": True,
            "platforms": ["tiktok", "snapchat", "instagram", "facebook"],
            "impressions": 2737153,
            "clicks": 7856,
            "unique_browsers": None,
            "screen_plays": None,
            "effect": {
                "in_progress": False,
                "measured_until": None,
                "overlapping_campaigns": [],
                "inquiries": {
                    "campaign_days": 9,
                    "baseline_days": 9,
                    "baseline_complete": True,
                    "baseline_start": None,
                    "baseline_end": None,
                    "skipped_baseline_days": 0,
                    "campaign_count": 9,
                    "baseline_count": 3,
                    "campaign_per_day": 1.0,
                    "baseline_per_day": 0.33,
                    "ratio": 3.0,
                },
                "chat_sessions": None,
            },
        },
        {
            "name": "Etterlatt i utlandet",
            "start": "2023-06-09",
            "end": "2023-06-30",
            "funder": "IMDi",
            "impressions": 4742461,
            "clicks": 36066,
            "unique_browsers": 409345,
            "screen_plays": 438983,
            "effect": {
                "in_progress": False,
                "measured_until": None,
                "overlapping_campaigns": [],
                "inquiries": {
                    "campaign_days": 16,
                    "baseline_days": 16,
                    "baseline_complete": True,
                    "baseline_start": None,
                    "baseline_end": None,
                    "skipped_baseline_days": 0,
                    "campaign_count": 17,
                    "baseline_count": 8,
                    "campaign_per_day": 1.06,
                    "baseline_per_day": 0.5,
                    "ratio": 2.12,
                },
                "chat_sessions": None,
            },
        },
        {
            "name": "Dobbeltliv",
            "start": "2023-10-16",
            "end": "2023-11-03",
            "funder": "IMDi",
            "impressions": 4715976,
            "clicks": 24760,
            "unique_browsers": None,
            "screen_plays": None,
            "effect": {
                "in_progress": False,
                "measured_until": None,
                "overlapping_campaigns": [],
                "inquiries": {
                    "campaign_days": 15,
                    "baseline_days": 15,
                    "baseline_complete": True,
                    "baseline_start": None,
                    "baseline_end": None,
                    "skipped_baseline_days": 0,
                    "campaign_count": 14,
                    "baseline_count": 6,
                    "campaign_per_day": 0.93,
                    "baseline_per_day": 0.4,
                    "ratio": 2.33,
                },
                "chat_sessions": None,
            },
        },
    ],
    "social_media": {
        "tiktok": {"date": "2023-12-31", "followers": 265, "likes": 3772, "top_video_views": 512000}
    },
}


def full_2023() -> dict[str, Any]:
    """2023 with every block and 2022 beside it."""
    return copy.deepcopy(
        {
            "year": 2023,
            "inquiries": INQUIRIES_2023,
            "previous_year": {"year": 2022, "inquiries": INQUIRIES_2022},
            "follow_up": FOLLOW_UP_2023,
            "chat": CHAT_2023,
            "outreach": OUTREACH_2023,
        }
    )


def empty_block(year: int) -> dict[str, Any]:
    """The inquiries block of a year with no data: every map present, every count 0."""
    block = copy.deepcopy(INQUIRIES_2023)
    for key, value in block.items():
        if isinstance(value, int):
            block[key] = 0
        elif isinstance(value, dict):
            block[key] = {
                k: (dict.fromkeys(v, 0) if isinstance(v, dict) else 0) for k, v in value.items()
            }
    block["by_month"] = {f"{year}-{m:02d}": 0 for m in range(1, 13)}
    block["country_backgrounds"] = []
    return block


def inquiries_only(year: int = 2023) -> dict[str, Any]:
    """What `year_statistics` gives before the optional blocks exist."""
    stats = full_2023()
    return {"year": year, "inquiries": stats["inquiries"], "previous_year": stats["previous_year"]}
