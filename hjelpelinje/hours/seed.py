"""The ordinary week Hjelpelinje starts with: Monday-Friday 09:00-16:00, Thursday to 18:00."""

from __future__ import annotations

import datetime as dt
from typing import Any

CLOSES = {0: dt.time(16), 1: dt.time(16), 2: dt.time(16), 3: dt.time(18), 4: dt.time(16)}


def seed_week(weekly_hours_model: Any) -> None:
    """Seed both channels' week unless hours exist (used by the migration and the tests)."""
    if weekly_hours_model.objects.exists():
        return
    for channel in ("phone", "chat"):
        for weekday, closes in CLOSES.items():
            weekly_hours_model.objects.create(
                channel=channel, weekday=weekday, opens=dt.time(9), closes=closes
            )
