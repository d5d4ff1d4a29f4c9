"""Shared pieces for the reporting tests: labels from the seed and a stand-in statistics."""

from __future__ import annotations

from typing import Any

from hjelpelinje.reporting.figures import Labels
from hjelpelinje.reporting.tests.example_stats import empty_block, full_2023
from hjelpelinje.taxonomy.seed import SEED


def seed_labels() -> Labels:
    return Labels({name: {code: label for code, label, _en in rows} for name, rows in SEED.items()})


def fake_year_statistics(year: int) -> dict[str, Any]:
    """2023 is the full example; every other year has no data and no year before it."""
    if year == 2023:
        return full_2023()
    return {
        "year": year,
        "inquiries": empty_block(year),
        "previous_year": {"year": year - 1, "inquiries": empty_block(year - 1)},
    }
