"""The import of daily visit counts from past years: the staff page and the command."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from hjelpelinje.audit.models import AuditEntry
from hjelpelinje.site.visits import selectors
from hjelpelinje.site.visits.models import ImportedDay

URL = "/staff/website/import/"


def upload(text: str, name: str = "besok.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


@pytest.mark.django_db
def test_a_manager_imports_a_year_and_it_reads_as_the_daily_series(
    client_for: Any, manager: Any
) -> None:
    client = client_for(manager)
    page = client.get(URL)
    assert page.status_code == 200
    assert "date,page_views,visits" in page.content.decode()

    response = client.post(
        URL,
        {"file": upload("date,page_views,visits\n2023-04-27,1200,800\n28.04.2023,900,610\n")},
        follow=True,
    )
    text = response.content.decode()
    assert "2 dager med besøkstall importert." in text
    days = selectors.website_daily(start=dt.date(2023, 4, 26), end=dt.date(2023, 4, 28))
    assert [(d.page_views, d.visits, d.imported) for d in days] == [
        (0, 0, False),
        (1200, 800, True),
        (900, 610, True),
    ]
    assert selectors.website_monthly(year=2023)[3].visits == 1410
    entry = AuditEntry.objects.get(action="visits.import")
    assert entry.actor_id == manager.pk
    assert "27.04.2023" in entry.reason


@pytest.mark.django_db
def test_one_bad_row_imports_nothing_and_every_bad_row_is_named(
    client_for: Any, manager: Any
) -> None:
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    csv = (
        "date;page_views;visits\n"
        "2023-01-01;10;5\n"
        "2023-02-30;10;5\n"  # no such day
        f"{tomorrow};1;1\n"
        "1999-12-31;1;1\n"
        "01.01.2023;4;2\n"  # the same day as line 2
        "2023-01-05;-3;1,5\n"
    )
    response = client_for(manager).post(URL, {"file": upload(csv)})
    assert response.status_code == 200
    text = response.content.decode()
    assert "6 feil: ingenting ble importert." in text
    lines = [e.line for e in response.context["errors_shown"]]
    assert lines == [3, 4, 5, 6, 7, 7]
    assert "Datoen står også på linje 2." in text
    assert "Datoen er i fremtiden." in text
    assert "Datoen er før 2000." in text
    assert not ImportedDay.objects.exists()


@pytest.mark.django_db
def test_a_header_is_required(client_for: Any, manager: Any) -> None:
    response = client_for(manager).post(URL, {"file": upload("2023-01-01,10,5\n")})
    assert "Overskriftsraden mangler kolonnen date." in response.content.decode()
    assert not ImportedDay.objects.exists()


@pytest.mark.django_db
def test_a_counsellor_may_not_import(client_for: Any, counsellor: Any) -> None:
    client = client_for(counsellor)
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"file": upload("date,page_views,visits\n2023-01-01,1,1\n")})
    assert response.status_code == 403
    assert not ImportedDay.objects.exists()


@pytest.mark.django_db
def test_the_command_replaces_days_imported_before_and_says_so(tmp_path: Path) -> None:
    ImportedDay.objects.create(day=dt.date(2022, 6, 1), page_views=1, visits=1)
    path = tmp_path / "2022.csv"
    path.write_text("Dato,Sidevisninger,Besøk\n01.06.2022,300,200\n02.06.2022,310,205\n")
    out = _call(path)
    assert "2 dager med besøkstall importert." in out
    assert "1 av dem var importert før" in out
    assert ImportedDay.objects.get(day=dt.date(2022, 6, 1)).visits == 200
    assert ImportedDay.objects.count() == 2

    path.write_text("date,page_views,visits\n2022-06-03,x,1\n")
    with pytest.raises(CommandError, match=r"1 feil\. Ingenting ble importert\."):
        _call(path)
    assert ImportedDay.objects.count() == 2


@pytest.mark.django_db
def test_counted_days_win_over_imported_ones() -> None:
    from hjelpelinje.site.visits.models import PageDay

    day = dt.date(2024, 3, 1)
    ImportedDay.objects.create(day=day, page_views=50, visits=40)
    PageDay.objects.create(day=day, path="/", views=7, visits=3)
    [row] = selectors.website_daily(start=day, end=day)
    assert (row.page_views, row.visits, row.imported) == (7, 3, False)


def _call(path: Path) -> str:
    import io

    out = io.StringIO()
    call_command("import_visits", str(path), stdout=out)
    return out.getvalue()
