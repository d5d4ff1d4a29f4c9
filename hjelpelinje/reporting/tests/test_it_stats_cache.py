from __future__ import annotations

import datetime as dt

import pytest

from hjelpelinje.core.timeutil import OSLO
from hjelpelinje.inquiries.models import Inquiry
from hjelpelinje.reporting.cache import cached_year_statistics
from hjelpelinje.taxonomy.selectors import code_get


def _inquiry() -> Inquiry:
    return Inquiry.objects.create(
        occurred_at=dt.datetime(2023, 3, 1, 10, tzinfo=OSLO),
        channel=code_get("channel", "chat"),
        age_group=code_get("age_group", "0-18"),
        gender=code_get("gender", "female"),
        region=code_get("region", "ostlandet"),
        caller=code_get("caller", "self"),
    )


@pytest.mark.django_db
def test_dashboard_figures_follow_every_change(
    manager, client_for, django_capture_on_commit_callbacks
) -> None:
    # The cached copy is declared stale when a write commits, never before.
    with django_capture_on_commit_callbacks(execute=True):
        first = _inquiry()
    stats, _ = cached_year_statistics(2023)
    assert stats["inquiries"]["total"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        _inquiry()
    assert cached_year_statistics(2023)[0]["inquiries"]["total"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        first.relevant = False
        first.save()
    assert cached_year_statistics(2023)[0]["inquiries"]["total"] == 1
    page = client_for(manager).get("/staff/reports/?year=2023").content.decode()
    assert "Tallene ble beregnet" in page


@pytest.mark.django_db
def test_an_import_refreshes_the_dashboard(tmp_path, django_capture_on_commit_callbacks) -> None:
    from hjelpelinje.inquiries.importer import inquiries_import

    assert cached_year_statistics(2023)[0]["inquiries"]["total"] == 0
    path = tmp_path / "i.csv"
    path.write_text("dato;kanal\n27.04.2023;chat\n28.04.2023;telefon\n", encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        result = inquiries_import(path=path, actor=None)
    assert result.created == 2
    assert cached_year_statistics(2023)[0]["inquiries"]["total"] == 2


@pytest.mark.django_db
def test_unchanged_data_is_served_from_the_cache(django_assert_num_queries) -> None:
    _inquiry()
    cached_year_statistics(2023)
    with django_assert_num_queries(0):
        assert cached_year_statistics(2023)[0]["inquiries"]["total"] == 1


@pytest.mark.django_db
def test_dashboard_opens_on_the_latest_year_with_data(manager, client_for) -> None:
    _inquiry()  # in 2023, while "now" is later
    page = client_for(manager).get("/staff/reports/").content.decode()
    assert "Statistikk 2023" in page
    # An explicit year is still honoured.
    assert (
        "Statistikk 2022" in client_for(manager).get("/staff/reports/?year=2022").content.decode()
    )
