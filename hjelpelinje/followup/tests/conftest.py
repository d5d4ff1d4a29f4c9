from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from hjelpelinje.accounts.models import User
from hjelpelinje.followup.models import ConsentMethod, FollowUpUser, Source
from hjelpelinje.followup.services import user_create
from hjelpelinje.taxonomy.selectors import code_get

# Personal strings of the test user: each must vanish after a withdrawal.
NAME = "Zainab Quxlevik"
PHONE = "+47 912 34 567"
EMAIL = "zainab.quxlevik@example.org"
NOTES = "Flyttet fra onkelen i Quxlevikgata"
ADDRESS = "Hemmeligveien 77B, 9999 Skjultby"
CONSENT_NOTE = "Samtykke gitt i møte med tolk Wubbelstad"


@pytest.fixture
def make_user(db: None) -> Callable[..., FollowUpUser]:
    def make(*, responsible: list[User], **extra: Any) -> FollowUpUser:
        fields: dict[str, Any] = {
            "actor": responsible[0] if responsible else None,
            "consent_given_on": dt.date(2023, 3, 1),
            "consent_method": ConsentMethod.WRITTEN,
            "age_group": code_get("age_group", "18-25"),
            "gender": code_get("gender", "female"),
            "region": code_get("region", "ostlandet"),
            "source": Source.HOUSING_PROGRAMME,
            "responsible": responsible,
        }
        fields.update(extra)
        return user_create(**fields)

    return make


@pytest.fixture
def shielded_user(make_user: Callable[..., FollowUpUser], counsellor: User) -> FollowUpUser:
    """A user with a protected address, `counsellor` (kari) responsible."""
    return make_user(
        responsible=[counsellor],
        reference="B-777",
        name=NAME,
        phone=PHONE,
        email=EMAIL,
        birth_year="2001",
        notes=NOTES,
        protected_code="6",
        address=ADDRESS,
        consent_note=CONSENT_NOTE,
    )
