"""Reading values out of the statistics dict, whichever of its spellings a block uses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hjelpelinje.reporting.figures import as_int, ordered_counts
from hjelpelinje.reporting.report.document import Stats


def first_of(mapping: Any, *keys: str) -> Any:
    if not isinstance(mapping, dict):
        return None
    for key in keys:
        if mapping.get(key) is not None:
            return mapping[key]
    return None


def count_and_kinds(value: Any) -> tuple[int, dict[str, int]]:
    """`talks`/`media` as a number, or as {"count"/"total": n, "by_kind": {...}}."""
    if isinstance(value, dict):
        kinds = ordered_counts(first_of(value, "by_kind", "kinds") or {})
        n = first_of(value, "count", "total")
        return (as_int(n) if n is not None else sum(kinds.values())), kinds
    if isinstance(value, list):
        return len(value), {}
    return as_int(value), {}


def as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def campaign_dates(campaign: Stats) -> tuple[dt.date | None, dt.date | None]:
    start = first_of(campaign, "start", "start_date", "starts_on")
    end = first_of(campaign, "end", "end_date", "ends_on")
    return as_date(start), as_date(end)


def campaign_value(campaign: Stats, key: str) -> Any:
    """A campaign total, given on the campaign itself or under `totals`/`results`."""
    value = first_of(campaign, key)
    if value is None:
        value = first_of(first_of(campaign, "totals", "results"), key)
    return value
