"""Small builders for the register's tests: synthetic data only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hjelpelinje.core.timeutil import OSLO
from hjelpelinje.inquiries.models import Inquiry
from hjelpelinje.inquiries.services import InquiryData, inquiry_create
from hjelpelinje.taxonomy.models import Code


def code(list_name: str, value: str) -> Code:
    return Code.objects.get(list=list_name, code=value)


def data(**overrides: Any) -> InquiryData:
    values: dict[str, Any] = {
        "occurred_at": dt.datetime(2023, 4, 27, 10, 30, tzinfo=OSLO),
        "channel": code("channel", "phone"),
        "age_group": code("age_group", "18-25"),
        "gender": code("gender", "female"),
        "region": code("region", "ostlandet"),
        "caller": code("caller", "self"),
    }
    values.update(overrides)
    return InquiryData(**values)


def make(actor: Any = None, **overrides: Any) -> Inquiry:
    return inquiry_create(actor=actor, data=data(**overrides))
