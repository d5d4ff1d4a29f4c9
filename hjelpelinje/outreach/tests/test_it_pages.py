"""Who may enter what, and what the pages show."""

from __future__ import annotations

import datetime as dt

import pytest

from hjelpelinje.audit.models import AuditEntry
from hjelpelinje.outreach.models import (
    Campaign,
    CampaignPlatform,
    MediaAppearance,
    Network,
    SocialAccount,
    SocialSnapshot,
    Talk,
)
from hjelpelinje.outreach.tests.helpers import campaign, inquiries, inquiry
from hjelpelinje.taxonomy.selectors import code_get

D = dt.date
pytestmark = pytest.mark.django_db

TALK = {
    "date": "2023-03-02",
    "kind": "school_visit",
    "title": "Hvor får jeg hjelp?",
    "audience": "Elever",
    "organiser": "Skolen",
    "place": "Oslo",
    "participants": "90",
    "description": "",
}


def test_counsellor_adds_a_talk_and_sees_it_in_the_overview(counsellor, client_for):
    client = client_for(counsellor)
    response = client.post("/staff/outreach/talks/new/?year=2023", TALK)
    assert response.status_code == 302
    talk = Talk.objects.get()
    assert talk.created_by == counsellor and talk.participants == 90
    page = client.get("/staff/outreach/?year=2023").content.decode()
    assert "Hvor får jeg hjelp?" in page
    assert 'data-testid="talk-count">1<' in page
    entry = AuditEntry.objects.get(action="outreach.talk.create")
    assert entry.actor_id == counsellor.pk and entry.target_id == str(talk.pk)
    # Only field names reach the audit log, never what was typed.
    assert "Hvor får jeg hjelp?" not in str(entry.fields) + entry.reason


def test_counsellor_adds_media_and_corrects_own_but_not_others(
    counsellor, other_counsellor, client_for
):
    client = client_for(counsellor)
    response = client.post(
        "/staff/outreach/media/new/",
        {
            "date": "15.06.2023",
            "outlet": "Dagsavisen",
            "kind": "op_ed",
            "title": "Kronikk",
            "link": "",
        },
    )
    assert response.status_code == 302
    own = MediaAppearance.objects.get()
    assert own.date == D(2023, 6, 15)
    theirs = MediaAppearance.objects.create(
        date=D(2023, 9, 1), outlet="NRK", kind="radio", created_by=other_counsellor
    )

    edit = {
        "date": "2023-06-15",
        "outlet": "Dagsavisen",
        "kind": "op_ed",
        "title": "Ny tittel",
        "link": "",
    }
    assert client.post(f"/staff/outreach/media/{own.pk}/edit/", edit).status_code == 302
    own.refresh_from_db()
    assert own.title == "Ny tittel"
    assert client.get(f"/staff/outreach/media/{theirs.pk}/edit/").status_code == 403
    assert client.post(f"/staff/outreach/media/{theirs.pk}/edit/", edit).status_code == 403
    assert client.post(f"/staff/outreach/media/{theirs.pk}/delete/").status_code == 403
    theirs.refresh_from_db()
    assert theirs.outlet == "NRK"
    # The overview offers "Endre" only on the counsellor's own row.
    page = client.get("/staff/outreach/?year=2023").content.decode()
    assert f"/staff/outreach/media/{own.pk}/edit/" in page
    assert f"/staff/outreach/media/{theirs.pk}/edit/" not in page


def test_counsellor_cannot_enter_campaigns_networks_or_social_media(counsellor, client_for):
    client = client_for(counsellor)
    c = campaign("Dobbeltliv", D(2023, 10, 16), D(2023, 11, 3))
    assert (
        client.post(
            "/staff/outreach/campaigns/new/",
            {"name": "X", "start": "2023-01-02", "end": "2023-01-06"},
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/staff/outreach/campaigns/{c.pk}/platforms/new/", {"platform": "tiktok"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            "/staff/outreach/networks/new/", {"name": "X", "role": "member", "active": "on"}
        ).status_code
        == 403
    )
    assert client.post("/staff/outreach/social/new/", {"platform": "tiktok"}).status_code == 403
    assert (
        Campaign.objects.count() == 1
        and not Network.objects.exists()
        and not SocialAccount.objects.exists()
    )
    # Reading is allowed, with no buttons for what they may not do.
    page = client.get(f"/staff/outreach/campaigns/{c.pk}/").content.decode()
    assert "Dobbeltliv" in page and "/edit/" not in page
    index = client.get("/staff/outreach/?year=2023").content.decode()
    assert "/staff/outreach/campaigns/new/" not in index and "/staff/outreach/talks/new/" in index


def test_administrator_has_no_outreach(administrator, client_for):
    assert client_for(administrator).get("/staff/outreach/").status_code == 403


def test_manager_enters_a_campaign_with_platforms_and_sees_its_effect(manager, client_for):
    inquiry(D(2023, 1, 10))
    inquiries({D(2023, 6, 1): 2, D(2023, 6, 12): 3, D(2023, 6, 13): 1})
    client = client_for(manager)
    response = client.post(
        "/staff/outreach/campaigns/new/?year=2023",
        {
            "name": "Etterlatt i utlandet",
            "start": "09.06.2023",
            "end": "30.06.2023",
            "excludes_weekends": "on",
            "funder": "IMDi",
            "partner": "",
            "description": "",
        },
    )
    c = Campaign.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/staff/outreach/campaigns/{c.pk}/"
    )

    platform = {
        "platform": "snapchat",
        "target_age_groups": [code_get("age_group", "0-18").pk],
        "target_ages": "14-18 år",
        "percent_women": "65",
        "percent_men": "30",
        "percent_other": "",
        "impressions": "2608354",
        "clicks": "19837",
        "unique_browsers": "225140",
        "screen_plays": "",
        "notes": "",
    }
    page = client.post(
        f"/staff/outreach/campaigns/{c.pk}/platforms/new/", platform
    ).content.decode()
    assert "Kjønnsfordelingen må summere til 100" in page
    assert not CampaignPlatform.objects.exists()
    platform["percent_men"] = "35"
    assert (
        client.post(f"/staff/outreach/campaigns/{c.pk}/platforms/new/", platform).status_code == 302
    )
    page = client.post(
        f"/staff/outreach/campaigns/{c.pk}/platforms/new/", platform
    ).content.decode()
    assert "Kampanjen har allerede denne plattformen" in page
    assert (
        client.post(
            f"/staff/outreach/campaigns/{c.pk}/platforms/new/",
            {"platform": "airport_screens", "screen_plays": "438983"},
        ).status_code
        == 302
    )

    detail = client.get(f"/staff/outreach/campaigns/{c.pk}/").content.decode()
    assert "2\u00a0608\u00a0354" in detail and "438\u00a0983" in detail
    index = client.get("/staff/outreach/?year=2023").content.decode()
    # 9-30 June: 16 open days with 4 inquiries; the 16 open days before: 2 inquiries.
    assert "Henvendelser per åpen dag steg fra 0,13 til 0,25 under kampanjen" in index
    assert AuditEntry.objects.filter(action="outreach.campaignplatform.create").count() == 2


def test_manager_corrects_and_deletes_what_a_counsellor_entered(manager, counsellor, client_for):
    talk = Talk.objects.create(date=D(2023, 3, 2), kind="course", created_by=counsellor)
    client = client_for(manager)
    assert (
        client.post(
            f"/staff/outreach/talks/{talk.pk}/edit/", {**TALK, "participants": "12"}
        ).status_code
        == 302
    )
    talk.refresh_from_db()
    assert talk.participants == 12 and talk.kind == "school_visit"
    assert (
        "Dette kan ikke angres"
        in client.get(f"/staff/outreach/talks/{talk.pk}/delete/").content.decode()
    )
    assert client.post(f"/staff/outreach/talks/{talk.pk}/delete/").status_code == 302
    assert not Talk.objects.exists()
    assert AuditEntry.objects.filter(action="outreach.talk.delete", target_id=str(talk.pk)).exists()


def test_a_network_that_ended_needs_an_end_date(manager, client_for):
    client = client_for(manager)
    page = client.post(
        "/staff/outreach/networks/new/", {"name": "Gammelt nettverk", "role": "member"}
    ).content.decode()
    assert "Oppgi når dere gikk ut av nettverket" in page
    assert (
        client.post(
            "/staff/outreach/networks/new/",
            {"name": "Gammelt nettverk", "role": "member", "until": "2022-12-31"},
        ).status_code
        == 302
    )
    assert (
        client.post(
            "/staff/outreach/networks/new/",
            {"name": "Østlandsnettverket", "role": "member", "active": "on", "since": "2019-01-01"},
        ).status_code
        == 302
    )
    page = client.get("/staff/outreach/networks/").content.decode()
    assert "Avsluttet 31.12.2022" in page and "Østlandsnettverket" in page
    overview = client.get("/staff/outreach/?year=2023").content.decode()
    assert 'data-testid="network-count">1<' in overview


def test_manager_records_social_media_figures(manager, client_for):
    client = client_for(manager)
    assert (
        client.post(
            "/staff/outreach/social/new/",
            {
                "platform": "tiktok",
                "handle": "@konto",
                "url": "",
                "opened": "2023-02-01",
                "active": "on",
            },
        ).status_code
        == 302
    )
    account = SocialAccount.objects.get()
    figures = {
        "date": "2023-12-31",
        "followers": "265",
        "likes": "3772",
        "top_video_views": "500000",
        "notes": "",
    }
    assert (
        client.post(f"/staff/outreach/social/{account.pk}/figures/new/", figures).status_code == 302
    )
    page = client.post(
        f"/staff/outreach/social/{account.pk}/figures/new/", figures
    ).content.decode()
    assert "Kontoen har allerede tall for denne datoen" in page
    assert SocialSnapshot.objects.count() == 1
    overview = client.get("/staff/outreach/?year=2023").content.decode()
    assert "3\u00a0772" in overview and "500\u00a0000" in overview


def test_missing_records_are_404_not_errors(manager, client_for):
    client = client_for(manager)
    for path in (
        "/staff/outreach/campaigns/999/",
        "/staff/outreach/talks/999/edit/",
        "/staff/outreach/figures/999/delete/",
    ):
        assert client.get(path).status_code == 404


def test_a_campaign_links_its_extended_opening_hours(manager, client_for):
    from hjelpelinje.hours.models import HoursException

    longer = HoursException.objects.create(
        channel="chat",
        start_date=D(2023, 6, 9),
        end_date=D(2023, 6, 30),
        kind="open",
        opens=dt.time(9),
        closes=dt.time(20),
    )
    HoursException.objects.create(
        channel="phone", start_date=D(2023, 12, 27), end_date=D(2023, 12, 29), kind="closed"
    )
    c = campaign("Etterlatt i utlandet", D(2023, 6, 9), D(2023, 6, 30))
    client = client_for(manager)
    form = client.get(f"/staff/outreach/campaigns/{c.pk}/edit/").content.decode()
    # Only exceptions that open the helpline are offered, not closed days.
    assert "09.06.2023–30.06.2023 09:00–20:00" in form and "27.12.2023" not in form
    response = client.post(
        f"/staff/outreach/campaigns/{c.pk}/edit/",
        {
            "name": c.name,
            "start": "2023-06-09",
            "end": "2023-06-30",
            "excludes_weekends": "on",
            "hours_exceptions": [longer.pk],
        },
    )
    assert response.status_code == 302
    assert list(c.hours_exceptions.all()) == [longer]
    detail = client.get(f"/staff/outreach/campaigns/{c.pk}/").content.decode()
    assert "Utvidet åpningstid" in detail and "09:00–20:00" in detail
