"""A kind of talk has one name: the one staff pick in the form is the one the report prints."""

from __future__ import annotations

import datetime as dt

import pytest

from hjelpelinje.outreach.models import Talk, TalkKind
from hjelpelinje.reporting.report.chapter_outreach import TALK_KINDS


def test_every_kind_of_talk_reads_the_same_on_the_page_and_in_the_report() -> None:
    for kind in TalkKind:
        assert str(TALK_KINDS[kind.value]).lower() == str(kind.label).lower(), kind.value


@pytest.mark.django_db
def test_the_overview_calls_a_visit_to_an_organisation_what_the_report_does(counsellor, client_for):
    Talk.objects.create(date=dt.date(2023, 5, 4), kind=TalkKind.ORGANISATION_VISIT, participants=12)
    page = client_for(counsellor).get("/staff/outreach/?year=2023").content.decode()
    assert "Organisasjonsbesøk" in page
    assert "Besøk hos organisasjon" not in page
