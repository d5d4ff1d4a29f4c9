"""Synthetic demo data for the chat: canned responses and session metadata (no content).

The sessions follow the 2023 picture in the brief (74 chats, mostly young people, in
opening hours) so the chat statistics have something to show; nothing is real.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from typing import Any

from hjelpelinje.chat.models import CannedResponse, ChatSession, ClosedVisitDay
from hjelpelinje.core.timeutil import OSLO
from hjelpelinje.taxonomy.models import Code

CANNED = [
    ("Hilsen", "Hei, du snakker med en rådgiver. Hva vil du fortelle meg?"),
    ("Tid", "Ta den tiden du trenger. Jeg er her."),
    (
        "Taushetsplikt",
        "Jeg har taushetsplikt. Det du sier blir mellom oss, med mindre noen er i fare.",
    ),
    ("Avslutning", "Takk for at du skrev til oss. Du kan alltid komme tilbake."),
]


def load(stdout: Any = None) -> None:
    for position, (title, body) in enumerate(CANNED):
        CannedResponse.objects.get_or_create(
            title=title, defaults={"body": body, "position": position}
        )
    rng = random.Random(2023)
    ages = list(Code.objects.filter(list="age_group", active=True))
    themes = list(Code.objects.filter(list="theme", active=True))
    made = 0
    for year, count in ((2022, 58), (2023, 74)):
        for _ in range(count):
            day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
            while day.weekday() > 4:
                day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
            closes = 18 if day.weekday() == 3 else 16
            start = dt.datetime.combine(
                day, dt.time(rng.randrange(9, closes), rng.randrange(60)), tzinfo=OSLO
            )
            answered = rng.random() > 0.12
            wait = dt.timedelta(seconds=rng.randrange(20, 900))
            session = ChatSession(
                token_hash=hashlib.sha256(f"demo-{year}-{made}".encode()).hexdigest(),
                status=ChatSession.Status.ENDED,
                age_group=rng.choice(ages) if ages and rng.random() > 0.2 else None,
                theme=rng.choice(themes) if themes and rng.random() > 0.3 else None,
                created_at=start,
                queued_at=start,
            )
            if answered:
                session.assigned_at = session.answered_at = start + wait
                session.ended_at = start + wait + dt.timedelta(minutes=rng.randrange(5, 60))
                session.ended_by = ChatSession.EndedBy.COUNSELLOR
            else:
                session.ended_at = start + wait
                session.ended_by = ChatSession.EndedBy.VISITOR
            session.save()
            made += 1
        # Visits to /chat/ while closed: evenings and weekends.
        for week in range(52):
            day = dt.date(year, 1, 2) + dt.timedelta(weeks=week, days=rng.randrange(7))
            ClosedVisitDay.objects.update_or_create(
                day=day, defaults={"count": rng.randrange(1, 9)}
            )
    if stdout is not None:
        stdout.write(f"chat: {made} demo sessions (metadata only), {len(CANNED)} canned responses")
