"""In Chromium: log in with password and TOTP, create a user with consent, log an activity
with the quick entry, and withdraw consent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import make_staff
from hjelpelinje.accounts.models import Role
from hjelpelinje.accounts.tests.browser import browser_login
from hjelpelinje.followup.models import Activity, FollowUpUser
from hjelpelinje.taxonomy.models import Code

SHOTS = Path(os.environ.get("HJELPELINJE_SCREENSHOTS", "/tmp/followup"))


def _pk(list_name: str, code: str) -> str:
    return str(Code.objects.get(list=list_name, code=code).pk)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_create_user_log_activity_and_withdraw_consent(live_server, browser):
    staff = make_staff("kari", Role.COUNSELLOR)
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="nb-NO")
    page = context.new_page()
    browser_login(page, live_server.url, staff)

    page.goto(f"{live_server.url}/staff/users/new/")
    page.fill("#id_name", "Testa Nettlesersen")
    page.fill("#id_phone", "98765432")
    page.select_option("#id_age_group", value=_pk("age_group", "18-25"))
    page.select_option("#id_gender", value=_pk("gender", "female"))
    page.select_option("#id_region", value=_pk("region", "vestlandet"))
    page.select_option("#id_source", value="helpline")
    page.check("input[name=consent_method][value=written]")
    page.check("#id_consent_confirmed")
    page.fill("#id_notes", "Ønsker oppfølging etter flytting.")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Brukeren er opprettet")
    user = FollowUpUser.objects.get()
    assert user.name == "Testa Nettlesersen" and user.consent.given_on is not None
    heading = page.inner_text("h1")
    assert heading == user.reference

    # Quick entry: the category is focused; choose, type a note, press Enter.
    page.focus("#act_category")
    page.select_option("#act_category", value=_pk("activity", "nav"))
    page.fill("#act_note", "Ringte Nav om bostøtte")
    page.press("#act_note", "Enter")
    page.wait_for_selector("text=Aktiviteten er lagret")
    assert "Ringte Nav om bostøtte" in page.inner_text(".fu-timeline")
    assert Activity.objects.filter(user=user, category__code="nav").count() == 1
    page.screenshot(path=str(SHOTS / "user-1366.png"), full_page=True)
    mobile = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="nb-NO",
        storage_state=context.storage_state(),
    )
    phone = mobile.new_page()
    phone.goto(f"{live_server.url}/staff/users/{user.pk}/")
    phone.screenshot(path=str(SHOTS / "user-390.png"), full_page=True)
    mobile.close()

    page.click("text=Trekk samtykke …")
    page.fill("#id_reference", user.reference)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button.danger")
    page.wait_for_selector("text=Samtykket er trukket")
    assert "Testa Nettlesersen" not in page.content()
    user.refresh_from_db()
    assert user.withdrawn and user.name == "" and user.notes == ""
    assert Activity.objects.get(user=user).note == ""
    context.close()
