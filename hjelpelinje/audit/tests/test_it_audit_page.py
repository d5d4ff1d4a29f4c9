"""Managers and administrators browse the audit log."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hjelpelinje.audit.models import AuditEntry
from hjelpelinje.audit.selectors import audit_entries_for
from hjelpelinje.audit.services import audit_record
from hjelpelinje.core.timeutil import OSLO

pytestmark = pytest.mark.django_db


def _ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-testid="audit-(\d+)"', html)]


def _at(entry: AuditEntry, day: dt.date) -> None:
    # Backdating is only possible behind the ORM's back; the page reads `at` as stored.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET at = %s WHERE id = %s",
            [dt.datetime.combine(day, dt.time(12), tzinfo=OSLO), entry.pk],
        )


def test_who_may_read_the_log(counsellor, manager, administrator, client_for):
    assert client_for(counsellor).get("/staff/audit/").status_code == 403
    assert client_for(manager).get("/staff/audit/").status_code == 200
    assert client_for(administrator).get("/staff/audit/").status_code == 200


def test_newest_first_with_names_words_fields_and_reason(manager, counsellor, client_for):
    audit_record(actor=counsellor, action="followup.view", target_type="followup_user", target_id=7)
    audit_record(
        actor=counsellor,
        action="followup.break_glass",
        target_type="followup_user",
        target_id=7,
        fields=["address", "protection_code"],
        reason="Akutt fare, politiet ringte",
        flagged=True,
    )
    new = audit_record(
        actor=counsellor, action="something.brand_new", target_type="followup_user", target_id=7
    )
    page = client_for(manager).get("/staff/audit/").content.decode()
    ids = _ids(page)
    assert ids == sorted(ids, reverse=True) and len(ids) == AuditEntry.objects.count()
    row = page.split(f'data-testid="audit-{new.pk}"')[1].split("</tr>")[0]
    assert "something.brand_new" in row  # an unknown action falls back to its code
    glass = AuditEntry.objects.get(action="followup.break_glass")
    row = page.split(f'data-testid="audit-{glass.pk}"')[1].split("</tr>")[0]
    assert "Nødtilgang til skjermede opplysninger" in row and "Flagget" in row
    assert "address, protection_code" in row and "Akutt fare, politiet ringte" in row
    assert "Kari" in row and "Bruker #7" in row
    assert f'<tr class="flagged" data-testid="audit-{glass.pk}"' in page


def test_filter_by_target(manager, counsellor, client_for):
    mine = audit_record(
        actor=counsellor, action="followup.view", target_type="followup_user", target_id=7
    )
    audit_record(actor=counsellor, action="followup.view", target_type="followup_user", target_id=8)
    audit_record(actor=counsellor, action="code.rename", target_type="code", target_id=7)
    page = (
        client_for(manager)
        .get("/staff/audit/?target_type=followup_user&target_id=7")
        .content.decode()
    )
    assert _ids(page) == [mine.pk]


def test_filter_by_staff_member_and_action(manager, counsellor, other_counsellor, client_for):
    audit_record(actor=counsellor, action="followup.view", target_type="followup_user", target_id=1)
    theirs = audit_record(
        actor=other_counsellor, action="followup.view", target_type="followup_user", target_id=1
    )
    audit_record(
        actor=other_counsellor, action="followup.update", target_type="followup_user", target_id=1
    )
    client = client_for(manager)
    page = client.get(
        f"/staff/audit/?actor={other_counsellor.pk}&action=followup.view"
    ).content.decode()
    assert _ids(page) == [theirs.pk]
    # The staff filter offers every account by name.
    assert f'<option value="{other_counsellor.pk}" selected>Ola (ola)</option>' in page
    assert f'<option value="{counsellor.pk}">Kari (kari)</option>' in page


def test_filter_by_date_range_in_oslo_days(manager, counsellor, client_for):
    entries = [
        audit_record(
            actor=counsellor, action="followup.view", target_type="followup_user", target_id=i
        )
        for i in range(3)
    ]
    days = [dt.date(2025, 3, 1), dt.date(2025, 3, 2), dt.date(2025, 3, 4)]
    for entry, day in zip(entries, days, strict=True):
        _at(entry, day)
    client = client_for(manager)
    page = client.get(
        "/staff/audit/?date_from=2025-03-02&date_to=2025-03-04&target_type=followup_user"
    ).content.decode()
    assert _ids(page) == [entries[2].pk, entries[1].pk]
    # Norwegian dates are accepted too.
    page = client.get("/staff/audit/?date_from=01.03.2025&date_to=01.03.2025").content.decode()
    assert _ids(page) == [entries[0].pk]


def test_bad_filters_are_reported_not_crashed_on(manager, client_for):
    client = client_for(manager)
    response = client.get("/staff/audit/?date_from=2025-03-05&date_to=2025-03-01&before=abc")
    assert response.status_code == 200
    assert "Til-datoen er før fra-datoen" in response.content.decode()
    assert client.get("/staff/audit/?actor=not-a-number").status_code == 200


def test_flagged_only(manager, counsellor, client_for):
    audit_record(actor=counsellor, action="followup.view", target_type="followup_user", target_id=1)
    flagged = audit_record(actor=None, action="auth.locked_out", target_type="staff", flagged=True)
    page = client_for(manager).get("/staff/audit/?flagged=on").content.decode()
    assert _ids(page) == [flagged.pk]


def test_paging_walks_the_whole_log_without_gaps_or_repeats(manager, counsellor, client_for):
    for i in range(120):
        audit_record(
            actor=counsellor, action="followup.view", target_type="followup_user", target_id=i
        )
    every = list(
        AuditEntry.objects.filter(action="followup.view")
        .order_by("-id")
        .values_list("id", flat=True)
    )
    client = client_for(manager)
    url, seen, pages = "/staff/audit/?action=followup.view", [], []
    while url:
        page = client.get(url).content.decode()
        pages.append(_ids(page))
        seen += pages[-1]
        older = re.search(r'href="(\?[^"]+)" rel="next"', page)
        url = "/staff/audit/" + older.group(1).replace("&amp;", "&") if older else ""
    assert [len(p) for p in pages] == [50, 50, 20]
    assert seen == every
    # Back towards the newest from the last page.
    newer = re.search(r'href="(\?[^"]+)" rel="prev"', page)
    assert newer is not None and "action=followup.view" in newer.group(1)
    back = client.get("/staff/audit/" + newer.group(1).replace("&amp;", "&")).content.decode()
    assert _ids(back) == pages[1]


def test_page_queries_do_not_grow_with_the_log(manager, counsellor, client_for):
    client = client_for(manager)
    for i in range(10):
        audit_record(actor=counsellor, action="followup.view", target_type="staff", target_id=i)
    with CaptureQueriesContext(connection) as small:
        client.get("/staff/audit/")
    for i in range(100):
        audit_record(actor=counsellor, action="followup.view", target_type="staff", target_id=i)
    with CaptureQueriesContext(connection) as large:
        client.get("/staff/audit/")
    assert len(large) == len(small)


def test_entries_for_a_record_newest_first(counsellor, manager):
    first = audit_record(
        actor=counsellor, action="followup.view", target_type="followup_user", target_id=5
    )
    audit_record(actor=counsellor, action="followup.view", target_type="followup_user", target_id=6)
    second = audit_record(
        actor=manager, action="followup.view", target_type="followup_user", target_id="5"
    )
    assert list(audit_entries_for("followup_user", 5)) == [second, first]


def test_seen_by_partial_for_other_pages(counsellor, manager):
    from django.template.loader import render_to_string

    audit_record(actor=counsellor, action="followup.view", target_type="followup_user", target_id=5)
    audit_record(
        actor=manager,
        action="followup.break_glass",
        target_type="followup_user",
        target_id=5,
        flagged=True,
    )
    html = render_to_string(
        "audit/includes/seen_by.html", {"entries": audit_entries_for("followup_user", 5)}
    )
    assert html.index("mona") < html.index("kari")
    assert "Åpnet bruker" in html and "Flagget" in html
    empty = render_to_string(
        "audit/includes/seen_by.html", {"entries": audit_entries_for("followup_user", 6)}
    )
    assert "Ingen i loggen ennå" in empty


def test_labels_fall_back_to_the_verb_then_the_code():
    from hjelpelinje.audit.labels import action_label, target_label

    assert action_label("followup.break_glass") == "Nødtilgang til skjermede opplysninger"
    assert action_label("outreach.talk.create") == "Opprettet (outreach.talk.create)"
    assert action_label("mystery") == "mystery"
    assert target_label("outreach.talk") == "Utadrettet (talk)"
    assert target_label("followup_user") == "Bruker"
