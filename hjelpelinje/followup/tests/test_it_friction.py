"""Small things staff tripped over on the follow-up pages, as they read them."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from hjelpelinje.followup.services import user_viewed


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _labels(html: str) -> list[str]:
    """The visible field labels of a page, in order, without the required-field star."""
    return [
        _text(label).replace("*", "").strip()
        for label in re.findall(r"<label\b.*?</label>", html, re.S)
    ]


@pytest.mark.django_db
def test_the_new_user_form_names_the_consent_date_and_the_consent_method_apart(
    counsellor, client_for
):
    labels = _labels(client_for(counsellor).get(reverse("followup:create")).content.decode())
    assert "Dato for samtykke" in labels
    assert "Hvordan samtykket ble gitt" in labels
    # No two fields of the form read the same.
    assert not [label for label in labels if label.startswith("Samtykke gitt")]


@pytest.mark.django_db
def test_the_protected_address_codes_say_what_they_mean(make_user, counsellor, client_for):
    user = make_user(responsible=[counsellor], protected_code="7", address="Skjultveien 1")
    client = client_for(counsellor)
    form = client.get(reverse("followup:address", args=[user.pk])).content.decode()
    select = re.search(r'<select name="protected_code".*?</select>', form, re.S)
    assert select is not None
    offered = [_text(o) for o in re.findall(r"<option\b.*?</option>", select.group(0), re.S)]
    assert offered == ["Ingen", "Kode 6 (strengt fortrolig)", "Kode 7 (fortrolig)"]
    detail = client.get(reverse("followup:detail", args=[user.pk])).content.decode()
    assert "Kode 7 (fortrolig)" in _text(detail)


@pytest.mark.django_db
def test_who_has_seen_the_user_names_staff_by_full_name(make_user, counsellor, manager, client_for):
    counsellor.last_name = "Nordmann"
    counsellor.save()
    user = make_user(responsible=[counsellor])
    user_viewed(actor=counsellor, user=user, shielded_shown=False)
    page = client_for(manager).get(reverse("followup:detail", args=[user.pk])).content.decode()
    seen = _text(page.split('id="seen-h"', 1)[1].split("</section>", 1)[0])
    assert "Kari Nordmann · Åpnet bruker" in seen
    assert "kari ·" not in seen
