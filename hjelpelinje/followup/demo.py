"""Synthetic demo follow-up users for 2023, matching the annual report's figures.

31 users (18 from the sheltered-housing programme, four with a protected address), 693
inquiries from users, and the activity counts of the report. The names, phone numbers and
addresses are made up from word lists; none is a real person's.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from hjelpelinje.accounts.models import User
from hjelpelinje.followup.models import (
    Activity,
    ConsentMethod,
    FollowUpUser,
    MailItem,
    MailOutcome,
    SenderType,
    Source,
    UserInquiry,
)
from hjelpelinje.followup.services import user_create
from hjelpelinje.taxonomy.selectors import code_map

YEAR = 2023
USERS = 31
FROM_HOUSING = 18
PROTECTED = 4
USER_INQUIRIES = 693
ACTIVITIES = {
    "nav": 45,
    "kompetanseteamet": 30,
    "practical_help": 35,
    "police": 15,
    "child_welfare": 8,
    "external_meeting": 24,
    "external_contact": 53,
    "housing_programme": 18,
    "in_person": 145,
    "mail": 34,
}
FIRST = ["Amina", "Sara", "Leila", "Nora", "Yasmin", "Hana", "Ali", "Omar", "Maja", "Zara", "Iman"]
LAST = ["Demosen", "Testdatter", "Eksempelsen", "Fiktivsen", "Prøvesen", "Oppdiktet"]
STREETS = ["Demoveien", "Testgata", "Eksempelstien", "Fiktivveien"]
CHANNEL_WEIGHTS = {"phone": 45, "chat": 20, "email": 10, "walk_in": 15, "whatsapp": 10}


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _address(rng: random.Random) -> str:
    return f"{rng.choice(STREETS)} {rng.randrange(1, 90)}, 0{rng.randrange(150, 999)} Demoby"


def load(stdout: Any = None) -> None:
    rng = random.Random(2023_31)
    staff = list(User.objects.filter(username__in=["radgiver", "radgiver2"]).order_by("username"))
    manager = User.objects.filter(username="leder").first()
    ages = code_map("age_group")
    genders = code_map("gender")
    regions = code_map("region")
    channels = code_map("channel")
    activity_codes = code_map("activity")
    agencies = code_map("agency")
    age_weights = {"0-18": 4, "18-25": 14, "25-35": 9, "35+": 4}
    region_weights = {
        "ostlandet": 18,
        "vestlandet": 6,
        "sorlandet": 2,
        "trondelag": 2,
        "nord_norge": 3,
    }
    year_end = dt.date(YEAR, 12, 31)

    users: list[FollowUpUser] = []
    for n in range(USERS):
        # A third were already followed up before 2023; the rest consented during the year.
        consent_on = (
            _day(rng, dt.date(YEAR - 1, 3, 1), dt.date(YEAR - 1, 12, 20))
            if n < 11
            else _day(rng, dt.date(YEAR, 1, 5), dt.date(YEAR, 10, 31))
        )
        protected = n % 8 == 3 and n // 8 < PROTECTED
        responsible = [staff[n % len(staff)]] if staff else []
        user = user_create(
            actor=responsible[0] if responsible else manager,
            reference=f"B-{n + 1:03d}",
            name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            phone=f"9{rng.randrange(10_000_000):07d}",
            birth_year=str(rng.randrange(1985, 2008)),
            age_group=ages[rng.choices(list(age_weights), list(age_weights.values()))[0]],
            gender=genders["female" if rng.random() < 0.85 else "male"],
            region=regions[rng.choices(list(region_weights), list(region_weights.values()))[0]],
            source=Source.HOUSING_PROGRAMME if n < FROM_HOUSING else Source.HELPLINE,
            responsible=responsible,
            notes="Demo: oppfølging etter samtale. Fiktiv bruker.",
            consent_given_on=consent_on,
            consent_method=ConsentMethod.WRITTEN if n % 3 else ConsentMethod.VERBAL,
            protected_code=("6" if n % 2 else "7") if protected else "",
            address=_address(rng) if protected else "",
        )
        users.append(user)

    def start(user: FollowUpUser) -> dt.date:
        return max(user.consent.given_on, dt.date(YEAR, 1, 1))

    # Inquiries: every user at least one, the rest spread with a bias to a few heavy users.
    weights = [rng.uniform(0.3, 3.0) for _ in users]
    owners = users + rng.choices(users, weights, k=USER_INQUIRIES - len(users))
    UserInquiry.objects.bulk_create(
        UserInquiry(
            user=u,
            occurred_on=_day(rng, start(u), year_end),
            channel=channels[rng.choices(list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values()))[0]],
            recorded_by=u.responsible.first(),
        )
        for u in owners
    )

    protected_users = [u for u in users if u.has_protected_address]
    housing_users = [u for u in users if u.source == Source.HOUSING_PROGRAMME]
    agency_for = {
        "police": "politi",
        "child_welfare": "barnevern",
        "kompetanseteamet": "kompetanseteamet",
    }
    activities: list[Activity] = []
    for code, count in ACTIVITIES.items():
        # Mail is handled for users with a mail agreement; housing contacts are for its users.
        pool = (
            protected_users
            if code == "mail"
            else housing_users
            if code == "housing_programme"
            else users
        )
        for i in range(count):
            u = pool[i % len(pool)] if code == "housing_programme" else rng.choice(pool)
            agency = agencies.get(agency_for.get(code, "")) if code in agency_for else None
            if code == "external_contact":
                agency = agencies[rng.choice(["krisesenter", "risk", "nok", "other"])]
            activities.append(
                Activity(
                    user=u,
                    done_on=_day(rng, start(u), year_end),
                    category=activity_codes[code],
                    agency=agency,
                    note="Demo: fiktivt notat." if rng.random() < 0.3 else "",
                    done_by=u.responsible.first(),
                )
            )
    created = Activity.objects.bulk_create(activities)
    MailItem.objects.bulk_create(
        MailItem(
            activity=a,
            user=a.user,
            received_on=a.done_on,
            sender_type=rng.choice(list(SenderType)),
            outcome=MailOutcome.COLLECTED if rng.random() < 0.6 else MailOutcome.FORWARDED,
            outcome_on=min(a.done_on + dt.timedelta(days=rng.randrange(1, 10)), year_end),
        )
        for a in created
        if a.category.code == "mail"
    )
    if stdout is not None:
        stdout.write(
            f"Follow-up: {len(users)} users, {len(owners)} user inquiries, "
            f"{len(created)} activities."
        )
