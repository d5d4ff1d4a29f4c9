"""The outreach and annual report pages open on the latest year that has something in it,
not on an empty year (a fresh installation with past years imported, or early January)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from hjelpelinje.outreach.models import Talk, TalkKind
from hjelpelinje.outreach.tests.helpers import inquiry


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.django_db
def test_the_outreach_page_opens_on_the_latest_year_with_outreach(counsellor, client_for):
    Talk.objects.create(date=dt.date(2023, 5, 4), kind=TalkKind.SCHOOL_VISIT, participants=30)
    page = client_for(counsellor).get("/staff/outreach/").content.decode()
    assert "Utadrettet arbeid 2023" in _text(page)
    assert '<a href="?year=2023" aria-current="page">2023</a>' in page
    assert 'data-testid="talk-count">1<' in page
    # A year asked for is the year shown, empty or not.
    asked = client_for(counsellor).get("/staff/outreach/?year=2024").content.decode()
    assert "Utadrettet arbeid 2024" in _text(asked)


@pytest.mark.django_db
def test_the_annual_report_page_opens_on_the_latest_year_with_inquiries(manager, client_for):
    inquiry(dt.date(2023, 3, 1))
    page = client_for(manager).get("/staff/reports/annual/").content.decode()
    year = re.search(r'<select name="year"[^>]*id="id_year".*?</select>', page, re.S)
    assert year is not None
    assert '<option value="2023" selected>' in year.group(0)
    assert "Tekstene for 2023" in _text(page)
