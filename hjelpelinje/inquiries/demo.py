"""Synthetic first-time inquiries for 2022 and 2023 (no real person's data).

The 2023 figures are exactly those the annual report publishes (see
`/work/shared/domain/brief.md`): 158 relevant inquiries, 74 by chat and 67 by phone, 52
follow-up cases, the gender and region shares when rounded, and the five most frequent
country backgrounds in order. The counts below are chosen so that the rounded shares come
out right; everything else (which inquiry gets which value, the day and the hour) is drawn
from a seeded random generator, so every load gives the same data.

2022 has 60 relevant inquiries. The report's 2022 region shares (37 %, 6 %, 0 %, 1 %, 2 %)
cannot all be met exactly with 60 inquiries, since one inquiry is 1.67 %; each region gets
the count nearest to its share of 60 (22, 4, 0, 1, 1) and the rest is "unknown".
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from typing import IO, Any

import holidays

from hjelpelinje.accounts.models import User
from hjelpelinje.core.timeutil import OSLO
from hjelpelinje.inquiries.models import Inquiry
from hjelpelinje.taxonomy.models import Code

SEED = 2023

# Inquiries by channel and age group, 2023: the youngest mostly chat, older groups phone.
CHANNEL_AGE_2023 = {
    "chat": {"0-18": 50, "18-25": 14, "25-35": 4, "35+": 2, "unknown": 4},
    "phone": {"0-18": 12, "18-25": 22, "25-35": 14, "35+": 12, "unknown": 7},
    "email": {"0-18": 1, "18-25": 3, "25-35": 3, "35+": 2},
    "walk_in": {"0-18": 1, "18-25": 2, "25-35": 2, "35+": 1},
    "whatsapp": {"18-25": 1, "25-35": 1},
}
CHANNEL_AGE_2022 = {
    "phone": {"0-18": 6, "18-25": 14, "25-35": 9, "35+": 6, "unknown": 3},
    "chat": {"0-18": 7, "18-25": 4, "25-35": 1},
    "email": {"18-25": 2, "25-35": 3, "35+": 2},
    "walk_in": {"18-25": 1, "35+": 2},
}
# 128 women (81 %), 25 men (16 %), 3 other (2 %), 2 not stated (1 %).
GENDER_2023 = {"female": 128, "male": 25, "other": 3, "unknown": 2}
GENDER_2022 = {"female": 50, "male": 8, "other": 1, "unknown": 1}
# 56 %, 19 %, 4 %, 3 %, 5 %, 2 %, 11 % of 158.
REGION_2023 = {
    "ostlandet": 88,
    "vestlandet": 30,
    "sorlandet": 6,
    "trondelag": 5,
    "nord_norge": 8,
    "abroad": 3,
    "unknown": 18,
}
REGION_2022 = {
    "ostlandet": 22,
    "vestlandet": 4,
    "sorlandet": 0,
    "trondelag": 1,
    "nord_norge": 1,
    "abroad": 0,
    "unknown": 32,
}
CALLER_2023 = {"self": 95, "friend": 18, "family": 14, "professional": 25, "other": 3, "unknown": 3}
CALLER_2022 = {"self": 33, "friend": 7, "family": 6, "professional": 12, "other": 1, "unknown": 1}
# Most inquiries do not give a country background; the rest is blank (unknown).
COUNTRIES_2023 = {
    "Pakistan": 14,
    "Syria": 11,
    "Somalia": 9,
    "Iraq": 7,
    "Afghanistan": 6,
    "Iran": 4,
    "Eritrea": 3,
    "Morocco": 3,
    "Sri Lanka": 2,
    "India": 2,
    "Ethiopia": 2,
    "Norway": 2,
    "Poland": 1,
    "Lebanon": 1,
}
COUNTRIES_2022 = {"Pakistan": 6, "Somalia": 5, "Iraq": 4, "Syria": 3, "Afghanistan": 2, "Iran": 1}
# Relevant inquiries per month: up in the campaign months (April-June, October-November).
MONTHS_2023 = [9, 10, 11, 15, 16, 20, 6, 11, 12, 20, 17, 11]
MONTHS_2022 = [4, 5, 5, 5, 6, 5, 3, 5, 5, 6, 6, 5]
FOLLOW_UP = {2023: 52, 2022: 19}
NOT_RELEVANT = {2023: 23, 2022: 8}
DUTY_TO_AVERT = {2023: 6, 2022: 2}
# The 2023 campaigns (weekends excluded by the day drawing): more inquiries on those days.
CAMPAIGNS = [
    (dt.date(2023, 4, 24), dt.date(2023, 5, 5)),
    (dt.date(2023, 6, 9), dt.date(2023, 6, 30)),
    (dt.date(2023, 10, 16), dt.date(2023, 11, 3)),
]
THEME_WEIGHTS = {
    "social_control": 40,
    "forced_marriage": 22,
    "honour_violence": 14,
    "psychological_violence": 10,
    "closed_religious": 5,
    "fgm": 3,
    "left_abroad": 3,
    "other": 3,
}
AGENCY_WEIGHTS = {
    "kompetanseteamet": 20,
    "krisesenter": 15,
    "barnevern": 12,
    "mangfoldsradgiver": 10,
    "risk": 6,
    "nok": 5,
    "skeiv_verden": 5,
    "politi": 8,
    "other": 6,
}


def _pool(counts: dict[str, int]) -> list[str]:
    return [value for value, n in counts.items() for _ in range(n)]


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class _Days:
    """Weekdays that are not public holidays, campaign days weighted up."""

    def __init__(self, year: int) -> None:
        closed = holidays.country_holidays("NO", years=year)
        self.by_month: dict[int, tuple[list[dt.date], list[int]]] = {}
        for month in range(1, 13):
            days, weights = [], []
            day = dt.date(year, month, 1)
            while day.month == month:
                if day.weekday() < 5 and day not in closed:
                    days.append(day)
                    weights.append(4 if any(a <= day <= b for a, b in CAMPAIGNS) else 1)
                day += dt.timedelta(days=1)
            self.by_month[month] = (days, weights)

    def draw(self, rng: random.Random, month: int, channel: str) -> dt.datetime:
        days, weights = self.by_month[month]
        day = rng.choices(days, weights=weights)[0]
        # Open 09-16, Thursdays until 18; e-mail and WhatsApp also come in the evening.
        closing = 18 if day.weekday() == 3 else 16
        if channel in ("email", "whatsapp") and rng.random() < 0.25:
            hour = rng.randint(17, 21)
        else:
            hour = rng.randint(9, closing - 1)
        return dt.datetime.combine(day, dt.time(hour, rng.randint(0, 59)), tzinfo=OSLO)


def _relevant(year: int, rng: random.Random, spec: dict[str, Any]) -> list[dict[str, Any]]:
    pairs = [(ch, age) for ch, ages in spec["channel_age"].items() for age in _pool(ages)]
    rng.shuffle(pairs)
    total = len(pairs)
    regions = _pool(spec["region"])
    # Inquiries on WhatsApp come from people stuck abroad and are about being left there.
    whatsapp = sum(1 for ch, _age in pairs if ch == "whatsapp")
    for _ in range(whatsapp):
        regions.remove("abroad")
    rng.shuffle(regions)
    columns: dict[str, list[Any]] = {
        "gender": _pool(spec["gender"]),
        "caller": _pool(spec["caller"]),
        "country": _pool(spec["countries"]),
        "month": [m for m, n in enumerate(spec["months"], start=1) for _ in range(n)],
        "follow_up": [True] * FOLLOW_UP[year],
        "duty": [True] * DUTY_TO_AVERT[year],
    }
    for name, values in columns.items():
        values += [False if name in ("follow_up", "duty") else ""] * (total - len(values))
        rng.shuffle(values)
    records = []
    for i, (channel, age) in enumerate(pairs):
        themes = {_weighted(rng, THEME_WEIGHTS)}
        if rng.random() < 0.35:
            themes.add(_weighted(rng, THEME_WEIGHTS))
        agencies: set[str] = set()
        if rng.random() < 0.45:
            agencies.add(_weighted(rng, AGENCY_WEIGHTS))
        if channel == "whatsapp":
            region = "abroad"
            themes = {"left_abroad"}
        else:
            region = regions.pop()
        duty = bool(columns["duty"][i])
        if duty:
            themes.add("forced_marriage")
            agencies.add("politi")
        records.append(
            {
                "channel": channel,
                "age_group": age,
                "gender": columns["gender"][i],
                "region": region,
                "caller": columns["caller"][i],
                "country": columns["country"][i],
                "month": columns["month"][i],
                "follow_up": bool(columns["follow_up"][i]),
                "duty": duty,
                "themes": themes,
                "agencies": agencies,
                "relevant": True,
            }
        )
    return records


def _not_relevant(n: int, rng: random.Random) -> list[dict[str, Any]]:
    """Inquiries outside the helpline's remit, referred on (often to a youth helpline)."""
    return [
        {
            "channel": rng.choice(["phone", "phone", "chat", "chat", "email"]),
            "age_group": rng.choice(["0-18", "18-25", "25-35", "unknown"]),
            "gender": rng.choice(["female", "female", "male", "unknown"]),
            "region": rng.choice(["ostlandet", "vestlandet", "unknown"]),
            "caller": rng.choice(["self", "self", "family", "unknown"]),
            "country": "",
            "month": rng.randint(1, 12),
            "follow_up": False,
            "duty": False,
            "themes": {"other"},
            "agencies": {rng.choice(["kors_pa_halsen", "other"])},
            "relevant": False,
        }
        for _ in range(n)
    ]


SPECS: dict[int, dict[str, Any]] = {
    2023: {
        "channel_age": CHANNEL_AGE_2023,
        "gender": GENDER_2023,
        "region": REGION_2023,
        "caller": CALLER_2023,
        "countries": COUNTRIES_2023,
        "months": MONTHS_2023,
    },
    2022: {
        "channel_age": CHANNEL_AGE_2022,
        "gender": GENDER_2022,
        "region": REGION_2022,
        "caller": CALLER_2022,
        "countries": COUNTRIES_2022,
        "months": MONTHS_2022,
    },
}


def _link(field: str, pairs: Iterable[tuple[int, int]]) -> None:
    through = getattr(Inquiry, field).through
    through.objects.bulk_create([through(inquiry_id=i, code_id=c) for i, c in pairs])


def load(stdout: IO[str] | Any = None) -> None:
    rng = random.Random(SEED)
    codes = {(c.list, c.code): c.pk for c in Code.objects.all()}
    staff = list(User.objects.filter(username__in=["radgiver", "radgiver2"]).order_by("username"))
    records: list[dict[str, Any]] = []
    for year, spec in SPECS.items():
        days = _Days(year)
        for record in _relevant(year, rng, spec) + _not_relevant(NOT_RELEVANT[year], rng):
            record["occurred_at"] = days.draw(rng, record["month"], record["channel"])
            records.append(record)
    records.sort(key=lambda r: r["occurred_at"])

    inquiries = [
        Inquiry(
            occurred_at=r["occurred_at"],
            channel_id=codes[("channel", r["channel"])],
            relevant=r["relevant"],
            age_group_id=codes[("age_group", r["age_group"])],
            gender_id=codes[("gender", r["gender"])],
            region_id=codes[("region", r["region"])],
            caller_id=codes[("caller", r["caller"])],
            country_background=r["country"],
            follow_up=r["follow_up"],
            duty_to_avert=r["duty"],
            duty_to_avert_at=r["occurred_at"] + dt.timedelta(hours=2) if r["duty"] else None,
            created_by=rng.choice(staff) if staff else None,
        )
        for r in records
    ]
    created = Inquiry.objects.bulk_create(inquiries, batch_size=500)
    themes, referrals, alerts = [], [], []
    for inquiry, r in zip(created, records, strict=True):
        themes += [(inquiry.pk, codes[("theme", t)]) for t in sorted(r["themes"])]
        referrals += [(inquiry.pk, codes[("agency", a)]) for a in sorted(r["agencies"])]
        if r["duty"]:
            alerts += [(inquiry.pk, codes[("agency", a)]) for a in ("politi", "krisesenter")]
    _link("themes", themes)
    _link("referred_to", referrals)
    _link("duty_to_avert_agencies", alerts)
    if stdout is not None:
        stdout.write(f"Inquiries: {len(created)} synthetic first-time inquiries (2022-2023).")
