from __future__ import annotations

import pytest

from hjelpelinje.reporting.tests.helpers import fake_year_statistics


@pytest.fixture
def stats_2023(monkeypatch: pytest.MonkeyPatch) -> None:
    """The statistics stand-in: the report and dashboard read only `year_statistics`."""
    monkeypatch.setattr("hjelpelinje.reporting.statistics.year_statistics", fake_year_statistics)


@pytest.fixture(autouse=True)
def empty_chart_cache() -> None:
    from django.core.cache import cache

    cache.clear()
