from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hjelpelinje.accounts.models import User
from hjelpelinje.core.timeutil import OSLO
from hjelpelinje.inquiries import selectors
from hjelpelinje.inquiries.models import Inquiry
from hjelpelinje.inquiries.services import inquiry_update
from hjelpelinje.inquiries.tests.factories import code, data, make
from hjelpelinje.taxonomy.models import Code

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]


def _post(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "occurred_at": "2023-04-27T10:30",
        "channel": code("channel", "phone").pk,
        "relevant": "1",
        "age_group": code("age_group", "unknown").pk,
        "gender": code("gender", "unknown").pk,
        "region": code("region", "unknown").pk,
        "country_background": "",
        "caller": code("caller", "unknown").pk,
        "follow_up": "0",
        "duty_to_avert": "0",
        "duty_to_avert_at": "",
        "summary": "",
    }
    values.update(overrides)
    return values


def test_new_form_has_defaults_and_the_name_warning(
    client_for: ClientFor, counsellor: User
) -> None:
    page = client_for(counsellor).get("/staff/inquiries/ny/").content.decode()
    assert "Ikke skriv navn" in page

    def checked(name: str) -> str:
        found = re.search(rf'<input[^>]*name="{name}" value="([^"]+)"[^>]*checked', page)
        assert found is not None, name
        return found.group(1)

    assert checked("age_group") == str(code("age_group", "unknown").pk)
    assert checked("gender") == str(code("gender", "unknown").pk)
    assert checked("channel") == str(code("channel", "phone").pk)
    assert checked("relevant") == "1"
    assert checked("follow_up") == "0"


def test_recording_gives_a_fresh_form_with_a_link_to_the_saved_one(
    client_for: ClientFor, counsellor: User
) -> None:
    client = client_for(counsellor)
    response = client.post(
        "/staff/inquiries/ny/",
        _post(
            channel=code("channel", "chat").pk,
            country_background="Tyrkia",
            themes=[code("theme", "fgm").pk],
            summary="Bekymret lærer.",
        ),
    )
    assert response.status_code == 302 and response["Location"] == "/staff/inquiries/ny/"
    inquiry = Inquiry.objects.get()
    assert inquiry.country_background == "Türkiye" and inquiry.created_by == counsellor
    assert inquiry.occurred_at == dt.datetime(2023, 4, 27, 10, 30, tzinfo=OSLO)
    page = client.get("/staff/inquiries/ny/").content.decode()
    assert "Henvendelsen er lagret" in page
    assert f'href="/staff/inquiries/{inquiry.pk}/"' in page
    assert "Bekymret" not in page


def test_unknown_country_is_shown_as_a_form_error(client_for: ClientFor, counsellor: User) -> None:
    response = client_for(counsellor).post(
        "/staff/inquiries/ny/", _post(country_background="Mordor")
    )
    assert response.status_code == 200
    assert "«Mordor» er ikke et land vi kjenner igjen" in response.content.decode()
    assert not Inquiry.objects.exists()


def test_duty_to_avert_without_agencies_is_refused(client_for: ClientFor, counsellor: User) -> None:
    response = client_for(counsellor).post(
        "/staff/inquiries/ny/", _post(duty_to_avert="1", duty_to_avert_at="2023-04-27T11:00")
    )
    assert response.status_code == 200
    assert "Kryss av hvilke instanser som ble varslet" in response.content.decode()
    assert not Inquiry.objects.exists()


def test_inactive_code_is_not_offered_but_stays_on_edit(
    client_for: ClientFor, counsellor: User
) -> None:
    walk_in = code("channel", "walk_in")
    inquiry = make(counsellor, channel=walk_in)
    Code.objects.filter(pk=walk_in.pk).update(active=False)
    client = client_for(counsellor)
    assert (
        f'name="channel" value="{walk_in.pk}"'
        not in client.get("/staff/inquiries/ny/").content.decode()
    )
    edit_page = client.get(f"/staff/inquiries/{inquiry.pk}/endre/").content.decode()
    assert f'name="channel" value="{walk_in.pk}"' in edit_page


def test_edit_keeps_history_shown_on_the_detail_page(
    client_for: ClientFor, counsellor: User, manager: User
) -> None:
    inquiry = make(counsellor, summary="Gammel tekst.")
    client = client_for(manager)
    response = client.post(
        f"/staff/inquiries/{inquiry.pk}/endre/",
        _post(
            occurred_at="2023-04-27T10:30",
            age_group=code("age_group", "18-25").pk,
            gender=code("gender", "female").pk,
            region=code("region", "ostlandet").pk,
            caller=code("caller", "self").pk,
            follow_up="1",
            summary="Ny tekst.",
        ),
    )
    assert response.status_code == 302
    page = client.get(f"/staff/inquiries/{inquiry.pk}/").content.decode()
    assert "Ny tekst." in page
    assert "Gammel tekst." in page  # the earlier value in the history
    assert "Mona" in page
    assert "Tidligere versjoner" in page


def test_summary_never_in_the_list(client_for: ClientFor, counsellor: User) -> None:
    make(counsellor, summary="Hemmelig sammendrag.")
    page = client_for(counsellor).get("/staff/inquiries/").content.decode()
    assert "Hemmelig" not in page
    assert "Telefon" in page


def test_list_filters(client_for: ClientFor, counsellor: User) -> None:
    chat, phone = code("channel", "chat"), code("channel", "phone")
    fgm = code("theme", "fgm")
    a = make(counsellor, channel=chat, themes=[fgm], follow_up=True)
    b = make(counsellor, channel=phone, relevant=False)
    c = make(counsellor, occurred_at=dt.datetime(2022, 12, 31, 23, 30, tzinfo=OSLO))
    d = make(counsellor, occurred_at=dt.datetime(2023, 1, 1, 0, 30, tzinfo=OSLO))
    client = client_for(counsellor)

    def shown(query: str) -> set[int]:
        rows = client.get("/staff/inquiries/?" + query).context["page"].rows
        return {row.pk for row in rows}

    assert shown("") == {a.pk, b.pk, c.pk, d.pk}
    assert shown("channel=chat") == {a.pk}
    assert shown("theme=fgm") == {a.pk}
    assert shown("follow_up=1") == {a.pk}
    assert shown("relevant=0") == {b.pk}
    assert shown("year=2022") == {c.pk}
    assert shown("year=2023&month=1") == {d.pk}
    assert shown("year=2023&month=4") == {a.pk, b.pk}


def test_paging_walks_every_row_once_both_ways(counsellor: User) -> None:
    same_time = dt.datetime(2023, 3, 1, 12, 0, tzinfo=OSLO)
    # Many rows share one timestamp: the id breaks the tie so none is skipped or repeated.
    made = [make(counsellor, occurred_at=same_time - dt.timedelta(hours=i % 7)) for i in range(120)]
    filters = selectors.InquiryFilters()
    seen: list[int] = []
    pages = []
    page = selectors.inquiry_page(filters=filters)
    while True:
        pages.append(page)
        seen.extend(row.pk for row in page.rows)
        if not page.next_cursor:
            break
        page = selectors.inquiry_page(
            filters=filters, after=selectors.Cursor.decode(page.next_cursor)
        )
    assert len(pages) == 3
    assert sorted(seen) == sorted(i.pk for i in made) and len(seen) == len(set(seen))
    ordered = [(r.occurred_at, r.pk) for p in pages for r in p.rows]
    assert ordered == sorted(ordered, reverse=True)
    # Going back from the last page gives exactly the page before it.
    back = selectors.inquiry_page(
        filters=filters, before=selectors.Cursor.decode(pages[2].prev_cursor)
    )
    assert [r.pk for r in back.rows] == [r.pk for r in pages[1].rows]
    assert pages[0].prev_cursor is None


def test_paging_links_keep_filters(client_for: ClientFor, counsellor: User) -> None:
    for i in range(55):
        make(counsellor, occurred_at=dt.datetime(2023, 3, 1, 12, i, tzinfo=OSLO))
    page = client_for(counsellor).get("/staff/inquiries/?channel=phone").content.decode()
    assert "?channel=phone&amp;etter=" in page


def test_list_page_does_not_count_or_offset(client_for: ClientFor, counsellor: User) -> None:
    for _i in range(5):
        make(counsellor, themes=[code("theme", "fgm")])
    client = client_for(counsellor)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get("/staff/inquiries/")
    sql = " ".join(q["sql"] for q in queries.captured_queries).upper()
    assert "COUNT(" not in sql and "OFFSET" not in sql
    assert len(queries.captured_queries) < 15


def test_delete_is_for_managers_and_asks_why(
    client_for: ClientFor, counsellor: User, manager: User
) -> None:
    inquiry = make(counsellor)
    assert client_for(counsellor).get(f"/staff/inquiries/{inquiry.pk}/slett/").status_code == 403
    assert (
        client_for(counsellor)
        .post(f"/staff/inquiries/{inquiry.pk}/slett/", {"reason": "x"})
        .status_code
        == 403
    )
    client = client_for(manager)
    response = client.post(f"/staff/inquiries/{inquiry.pk}/slett/", {"reason": ""})
    assert response.status_code == 200
    assert Inquiry.objects.live().count() == 1
    response = client.post(
        f"/staff/inquiries/{inquiry.pk}/slett/", {"reason": "Dobbelt registrert"}
    )
    assert response.status_code == 302
    assert not Inquiry.objects.live().exists()
    assert client.get(f"/staff/inquiries/{inquiry.pk}/").status_code == 404


def test_detail_hides_delete_from_counsellors(client_for: ClientFor, counsellor: User) -> None:
    inquiry = make(counsellor)
    page = client_for(counsellor).get(f"/staff/inquiries/{inquiry.pk}/").content.decode()
    assert f"/staff/inquiries/{inquiry.pk}/endre/" in page
    assert f"/staff/inquiries/{inquiry.pk}/slett/" not in page


def test_import_page_shows_every_error_in_a_table(
    client_for: ClientFor, manager: User, counsellor: User
) -> None:
    assert client_for(counsellor).get("/staff/inquiries/importer/").status_code == 403
    client = client_for(manager)
    bad = SimpleUploadedFile("fil.csv", b"dato;kanal\n2023-01-01;brev\nfeil;chat\n")
    page = client.post("/staff/inquiries/importer/", {"file": bad}).content.decode()
    assert "2 feil: ingenting ble importert" in page
    assert "brev" in page and "feil" in page and "phone (Telefon)" in page
    assert not Inquiry.objects.exists()

    good = b"dato;kanal\n2023-01-01;chat\n"
    page = client.post(
        "/staff/inquiries/importer/", {"file": SimpleUploadedFile("fil.csv", good), "dry_run": "on"}
    ).content.decode()
    assert "Filen er i orden: 1 henvendelse" in page
    assert not Inquiry.objects.exists()
    response = client.post(
        "/staff/inquiries/importer/", {"file": SimpleUploadedFile("fil.csv", good)}
    )
    assert response.status_code == 302
    assert Inquiry.objects.get().created_by == manager


def test_update_selector_history_labels(counsellor: User) -> None:
    inquiry = make(counsellor)
    inquiry_update(inquiry=inquiry, actor=counsellor, data=data(channel=code("channel", "chat")))
    [version] = selectors.inquiry_history(inquiry=inquiry)
    assert version.earlier == [("kanal", "Telefon")]
