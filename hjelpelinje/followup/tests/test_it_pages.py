"""The follow-up pages as staff use them: list and search, the user page, quick entry,
exports; and the protected address kept out of lists, search and logs."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.urls import reverse
from pypdf import PdfReader

from hjelpelinje.followup.models import Activity, FollowUpUser, MailItem
from hjelpelinje.taxonomy.selectors import code_get

from .conftest import ADDRESS, NAME, PHONE


@pytest.mark.django_db
def test_list_and_search_show_reference_codes_only(
    shielded_user, make_user, counsellor, client_for, caplog
):
    make_user(responsible=[counsellor], reference="B-012", name="Annen Bruker")
    client = client_for(counsellor)
    with caplog.at_level(logging.DEBUG):
        page = client.get(reverse("followup:list")).content.decode()
        assert "B-777" in page and "B-012" in page
        found = client.post(
            reverse("followup:list"), {"q": "777"}, HTTP_HX_REQUEST="true"
        ).content.decode()
        by_name = client.post(reverse("followup:list"), {"q": "Zainab"}).content.decode()
        by_address = client.post(reverse("followup:list"), {"q": "Hemmeligveien"}).content.decode()
        client.get(reverse("followup:detail", args=[shielded_user.pk]))
        client.post(
            reverse("followup:address", args=[shielded_user.pk]),
            {"protected_code": "6", "address": ADDRESS + " oppg. 2"},
        )
    assert "B-777" in found and "B-012" not in found
    # Search matches the reference code only: a name or an address finds nothing.
    assert "B-777" not in by_name and "B-777" not in by_address
    for html in (page, found, by_name, by_address):
        assert ADDRESS not in html and "Hemmeligveien" not in html.replace(
            'value="Hemmeligveien"', ""
        )
        assert NAME not in html and PHONE not in html
    assert "Hemmeligveien" not in caplog.text and NAME not in caplog.text
    assert "B-777" not in caplog.text  # not even the reference code reaches a log


@pytest.mark.django_db
def test_a_user_cannot_be_created_without_consent(counsellor, client_for):
    response = client_for(counsellor).post(
        reverse("followup:create"),
        {
            "age_group": code_get("age_group", "18-25").pk,
            "gender": code_get("gender", "female").pk,
            "region": code_get("region", "ostlandet").pk,
            "source": "helpline",
            "consent_method": "verbal",
        },
    )
    assert response.status_code == 200
    assert FollowUpUser.objects.count() == 0


@pytest.mark.django_db
def test_generated_reference_codes_follow_on(counsellor, client_for, make_user):
    make_user(responsible=[counsellor], reference="B-022")
    client_for(counsellor).post(
        reverse("followup:create"),
        {
            "age_group": code_get("age_group", "18-25").pk,
            "gender": code_get("gender", "female").pk,
            "region": code_get("region", "ostlandet").pk,
            "source": "helpline",
            "consent_given_on": "2023-04-27",
            "consent_method": "written",
            "consent_confirmed": "on",
        },
    )
    assert FollowUpUser.objects.filter(reference="B-023").exists()


@pytest.mark.django_db
def test_quick_activity_entry_updates_the_timeline_newest_first(
    shielded_user, other_counsellor, client_for
):
    client = client_for(other_counsellor)
    url = reverse("followup:activity_add", args=[shielded_user.pk])
    for day, code in [("2023-05-01", "nav"), ("2023-06-10", "police"), ("2023-04-02", "in_person")]:
        response = client.post(
            url,
            {"category": code_get("activity", code).pk, "done_on": day, "note": ""},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
    html = response.content.decode()
    assert "Aktiviteten er lagret" in html
    assert html.index("10.06.2023") < html.index("01.05.2023") < html.index("02.04.2023")
    assert Activity.objects.filter(user=shielded_user, done_by=other_counsellor).count() == 3
    # A bad entry comes back with the error, nothing saved.
    response = client.post(url, {"category": "", "done_on": "2023-05-01"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'class="error"' in response.content.decode()
    assert Activity.objects.filter(user=shielded_user).count() == 3


@pytest.mark.django_db
def test_mail_and_inquiries_appear_on_the_timeline(shielded_user, counsellor, client_for):
    client = client_for(counsellor)
    client.post(
        reverse("followup:mail_add", args=[shielded_user.pk]),
        {
            "received_on": "2023-03-03",
            "sender_type": "bank",
            "outcome": "forwarded",
            "outcome_on": "2023-03-06",
        },
    )
    client.post(
        reverse("followup:inquiry_add", args=[shielded_user.pk]),
        {"occurred_on": "2023-03-04", "channel": code_get("channel", "whatsapp").pk},
    )
    page = client.get(reverse("followup:detail", args=[shielded_user.pk])).content.decode()
    assert "Videresendt 06.03.2023" in page and "WhatsApp" in page
    # Mail received and still waiting is marked collected later, from the timeline.
    client.post(
        reverse("followup:mail_add", args=[shielded_user.pk]), {"received_on": "2023-03-10"}
    )
    waiting = MailItem.objects.get(user=shielded_user, received_on="2023-03-10")
    response = client.post(
        reverse("followup:mail_update", args=[shielded_user.pk, waiting.pk]),
        {"outcome": "collected", "outcome_on": "2023-03-12"},
        HTTP_HX_REQUEST="true",
    )
    assert "Hentet 12.03.2023" in response.content.decode()
    assert page.index("04.03.2023") < page.index("03.03.2023")
    assert 'class="fu-inline"' not in page  # nothing is waiting
    # Mail counts as a `mail` activity too, once.
    assert MailItem.objects.filter(user=shielded_user).count() == 2
    assert Activity.objects.filter(user=shielded_user, category__code="mail").count() == 2


@pytest.mark.django_db
def test_access_export_holds_everything_as_json_and_readable_pdf(
    shielded_user, counsellor, manager, client_for
):
    client_for(counsellor).post(
        reverse("followup:activity_add", args=[shielded_user.pk]),
        {
            "category": code_get("activity", "nav").pk,
            "done_on": "2023-05-01",
            "note": "Søknad om bostøtte",
        },
    )
    client = client_for(manager)
    response = client.get(reverse("followup:export_json", args=[shielded_user.pk]))
    assert "B-777" not in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["name"] == NAME and data["protected_address"]["address"] == ADDRESS
    assert data["activities"][0]["note"] == "Søknad om bostøtte"
    assert data["consent"]["given_on"] == "2023-03-01"
    assert any(e["action"] == "followup.activity_add" for e in data["access_log"])
    response = client.get(reverse("followup:export_pdf", args=[shielded_user.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert NAME in text and "Hemmeligveien 77B" in text and "Søknad om bostøtte" in text


@pytest.mark.django_db
def test_every_change_is_kept_with_who_when_and_which_fields(
    shielded_user, counsellor, other_counsellor, client_for
):
    from django.db import connection

    from hjelpelinje.followup.models import UserVersion

    client = client_for(counsellor)
    form = {
        "name": "Zainab Nytt-Navn",
        "phone": PHONE,
        "email": "",
        "birth_year": "2001",
        "age_group": shielded_user.age_group_id,
        "gender": shielded_user.gender_id,
        "region": shielded_user.region_id,
        "source": shielded_user.source,
        "notes": "",
        "responsible": [counsellor.pk, other_counsellor.pk],
    }
    assert client.post(reverse("followup:edit", args=[shielded_user.pk]), form).status_code == 302
    version = UserVersion.objects.filter(user=shielded_user, action="change").get()
    assert version.by == counsellor
    assert version.fields == ["email", "name", "notes", "responsible"]
    assert json.loads(version.snapshot)["before"]["name"] == NAME
    with connection.cursor() as cursor:
        cursor.execute("SELECT snapshot FROM followup_userversion WHERE id = %s", [version.pk])
        assert NAME not in cursor.fetchone()[0]  # stored encrypted
    page = client.get(reverse("followup:detail", args=[shielded_user.pk])).content.decode()
    assert "e-post, navn, notater, ansvarlige rådgivere" in page
    # Saving again without changes adds no history.
    client.post(reverse("followup:edit", args=[shielded_user.pk]), form)
    assert UserVersion.objects.filter(user=shielded_user, action="change").count() == 1


@pytest.mark.django_db
def test_managers_see_flagged_accesses_on_the_follow_up_page(
    shielded_user, other_counsellor, manager, client_for
):
    client_for(other_counsellor).post(
        reverse("followup:glass_break", args=[shielded_user.pk]),
        {"reason": "Politiet ber om sikkerhetsvurdering"},
    )
    page = client_for(manager).get(reverse("followup:list")).content.decode()
    assert (
        "Nødtilganger til skjermede opplysninger" in page
        and "Politiet ber om sikkerhetsvurdering" in page
    )
    assert (
        "Politiet ber om"
        not in client_for(other_counsellor).get(reverse("followup:list")).content.decode()
    )
