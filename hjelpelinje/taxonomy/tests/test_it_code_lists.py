"""Managers edit the code lists; records keep their codes through renames and deactivation."""

from __future__ import annotations

import pytest

from hjelpelinje.audit.models import AuditEntry
from hjelpelinje.inquiries.models import Inquiry
from hjelpelinje.taxonomy.models import Code
from hjelpelinje.taxonomy.selectors import code_get, codes

pytestmark = pytest.mark.django_db


def _inquiry(channel: str = "phone") -> Inquiry:
    return Inquiry.objects.create(
        channel=code_get("channel", channel),
        age_group=code_get("age_group", "unknown"),
        gender=code_get("gender", "unknown"),
        region=code_get("region", "unknown"),
        caller=code_get("caller", "unknown"),
    )


def _order(list_name: str) -> list[str]:
    return list(
        Code.objects.filter(list=list_name)
        .order_by("position", "id")
        .values_list("code", flat=True)
    )


def test_index_lists_every_code_list(manager, client_for):
    page = client_for(manager).get("/staff/codes/").content.decode()
    for label in ("Kanal", "Aldersgruppe", "Tema", "Instans", "Oppfølgingsaktivitet"):
        assert label in page
    assert 'href="/staff/codes/channel/"' in page
    assert "5 aktive av 5" in page


def test_only_managers_edit_code_lists(counsellor, administrator, client_for):
    for user in (counsellor, administrator):
        client = client_for(user)
        assert client.get("/staff/codes/channel/").status_code == 403
        response = client.post("/staff/codes/channel/", {"code": "sms", "label": "SMS"})
        assert response.status_code == 403
    assert not Code.objects.filter(code="sms").exists()


def test_unknown_list_is_404(manager, client_for):
    assert client_for(manager).get("/staff/codes/nonsense/").status_code == 404


def test_add_an_entry_at_the_end_of_the_list(manager, client_for):
    client = client_for(manager)
    response = client.post(
        "/staff/codes/channel/", {"code": "sms", "label": "SMS", "label_en": "Text message"}
    )
    assert response.status_code == 302
    assert _order("channel")[-1] == "sms"
    assert codes("channel").filter(code="sms").exists()
    entry = AuditEntry.objects.get(action="code.create")
    assert entry.actor_id == manager.pk and "code" in entry.fields
    page = client.get("/staff/codes/channel/").content.decode()
    assert 'data-testid="code-sms"' in page and "Text message" in page


def test_duplicate_code_is_refused(manager, client_for):
    response = client_for(manager).post(
        "/staff/codes/channel/", {"code": "phone", "label": "Telefon 2"}
    )
    assert response.status_code == 200
    assert "Koden finnes allerede i denne listen" in response.content.decode()
    assert Code.objects.filter(list="channel", code="phone").count() == 1


def test_the_same_code_may_exist_in_another_list(manager, client_for):
    # `other` is in several lists already; a new list entry is judged within its own list.
    response = client_for(manager).post(
        "/staff/codes/channel/", {"code": "other", "label": "Annet"}
    )
    assert response.status_code == 302
    assert Code.objects.filter(code="other").count() > 1


@pytest.mark.parametrize("bad", ["Walk In", "æøå", "sms!", "SMS"])
def test_code_characters_are_limited(manager, client_for, bad):
    response = client_for(manager).post("/staff/codes/channel/", {"code": bad, "label": "X"})
    assert response.status_code == 200
    assert "små bokstaver" in response.content.decode()
    assert not Code.objects.filter(list="channel", label="X").exists()


def test_codes_like_age_bands_are_allowed(manager, client_for):
    response = client_for(manager).post("/staff/codes/age_group/", {"code": "65+", "label": "65+"})
    assert response.status_code == 302
    assert code_get("age_group", "65+").label == "65+"


def test_a_record_keeps_its_code_when_the_label_changes(manager, client_for):
    inquiry = _inquiry("walk_in")
    entry = code_get("channel", "walk_in")
    client = client_for(manager)
    page = client.get(f"/staff/codes/channel/{entry.pk}/").content.decode()
    assert "walk_in" in page and 'name="code"' not in page
    response = client.post(
        f"/staff/codes/channel/{entry.pk}/",
        {"label": "Besøk på kontoret", "label_en": "Office visit", "code": "visit"},
    )
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.channel.code == "walk_in"
    assert inquiry.channel.label == "Besøk på kontoret"
    assert not Code.objects.filter(code="visit").exists()
    assert set(AuditEntry.objects.get(action="code.rename").fields) == {"label", "label_en"}


def test_a_deactivated_code_stays_on_old_records_and_is_no_longer_offered(manager, client_for):
    inquiry = _inquiry("whatsapp")
    entry = code_get("channel", "whatsapp")
    client = client_for(manager)
    assert client.get(f"/staff/codes/channel/{entry.pk}/active/").status_code == 405
    response = client.post(f"/staff/codes/channel/{entry.pk}/active/")
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.channel.code == "whatsapp" and not inquiry.channel.active
    assert "whatsapp" not in codes("channel").values_list("code", flat=True)
    page = client.get("/staff/codes/channel/").content.decode()
    assert '<tr class="inactive" data-testid="code-whatsapp">' in page
    assert AuditEntry.objects.filter(action="code.deactivate", target_id=str(entry.pk)).exists()
    # And back again.
    client.post(f"/staff/codes/channel/{entry.pk}/active/")
    assert "whatsapp" in codes("channel").values_list("code", flat=True)
    assert AuditEntry.objects.filter(action="code.activate").exists()


def test_move_up_and_down_without_javascript(manager, client_for):
    client = client_for(manager)
    email = code_get("channel", "email")
    response = client.post(f"/staff/codes/channel/{email.pk}/move/", {"direction": "up"})
    assert response.status_code == 302 and response["Location"] == "/staff/codes/channel/"
    assert _order("channel") == ["phone", "email", "chat", "walk_in", "whatsapp"]
    client.post(f"/staff/codes/channel/{email.pk}/move/", {"direction": "down"})
    client.post(f"/staff/codes/channel/{email.pk}/move/", {"direction": "down"})
    assert _order("channel") == ["phone", "chat", "walk_in", "email", "whatsapp"]
    # The ends stay put.
    phone = code_get("channel", "phone")
    client.post(f"/staff/codes/channel/{phone.pk}/move/", {"direction": "up"})
    assert _order("channel")[0] == "phone"
    # The order is what forms offer.
    assert list(codes("channel").values_list("code", flat=True))[3] == "email"


def test_move_with_htmx_returns_the_updated_table(manager, client_for):
    chat = code_get("channel", "chat")
    response = client_for(manager).post(
        f"/staff/codes/channel/{chat.pk}/move/", {"direction": "up"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="entries"') and "<html" not in html
    assert html.index("code-chat") < html.index("code-phone")
    assert _order("channel")[:2] == ["chat", "phone"]
    assert AuditEntry.objects.filter(action="code.move").count() == 1


def test_a_code_from_another_list_is_404(manager, client_for):
    theme = code_get("theme", "other")
    client = client_for(manager)
    assert client.get(f"/staff/codes/channel/{theme.pk}/").status_code == 404
    assert client.post(f"/staff/codes/channel/{theme.pk}/active/").status_code == 404


def test_a_label_may_not_name_another_entry(manager, client_for):
    # Imports read a code or either label; one value must never mean two entries.
    client = client_for(manager)
    response = client.post("/staff/codes/channel/", {"code": "sms", "label": "telefon"})
    assert response.status_code == 200
    assert "brukes allerede av phone" in response.content.decode()
    response = client.post("/staff/codes/channel/", {"code": "telefon", "label": "Fasttelefon"})
    assert "brukes allerede av phone" in response.content.decode()
    chat = code_get("channel", "chat")
    response = client.post(
        f"/staff/codes/channel/{chat.pk}/", {"label": "Chat", "label_en": "E-mail"}
    )
    assert response.status_code == 200
    assert "brukes allerede av email" in response.content.decode()
    chat.refresh_from_db()
    assert chat.label_en == "Chat"
    # Changing only the case of an entry's own label is fine.
    response = client.post(
        f"/staff/codes/channel/{chat.pk}/", {"label": "CHAT", "label_en": "chat"}
    )
    assert response.status_code == 302


def test_seeded_lists_have_distinct_labels():
    from hjelpelinje.taxonomy.seed import SEED

    for entries in SEED.values():
        keys = [
            {k.casefold() for k in (code, label, label_en) if k}
            for code, label, label_en in entries
        ]
        for i, mine in enumerate(keys):
            for other in keys[i + 1 :]:
                assert not mine & other
